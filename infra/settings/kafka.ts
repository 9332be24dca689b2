import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { accountIdPattern } from "../../components/shared/aws-limits";
import { KafkaClusterArgs } from "../../components/streaming/kafka-cluster";
import {
  BrokerInstanceType,
  brokerInstanceTypes,
  brokerLayoutProblems,
  clusterSpecProblems,
  enhancedMonitoringLevels,
  kafkaNamePattern,
  KafkaClusterSpec,
  maxBrokerVolumeGiB,
  mskKafkaVersions,
  regionsWithoutStorageAutoScaling,
} from "../../components/streaming/msk-rules";
import { Environment, logRetention, Problem, section } from "./common";
import { defaultConsumerGroup } from "../../runtime/sink/deployment";
import { NetworkSettings } from "./network";

const kafkaName = z.string().regex(kafkaNamePattern, "letters, digits, . _ - only");

const topic = z.strictObject({
  name: kafkaName
    .min(1)
    .max(249)
    .describe("Kafka topic name (letters, digits, . _ -); must start with iamTopicPrefix."),
  partitions: z
    .number()
    .int()
    .min(1)
    .describe("Partitions: the most consumers of one group that can read in parallel."),
  replicationFactor: z
    .number()
    .int()
    .min(1)
    .describe("Copies of each partition on different brokers; at most the broker count, above minInsyncReplicas."),
  retentionMs: z.number().int().min(1).describe("Milliseconds records are kept (`retention.ms`)."),
});

export const kafkaSchema = z
  .strictObject({
    kafkaVersion: z
      .enum(mskKafkaVersions)
      .describe("Kafka version MSK runs; `.kraft` variants use KRaft metadata mode (fixed at creation)."),
    brokerInstanceType: z
      .enum(brokerInstanceTypes as [BrokerInstanceType, ...BrokerInstanceType[]])
      .describe("Standard broker size (kafka.t3.small for development only)."),
    brokers: z
      .number()
      .int()
      .min(2)
      .describe("Brokers in total: a multiple of the AZs MSK uses (the network's AZs, at most 3)."),
    ebsVolumeSizeGiB: z
      .number()
      .int()
      .min(1)
      .max(maxBrokerVolumeGiB)
      .describe("EBS data volume per broker at creation, GiB. Later growth is storage auto scaling's job."),
    maxEbsVolumeSizeGiB: z
      .number()
      .int()
      .min(2)
      .max(maxBrokerVolumeGiB)
      .describe("Storage auto scaling's ceiling per broker, GiB."),
    minInsyncReplicas: z
      .number()
      .int()
      .min(1)
      .describe("`min.insync.replicas`: replicas that must have a write before acks=all succeeds."),
    logRetentionHours: z
      .number()
      .int()
      .min(1)
      .describe("`log.retention.hours` for topics without their own retention."),
    topics: z.array(topic).describe("Topics loglake manages (auto creation is off)."),
    iamTopicPrefix: kafkaName.describe("Clients' IAM policies cover topics whose names start with this."),
    iamGroupPrefix: kafkaName.describe("Consumers' IAM policy covers consumer groups whose names start with this."),
    /** The lake writer: its consumer group, the topics it reads, and the backlog that raises an alarm. */
    lakeConsumer: z.strictObject({
      group: kafkaName.min(1).describe("The lake writer's consumer group (loglake sink --group)."),
      topics: z.array(kafkaName).min(1).describe("The topics it reads; their lag is alarmed on."),
      maxOffsetLag: z
        .number()
        .int()
        .min(1)
        .describe("Records behind (SumOffsetLag over the topic's partitions) for 15 minutes before the alarm."),
    }),
    enhancedMonitoring: z
      .enum(enhancedMonitoringLevels)
      .describe("Enhanced CloudWatch monitoring level (PER_BROKER and above cost extra)."),
    /** Multi-VPC private connectivity with IAM; `accountIds` (same region) may connect and produce. */
    multiVpc: z.strictObject({
      enabled: z.boolean().describe("Multi-VPC private connectivity with IAM authentication."),
      accountIds: z
        .array(z.string().regex(accountIdPattern, "a 12-digit AWS account id"))
        .describe("Accounts (same region) that may connect and produce."),
    }),
    brokerLogRetentionDays: logRetention.describe(
      "Days broker logs stay in CloudWatch Logs (S3 copies follow the log bucket's lifecycle).",
    ),
    alarmEmail: z.email().optional().describe("Mail address subscribed to the alarm topic."),
  })
  .superRefine((kafka, ctx) => {
    for (const problem of clusterSpecProblems(clusterSpec(kafka))) {
      ctx.addIssue({ code: "custom", path: problem.path, message: problem.message });
    }
    if (kafka.multiVpc.accountIds.length > 0 && !kafka.multiVpc.enabled) {
      ctx.addIssue({
        code: "custom",
        path: ["multiVpc", "accountIds"],
        message: "other accounts reach the cluster only with multiVpc.enabled",
      });
    }
  });
