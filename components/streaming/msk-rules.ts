/**
 * What Amazon MSK accepts for a provisioned cluster with Standard brokers, and the checks loglake runs
 * before registering one. Pure: no Pulumi, so the config section and the KafkaCluster component share
 * one set of rules and a cluster MSK would refuse (or run badly) fails before anything is created.
 *
 * Sources, checked 2026-11-21:
 * - Kafka versions: MSK Developer Guide "Supported Apache Kafka versions" (3.6.0 support ended
 *   2026-06-01, 3.7.x on 2026-09-01) and "KRaft mode" (the `.kraft` suffix selects KRaft metadata
 *   mode; Kafka 4 has no ZooKeeper mode). 4.2.x.kraft is for Express brokers only, which loglake does
 *   not use (they have no customer-managed EBS storage).
 * - Broker sizes and partitions: "Amazon MSK broker sizes" and "Best practices for Standard brokers"
 *   (recommended partitions per broker, counting leader and follower replicas).
 * - Subnets: CreateCluster's ClientSubnets takes two or three subnets, one per AZ (two only in
 *   us-west-1); the broker count must be a multiple of the subnet count.
 * - Storage auto scaling: "Auto-scaling policy details" (target 10-80 %, at most 16 TiB per broker)
 *   and "Automatic scaling for Amazon MSK clusters" (not offered in Osaka, Cape Town, Malaysia).
 * - Multi-VPC private connectivity: "Requirements and limitations" (not on kafka.t3.small).
 */

/** Kafka versions MSK lets a new Standard-broker cluster start on. */
import { Problem } from "../shared/problems";

export const mskKafkaVersions = ["3.8.x", "3.8.x.kraft", "3.9.x", "3.9.x.kraft", "4.0.x.kraft", "4.1.x.kraft"] as const;
export type MskKafkaVersion = (typeof mskKafkaVersions)[number];
/** AWS's recommended version; ZooKeeper metadata mode (`3.8.x.kraft` for KRaft). */
export const defaultKafkaVersion: MskKafkaVersion = "3.8.x";

/**
 * Standard broker sizes and AWS's recommended partition replicas (leaders and followers) per broker.
 * The recommendation is not enforced by MSK, but above it brokers slow down and updates can fail.
 */
export const brokerPartitionLimits = {
  "kafka.t3.small": 300,
  "kafka.m5.large": 1000,
  "kafka.m5.xlarge": 1000,
  "kafka.m5.2xlarge": 2000,
  "kafka.m5.4xlarge": 4000,
  "kafka.m5.8xlarge": 4000,
  "kafka.m5.12xlarge": 4000,
  "kafka.m5.16xlarge": 4000,
  "kafka.m5.24xlarge": 4000,
  "kafka.m7g.large": 1000,
  "kafka.m7g.xlarge": 1000,
  "kafka.m7g.2xlarge": 2000,
  "kafka.m7g.4xlarge": 4000,
  "kafka.m7g.8xlarge": 4000,
  "kafka.m7g.12xlarge": 4000,
  "kafka.m7g.16xlarge": 4000,
} as const;
export type BrokerInstanceType = keyof typeof brokerPartitionLimits;
export const brokerInstanceTypes = Object.keys(brokerPartitionLimits) as BrokerInstanceType[];

/** The burstable size: cheap for development, refused by Kafka 4 clusters and by multi-VPC connectivity. */
const burstableBroker: BrokerInstanceType = "kafka.t3.small";

export const enhancedMonitoringLevels = [
  "DEFAULT",
  "PER_BROKER",
  "PER_TOPIC_PER_BROKER",
  "PER_TOPIC_PER_PARTITION",
] as const;
export type EnhancedMonitoringLevel = (typeof enhancedMonitoringLevels)[number];

/** Regions where MSK has no storage auto scaling. */
export const regionsWithoutStorageAutoScaling: readonly string[] = ["ap-northeast-3", "af-south-1", "ap-southeast-5"];

/** Largest EBS volume per broker (GiB). */
export const maxBrokerVolumeGiB = 16384;
/** Kafka's default partition count of __consumer_offsets, which every cluster carries. */
const consumerOffsetsPartitions = 50;

/** Kafka's legal topic name characters; also safe in IAM resource ARNs and CloudWatch dimensions. */
export const kafkaNamePattern = /^[a-zA-Z0-9._-]*$/;

