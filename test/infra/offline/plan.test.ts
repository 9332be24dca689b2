import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { planDocument, renderTree } from "../../../infra/offline/render";
import { plannedStack } from "../../support/plans";

const root = path.resolve(__dirname, "../../..");
const tsx = path.join(root, "node_modules/.bin/tsx");
const plan = (args: string[]) => promisify(execFile)(tsx, ["infra/offline/plan.ts", ...args], { cwd: root });

describe("npm run plan", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "loglake-plan-"));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  for (const stack of ["dev", "prod", "dr"]) {
    it(`describes every registration of ${stack} with its parent, inputs and options`, async () => {
      const run = await plannedStack(stack);
      const doc = planDocument(stack, run.resources);
      assert.equal(doc.stack, stack);
      const urns = new Set(doc.resources.map((r) => r.urn));
      assert.equal(urns.size, doc.resources.length, "URNs are unique");
      for (const r of doc.resources) {
        assert.deepEqual(Object.keys(r), ["urn", "type", "name", "parent", "inputs", "options"]);
        if (r.type !== "pulumi:pulumi:Stack")
          assert.ok(r.parent && urns.has(r.parent), `${r.name}'s parent ${r.parent} is in the plan`);
      }
      const components = doc.resources.filter((r) => r.type.startsWith("loglake:")).map((r) => r.type);
      for (const type of ["loglake:security:Keys", "loglake:network:Network", "loglake:storage:DataLake"]) {
        assert.ok(components.includes(type), `${stack} has a ${type}`);
      }
    });
  }

  it("redacts secrets: the metastore's logins and master password appear only as [secret]", async () => {
    const doc = planDocument("prod", (await plannedStack("prod")).resources);
    const versions = doc.resources.filter((r) => r.type === "aws:secretsmanager/secretVersion:SecretVersion");
    assert.ok(versions.length >= 2, "master and Hive logins");
    for (const version of versions) assert.equal(version.inputs.secretString, "[secret]", version.name);
    const primary = doc.resources.find((r) => r.type === "aws:rds/instance:Instance" && r.name.endsWith("-primary"))!;
    assert.equal(primary.inputs.password, "[secret]");
  });

  it("prints the tree with encryption, public access and lifecycle of each bucket", async () => {
    const tree = renderTree((await plannedStack("dev")).resources);
    assert.match(tree, /^loglake-dev \(pulumi:pulumi:Stack\)$/m);
    assert.match(
      tree,
      /loglake-dev-raw \(aws:s3\/bucketServerSideEncryptionConfiguration:.*\) — aws:kms arn:aws:kms:eu-west-1:\d+:key\/[\w-]+, bucket key on/,
    );
    assert.match(tree, /loglake-dev-raw \(aws:s3\/bucketPublicAccessBlock:.*\) — public access blocked \(all 4\)/);
    assert.match(tree, /STANDARD_IA@30d → GLACIER_IR@90d → DEEP_ARCHIVE@180d → expire@365d/);
  });

  it("writes the JSON document with --json", async () => {
    const file = path.join(tmp, "dev.json");
    const { stdout } = await plan(["dev", "--json", file]);
    const doc = JSON.parse(fs.readFileSync(file, "utf8"));
    assert.equal(doc.stack, "dev");
    assert.match(stdout, new RegExp(`^${doc.resources.length} resources of stack dev written to`));
  });

  it("exits non-zero with the config error for invalid config", async () => {
    const file = path.join(tmp, "Pulumi.broken.yaml");
    fs.writeFileSync(
      file,
      "config:\n  loglake:environment: dev\n  loglake:prefix: Broken_Prefix\n  loglake:region: eu-west-1\n",
    );
    await assert.rejects(plan(["broken", "--stack-file", file]), (thrown: unknown) => {
      const err = thrown as { code: number; stderr: string };
      assert.equal(err.code, 1);
      assert.match(err.stderr, /loglake:prefix = "Broken_Prefix": 3 to 20 characters/);
      assert.match(err.stderr, /loglake:tags\.owner = \(not set\)/);
      return true;
    });
  });
});
