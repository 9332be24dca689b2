import * as assert from "node:assert/strict";
import { parseConfig } from "../../../infra/config";
import { environments } from "../../../infra/settings/common";
import {
  ingestionArgs,
  pipelineSection,
  processingArgs,
  type ProcessingDependencies,
} from "../../../infra/settings/pipeline";
import { testAccount } from "../../support/account";

const required = { tags: { owner: "platform", "cost-center": "cc-1", "data-classification": "internal" } };
const stackConfig = (pipeline: Record<string, unknown>) =>
  parseConfig("dev", { ...required, prefix: "acme", region: "eu-west-1", pipeline });

describe("pipeline settings", () => {
  it("accepts every environment's defaults", () => {
    for (const environment of environments) {
      assert.ok(
        pipelineSection.schema.safeParse(pipelineSection.defaults(environment, undefined)).success,
        environment,
      );
    }
  });

  it("refuses a retention CloudWatch refuses and a manifest size Spark would choke on, naming key and value", () => {
    assert.throws(
      () => stackConfig({ logRetentionDays: 10, maxFilesPerManifest: 0 }),
      (error: Error) => {
        assert.match(error.message, /loglake:pipeline\.logRetentionDays = 10: CloudWatch Logs accepts retention/);
        assert.match(error.message, /loglake:pipeline\.maxFilesPerManifest = 0: /);
        return true;
      },
    );
    assert.throws(
      () => stackConfig({ unknownKey: 1 }),
      /loglake:pipeline\.unknownKey = 1: not a setting loglake knows/,
    );
  });

  it("protects the tracking table exactly where the stack protects state", () => {
    const config = stackConfig({ maxFilesPerManifest: 50 });
    const bucket = { name: "b", arn: "arn:aws:s3:::b" };
    const deps = {
      rawBucket: bucket,
      manifestsBucket: bucket,
      quarantineBucket: bucket,
      lakeKeyArn: "k1",
      pipelineKeyArn: "k2",
      logsKeyArn: "k3",
      vpcId: "vpc-1",
      privateSubnetIds: ["subnet-a"],
      alarmTopicArn: "arn:aws:sns:eu-west-1:123456789012:alarms",
      account: testAccount,
    };
    const args = ingestionArgs(config, deps);
    assert.equal(args.deletionProtection, false, "dev does not protect state");
    assert.equal(args.maxFilesPerManifest, 50);
    assert.deepEqual(args.subnetIds, ["subnet-a"]);
    assert.equal(ingestionArgs({ ...config, protectStatefulResources: true }, deps).deletionProtection, true);
    assert.deepEqual(
      Object.keys(args.alarms).sort(),
      ["functionErrorsPerHour", "manifestQueueDepth", "oldestNotificationAgeSeconds", "topicArn"],
      "the job alarms are Processing's",
    );
  });

  it("gives Processing the job alarms' thresholds and the alarm topic, and refuses a latency over a day", () => {
    const config = {
      ...stackConfig({ alarms: { jobFailuresPerHour: 25 } }),
      kafka: { topics: [{ name: "app-logs" }] },
    };
    const alarmTopicArn = "arn:aws:sns:eu-west-1:123456789012:alarms";
    const args = processingArgs(config, { alarmTopicArn, privateSubnetIds: ["subnet-a"] } as ProcessingDependencies);
    assert.deepEqual(args.alarms, { topicArn: alarmTopicArn, jobFailuresPerHour: 25, uploadToCommitP95Seconds: 1800 });
    assert.equal(args.trackingRetentionDays, 35);
    assert.deepEqual(args.tables, ["logs.app_logs"]);
    assert.throws(
      () => stackConfig({ alarms: { uploadToCommitP95Seconds: 90_000 } }),
      /loglake:pipeline\.alarms\.uploadToCommitP95Seconds = 90000: /,
    );
  });
});
