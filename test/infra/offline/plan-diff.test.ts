import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import {
  briefPair,
  changedKeys,
  diffPlans,
  hasChanges,
  PlanDocument,
  PlanFileError,
  PlanResource,
  readPlanDocument,
  renderDiffMarkdown,
  renderDiffText,
} from "../../../infra/offline/plan-diff";
import { planDocument } from "../../../infra/offline/render";
import { plannedStack } from "../../support/plans";

const root = path.resolve(__dirname, "../../..");
const tsx = path.join(root, "node_modules/.bin/tsx");
const plan = (args: string[]) => promisify(execFile)(tsx, ["infra/offline/plan.ts", ...args], { cwd: root });

const stackUrn = "urn:pulumi:t::loglake::pulumi:pulumi:Stack::loglake-t";
const lakeUrn = "urn:pulumi:t::loglake::pulumi:pulumi:Stack$loglake:storage:DataLake::loglake-t";

function resource(type: string, name: string, parent: string | undefined, inputs = {}, options = {}): PlanResource {
  const parentType = parent?.split("::")[2]?.split("$").pop();
  const urn = `urn:pulumi:t::loglake::${parentType ? `${parentType}$` : ""}${type}::${name}`;
  return { urn, type, name, parent, inputs, options: { dependsOn: [], ...options } };
}

const stack = resource("pulumi:pulumi:Stack", "loglake-t", undefined);
stack.urn = stackUrn;
const lake = resource("loglake:storage:DataLake", "loglake-t", stackUrn);
lake.urn = lakeUrn;
const doc = (...resources: PlanResource[]): PlanDocument => ({ stack: "t", resources: [stack, lake, ...resources] });
const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value));

