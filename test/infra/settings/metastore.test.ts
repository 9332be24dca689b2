import { testAccount } from "../../support/account";
import * as assert from "node:assert/strict";
import { Metastore } from "../../../components/metastore/metastore";
import { Environment, environments } from "../../../infra/settings/common";
import {
  MetastoreDeps,
  metastoreArgs,
  metastoreDefaults,
  metastoreProblems,
  metastoreSchema,
  MetastoreSettings,
} from "../../../infra/settings/metastore";
import { valueOf } from "../../../infra/offline/engine";
import { registered } from "../../support/offline";

const prodArn = "arn:aws:rds:eu-central-1:123456789012:db:loglake-metastore";

/** The section for `environment` with `change` applied over its defaults (one level deep, as a stack file would). */
function section(environment: Environment, change: Record<string, unknown> = {}): unknown {
  const base = metastoreDefaults[environment] as Record<string, unknown>;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(change)) {
    const current = base[key];
    merged[key] =
      current && typeof current === "object" && value && typeof value === "object" ? { ...current, ...value } : value;
  }
  return merged;
}

const parsed = (value: unknown): MetastoreSettings => metastoreSchema.parse(value);

function assertRefused(value: unknown, path: string, message: RegExp): void {
  const result = metastoreSchema.safeParse(value);
  assert.ok(!result.success, `accepted: ${JSON.stringify(value)}`);
  const lines = result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
  assert.ok(
    lines.some((line) => line.startsWith(`${path}:`) && message.test(line)),
    `expected a refusal of ${path} matching ${message}, got:\n  ${lines.join("\n  ")}`,
  );
}

/** The environment problems of a stack in `region` (dr runs in eu-west-1, prod in eu-central-1), the other one its DR region. */
const problems = (
  environment: Environment,
  metastore: MetastoreSettings,
  region = environment === "dr" ? "eu-west-1" : "eu-central-1",
) =>
  metastoreProblems({
    environment,
    region,
    drRegion: region === "eu-west-1" ? "eu-central-1" : "eu-west-1",
    metastore,
  }).map((p) => `${p.path.join(".")}: ${p.message}`);

/** What metastoreArgs reads of a stack's config: a dr stack whose primary region (its drRegion) is eu-central-1. */
const config = (environment: Environment, change: Record<string, unknown> = {}) => ({
  prefix: "loglake",
  drRegion: "eu-central-1",
  metastore: parsed(section(environment, change)),
});

const deps: MetastoreDeps = {
  vpcId: "vpc-0abc12345def67890",
  privateSubnetIds: ["subnet-0aaa1111bbbb2222c", "subnet-0bbb1111bbbb2222c"],
  metastoreKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555",
  logsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/66666666-7777-8888-9999-000000000000",
  clientSecurityGroupIds: ["sg-0nodes000000000001"],
  secretsManagerAccess: { securityGroupId: "sg-0endpoint00000001" },
  account: testAccount,
};

