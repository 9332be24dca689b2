import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chownSync, existsSync, readdirSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** A throwaway PostgreSQL server (Debian's, from .ci/bootstrap) on a loopback port, password auth only. */
export interface PostgresPeer {
  host: string;
  port: number;
  /** The cluster's superuser (`postgres`) and its generated password. */
  superuser: { username: string; password: string };
  /** Runs SQL through psql as `login` in `database`; returns psql's unaligned, tuples-only output. */
  query(sql: string, login?: { username: string; password: string }, database?: string): Promise<string>;
  stop(): Promise<void>;
}

/** The newest installed server's binary folder. */
function serverBin(): string {
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(a) - Number(b)) : [];
  if (versions.length === 0) throw new Error(`no PostgreSQL server under ${root}: run .ci/bootstrap (postgresql-15)`);
  return join(root, versions[versions.length - 1], "bin");
}

/** A TCP port on loopback that nothing listens on (the peers, and the JVMs the tests start). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no loopback port");
  return address.port;
}

/** PostgreSQL refuses to run as root; as root the server runs as the `postgres` user. */
const asPostgres = (command: string, args: string[]) =>
  process.geteuid?.() === 0 ? run("runuser", ["-u", "postgres", "--", command, ...args]) : run(command, args);

export async function startPostgres(): Promise<PostgresPeer> {
  const bin = serverBin();
  const root = await mkdtemp(join(tmpdir(), "loglake-postgres-"));
  const password = randomBytes(18).toString("base64url");
  const passwordFile = join(root, "superuser-password");
  writeFileSync(passwordFile, password, { mode: 0o600 });
  if (process.geteuid?.() === 0) {
    chownSync(root, ...(await postgresIds()));
    chownSync(passwordFile, ...(await postgresIds()));
  }
  const data = join(root, "data");
  await asPostgres(join(bin, "initdb"), [
    "-D",
    data,
    "-U",
    "postgres",
    "-A",
    "scram-sha-256",
    `--pwfile=${passwordFile}`,
  ]);
  const port = await freePort();
  await asPostgres(join(bin, "pg_ctl"), [
    "-D",
    data,
    "-l",
    join(root, "server.log"),
    "-w",
    "-o",
    `-p ${port} -k ${root} -c listen_addresses=127.0.0.1`,
    "start",
  ]);
  const superuser = { username: "postgres", password };
  return {
    host: "127.0.0.1",
    port,
    superuser,
    async query(sql, login = superuser, database = "postgres") {
      const { stdout } = await run("psql", ["-X", "-qtA", "-v", "ON_ERROR_STOP=1", "-c", sql], {
        env: {
          ...process.env,
          PGHOST: "127.0.0.1",
          PGPORT: String(port),
          PGUSER: login.username,
          PGPASSWORD: login.password,
          PGDATABASE: database,
        },
      });
      return stdout.trim();
    },
    async stop() {
      await asPostgres(join(bin, "pg_ctl"), ["-D", data, "-m", "fast", "-w", "stop"]);
      await rm(root, { recursive: true, force: true });
    },
  };
}

async function postgresIds(): Promise<[number, number]> {
  const [{ stdout: uid }, { stdout: gid }] = await Promise.all([
    run("id", ["-u", "postgres"]),
    run("id", ["-g", "postgres"]),
  ]);
  return [Number(uid), Number(gid)];
}
