import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { ServiceAccountRef } from "../../components/compute/policies";
import { defaultShutdownUploadSeconds, LakeWriterArgs } from "../../components/workloads/lake-writer";
import { containerResourcesProblems } from "../../components/workloads/pod-security";
import { sinkDefaults } from "../../runtime/sink/deployment";
import { Environment, Problem, section } from "./common";
import type { KafkaSettings } from "./kafka";

const quantity = z.string().describe('A Kubernetes quantity: CPU as "500m" or "2", memory as "1536Mi" or "2Gi".');
const cpuAndMemory = z.strictObject({ cpu: quantity, memory: quantity });

/**
 * The `lakeWriter` section: how the lake writer (`loglake sink`) runs on the cluster. The topics it
 * reads and its consumer group are `kafka.lakeConsumer`'s, which the lag alarm watches.
 */
export const lakeWriterSchema = z
  .strictObject({
    replicas: z
      .number()
      .int()
      .min(1)
      .describe(
        "Writers in the consumer group, spread across zones (a PodDisruptionBudget lets drains take one at a time when there are more than one); at most the partitions of the topics it reads.",
      ),
    resources: z
      .strictObject({ requests: cpuAndMemory, limits: cpuAndMemory })
      .describe(
        "Requests and limits of each writer. Memory grows with the partitions a writer holds: it buffers up to flushMb per partition, and as much again per batch being written.",
      ),
    flushMb: z.number().positive().describe("`loglake sink --flush-mb`: a partition's batch is written at this size."),
    flushSeconds: z
      .number()
      .positive()
      .describe("`loglake sink --flush-seconds`: a partition's batch is written once its oldest record is this old."),
    shutdownUploadSeconds: z
      .number()
      .int()
      .min(1)
      .describe(
        "Seconds beyond flushSeconds a stopping writer has to upload and commit what it holds (the termination grace period is the sum).",
      ),
  })
  .superRefine((value, ctx) => {
    for (const problem of containerResourcesProblems(value.resources))
      ctx.addIssue({ code: "custom", path: problem.path, message: problem.message });
  });
export type LakeWriterSettings = z.infer<typeof lakeWriterSchema>;

const flush = {
  flushMb: sinkDefaults.flushMb,
  flushSeconds: sinkDefaults.flushSeconds,
  shutdownUploadSeconds: defaultShutdownUploadSeconds,
};

/**
 * dev: one writer for the six partitions of logs.raw.
 * prod: three writers, one per zone, eight of the 24 partitions each (twelve while one is drained).
 * dr: two writers while it stands by; raise replicas with the traffic on failover.
 */
export const lakeWriterDefaults: Record<Environment, z.input<typeof lakeWriterSchema>> = {
  dev: {
    replicas: 1,
    resources: { requests: { cpu: "250m", memory: "1Gi" }, limits: { cpu: "1", memory: "2Gi" } },
    ...flush,
  },
  prod: {
    replicas: 3,
    resources: { requests: { cpu: "1", memory: "2Gi" }, limits: { cpu: "2", memory: "3Gi" } },
    ...flush,
  },
  dr: {
    replicas: 2,
    resources: { requests: { cpu: "500m", memory: "2Gi" }, limits: { cpu: "2", memory: "3Gi" } },
    ...flush,
  },
};

/** The config sections the lake writer's checks and args read. */
export interface LakeWriterConfigView {
  region: string;
  kafka: Pick<KafkaSettings, "topics" | "lakeConsumer">;
  lakeWriter: LakeWriterSettings;
}

/** A consumer group gives each partition to one member: writers beyond the partitions would only wait. */
export function lakeWriterProblems(config: Pick<LakeWriterConfigView, "kafka" | "lakeWriter">): Problem[] {
  const partitions = config.kafka.topics
    .filter((topic) => config.kafka.lakeConsumer.topics.includes(topic.name))
    .reduce((sum, topic) => sum + topic.partitions, 0);
  return partitions > 0 && config.lakeWriter.replicas > partitions
    ? [
        {
          path: ["lakeWriter", "replicas"],
          message: `more writers than the ${partitions} partitions of ${config.kafka.lakeConsumer.topics.join(", ")}; the rest would sit idle`,
        },
      ]
    : [];
}

export const lakeWriterSection = section({
  key: "lakeWriter",
  schema: lakeWriterSchema,
  defaults: (e) => lakeWriterDefaults[e],
  problems: lakeWriterProblems,
});

/** What the program hands the lake writer besides its settings. */
export interface LakeWriterDeps {
  kubernetesProvider: k8s.Provider;
  /** ComputeCluster's lake-writer IRSA role and the service account it trusts. */
  roleArn: pulumi.Input<string>;
  serviceAccount: ServiceAccountRef;
  /** Keys' images CMK (the ECR repository). */
  imagesKeyArn: pulumi.Input<string>;
  /** KafkaCluster's SASL/IAM bootstrap brokers. */
  bootstrapBrokersIam: pulumi.Input<string>;
  rawBucketName: pulumi.Input<string>;
  /** The raw bucket's CMK. */
  lakeKeyArn: pulumi.Input<string>;
  /** The Platform (namespace and NetworkPolicies) and the ComputeCluster (the system nodes). */
  waitFor: pulumi.Resource[];
}

/** LakeWriter args for a validated stack config. */
export function lakeWriterArgs(config: LakeWriterConfigView, deps: LakeWriterDeps): LakeWriterArgs {
  const { lakeConsumer } = config.kafka;
  return {
    ...config.lakeWriter,
    kubernetesProvider: deps.kubernetesProvider,
    roleArn: deps.roleArn,
    serviceAccount: deps.serviceAccount,
    imagesKeyArn: deps.imagesKeyArn,
    kafka: { bootstrapBrokersIam: deps.bootstrapBrokersIam, topics: lakeConsumer.topics, group: lakeConsumer.group },
    region: config.region,
    rawBucketName: deps.rawBucketName,
    lakeKeyArn: deps.lakeKeyArn,
    waitFor: deps.waitFor,
  };
}