describe("metastore settings", () => {
  it("accepts every environment's defaults, with no environment problem", () => {
    for (const environment of environments) {
      assert.deepEqual(
        problems(environment, parsed(section(environment))),
        [],
        `${environment} defaults have problems`,
      );
    }
  });

  it("keeps dev cheap: one small single-AZ instance, no replicas, a week of backups, easy to delete", () => {
    const dev = parsed(section("dev"));
    assert.equal(dev.instanceClass, "db.t4g.medium");
    assert.equal(dev.multiAz, false);
    assert.equal(dev.readReplicas, 0);
    assert.equal(dev.backupRetentionDays, 7);
    assert.equal(dev.deletionProtection, false);
    assert.equal(dev.finalSnapshot, false);
  });

  it("makes prod highly available: Multi-AZ, one read replica, 14+ days of backups, protected and snapshotted", () => {
    const prod = parsed(section("prod"));
    assert.equal(prod.instanceClass, "db.r7g.large");
    assert.equal(prod.multiAz, true);
    assert.equal(prod.readReplicas, 1);
    assert.ok(prod.backupRetentionDays >= 14);
    assert.equal(prod.deletionProtection, true);
    assert.equal(prod.finalSnapshot, true);
    assert.equal(prod.manageMasterUserPassword, false, "prod has a replica, so loglake keeps the master login");
  });

  it("makes dr an unpromoted cross-region replica of prod that accepts prod's connections", () => {
    const dr = parsed(section("dr"));
    assert.deepEqual(dr.crossRegionReplica, { sourceIdentifier: "loglake-metastore", promote: false });
    assert.ok(
      dr.maxConnections >= parsed(section("prod")).maxConnections,
      "a standby needs max_connections >= its primary's",
    );
  });

  it("accepts a dr whose replica is not created yet (the first deploy into a fresh account)", () => {
    const dr = parsed(section("dr", { crossRegionReplica: { create: false } }));
    assert.equal(dr.crossRegionReplica?.create, false);
    assert.deepEqual(problems("dr", dr), []);
  });

  it("rotates both logins every 30 days on PostgreSQL 17.7 in every environment", () => {
    for (const environment of environments) {
      const settings = parsed(section(environment));
      assert.equal(settings.rotationDays, 30, environment);
      assert.equal(settings.engineVersion, "17.7", environment);
    }
  });

  it("accepts a promoted dr scaled up to prod's size", () => {
    const dr = parsed(
      section("dr", {
        crossRegionReplica: { promote: true },
        multiAz: true,
        instanceClass: "db.r7g.large",
        readReplicas: 1,
      }),
    );
    assert.equal(dr.crossRegionReplica?.promote, true);
    assert.deepEqual(problems("dr", dr), []);
  });

  describe("refuses", () => {
    it("an RDS-managed master password with read replicas", () =>
      assertRefused(
        section("prod", { manageMasterUserPassword: true }),
        "manageMasterUserPassword",
        /cannot be used on an instance with read replicas/,
      ));
    it("an unknown engine family", () =>
      assertRefused(section("dev", { engineVersion: "13.20" }), "engineVersion", /unknown engine family/));
    it("backups kept less than 14 days in prod", () => {
      const prod = parsed(section("prod", { backupRetentionDays: 7 }));
      assert.deepEqual(problems("prod", prod), [
        "metastore.backupRetentionDays: prod keeps automated backups at least 14 days",
      ]);
      assert.deepEqual(problems("dev", parsed(section("dev", { backupRetentionDays: 7 }))), [], "dev may keep a week");
    });
    it("a single-AZ, unprotected or unsnapshotted prod", () => {
      const prod = parsed(section("prod", { multiAz: false, deletionProtection: false, finalSnapshot: false }));
      assert.deepEqual(problems("prod", prod), [
        "metastore.multiAz: prod runs the metastore Multi-AZ",
        "metastore.deletionProtection: prod protects the metastore from deletion",
        "metastore.finalSnapshot: prod snapshots the metastore when it is deleted",
      ]);
    });
    it("a cross-region replica outside the dr stack", () => {
      const prod = parsed(section("prod", { crossRegionReplica: { sourceDbArn: prodArn, promote: false } }));
      assert.ok(
        problems("prod", prod, "eu-west-1").includes(
          "metastore.crossRegionReplica: only the dr stack replicates another stack's metastore",
        ),
      );
    });
    it("a replica source in the stack's own region", () => {
      const dr = parsed(section("dr", { crossRegionReplica: { sourceIdentifier: undefined, sourceDbArn: prodArn } }));
      assert.deepEqual(problems("dr", dr, "eu-central-1"), [
        "metastore.crossRegionReplica.sourceDbArn: the source must be in another region than this stack's (eu-central-1)",
      ]);
    });
    it("a cross-region replica with no source, or with two", () => {
      assertRefused(
        { ...(metastoreDefaults.dr as object), crossRegionReplica: { promote: false } },
        "crossRegionReplica",
        /needs exactly one of sourceIdentifier or sourceDbArn/,
      );
      assertRefused(
        section("dr", { crossRegionReplica: { sourceDbArn: prodArn } }),
        "crossRegionReplica",
        /needs exactly one of sourceIdentifier or sourceDbArn/,
      );
    });
    it("a replica source named by identifier with no region to find it in", () => {
      const dr = parsed(section("dr"));
      assert.deepEqual(
        metastoreProblems({ environment: "dr", region: "eu-west-1", metastore: dr }).map(
          (p) => `${p.path.join(".")}: ${p.message}`,
        ),
        ["metastore.crossRegionReplica.sourceRegion: name the source's region here or in loglake:drRegion"],
      );
    });
    it("promoting a replica that is not created yet, and a create flag that is not a boolean", () => {
      assertRefused(
        section("dr", { crossRegionReplica: { create: false, promote: true } }),
        "crossRegionReplica.promote",
        /not created yet \(create: false\) cannot be promoted/,
      );
      assertRefused(section("dr", { crossRegionReplica: { create: "no" } }), "crossRegionReplica.create", /boolean/);
    });
    it("a source that is not an RDS instance ARN", () =>
      assertRefused(
        section("dr", { crossRegionReplica: { sourceDbArn: "arn:aws:rds:eu-central-1:123456789012:cluster:loglake" } }),
        "crossRegionReplica.sourceDbArn",
        /RDS DB instance ARN/,
      ));
    it("a setting loglake does not know", () =>
      assertRefused(section("dev", { storageType: "io2" }), "", /storageType/));
    it("a Performance Insights retention AWS does not offer", () =>
      assertRefused(
        section("dev", { insights: { retentionDays: 14 } }),
        "insights.retentionDays",
        /7 days, a multiple of 31/,
      ));
  });

  describe("metastoreArgs", () => {
    it("names the instance after the stack's prefix and passes every setting through", () => {
      const prod = parsed(section("prod"));
      const args = metastoreArgs({ prefix: "loglake", metastore: prod }, deps);
      assert.equal(args.identifier, "loglake-metastore");
      assert.equal(args.readReplicas, 1);
      assert.equal(args.multiAz, true);
      assert.equal(args.kmsKeyArn, deps.metastoreKeyArn);
      assert.equal(
        args.alarmTopicKmsKeyArn,
        deps.logsKeyArn,
        "Keys' logs key is the one EventBridge may publish under",
      );
      assert.equal(args.crossRegionReplica, undefined);
    });

    it("replicates the named instance of this account in the primary region, or the ARN in config when one is written", async () => {
      const named = metastoreArgs(config("dr"), deps);
      assert.equal(await valueOf(named.crossRegionReplica!.sourceDbArn), prodArn);
      assert.equal(named.crossRegionReplica?.promote, false);
      const elsewhere = metastoreArgs(config("dr", { crossRegionReplica: { sourceRegion: "us-east-1" } }), deps);
      assert.equal(
        await valueOf(elsewhere.crossRegionReplica!.sourceDbArn),
        "arn:aws:rds:us-east-1:123456789012:db:loglake-metastore",
      );
      const written = "arn:aws:rds:us-east-1:210987654321:db:other";
      const fromConfig = metastoreArgs(
        config("dr", { crossRegionReplica: { sourceIdentifier: undefined, sourceDbArn: written } }),
        deps,
      );
      assert.equal(fromConfig.crossRegionReplica?.sourceDbArn, written);
    });

    it("creates the replica unless the first deploy defers it: then the metastore has no DB instance", async () => {
      assert.equal(metastoreArgs(config("dr"), deps).crossRegionReplica?.create, true);
      const args = metastoreArgs(config("dr", { crossRegionReplica: { create: false } }), deps);
      assert.equal(args.crossRegionReplica?.create, false);
      const { resources } = await registered(() => void new Metastore("metastore", args), {
        mocks: { defaultRegion: "eu-west-1" },
      });
      assert.deepEqual(resources.ofType("aws:rds/instance:Instance"), []);
      assert.equal(
        resources.ofType("aws:rds/subnetGroup:SubnetGroup").length,
        1,
        "what the replica will need is there",
      );
    });

    it("renders every environment's defaults as a Metastore", async () => {
      for (const environment of environments) {
        const args = metastoreArgs(config(environment), deps);
        const { resources } = await registered(() => void new Metastore("metastore", args), {
          mocks: { defaultRegion: "eu-west-1" },
        });
        const primary = resources.get("aws:rds/instance:Instance", "metastore-primary").inputs;
        assert.equal(primary.identifier, "loglake-metastore", environment);
        assert.equal(primary.replicateSourceDb, environment === "dr" ? prodArn : undefined, environment);
        assert.equal(resources.ofType("aws:rds/instance:Instance").length, environment === "prod" ? 2 : 1, environment);
      }
    });
  });
});
