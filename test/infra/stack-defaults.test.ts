import * as assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import { applyStackDefaults, statefulTypes } from "../../infra/stack-defaults";
import { registered } from "../support/offline";

/** A program with one stateful and one stateless resource, with the stack defaults applied first. */
const program = (protectStatefulResources: boolean) => () => {
  applyStackDefaults({ protectStatefulResources });
  new aws.s3.Bucket("data", {});
  new aws.sns.Topic("alerts", {});
};

describe("stack defaults", () => {
  it("protects and retains stateful resources when the stack asks for it", async () => {
    const { resources } = await registered(program(true));
    const bucket = resources.get("aws:s3/bucket:Bucket", "data");
    assert.equal(bucket.options.protect, true);
    assert.equal(bucket.options.retainOnDelete, true);
  });

  it("leaves resources that hold no data alone", async () => {
    const { resources } = await registered(program(true));
    const topic = resources.get("aws:sns/topic:Topic", "alerts");
    assert.equal(topic.options.protect, undefined);
    assert.equal(topic.options.retainOnDelete, undefined);
  });

  it("changes nothing when the stack does not protect stateful resources", async () => {
    const { resources } = await registered(program(false));
    for (const r of resources.all.filter((r) => r.custom)) {
      assert.equal(r.options.protect, undefined, r.name);
      assert.equal(r.options.retainOnDelete, undefined, r.name);
    }
  });

  it("counts as stateful what loses data or audit records when deleted", () => {
    assert.deepEqual([...statefulTypes].sort(), [
      "aws:cloudwatch/logGroup:LogGroup",
      "aws:dynamodb/table:Table",
      "aws:kms/key:Key",
      "aws:msk/cluster:Cluster",
      "aws:rds/instance:Instance",
      "aws:s3/bucket:Bucket",
      "aws:secretsmanager/secret:Secret",
    ]);
  });
});
