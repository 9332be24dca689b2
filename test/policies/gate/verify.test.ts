import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as aws from "@pulumi/aws";
import { runOffline } from "../../../infra/offline/engine";
import { Verdict } from "../../../policies/gate/gate";
import { fromOfflineRun, fromStackExport, GateResource } from "../../../policies/gate/resources";
import { plannedStack } from "../../support/plans";
import { check, PACK_DIR } from "../support";

const ROOT = path.join(__dirname, "..", "..", "..");

/** A deployed stack's state with a database someone made public by hand. */
const exportedState = {
  version: 3,
  deployment: {
    resources: [
      {
        urn: "urn:pulumi:prod::loglake::aws:rds/instance:Instance::metastore",
        type: "aws:rds/instance:Instance",
        custom: true,
        id: "db-1",
        outputs: { engine: "postgres", publiclyAccessible: true },
      },
    ],
  },
};

/** What a careless program looks like: a public bucket, SSH open to the world, Action "*" and an unencrypted database. */
function carelessProgram() {
  const site = new aws.s3.Bucket("site", { bucket: "careless-site" });
  new aws.s3.BucketAcl("site", { bucket: site.id, acl: "public-read" });
  new aws.ec2.SecurityGroup("ssh", {
    vpcId: "vpc-1",
    ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }],
  });
  new aws.iam.Policy("everything", {
    policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }),
  });
  new aws.rds.Instance("db", {
    engine: "postgres",
    instanceClass: "db.t4g.micro",
    allocatedStorage: 20,
    username: "app",
    manageMasterUserPassword: true,
  });
}

const mandatoryBy = (verdict: Verdict) => {
  const byPolicy = new Map<string, string[]>();
  for (const f of verdict.findings.filter((f) => f.enforcementLevel === "mandatory"))
    byPolicy.set(f.policy, [...(byPolicy.get(f.policy) ?? []), f.resourceName!]);
  return byPolicy;
};

