import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { IngestionArgs } from "../../components/pipeline/ingestion";
import type { AwsAccount } from "../../components/security/account";
import { Environment, logRetention, section } from "./common";

const positive = z.number().int().min(1);

/** The `pipeline` section: how raw objects become manifests. */
export const pipelineSchema = z.strictObject({
  logRetentionDays: logRetention.describe("Days the manifest builder's logs are kept."),
  expectedFileBytes: positive.describe(
    "Size the lake writer aims for per object (bytes); objects far from it are quarantined. Match the sink's --max-bytes.",
  ),
  maxFilesPerManifest: positive
    .max(10_000)
    .describe("Raw objects per manifest, so per Spark convert job (1 to 10000)."),
  trackingRetentionDays: positive
    .max(3650)
    .describe("Days a finished object's tracking item is kept before DynamoDB TTL removes it."),
  alarms: z.strictObject({
    manifestQueueDepth: positive.describe("Manifests waiting for Spark that alarm (design documents: 500)."),
    oldestNotificationAgeSeconds: positive
      .max(1_209_600)
      .describe(
        "Age in seconds of the oldest unprocessed raw notification that alarms (the 30-minute latency target).",
      ),
    functionErrorsPerHour: positive.describe("Manifest builder errors per hour that alarm (design documents: 100)."),
  }),
});
export type PipelineSettings = z.infer<typeof pipelineSchema>;

const shared = {
  expectedFileBytes: 64 * 1024 * 1024,
  maxFilesPerManifest: 100,
  trackingRetentionDays: 35,
  alarms: { manifestQueueDepth: 500, oldestNotificationAgeSeconds: 1800, functionErrorsPerHour: 100 },
};
const pipelineDefaults: Record<Environment, PipelineSettings> = {
  dev: { ...shared, logRetentionDays: 30 },
  prod: { ...shared, logRetentionDays: 365 },
  dr: { ...shared, logRetentionDays: 365 },
};

export const pipelineSection = section({
  key: "pipeline",
  schema: pipelineSchema,
  defaults: (e) => pipelineDefaults[e],
});

/** What the Ingestion takes from other components. */
export interface IngestionDependencies {
  rawBucket: IngestionArgs["rawBucket"];
  manifestsBucket: IngestionArgs["manifestsBucket"];
  quarantineBucket: IngestionArgs["quarantineBucket"];
  lakeKeyArn: pulumi.Input<string>;
  pipelineKeyArn: pulumi.Input<string>;
  logsKeyArn: pulumi.Input<string>;
  vpcId: pulumi.Input<string>;
  privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** The encrypted SNS topic the stack's alarms go to. */
  alarmTopicArn: pulumi.Input<string>;
  account: pulumi.Input<AwsAccount>;
}

/** The Ingestion's args for a stack: its tracking table is protected wherever state is. */
export function ingestionArgs(
  config: { protectStatefulResources: boolean; pipeline: PipelineSettings },
  deps: IngestionDependencies,
): IngestionArgs {
  const { privateSubnetIds, alarmTopicArn, ...rest } = deps;
  const { alarms, ...pipeline } = config.pipeline;
  return {
    ...rest,
    subnetIds: privateSubnetIds,
    ...pipeline,
    alarms: { topicArn: alarmTopicArn, ...alarms },
    deletionProtection: config.protectStatefulResources,
  };
}
