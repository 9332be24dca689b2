import * as assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { runOffline, valueOf } from "../../../infra/offline/engine";

const offline = <T>(program: () => T) =>
  runOffline({ stack: "unit", config: {}, mocks: { defaultRegion: "eu-west-1" }, program });

describe("the offline engine", () => {
  it("records each registration with its parent, options and inputs, secrets redacted", async () => {
    const run = await offline(() => {
      const provider = new aws.Provider("dr", { region: "eu-central-1" });
      const bucket = new aws.s3.Bucket("raw", {}, { provider, protect: true });
      new aws.s3.BucketPolicy(
        "raw",
        { bucket: bucket.id, policy: pulumi.secret("{}") },
        { provider, dependsOn: [bucket] },
      );
      return { arn: bucket.arn };
    });
    const bucket = run.resources.find((r) => r.type === "aws:s3/bucket:Bucket")!;
    const policy = run.resources.find((r) => r.type === "aws:s3/bucketPolicy:BucketPolicy")!;
    assert.equal(bucket.options.protect, true);
    assert.match(bucket.parent!, /pulumi:pulumi:Stack::loglake-unit$/);
    assert.match(bucket.options.provider!, /pulumi:providers:aws::dr::/);
    assert.deepEqual(policy.options.dependsOn, [bucket.urn]);
    assert.equal(policy.inputs.policy, "[secret]");
    assert.match(await valueOf(run.result.arn), /^arn:aws:s3:::raw-/);
  });

  it("answers in the provider's region", async () => {
    const run = await offline(() => {
      const provider = new aws.Provider("dr", { region: "eu-central-1" });
      return { arn: new aws.sqs.Queue("q", {}, { provider }).arn, home: new aws.sqs.Queue("h").arn };
    });
    assert.match(await valueOf(run.result.arn), /^arn:aws:sqs:eu-central-1:/);
    assert.match(await valueOf(run.result.home), /^arn:aws:sqs:eu-west-1:/);
  });

  it("fails the run when a deploy-time check inside an apply throws", async () => {
    await assert.rejects(
      offline(() => {
        const bucket = new aws.s3.Bucket("raw");
        const checked = bucket.bucket.apply((name): string => {
          throw new Error(`refusing ${name}`);
        });
        new aws.s3.BucketPolicy("raw", { bucket: checked, policy: "{}" });
        return {};
      }),
      /refusing raw-/,
    );
  });
});
