import * as assert from "node:assert/strict";
import * as k8s from "@pulumi/kubernetes";
import { parseConfig } from "../../../infra/config";
import { environments } from "../../../infra/settings/common";
import { kafkaDefaults } from "../../../infra/settings/kafka";
import {
  lakeWriterArgs,
  LakeWriterDeps,
  lakeWriterProblems,
  lakeWriterSection,
} from "../../../infra/settings/lake-writer";
import { sinkDefaults } from "../../../runtime/sink/deployment";

const required = { tags: { owner: "platform", "cost-center": "cc-1", "data-classification": "internal" } };
const stackConfig = (lakeWriter: Record<string, unknown>, environment = "dev") =>
  parseConfig(environment, { ...required, prefix: "acme", region: "eu-west-1", drRegion: "eu-central-1", lakeWriter });
const refusedWith = (lakeWriter: Record<string, unknown>, ...messages: RegExp[]) =>
  assert.throws(
    () => stackConfig(lakeWriter),
    (error: Error) => {
      for (const message of messages) assert.match(error.message, message);
      return true;
    },
  );

describe("lake writer settings", () => {
  it("accepts every environment's defaults, with the sink's own flush settings", () => {
    for (const environment of environments) {
      const defaults = lakeWriterSection.defaults(environment, undefined);
      assert.ok(lakeWriterSection.schema.safeParse(defaults).success, environment);
      assert.equal(defaults.flushMb, sinkDefaults.flushMb);
      assert.equal(defaults.flushSeconds, sinkDefaults.flushSeconds);
      const config = stackConfig({}, environment);
      assert.deepEqual(lakeWriterProblems(config), [], environment);
    }
    assert.equal(stackConfig({}).lakeWriter.replicas, 1);
    assert.equal(stackConfig({}, "prod").lakeWriter.replicas, 3);
  });

  it("refuses resources Kubernetes would not take, naming key and value", () => {
    refusedWith(
      { resources: { requests: { cpu: "4", memory: "1 GB" }, limits: { cpu: "2", memory: "2Gi" } } },
      /loglake:lakeWriter\.resources\.requests\.cpu = "4": above its limit \(2\)/,
      /loglake:lakeWriter\.resources\.requests\.memory = "1 GB": a Kubernetes quantity/,
    );
    refusedWith(
      { resources: { requests: { cpu: "1", memory: "3Gi" }, limits: { cpu: "2", memory: "2048Mi" } } },
      /lakeWriter\.resources\.requests\.memory = "3Gi": above its limit \(2048Mi\)/,
    );
  });

  it("refuses no writers, a flush that never happens and a grace period without upload time", () => {
    refusedWith(
      { replicas: 0, flushSeconds: 0, shutdownUploadSeconds: 0 },
      /loglake:lakeWriter\.replicas = 0: /,
      /loglake:lakeWriter\.flushSeconds = 0: /,
      /loglake:lakeWriter\.shutdownUploadSeconds = 0: /,
    );
  });

  it("refuses more writers than the partitions they read, which would only wait", () => {
    const partitions = kafkaDefaults.dev.topics[0].partitions;
    refusedWith(
      { replicas: partitions + 1 },
      new RegExp(
        `loglake:lakeWriter\\.replicas = ${partitions + 1}: more writers than the ${partitions} partitions of logs\\.raw`,
      ),
    );
    assert.equal(stackConfig({ replicas: partitions }).lakeWriter.replicas, partitions);
  });

  it("hands the LakeWriter the lag alarm's topics and group, the stack's region and what the program built", () => {
    const config = stackConfig({ replicas: 2, flushSeconds: 120 }, "prod");
    const deps: LakeWriterDeps = {
      kubernetesProvider: new k8s.Provider("k8s", { kubeconfig: "{}" }),
      roleArn: "arn:aws:iam::123456789012:role/acme-lake-writer",
      serviceAccount: { namespace: "loglake", name: "lake-writer" },
      imagesKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/images",
      bootstrapBrokersIam: "b-1.acme:9098",
      rawBucketName: "acme-raw",
      lakeKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/lake",
      waitFor: [],
    };
    const args = lakeWriterArgs(config, deps);
    assert.deepEqual(args.kafka, {
      bootstrapBrokersIam: "b-1.acme:9098",
      topics: config.kafka.lakeConsumer.topics,
      group: config.kafka.lakeConsumer.group,
    });
    assert.equal(args.region, "eu-west-1");
    assert.equal(args.replicas, 2);
    assert.equal(args.flushSeconds, 120);
    assert.deepEqual(args.resources, config.lakeWriter.resources);
    assert.equal(args.serviceAccount, deps.serviceAccount);
    assert.equal(args.lakeKeyArn, deps.lakeKeyArn);
  });
});
