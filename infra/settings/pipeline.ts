import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import * as k8s from "@pulumi/kubernetes";
import type { PipelineDashboardArgs } from "../../components/observability/pipeline-dashboard";
import type { Ingestion, IngestionArgs } from "../../components/pipeline/ingestion";
import type { Processing, ProcessingArgs } from "../../components/pipeline/processing";
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
  maxConcurrentRuns: positive
    .max(1000)
    .describe("Spark conversion runs active at once (design documents: 50 concurrent jobs in prod)."),
  executorInstances: positive.max(100).describe("Spot executors per conversion run."),
  alarms: z.strictObject({
    manifestQueueDepth: positive.describe("Manifests waiting for Spark that alarm (design documents: 500)."),
    oldestNotificationAgeSeconds: positive
      .max(1_209_600)
      .describe(
        "Age in seconds of the oldest unprocessed raw notification that alarms (the 30-minute latency target).",
      ),
    functionErrorsPerHour: positive.describe("Manifest builder errors per hour that alarm (design documents: 100)."),
    jobFailuresPerHour: positive.describe("Failed Spark job runs per hour that alarm (design documents: 10)."),
    uploadToCommitP95Seconds: positive
      .max(86_400)
      .describe(
        "p95 over an hour of the seconds from a raw object's upload to its Iceberg commit that alarms (design documents: 30 minutes).",
      ),
  }),
});
export type PipelineSettings = z.infer<typeof pipelineSchema>;

const shared = {
  expectedFileBytes: 64 * 1024 * 1024,
  maxFilesPerManifest: 100,
  trackingRetentionDays: 35,
  alarms: {
    manifestQueueDepth: 500,
    oldestNotificationAgeSeconds: 1800,
    functionErrorsPerHour: 100,
    jobFailuresPerHour: 10,
    uploadToCommitP95Seconds: 1800,
  },
};
const pipelineDefaults: Record<Environment, PipelineSettings> = {
  dev: { ...shared, logRetentionDays: 30, maxConcurrentRuns: 4, executorInstances: 2 },
  prod: { ...shared, logRetentionDays: 365, maxConcurrentRuns: 50, executorInstances: 4 },
  // A standby: raise with the spark group's maxSize on failover.
  dr: { ...shared, logRetentionDays: 365, maxConcurrentRuns: 10, executorInstances: 4 },
};

export const pipelineSection = section({
  key: "pipeline",
  schema: pipelineSchema,
  defaults: (e) => pipelineDefaults[e],
});

/**
 * The Iceberg table a topic's records land in, as the convert job names it
 * (`runtime/spark/loglake_spark/config.py`, `table_name`; database "logs").
 */
export function icebergTableOf(topic: string): string {
  const name = topic.toLowerCase().replace(/[^a-z0-9_]/g, "_");
  return `logs.${name && !/^[0-9]/.test(name) ? name : `t_${name}`}`;
}

/** What the Processing takes from other components. */
export interface ProcessingDependencies {
  clusterName: pulumi.Input<string>;
  oidcProviderArn: pulumi.Input<string>;
  oidcProviderUrl: pulumi.Input<string>;
  kubernetesProvider: k8s.Provider;
  lakeBucket: { name: pulumi.Input<string>; arn: pulumi.Input<string> };
  rawBucketArn: pulumi.Input<string>;
  manifestsBucketArn: pulumi.Input<string>;
  manifestPrefix: string;
  manifestQueueArn: pulumi.Input<string>;
  manifestDeadLetterQueue: ProcessingArgs["manifestDeadLetterQueue"];
  trackingTable: ProcessingArgs["trackingTable"];
  lakeKeyArn: pulumi.Input<string>;
  pipelineKeyArn: pulumi.Input<string>;
  logsKeyArn: pulumi.Input<string>;
  vpcId: pulumi.Input<string>;
  privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** The Hive metastore Service's thrift:// URI, where the stack runs one. */
  metastoreUri?: string;
  /** The encrypted SNS topic the stack's alarms go to. */
  alarmTopicArn: pulumi.Input<string>;
  account: pulumi.Input<AwsAccount>;
}

/** The Processing's args for a stack: every managed topic's table is maintained. */
export function processingArgs(
  config: { pipeline: PipelineSettings; kafka: { topics: { name: string }[] } },
  deps: ProcessingDependencies,
): ProcessingArgs {
  const { privateSubnetIds, alarmTopicArn, ...rest } = deps;
  const { jobFailuresPerHour, uploadToCommitP95Seconds } = config.pipeline.alarms;
  return {
    ...rest,
    subnetIds: privateSubnetIds,
    alarms: { topicArn: alarmTopicArn, jobFailuresPerHour, uploadToCommitP95Seconds },
    trackingRetentionDays: config.pipeline.trackingRetentionDays,
    maxConcurrentRuns: config.pipeline.maxConcurrentRuns,
    executorInstances: config.pipeline.executorInstances,
    logRetentionDays: config.pipeline.logRetentionDays,
    tables: config.kafka.topics.map((topic) => icebergTableOf(topic.name)),
  };
}

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
  const { alarms, maxConcurrentRuns: _runs, executorInstances: _executors, ...pipeline } = config.pipeline;
  const { jobFailuresPerHour: _failures, uploadToCommitP95Seconds: _latency, ...ingestionAlarms } = alarms;
  return {
    ...rest,
    subnetIds: privateSubnetIds,
    ...pipeline,
    alarms: { topicArn: alarmTopicArn, ...ingestionAlarms },
    deletionProtection: config.protectStatefulResources,
  };
}

/** What the pipeline dashboard shows: the stack's pipeline components and its Kafka cluster. */
export interface DashboardDependencies {
  ingestion: Pick<Ingestion, "queueNames" | "functionName" | "trackingTableName">;
  processing: Pick<
    Processing,
    "dispatchFailureQueueName" | "dispatcherFunctionName" | "jobStateFunctionName" | "metricNamespace"
  >;
  kafkaClusterName: pulumi.Input<string>;
}

/** The dashboard's args for a stack: its latency target line is the latency alarm's threshold. */
export function dashboardArgs(
  config: { region: string; kafka: { brokers: number }; pipeline: PipelineSettings },
  deps: DashboardDependencies,
): PipelineDashboardArgs {
  const { ingestion, processing } = deps;
  return {
    region: config.region,
    latencyTargetSeconds: config.pipeline.alarms.uploadToCommitP95Seconds,
    resources: pulumi.output({
      rawCreatedQueue: ingestion.queueNames.rawCreated,
      manifestQueue: ingestion.queueNames.manifests,
      deadLetterQueues: {
        "raw notifications": ingestion.queueNames.rawCreatedDeadLetters,
        manifests: ingestion.queueNames.manifestDeadLetters,
        "hourly flush": ingestion.queueNames.flushFailures,
        "dispatch and job state": processing.dispatchFailureQueueName,
      },
      builderFunction: ingestion.functionName,
      functions: { dispatcher: processing.dispatcherFunctionName, "job state": processing.jobStateFunctionName },
      trackingTable: ingestion.trackingTableName,
      metricNamespace: processing.metricNamespace,
      kafkaCluster: { name: deps.kafkaClusterName, brokers: config.kafka.brokers },
    }),
  };
}