describe("plan diff", () => {
  it("finds nothing between a shipped stack's plan and itself", async () => {
    const planned = clone(planDocument("prod", (await plannedStack("prod")).resources)) as PlanDocument;
    const diff = diffPlans(planned, clone(planned));
    assert.equal(hasChanges(diff), false);
    assert.equal(diff.counts.unchanged, planned.resources.length);
    assert.match(renderDiffText(diff), /^Plan diff of stack prod: no changes, \d+ unchanged$/);
  });

  it("lists the leaf keys that changed, arrays by index", () => {
    assert.deepEqual(
      changedKeys({ a: 1, b: { c: [1, 2], d: "x" }, e: [1] }, { a: 1, b: { c: [1, 3], d: "x" }, e: [1, 2], f: true }),
      [
        { key: "b.c[1]", before: 2, after: 3 },
        { key: "e", before: [1], after: [1, 2] },
        { key: "f", before: undefined, after: true },
      ],
    );
  });

  it("matches lists of named things by name: one added rule is that rule, not a shifted list", () => {
    const archive = { id: "archive", status: "Enabled", transitions: [{ days: 30 }] };
    const expire = { id: "expire", status: "Enabled" };
    const multipart = { id: "multipart", status: "Enabled" };
    const after = { rules: [multipart, archive, { ...expire, status: "Disabled" }] };
    assert.deepEqual(changedKeys({ rules: [archive, expire] }, after), [
      { key: "rules[id=expire].status", before: "Enabled", after: "Disabled" },
      { key: "rules[id=multipart]", before: undefined, after: multipart },
    ]);
    // Without a distinct name on every element, by index.
    assert.deepEqual(changedKeys([{ a: 1 }, { a: 2 }], [{ a: 1 }, { a: 3 }]), [{ key: "[1].a", before: 2, after: 3 }]);
  });

  it("compares a policy held as a JSON string statement by statement", () => {
    const policy = (action: string) =>
      JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: [action], Resource: "*" }] });
    assert.deepEqual(changedKeys({ policy: policy("s3:GetObject") }, { policy: policy("s3:PutObject") }), [
      { key: "policy.Statement[0].Action[0]", before: "s3:GetObject", after: "s3:PutObject" },
    ]);
  });

  it("cuts long values around where they first differ", () => {
    const common = "Hive metastore: reads its database secret and ";
    const [before, after] = briefPair(`${common}the lake`, `${common}the manifests`, 30);
    assert.ok(before.startsWith("…") && before.includes("the lake"), before);
    assert.ok(after.includes("the manifests"), after);
    assert.ok(before.length <= 30 && after.length <= 30, `${before} ${after}`);
    assert.deepEqual(briefPair("a", undefined), ['"a"', "(unset)"]);
  });

  it("sorts added, removed and updated resources into their components", () => {
    const versioning = resource("aws:s3/bucketVersioning:BucketVersioning", "raw", lakeUrn, {
      versioningConfiguration: { status: "Enabled" },
    });
    const gone = resource("aws:sns/topic:Topic", "alarms", stackUrn);
    const added = resource("aws:s3/bucketPolicy:BucketPolicy", "raw", lakeUrn, { bucket: "raw" });
    const suspended = clone(versioning);
    (suspended.inputs.versioningConfiguration as { status: string }).status = "Suspended";
    const diff = diffPlans(doc(versioning, gone), doc(suspended, added));
    assert.deepEqual(diff.counts, { add: 1, remove: 1, replace: 0, update: 1, move: 0, unchanged: 2 });
    assert.deepEqual(
      diff.components.map((g) => [g.label, g.changes.map((c) => `${c.kind} ${c.name} ${c.type}`)]),
      [
        ["loglake-t (pulumi:pulumi:Stack)", ["remove alarms aws:sns/topic:Topic"]],
        [
          "loglake-t (loglake:storage:DataLake)",
          ["add raw aws:s3/bucketPolicy:BucketPolicy", "update raw aws:s3/bucketVersioning:BucketVersioning"],
        ],
      ],
    );
    const update = diff.components[1].changes[1];
    assert.deepEqual(update.keys, [{ key: "versioningConfiguration.status", before: "Enabled", after: "Suspended" }]);
  });

  it("treats a URN change without an alias as remove + add", () => {
    const before = resource("aws:iam/role:Role", "node", lakeUrn);
    const after = resource("aws:iam/role:Role", "node-role", lakeUrn);
    const diff = diffPlans(doc(before), doc(after));
    assert.deepEqual([diff.counts.add, diff.counts.remove, diff.counts.move], [1, 1, 0]);
  });

  it("shows an alias-covered move as a move, with the children that moved along with their parent", () => {
    // As infra/program.ts moves a policy attachment from the stack root into a component.
    const before = resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "old-attach", stackUrn, { role: "r" });
    const after = resource(
      "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
      "attach",
      lakeUrn,
      { role: "r" },
      { aliases: [{ name: "old-attach", parentUrn: stackUrn }] },
    );
    // A component renamed by a URN alias, and its child that only inherits the new parent.
    const oldComponent = resource("loglake:metastore:Metastore", "meta", stackUrn);
    const newComponent = resource(
      "loglake:metastore:Metastore",
      "metastore",
      stackUrn,
      {},
      {
        aliases: [{ urn: oldComponent.urn }],
      },
    );
    const oldChild = resource("aws:rds/instance:Instance", "primary", oldComponent.urn, { engine: "postgres" });
    const newChild = resource(
      "aws:rds/instance:Instance",
      "primary",
      newComponent.urn,
      { engine: "postgres" },
      {
        aliases: [{ type: "aws:rds/instance:Instance" }],
      },
    );
    newChild.urn = `${newChild.urn}-under-metastore`;
    const diff = diffPlans(doc(before, oldComponent, oldChild), doc(after, newComponent, newChild));
    assert.deepEqual(diff.counts, { add: 0, remove: 0, replace: 0, update: 0, move: 3, unchanged: 2 });
    const moves = diff.components.flatMap((g) => g.changes).map((c) => [c.name, c.from] as const);
    assert.deepEqual(
      new Map(moves),
      new Map([
        ["attach", before.urn],
        ["metastore", oldComponent.urn],
        ["primary", oldChild.urn],
      ]),
    );
    assert.match(
      renderDiffText(diff),
      /> attach \(aws:iam\/rolePolicyAttachment:RolePolicyAttachment\) — moved from urn:/,
    );
  });

  it("a child without aliases moves with its parent (it inherits the parent's aliases)", () => {
    const oldComponent = resource("loglake:pipeline:Ingestion", "ingest", stackUrn);
    const newComponent = resource(
      "loglake:pipeline:Pipeline",
      "ingest",
      stackUrn,
      {},
      {
        aliases: [{ type: "loglake:pipeline:Ingestion" }],
      },
    );
    const oldChild = resource("aws:sqs/queue:Queue", "manifests", oldComponent.urn, { delaySeconds: 0 });
    const newChild = resource("aws:sqs/queue:Queue", "manifests", newComponent.urn, { delaySeconds: 5 });
    assert.notEqual(oldChild.urn, newChild.urn);
    const diff = diffPlans(doc(oldComponent, oldChild), doc(newComponent, newChild));
    assert.deepEqual(diff.counts, { add: 0, remove: 0, replace: 0, update: 0, move: 2, unchanged: 2 });
    const child = diff.components.flatMap((g) => g.changes).find((c) => c.name === "manifests")!;
    assert.equal(child.from, oldChild.urn);
    assert.deepEqual(child.keys, [{ key: "delaySeconds", before: 0, after: 5 }]);
  });

  it("an alias does not adopt a resource that is still in the new plan", () => {
    const kept = resource("aws:sns/topic:Topic", "alarms", lakeUrn);
    const copy = resource("aws:sns/topic:Topic", "alarms-2", lakeUrn, {}, { aliases: [{ name: "alarms" }] });
    const diff = diffPlans(doc(kept), doc(kept, copy));
    assert.deepEqual([diff.counts.add, diff.counts.move], [1, 0]);
  });

  it("marks a change to an input AWS cannot change in place as a likely replacement, and protected ones", () => {
    const before = resource("aws:s3/bucket:Bucket", "raw", lakeUrn, { bucket: "raw-1" }, { protect: true });
    const after = resource("aws:s3/bucket:Bucket", "raw", lakeUrn, { bucket: "raw-2" }, { protect: true });
    const diff = diffPlans(doc(before), doc(after));
    assert.equal(diff.counts.replace, 1);
    const text = renderDiffText(diff);
    assert.match(text, /± raw \(aws:s3\/bucket:Bucket\) — likely replaced.*protected: pulumi up refuses/);
    assert.match(text, /\n {6}bucket: "raw-1" → "raw-2"/);
    // Promoting a replica (replicateSourceDb unset) and renaming an instance happen in place.
    const replica = resource("aws:rds/instance:Instance", "db", lakeUrn, { identifier: "a", replicateSourceDb: "src" });
    const promoted = resource("aws:rds/instance:Instance", "db", lakeUrn, { identifier: "b" });
    assert.deepEqual(diffPlans(doc(replica), doc(promoted)).counts.update, 1);
    // Tags change in place.
    const tagged = clone(before);
    tagged.inputs.tags = { owner: "x" };
    assert.equal(diffPlans(doc(before), doc(tagged)).counts.update, 1);
  });

  it("shows changes of the options a reviewer cares about, not of dependsOn", () => {
    const before = resource("aws:kms/key:Key", "k", lakeUrn, {}, { protect: true, dependsOn: ["a"] });
    const after = resource("aws:kms/key:Key", "k", lakeUrn, {}, { dependsOn: ["b"], retainOnDelete: true });
    const keys = diffPlans(doc(before), doc(after)).components[0].changes[0].keys;
    assert.deepEqual(
      keys.map((k) => k.key),
      ["options.protect", "options.retainOnDelete"],
    );
  });

  it("warns when a removed resource is protected or retained", () => {
    const key = resource("aws:kms/key:Key", "k", lakeUrn, {}, { protect: true, retainOnDelete: true });
    const text = renderDiffText(diffPlans(doc(key), doc()));
    assert.match(text, /- k \(aws:kms\/key:Key\) — protected: .*; retained: stays in the account/);
  });

  it("renders Markdown tables whose cells survive pipes and backticks in values", () => {
    const before = resource("aws:iam/rolePolicy:RolePolicy", "p", lakeUrn, { policy: "a|b" });
    const after = resource("aws:iam/rolePolicy:RolePolicy", "p", lakeUrn, { policy: "a`|c" });
    const markdown = renderDiffMarkdown(diffPlans(doc(before), doc(after)));
    assert.match(markdown, /^#### Plan diff of stack t\n\n\*\*1 to update, 2 unchanged\*\*/);
    const row = markdown.split("\n").find((l) => l.startsWith("| ~ update"))!;
    assert.ok(row, markdown);
    // Four cells: every pipe inside a value is escaped.
    assert.equal(row.split(/(?<!\\)\|/).length - 2, 4, row);
    assert.ok(row.includes('`"a\\|b"` → `"aˋ\\|c"`'), row);
    assert.equal(
      renderDiffMarkdown(diffPlans(doc(), doc())),
      "#### Plan diff of stack t\n\n**no changes, 2 unchanged**",
    );
  });

  it("refuses a file that is not a plan document", () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "loglake-diff-"));
    try {
      const file = path.join(tmp, "x.json");
      fs.writeFileSync(file, JSON.stringify({ resources: [] }));
      assert.throws(() => readPlanDocument(file), PlanFileError);
      fs.writeFileSync(file, "{");
      assert.throws(() => readPlanDocument(file), /not a readable plan JSON/);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  describe("npm run plan -- <stack> --diff", () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "loglake-diff-"));
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("prints the diff against an older plan JSON, in a terminal and as Markdown", async () => {
      const old = clone(planDocument("dev", (await plannedStack("dev")).resources)) as PlanDocument;
      const versioning = old.resources.find((r) => r.type === "aws:s3/bucketVersioning:BucketVersioning")!;
      (versioning.inputs.versioningConfiguration as { status: string }).status = "Suspended";
      const topic = old.resources.find((r) => r.type === "aws:sns/topic:Topic")!;
      old.resources = old.resources.filter((r) => r !== topic);
      const file = path.join(tmp, "old.json");
      fs.writeFileSync(file, JSON.stringify(old));

      const text = await plan(["dev", "--diff", file]);
      assert.match(text.stdout, /^Plan diff of stack dev: 1 to add, 1 to update, \d+ unchanged/);
      assert.ok(text.stdout.includes(`\n  + ${topic.name} (aws:sns/topic:Topic)`), text.stdout);
      assert.match(text.stdout, /versioningConfiguration\.status: "Suspended" → "Enabled"/);

      const newPlan = path.join(tmp, "new.json");
      const markdown = await plan(["dev", "--diff", file, "--markdown", "--json", newPlan]);
      assert.match(markdown.stdout, /^#### Plan diff of stack dev\n/);
      assert.match(markdown.stdout, /\| ~ update \| `[\w-]+` \| `aws:s3\/bucketVersioning:BucketVersioning` \|/);
      // --json still writes the new plan; its note goes to stderr so stdout is the diff alone.
      assert.equal(JSON.parse(fs.readFileSync(newPlan, "utf8")).stack, "dev");
      assert.match(markdown.stderr, /resources of stack dev written to/);
    });

    it("exits 1 naming the file when it is not a plan, and refuses --markdown without --diff", async () => {
      await assert.rejects(
        plan(["dev", "--diff", path.join(tmp, "missing.json")]),
        (err: { code: number; stderr: string }) => {
          assert.equal(err.code, 1);
          assert.match(err.stderr, /--diff .*missing\.json: not a readable plan JSON/);
          return true;
        },
      );
      await assert.rejects(plan(["dev", "--markdown"]), /--markdown needs --diff/);
    });
  });
});