export type KafkaSettings = z.infer<typeof kafkaSchema>;

function clusterSpec(kafka: KafkaSettings): KafkaClusterSpec {
  return { ...kafka, multiVpc: kafka.multiVpc.enabled };
}

const day = 24 * 60 * 60 * 1000;
const rawTopic = (partitions: number, replicationFactor: number, retentionDays: number) => ({
  name: "logs.raw",
  partitions,
  replicationFactor,
  retentionMs: retentionDays * day,
});
const clients = {
  iamTopicPrefix: "logs.",
  iamGroupPrefix: "loglake-",
  lakeConsumer: { group: defaultConsumerGroup, topics: ["logs.raw"], maxOffsetLag: 10000 },
};

/**
 * dev: the cheapest cluster that behaves like production (two t3 brokers, one per AZ, RF 2).
 * prod: one m7g.large per AZ, RF 3 with min.insync.replicas 2, per-topic metrics, multi-VPC on.
 * dr: a standby that can take prod's topics unchanged on failover (same sizes and RF 3) but starts
 *   with small volumes and per-broker metrics; raise brokers (6) or the size in config to scale up.
 */
export const kafkaDefaults: Record<Environment, KafkaSettings> = {
  dev: {
    kafkaVersion: "3.8.x",
    brokerInstanceType: "kafka.t3.small",
    brokers: 2,
    ebsVolumeSizeGiB: 20,
    maxEbsVolumeSizeGiB: 100,
    minInsyncReplicas: 1,
    logRetentionHours: 24,
    topics: [rawTopic(6, 2, 1)],
    ...clients,
    enhancedMonitoring: "PER_BROKER",
    multiVpc: { enabled: false, accountIds: [] },
    brokerLogRetentionDays: 30,
  },
  prod: {
    kafkaVersion: "3.8.x",
    brokerInstanceType: "kafka.m7g.large",
    brokers: 3,
    ebsVolumeSizeGiB: 500,
    maxEbsVolumeSizeGiB: 4000,
    minInsyncReplicas: 2,
    logRetentionHours: 168,
    topics: [rawTopic(24, 3, 7)],
    ...clients,
    enhancedMonitoring: "PER_TOPIC_PER_BROKER",
    multiVpc: { enabled: true, accountIds: [] },
    brokerLogRetentionDays: 365,
  },
  dr: {
    kafkaVersion: "3.8.x",
    brokerInstanceType: "kafka.m7g.large",
    brokers: 3,
    ebsVolumeSizeGiB: 100,
    maxEbsVolumeSizeGiB: 4000,
    minInsyncReplicas: 2,
    logRetentionHours: 168,
    topics: [rawTopic(24, 3, 7)],
    ...clients,
    enhancedMonitoring: "PER_BROKER",
    multiVpc: { enabled: false, accountIds: [] },
    brokerLogRetentionDays: 365,
  },
};

/** The config sections the Kafka checks and args read. */
export interface KafkaConfigView {
  prefix: string;
  region: string;
  network: NetworkSettings;
  kafka: KafkaSettings;
}

/** AZs the network spans: the ones it creates, or one per existing private subnet. */
function networkAzCount(config: Pick<KafkaConfigView, "network">): number {
  return config.network.mode === "create" ? config.network.azCount : config.network.privateSubnetIds.length;
}