export interface KafkaTopicSpec {
  /** Topic name: letters, digits, `.`, `_`, `-`; at most 249 characters. */
  name: string;
  partitions: number;
  /** Copies of each partition, on different brokers. */
  replicationFactor: number;
  /** How long records are kept (`retention.ms`). */
  retentionMs: number;
}

/** The parts of a cluster the rules look at, named as in KafkaClusterArgs and the config section. */
export interface KafkaClusterSpec {
  kafkaVersion: string;
  brokerInstanceType: string;
  brokers: number;
  ebsVolumeSizeGiB: number;
  maxEbsVolumeSizeGiB: number;
  minInsyncReplicas: number;
  logRetentionHours: number;
  topics: KafkaTopicSpec[];
  iamTopicPrefix: string;
  iamGroupPrefix: string;
  lakeConsumer?: { group: string; topics: string[] };
  multiVpc: boolean;
}

/** Replication factor of topics created without one (and of MSK's internal topics). */
export function defaultReplicationFactor(brokers: number): number {
  return Math.min(3, brokers);
}

/**
 * Brokers must fill every AZ equally: MSK takes two or three client subnets (one per AZ) and a broker
 * count that is a multiple of them.
 */
export function brokerLayoutProblems(brokers: number, subnetCount: number): Problem[] {
  if (subnetCount !== 2 && subnetCount !== 3) {
    return [{ path: ["subnetIds"], message: `MSK places brokers in 2 or 3 subnets (one per AZ), not ${subnetCount}` }];
  }
  if (!Number.isInteger(brokers) || brokers < subnetCount || brokers % subnetCount !== 0) {
    return [
      {
        path: ["brokers"],
        message: `${brokers} brokers cannot be spread evenly over ${subnetCount} AZs; MSK needs a multiple of the subnet count (${subnetCount}, ${2 * subnetCount}, ...)`,
      },
    ];
  }
  return [];
}

function versionProblems(spec: KafkaClusterSpec): Problem[] {
  if (!(mskKafkaVersions as readonly string[]).includes(spec.kafkaVersion)) {
    return [
      { path: ["kafkaVersion"], message: `MSK creates Standard-broker clusters on ${mskKafkaVersions.join(", ")}` },
    ];
  }
  if (spec.kafkaVersion.startsWith("4.") && spec.brokerInstanceType === burstableBroker) {
    return [
      {
        path: ["brokerInstanceType"],
        message: `MSK refuses ${burstableBroker} brokers for Kafka 4; use kafka.m7g.large or a 3.x version`,
      },
    ];
  }
  return [];
}

function storageProblems(spec: KafkaClusterSpec): Problem[] {
  const problems: Problem[] = [];
  if (
    !Number.isInteger(spec.ebsVolumeSizeGiB) ||
    spec.ebsVolumeSizeGiB < 1 ||
    spec.ebsVolumeSizeGiB > maxBrokerVolumeGiB
  ) {
    problems.push({ path: ["ebsVolumeSizeGiB"], message: `a broker volume is 1 to ${maxBrokerVolumeGiB} GiB` });
  }
  if (spec.maxEbsVolumeSizeGiB <= spec.ebsVolumeSizeGiB || spec.maxEbsVolumeSizeGiB > maxBrokerVolumeGiB) {
    problems.push({
      path: ["maxEbsVolumeSizeGiB"],
      message: `storage auto scaling needs a ceiling above the volume size (${spec.ebsVolumeSizeGiB} GiB) and at most ${maxBrokerVolumeGiB} GiB`,
    });
  }
  return problems;
}

function replicationProblems(spec: KafkaClusterSpec): Problem[] {
  const problems: Problem[] = [];
  const defaultFactor = defaultReplicationFactor(spec.brokers);
  if (
    !Number.isInteger(spec.minInsyncReplicas) ||
    spec.minInsyncReplicas < 1 ||
    spec.minInsyncReplicas >= defaultFactor
  ) {
    problems.push({
      path: ["minInsyncReplicas"],
      message: `must be at least 1 and below the default replication factor (${defaultFactor} with ${spec.brokers} brokers), or producers with acks=all stop whenever MSK patches a broker`,
    });
  }
  if (!Number.isInteger(spec.logRetentionHours) || spec.logRetentionHours < 1) {
    problems.push({
      path: ["logRetentionHours"],
      message: "a whole number of hours, at least 1 (brokers have finite disks, so no -1)",
    });
  }
  spec.topics.forEach((topic, i) => {
    if (topic.replicationFactor > spec.brokers) {
      problems.push({
        path: ["topics", i, "replicationFactor"],
        message: `${topic.name} asks for ${topic.replicationFactor} replicas but the cluster has ${spec.brokers} brokers`,
      });
    } else if (topic.replicationFactor <= spec.minInsyncReplicas) {
      problems.push({
        path: ["topics", i, "replicationFactor"],
        message: `${topic.name} needs more replicas than min.insync.replicas (${spec.minInsyncReplicas}) so writes go on while one broker is patched`,
      });
    }
  });
  return problems;
}

