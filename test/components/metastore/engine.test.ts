import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import {
  engineFamilies,
  metastoreParameters,
  metastoreSizingProblems,
  MetastoreSizing,
  parseEngineVersion,
  staticParameters,
  validInsightsRetention,
} from "../../../components/metastore/engine";

/** Debian installs the server outside PATH, under /usr/lib/postgresql/<major>/bin. */
function postgresBinary(): string {
  const debianRoot = "/usr/lib/postgresql";
  const majors = existsSync(debianRoot)
    ? readdirSync(debianRoot).filter((d) => existsSync(`${debianRoot}/${d}/bin/postgres`))
    : [];
  const newest = majors.sort((a, b) => Number(b) - Number(a))[0];
  return newest ? `${debianRoot}/${newest}/bin/postgres` : "postgres";
}

/**
 * Every setting a PostgreSQL server knows, with its context, from the server binary itself
 * (`postgres --describe-config` needs no data directory and runs as any user, root included). CI
 * gets the binary from Debian's postgresql-15 package; the parameters set here have the same names
 * and contexts in 15, 16 and 17.
 */
function serverSettings(): Map<string, string> {
  const binary = postgresBinary();
  let output: string;
  try {
    output = execFileSync(binary, ["--describe-config"], { encoding: "utf8", timeout: 10_000 });
  } catch (error) {
    throw new Error(
      `cannot run "${binary} --describe-config" (install Debian's postgresql-15): ${(error as Error).message}`,
      { cause: error },
    );
  }
  return new Map(
    output
      .split("\n")
      .filter(Boolean)
      .map((line) => line.split("\t") as [string, string]),
  );
}

const sizing: MetastoreSizing = {
  engineVersion: "17.7",
  allocatedStorageGb: 20,
  maxAllocatedStorageGb: 100,
  backupRetentionDays: 14,
  readReplicas: 0,
  rotationDays: 30,
  monitoringIntervalSeconds: 60,
  maxConnections: 500,
  insights: { mode: "standard", retentionDays: 7 },
  manageMasterUserPassword: false,
};
const problemsOf = (change: Partial<MetastoreSizing>) => metastoreSizingProblems({ ...sizing, ...change });

describe("metastore engine", () => {
  describe("parameters", () => {
    it("sets only parameters PostgreSQL knows, and marks exactly the server-start ones pending-reboot", () => {
      const settings = serverSettings();
      for (const parameter of metastoreParameters(500)) {
        if (parameter.name.startsWith("rds.")) continue; // RDS's own, not in community PostgreSQL
        const context = settings.get(parameter.name);
        assert.ok(context, `${parameter.name} is not a PostgreSQL setting`);
        const isStatic = context === "postmaster";
        assert.equal(
          parameter.applyMethod,
          isStatic ? "pending-reboot" : "immediate",
          `${parameter.name} (context ${context})`,
        );
        assert.equal(
          (staticParameters as readonly string[]).includes(parameter.name),
          isStatic,
          `staticParameters is wrong about ${parameter.name}`,
        );
      }
    });

    it("sets every parameter it lists as static", () => {
      const names = metastoreParameters(500).map((p) => p.name);
      for (const name of staticParameters) assert.ok(names.includes(name), `${name} is listed static but not set`);
    });
  });

  describe("engine versions", () => {
    it("maps PostgreSQL 16 and 17 to their parameter-group families, pinned when a minor is given", () => {
      assert.deepEqual(parseEngineVersion("17.7"), { major: "17", family: "postgres17", pinned: true });
      assert.deepEqual(parseEngineVersion("16"), { major: "16", family: "postgres16", pinned: false });
      assert.deepEqual(Object.values(engineFamilies), ["postgres16", "postgres17"]);
    });

    it("knows no other engine", () => {
      for (const version of ["15.8", "18", "17.7.1", "postgres17", ""])
        assert.equal(parseEngineVersion(version), undefined, version);
    });
  });

  describe("sizing checks", () => {
    it("accept the defaults", () => assert.deepEqual(metastoreSizingProblems(sizing), []));

    it("accept Performance Insights retentions AWS offers and refuse the others", () => {
      for (const days of [7, 31, 465, 713, 731]) assert.ok(validInsightsRetention(days), `${days}`);
      for (const days of [0, 14, 30, 744, 1000]) assert.ok(!validInsightsRetention(days), `${days}`);
    });

    it("name the setting that is wrong", () => {
      const cases: [Partial<MetastoreSizing>, string][] = [
        [{ engineVersion: "14" }, "engineVersion"],
        [{ allocatedStorageGb: 10 }, "allocatedStorageGb"],
        [{ maxAllocatedStorageGb: 21 }, "maxAllocatedStorageGb"],
        [{ backupRetentionDays: 36 }, "backupRetentionDays"],
        [{ readReplicas: 6 }, "readReplicas"],
        [{ rotationDays: 0 }, "rotationDays"],
        [{ monitoringIntervalSeconds: 0 }, "monitoringIntervalSeconds"],
        [{ maxConnections: 10 }, "maxConnections"],
        [{ insights: { mode: "advanced", retentionDays: 7 } }, "insights.retentionDays"],
        [{ manageMasterUserPassword: true, readReplicas: 1 }, "manageMasterUserPassword"],
      ];
      for (const [change, path] of cases) {
        assert.deepEqual(
          problemsOf(change).map((p) => p.path.join(".")),
          [path],
          `for ${JSON.stringify(change)}`,
        );
      }
    });

    it("accept advanced Database Insights with 15 months of Performance Insights", () =>
      assert.deepEqual(problemsOf({ insights: { mode: "advanced", retentionDays: 465 } }), []));
  });
});
