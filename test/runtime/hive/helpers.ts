import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { hiveRuntimeDir } from "../../../runtime/hive/deployment";
import type { PostgresPeer } from "../../../runtime/local/peers/postgres";

const run = promisify(execFile);

/** Runs runtime/hive/bootstrap.sh as the bootstrap Job does, with the login files in `secrets`, on database "metastore". */
export function runBootstrap(pg: PostgresPeer, secrets: string) {
  return run("bash", [join(hiveRuntimeDir, "bootstrap.sh")], {
    env: {
      ...process.env,
      SECRETS_DIR: secrets,
      METASTORE_DATABASE: "metastore",
      PGHOST: pg.host,
      PGPORT: String(pg.port),
      // The loopback server has no certificate; the Job sets verify-full (see the component's test).
      PGSSLMODE: "disable",
    },
  });
}