/** AWS counts every replica a broker hosts, leaders and followers, internal topics included. */
function partitionProblems(spec: KafkaClusterSpec): Problem[] {
  const limit = brokerPartitionLimits[spec.brokerInstanceType as BrokerInstanceType];
  if (limit === undefined) {
    return [{ path: ["brokerInstanceType"], message: `a Standard broker size: ${brokerInstanceTypes.join(", ")}` }];
  }
  if (spec.brokers < 1) return [];
  const internal = consumerOffsetsPartitions * defaultReplicationFactor(spec.brokers);
  const declared = spec.topics.reduce((sum, t) => sum + t.partitions * t.replicationFactor, 0);
  const perBroker = Math.ceil((internal + declared) / spec.brokers);
  if (perBroker <= limit) return [];
  return [
    {
      path: ["topics"],
      message: `the topics put ${perBroker} partition replicas (leaders and followers, with __consumer_offsets) on each of ${spec.brokers} brokers; AWS recommends at most ${limit} per ${spec.brokerInstanceType}`,
    },
  ];
}

function topicProblems(spec: KafkaClusterSpec): Problem[] {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  spec.topics.forEach((topic, i) => {
    if (
      !kafkaNamePattern.test(topic.name) ||
      topic.name.length < 1 ||
      topic.name.length > 249 ||
      topic.name === "." ||
      topic.name === ".."
    ) {
      problems.push({ path: ["topics", i, "name"], message: "a Kafka topic name: 1 to 249 of a-z, A-Z, 0-9, . _ -" });
    } else if (!topic.name.startsWith(spec.iamTopicPrefix)) {
      problems.push({
        path: ["topics", i, "name"],
        message: `${topic.name} is outside the IAM topic prefix "${spec.iamTopicPrefix}", so no loglake client could use it`,
      });
    }
    if (seen.has(topic.name))
      problems.push({ path: ["topics", i, "name"], message: `${topic.name} is declared twice` });
    seen.add(topic.name);
    if (!Number.isInteger(topic.partitions) || topic.partitions < 1) {
      problems.push({ path: ["topics", i, "partitions"], message: "at least 1 partition" });
    }
    if (!Number.isInteger(topic.retentionMs) || topic.retentionMs < 1) {
      problems.push({
        path: ["topics", i, "retentionMs"],
        message: "a positive number of milliseconds (brokers have finite disks, so no -1)",
      });
    }
  });
  return problems;
}

function clientProblems(spec: KafkaClusterSpec): Problem[] {
  const problems: Problem[] = [];
  for (const key of ["iamTopicPrefix", "iamGroupPrefix"] as const) {
    if (!kafkaNamePattern.test(spec[key])) problems.push({ path: [key], message: "letters, digits, . _ - only" });
  }
  const consumer = spec.lakeConsumer;
  if (consumer) {
    if (!kafkaNamePattern.test(consumer.group) || !consumer.group.startsWith(spec.iamGroupPrefix)) {
      problems.push({
        path: ["lakeConsumer", "group"],
        message: `a group under the IAM group prefix "${spec.iamGroupPrefix}" (ASCII letters, digits, . _ -, or CloudWatch drops its lag metrics)`,
      });
    }
    consumer.topics.forEach((name, i) => {
      if (!spec.topics.some((t) => t.name === name)) {
        problems.push({ path: ["lakeConsumer", "topics", i], message: `${name} is not a declared topic` });
      }
    });
  }
  if (spec.multiVpc && spec.brokerInstanceType === burstableBroker) {
    problems.push({
      path: ["multiVpc"],
      message: `MSK multi-VPC connectivity does not support ${burstableBroker} brokers`,
    });
  }
  return problems;
}

/** Everything MSK would refuse, or that would leave the cluster unsafe, apart from the AZ layout. */
export function clusterSpecProblems(spec: KafkaClusterSpec): Problem[] {
  return [
    ...versionProblems(spec),
    ...storageProblems(spec),
    ...replicationProblems(spec),
    ...partitionProblems(spec),
    ...topicProblems(spec),
    ...clientProblems(spec),
  ];
}
