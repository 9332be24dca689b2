import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { RegisteredResource } from "../../../infra/offline/engine";
import { PolicyAnalyzer } from "../../../policies/gate/analyzer";
import { evaluate, renderVerdict } from "../../../policies/gate/gate";
import { PackConfigFile, resolvePackConfig } from "../../../policies/gate/pack-config";
import { fromOfflineRun } from "../../../policies/gate/resources";
import {
  documentedOrder,
  documentedSequence,
  emptyAccount,
  missingThings,
  renderSimulation,
  simulateFreshAccount,
  setConfig,
  SimulatedAccount,
  simulationPassed,
  StepResult,
} from "../../../infra/offline/fresh-account";
import { shippedStacks } from "../../../infra/offline/stack-file";

const root = path.resolve(__dirname, "../../..");
const tsx = path.join(root, "node_modules/.bin/tsx");
const plan = (args: string[]) => promisify(execFile)(tsx, ["infra/offline/plan.ts", ...args], { cwd: root });

const providerUrn = "urn:pulumi:t::loglake::pulumi:pulumi:Stack$pulumi:providers:aws::central";
function resource(type: string, name: string, inputs: Record<string, unknown>, provider?: string): RegisteredResource {
  return {
    urn: `urn:pulumi:t::loglake::${type}::${name}`,
    type,
    name,
    custom: true,
    remote: false,
    inputs,
    options: { dependsOn: [], providers: {}, ignoreChanges: [], additionalSecretOutputs: [], provider },
  };
}
const central = { ...resource("pulumi:providers:aws", "central", { region: "eu-central-1" }), urn: providerUrn };

/** README's sequence, simulated once for the tests that look at it. */
let simulated: Promise<{ account: SimulatedAccount; results: StepResult[] }> | undefined;
const documented = () =>
  (simulated ??= (async () => {
    const account = emptyAccount();
    return { account, results: await simulateFreshAccount(documentedSequence, account) };
  })());