/** Private subnets (AZs) MSK uses: the network's first two or three (two only in us-west-1). */
export function mskSubnetCount(config: Pick<KafkaConfigView, "region" | "network">): number {
  return Math.min(networkAzCount(config), config.region === "us-west-1" ? 2 : 3);
}

/** Checks across sections: brokers against the AZs the network gives MSK. */
export function kafkaProblems(config: Pick<KafkaConfigView, "region" | "network" | "kafka">): Problem[] {
  const subnets = mskSubnetCount(config);
  const azs = networkAzCount(config);
  const note = azs > subnets ? ` (MSK uses ${subnets} of the network's ${azs} AZs)` : "";
  return brokerLayoutProblems(config.kafka.brokers, subnets).map((p) => ({
    path: ["kafka", ...p.path],
    message: p.message + note,
  }));
}

export const kafkaSection = section({
  key: "kafka",
  schema: kafkaSchema,
  defaults: (e) => kafkaDefaults[e],
  problems: kafkaProblems,
});

/** What the program has from other components when it creates the cluster. */
export interface KafkaDeps {
  vpcId: pulumi.Input<string>;
  /** The network's private subnets, one per AZ, in AZ order. */
  privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** The streaming CMK (broker storage). */
  streamingKeyArn: pulumi.Input<string>;
  /** The logs CMK (broker log group and alarm topic). */
  logsKeyArn: pulumi.Input<string>;
  /** The access-logs bucket's name. */
  logBucket: pulumi.Input<string>;
  /** Client security groups by label (EKS nodes, Lambdas). */
  clientSecurityGroupIds: Record<string, pulumi.Input<string>>;
  /** Prometheus scrapers' security groups by label. */
  monitoringSecurityGroupIds?: Record<string, pulumi.Input<string>>;
  /** Roles that consume the lake's topics (Spark's), by label. */
  consumerRoleNames?: Record<string, pulumi.Input<string>>;
}

/** A stack's MSK cluster name; the bootstrap's deploy and preview roles name it in their topic permissions. */
export const kafkaClusterName = (prefix: string) => `${prefix}-kafka`;

/** KafkaCluster args for a validated stack config. */
export function kafkaArgs(config: KafkaConfigView, deps: KafkaDeps): KafkaClusterArgs {
  const kafka = config.kafka;
  const subnetCount = mskSubnetCount(config);
  return {
    vpcId: deps.vpcId,
    subnetIds: pulumi.output(deps.privateSubnetIds).apply((ids) => ids.slice(0, subnetCount)),
    subnetCount,
    clusterName: kafkaClusterName(config.prefix),
    kafkaVersion: kafka.kafkaVersion,
    brokerInstanceType: kafka.brokerInstanceType,
    brokers: kafka.brokers,
    ebsVolumeSizeGiB: kafka.ebsVolumeSizeGiB,
    maxEbsVolumeSizeGiB: kafka.maxEbsVolumeSizeGiB,
    storageAutoScaling: !regionsWithoutStorageAutoScaling.includes(config.region),
    minInsyncReplicas: kafka.minInsyncReplicas,
    logRetentionHours: kafka.logRetentionHours,
    topics: kafka.topics,
    iamTopicPrefix: kafka.iamTopicPrefix,
    iamGroupPrefix: kafka.iamGroupPrefix,
    lakeConsumer: kafka.lakeConsumer,
    clientSecurityGroupIds: deps.clientSecurityGroupIds,
    monitoringSecurityGroupIds: deps.monitoringSecurityGroupIds,
    clientRoleNames: { consumers: deps.consumerRoleNames },
    kmsKeyArn: deps.streamingKeyArn,
    brokerLogs: { bucket: deps.logBucket, kmsKeyArn: deps.logsKeyArn, retentionDays: kafka.brokerLogRetentionDays },
    enhancedMonitoring: kafka.enhancedMonitoring,
    multiVpc: kafka.multiVpc.enabled ? { accountIds: kafka.multiVpc.accountIds } : undefined,
    alarms: { kmsKeyArn: deps.logsKeyArn, email: kafka.alarmEmail },
  };
}