/** Runs `npm run verify`'s program the way npm does, without npm's own start-up. */
function verify(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile(
      process.execPath,
      ["--import", "tsx", path.join(ROOT, "policies", "gate", "verify.ts"), ...args],
      { cwd: ROOT },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

describe("the offline policy gate", () => {
  let careless: GateResource[];
  let dir: string;

  before(async () => {
    careless = fromOfflineRun(
      (
        await runOffline({
          stack: "careless",
          config: {},
          mocks: { defaultRegion: "eu-west-1" },
          program: carelessProgram,
        })
      ).resources,
    );
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "loglake-verify-"));
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("blocks a careless program, naming the policies and the resources that break them", async () => {
    const verdict = await check(careless);
    const blocked = mandatoryBy(verdict);
    assert.deepEqual(blocked.get("s3-no-public-acl"), ["site"]);
    assert.ok(
      blocked.get("s3-bucket-public-access-block")?.includes("site"),
      "public bucket without a public access block",
    );
    assert.ok(blocked.get("s3-bucket-kms-encryption")?.includes("site"));
    assert.deepEqual(blocked.get("ec2-no-public-ingress"), ["ssh"]);
    assert.deepEqual(blocked.get("iam-no-wildcard-actions"), ["everything"]);
    assert.deepEqual(blocked.get("iam-no-wildcard-resource-writes"), ["everything"]);
    assert.deepEqual(blocked.get("rds-storage-encrypted"), ["db"]);
    assert.deepEqual(blocked.get("rds-not-public"), undefined, "publiclyAccessible defaults to false");
  });

  it("stops blocking when the pack config makes the policies advisory, and drops disabled ones", async () => {
    const advisory = await check(careless, { all: "advisory" });
    assert.equal(advisory.mandatory, 0);
    assert.ok(advisory.findings.some((f) => f.policy === "ec2-no-public-ingress" && f.enforcementLevel === "advisory"));
    const disabled = await check(careless, { "ec2-no-public-ingress": "disabled" });
    assert.ok(!disabled.findings.some((f) => f.policy === "ec2-no-public-ingress"), "a disabled policy still reported");
    assert.ok(disabled.mandatory > 0, "the other policies still block");
  });

  it("reports values unknown at preview as advisory notes, never as violations", async () => {
    const verdict = await check([
      {
        type: "aws:rds/instance:Instance",
        name: "db",
        props: { engine: "postgres", storageEncrypted: "[unknown]", deletionProtection: true },
      },
    ]);
    const note = verdict.findings.find((f) => f.policy === "rds-storage-encrypted");
    assert.ok(note, "no note for the unknown value");
    assert.equal(note.enforcementLevel, "advisory");
    assert.match(note.message, /can't run policy 'rds-storage-encrypted'.*during preview/);
  });

  for (const stack of ["dev", "prod", "dr"]) {
    it(`passes the shipped ${stack} stack with its pack config`, async () => {
      const config = JSON.parse(fs.readFileSync(path.join(PACK_DIR, `config.${stack}.json`), "utf8"));
      const verdict = await check(fromOfflineRun((await plannedStack(stack)).resources), config);
      const mandatory = verdict.findings.filter((f) => f.enforcementLevel === "mandatory");
      assert.deepEqual(
        mandatory.map((f) => `${f.policy}: ${f.message}`),
        [],
        `${stack} is blocked`,
      );
    });
  }

  it("joins the real program's buckets with their split resources: dropping one public access block blocks prod", async () => {
    const plan = fromOfflineRun((await plannedStack("prod")).resources);
    const dropped = plan.find(
      (r) => r.type === "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock" && r.name.endsWith("-lake"),
    );
    assert.ok(dropped, "prod has no public access block for its lake bucket");
    const config = JSON.parse(fs.readFileSync(path.join(PACK_DIR, "config.prod.json"), "utf8"));
    const verdict = await check(
      plan.filter((r) => r !== dropped),
      config,
    );
    assert.deepEqual(mandatoryBy(verdict).get("s3-bucket-public-access-block"), [dropped.name]);
  });

  it("audits a `pulumi stack export` like a plan", async () => {
    const verdict = await check(fromStackExport(exportedState));
    assert.deepEqual(mandatoryBy(verdict).get("rds-not-public"), ["metastore"]);
  });

  it("exits 1 on a mandatory violation, with --json naming the policies and resources", async () => {
    const resources = path.join(dir, "careless.json");
    fs.writeFileSync(
      resources,
      JSON.stringify([
        {
          type: "aws:ec2/securityGroup:SecurityGroup",
          name: "ssh",
          props: { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }] },
        },
      ]),
    );
    const blocked = await verify(["--resources", resources, "--json"]);
    assert.equal(blocked.code, 1, blocked.stderr);
    const result = JSON.parse(blocked.stdout);
    assert.equal(result.pack.name, "loglake-security");
    assert.ok(
      result.verdicts[0].findings.some(
        (f: { policy: string; resourceName: string }) =>
          f.policy === "ec2-no-public-ingress" && f.resourceName === "ssh",
      ),
    );
  });

  it("exits 0 on a --state export when the pack config makes the violations advisory, printing them by policy", async () => {
    const state = path.join(dir, "state.json");
    fs.writeFileSync(state, JSON.stringify(exportedState));
    const config = path.join(dir, "advisory.json");
    fs.writeFileSync(config, JSON.stringify({ all: "advisory" }));
    const passed = await verify(["--state", state, "--policy-pack-config", config]);
    assert.equal(passed.code, 0, passed.stderr);
    assert.match(
      passed.stdout,
      /! rds-not-public \(advisory\)\n\s+aws:rds\/instance:Instance "metastore": is publicly accessible\./,
    );
    assert.match(passed.stdout, /No mandatory policy violations\./);
  });
});
