import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import { RegisteredResource } from "../../../infra/offline/engine";
import {
  documentedOrder,
  emptyAccount,
  missingThings,
  renderSimulation,
  simulateFreshAccount,
  simulationPassed,
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

describe("fresh-account simulation", () => {
  it("plans the stacks in README's order, every shipped stack once", () => {
    assert.deepEqual([...documentedOrder].sort(), shippedStacks());
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
        what: "the service-linked role AWSServiceRoleForAutoScaling (autoscaling.amazonaws.com)",
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

  it("a StackReference sees only stacks deployed by earlier steps: prod before dr stops at step 1", async () => {
    const results = await simulateFreshAccount(["prod", "dr"]);
    assert.equal(results.length, 1);
    assert.match(results[0].error!, /^StackReference \S+\/dr: stack dr is not deployed by an earlier step$/);
    assert.match(
      renderSimulation(results, ["prod", "dr"]),
      /step 1 prod: FAILED, cannot be planned: .*\nnot reached: dr\n/,
    );
  });

  it("deploys dr → prod → dev into an account that has what the stacks need from outside them", async () => {
    // The steady state: prod's metastore exists for dr's replica, and the account's service-linked roles.
    const account = emptyAccount();
    account.rdsInstances.add("eu-west-1/loglake-metastore");
    account.serviceLinkedRoles.add("autoscaling.amazonaws.com");
    const results = await simulateFreshAccount(documentedOrder, account);
    assert.ok(simulationPassed(results, documentedOrder), renderSimulation(results, documentedOrder));
    assert.deepEqual([...account.stacks.keys()], documentedOrder);
    assert.ok(account.buckets.size > 0 && account.rdsInstances.size > 1);
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