describe("fresh-account simulation", () => {
  it("plans the bootstrap, then every shipped stack in README's sequence: dr without the metastore replica, prod, dr with it, dev", () => {
    assert.deepEqual([...new Set(documentedOrder.slice(1))].sort(), shippedStacks());
    assert.deepEqual(documentedOrder, ["bootstrap", "dr", "prod", "dr", "dev"]);
    // No stack creates the account-wide role any more: the bootstrap does.
    assert.deepEqual(documentedSequence[1].set, { "metastore.crossRegionReplica.create": false });
    assert.deepEqual(documentedSequence[3].set, { "metastore.crossRegionReplica.create": true });
  });

  it("sets a config path the way pulumi config set --path does, keeping the rest of the value", () => {
    const config = {
      "loglake:metastore": JSON.stringify({ crossRegionReplica: { sourceIdentifier: "db", promote: false } }),
    };
    const set = setConfig(
      setConfig(config, "metastore.crossRegionReplica.create", false),
      "compute.nodeSsmAccess",
      true,
    );
    assert.deepEqual(JSON.parse(set["loglake:metastore"]), {
      crossRegionReplica: { sourceIdentifier: "db", promote: false, create: false },
    });
    assert.deepEqual(JSON.parse(set["loglake:compute"]), { nodeSsmAccess: true });
    assert.equal(setConfig({}, "prefix", "x")["loglake:prefix"], "x");
  });

  it("deploys README's sequence into an empty account; the bootstrap creates the Auto Scaling role, once", async () => {
    const { account, results } = await documented();
    assert.ok(simulationPassed(results, documentedSequence), renderSimulation(results, documentedSequence));
    assert.deepEqual(
      results.map((r) => [r.step, r.stack]),
      [
        [1, "bootstrap"],
        [2, "dr"],
        [3, "prod"],
        [4, "dr"],
        [5, "dev"],
      ],
    );
    assert.deepEqual([...account.serviceLinkedRoleOwners], [["autoscaling.amazonaws.com", "bootstrap"]]);
    assert.ok(
      results
        .slice(1)
        .every((r) => !r.registered!.some((x) => x.type === "aws:iam/serviceLinkedRole:ServiceLinkedRole")),
      "no stack creates a service-linked role",
    );
    assert.ok(account.rdsInstances.has("eu-west-1/loglake-metastore"), "prod's metastore");
    assert.ok(account.rdsInstances.has("eu-central-1/loglake-dr-metastore"), "dr's replica, from step 3 on");
    assert.match(renderSimulation(results, documentedSequence), /\nevery step deploys in this order$/);
  });

  it("every step of README's sequence passes the policy gate with its stack's pack config", async () => {
    const { results } = await documented();
    const analyzer = await PolicyAnalyzer.start(path.join(root, "policies/security"));
    try {
      const pack = await analyzer.info();
      for (const r of results) {
        const packConfig = JSON.parse(
          fs.readFileSync(path.join(root, `policies/security/config.${r.stack}.json`), "utf8"),
        ) as PackConfigFile;
        const verdict = await evaluate(analyzer, pack, {
          name: `step ${r.step} ${r.stack}`,
          stack: r.stack,
          resources: fromOfflineRun(r.registered!),
          settings: resolvePackConfig(pack, packConfig),
        });
        assert.equal(verdict.mandatory, 0, renderVerdict(verdict));
      }
    } finally {
      await analyzer.close();
    }
  });

  it("dr's second deploy only adds the metastore replica: nothing of its first deploy changes or goes", async () => {
    const { results } = await documented();
    const [first, second] = [results[1], results[3]].map(
      (r) => new Map(r.registered!.map((x) => [x.urn, JSON.stringify(x.inputs)])),
    );
    const changed = [...first].filter(([urn, inputs]) => second.get(urn) !== inputs).map(([urn]) => urn);
    assert.deepEqual(changed, [], "replaced, changed or removed by step 4");
    const added = [...second.keys()].filter((urn) => !first.has(urn)).map((urn) => urn.split("::").pop());
    assert.deepEqual(added.sort(), [
      "loglake-dr-primary",
      "loglake-dr-primary-postgresql",
      "loglake-dr-primary-upgrade",
    ]);
  });

  it("fails a wrong order naming the step and what is missing", async () => {
    // Without the bootstrap and the first dr deploy's settings: the replica's source and the Auto Scaling role.
    const plain = await simulateFreshAccount(["dr", "prod", "dev"]);
    assert.equal(plain.length, 1);
    assert.deepEqual(plain[0].missing.map((m) => m.what).sort(), [
      "its replica source, RDS instance loglake-metastore in eu-west-1",
      "the service-linked role AWSServiceRoleForAutoScaling (autoscaling.amazonaws.com), which the account bootstrap creates: deploy it first",
    ]);
    assert.match(renderSimulation(plain, ["dr", "prod", "dev"]), /^step 1 dr: FAILED, 2 thing\(s\)/m);
    // The replica switched on before prod exists.
    const early = await simulateFreshAccount(["bootstrap", "dr", "prod"]);
    assert.equal(early.length, 2);
    assert.deepEqual(
      early[1].missing.map((m) => [m.resource, m.what]),
      [
        [
          "aws:rds/instance:Instance loglake-dr-primary",
          "its replica source, RDS instance loglake-metastore in eu-west-1",
        ],
      ],
    );
  });

  it("fails a stack creating the Auto Scaling role the bootstrap created, and a stack dropping one it created", async () => {
    const twice = [
      documentedSequence[0],
      {
        stack: "dr",
        set: { "metastore.crossRegionReplica.create": false, "compute.createAutoscalingServiceLinkedRole": true },
      },
    ];
    const collision = await simulateFreshAccount(twice);
    assert.equal(collision.length, 2);
    assert.equal(collision[1].missing.length, 1);
    assert.match(collision[1].missing[0].what, /the account bootstrap created it, and IAM creates it once per account/);
    assert.match(renderSimulation(collision, twice), /^step 2 dr \(config set .*\): FAILED/m);
    // An account bootstrapped before the bootstrap existed: dr created the role and must keep it.
    const dropped = [
      {
        stack: "dr",
        set: { "metastore.crossRegionReplica.create": false, "compute.createAutoscalingServiceLinkedRole": true },
      },
      { stack: "prod" },
      {
        stack: "dr",
        set: { "metastore.crossRegionReplica.create": true, "compute.createAutoscalingServiceLinkedRole": false },
      },
    ];
    const deleting = await simulateFreshAccount(dropped);
    assert.equal(deleting.length, 3);
    assert.deepEqual(
      deleting[2].missing.map((m) => m.resource),
      ["stack dr"],
    );
    assert.match(deleting[2].missing[0].what, /keep the service-linked role of autoscaling\.amazonaws\.com/);
  });

  it("finds a replica source, a replication destination and a service-linked role that do not exist", () => {
    const resources = [
      central,
      resource(
        "aws:rds/instance:Instance",
        "replica",
        { identifier: "dr-db", replicateSourceDb: "arn:aws:rds:eu-west-1:123456789012:db:prod-db" },
        `${providerUrn}::id`,
      ),
      resource("aws:s3/bucketReplicationConfig:BucketReplicationConfig", "raw", {
        rules: [{ destination: { bucket: "arn:aws:s3:::dr-raw" } }],
      }),
      resource("aws:kms/grant:Grant", "volumes", {
        granteePrincipal:
          "arn:aws:iam::123456789012:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling",
      }),
    ];
    assert.deepEqual(missingThings(resources, emptyAccount(), "eu-west-1"), [
      {
        resource: "aws:rds/instance:Instance replica",
        what: "its replica source, RDS instance prod-db in eu-west-1",
      },
      {
        resource: "aws:s3/bucketReplicationConfig:BucketReplicationConfig raw",
        what: "its replication destination, S3 bucket dr-raw",
      },
      {
        resource: "aws:kms/grant:Grant volumes",
        what: "the service-linked role AWSServiceRoleForAutoScaling (autoscaling.amazonaws.com), which the account bootstrap creates: deploy it first",
      },
    ]);
    // What an earlier step made (or the step itself makes) is there.
    const account = emptyAccount();
    account.rdsInstances.add("eu-west-1/prod-db");
    account.buckets.add("dr-raw");
    const own = [
      ...resources,
      resource("aws:iam/serviceLinkedRole:ServiceLinkedRole", "asg", { awsServiceName: "autoscaling.amazonaws.com" }),
    ];
    assert.deepEqual(missingThings(own, account, "eu-west-1"), []);
    // A bare identifier is in the replica's own region: eu-central-1 through its provider.
    const inRegion = [
      central,
      resource("aws:rds/instance:Instance", "r", { replicateSourceDb: "prod-db" }, `${providerUrn}::id`),
    ];
    assert.match(missingThings(inRegion, account, "eu-west-1")[0].what, /prod-db in eu-central-1/);
  });

  it("refuses config set on the bootstrap step: it plans its stack file as is", async () => {
    const results = await simulateFreshAccount([{ stack: "bootstrap", set: { prefix: "other" } }]);
    assert.equal(results.length, 1);
    assert.match(results[0].error!, /plans its shipped stack file as is/);
  });

  it("a StackReference sees only stacks deployed by earlier steps: prod before dr stops at step 1", async () => {
    const results = await simulateFreshAccount(["prod", "dr"]);
    assert.equal(results.length, 1);
    assert.match(results[0].error!, /^StackReference \S+\/dr: stack dr is not deployed by an earlier step$/);
    assert.match(
      renderSimulation(results, ["prod", "dr"]),
      /step 1 prod: FAILED, cannot be planned: .*\nnot reached: step 2 dr\n/,
    );
  });

  it("deploys dr → prod → dev as shipped into an account that has what the stacks need from outside them", async () => {
    // The steady state: prod's metastore exists for dr's replica, and the account's service-linked roles.
    const account = emptyAccount();
    account.rdsInstances.add("eu-west-1/loglake-metastore");
    account.serviceLinkedRoles.add("autoscaling.amazonaws.com");
    const order = ["dr", "prod", "dev"];
    const results = await simulateFreshAccount(order, account);
    assert.ok(simulationPassed(results, order), renderSimulation(results, order));
    assert.deepEqual([...account.stacks.keys()], order);
    assert.ok(account.buckets.size > 0 && account.rdsInstances.size > 1);
  });

  it("npm run plan -- --fresh-account passes README's sequence", async () => {
    const { stdout } = await plan(["--fresh-account"]);
    assert.match(stdout, /^Fresh-account simulation: bootstrap → dr → prod → dr → dev into an empty account/);
    assert.match(stdout, /^step 1 bootstrap: ok \(\d+ resources\)$/m);
    assert.match(stdout, /^step 2 dr \(config set metastore\.crossRegionReplica\.create=false\): ok/m);
    assert.match(stdout, /^every step deploys in this order$/m);
  });

  it("npm run plan -- --fresh-account prints each step and exits 1 when a step cannot deploy", async () => {
    await assert.rejects(plan(["--fresh-account", "--order", "prod,dr"]), (err: { code: number; stdout: string }) => {
      assert.equal(err.code, 1);
      assert.match(err.stdout, /^Fresh-account simulation: prod → dr into an empty account/);
      assert.match(err.stdout, /this order does not deploy into a fresh account$/m);
      return true;
    });
  });
});
