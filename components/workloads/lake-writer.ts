import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
  defaultConsumerGroup,
  sinkHealthPath,
  sinkMetricsPath,
  sinkMetricsPort,
  defaultRawPrefix,
  lakeWriterImage,
  sinkDefaults,
} from "../../runtime/sink/deployment";
import { poolLabel } from "../compute/compute-cluster";
import { ServiceAccountRef } from "../compute/policies";
import { Problem, refuseProblems } from "../shared/problems";
import { ContainerImage } from "./container-image";
import { lakeWriterPodLabels } from "./platform";
import {
  ContainerResources,
  containerResourcesProblems,
  irsaRoleAnnotation,
  restrictedContainerSecurityContext,
  restrictedPodSecurityContext,
  serviceAccountProblems,
} from "./pod-security";

/** The service account ComputeCluster's lake-writer role trusts by default. */
export const defaultLakeWriterServiceAccount: ServiceAccountRef = { namespace: "loglake", name: "lake-writer" };

/** Where Prometheus finds the sink's metrics: the container port's name, and the pod annotations. */
export const metricsPortName = "metrics";
/** Seconds, beyond the flush interval, that a stopping writer gets to upload and commit (LakeWriterArgs). */
export const defaultShutdownUploadSeconds = 60;

export interface LakeWriterArgs {
  /** Provider of the cluster's Kubernetes API. */
  kubernetesProvider: k8s.Provider;
  /** The IRSA role (ComputeCluster's `lakeWriterRoleArn`); it must trust `serviceAccount`. */
  roleArn: pulumi.Input<string>;
  /**
   * The service account the role trusts (ComputeCluster's `lakeWriterServiceAccount`). Its namespace
   * is where the writer runs: the Platform's lake writer namespace, whose NetworkPolicies admit the
   * pods' egress. Default: loglake/lake-writer, ComputeCluster's default for this role.
   */
  serviceAccount?: ServiceAccountRef;
  /** KMS key of the image repository (Keys' `imagesKeyArn`). */
  imagesKeyArn: pulumi.Input<string>;
  /** What the sink reads. */
  kafka: {
    /** MSK's SASL/IAM bootstrap brokers (KafkaCluster's `bootstrapBrokersIam`). */
    bootstrapBrokersIam: pulumi.Input<string>;
    /** The topics; the ones KafkaCluster's lag alarm watches. */
    topics: string[];
    /** The consumer group; the one KafkaCluster's lag alarm watches. Default: the sink's own default group. */
    group?: string;
  };
  /** The AWS region of the cluster, the brokers and the bucket: MSK IAM tokens are signed for it. */
  region: pulumi.Input<string>;
  /** The raw bucket the sink writes below `raw/` (the prefix the role may write). */
  rawBucketName: pulumi.Input<string>;
  /**
   * The raw bucket's KMS key (the lake key). Objects are written with it explicitly: SSE-KMS without
   * a key id would use the account's aws/s3 key, which the role may not use.
   */
  lakeKeyArn: pulumi.Input<string>;
  /** Writers in the consumer group, spread across zones. Default: 2 (one may be drained at a time). */
  replicas?: number;
  /** The writer container's requests and limits. Default: 500m/1Gi requested, 2 CPU/2Gi limit. */
  resources?: ContainerResources;
  /** The sink's `--flush-mb`. Default: the sink's own (runtime/sink/deployment.ts). */
  flushMb?: number;
  /** The sink's `--flush-seconds`. Default: the sink's own (runtime/sink/deployment.ts). */
  flushSeconds?: number;
  /**
   * Seconds a stopping writer is given, beyond its flush interval, to compress, upload and commit
   * every batch it holds; the pod's termination grace period is the two together. Default: 60.
   */
  shutdownUploadSeconds?: number;
  /** What the Deployment waits for: the Platform (namespace, NetworkPolicies) and the node groups. Default: none. */
  waitFor?: pulumi.Resource[];
}

function lakeWriterSettings(args: LakeWriterArgs) {
  return {
    serviceAccount: args.serviceAccount ?? defaultLakeWriterServiceAccount,
    group: args.kafka.group ?? defaultConsumerGroup,
    replicas: args.replicas ?? 2,
    resources: args.resources ?? {
      requests: { cpu: "500m", memory: "1Gi" },
      limits: { cpu: "2", memory: "2Gi" },
    },
    flushMb: args.flushMb ?? sinkDefaults.flushMb,
    flushSeconds: args.flushSeconds ?? sinkDefaults.flushSeconds,
    shutdownUploadSeconds: args.shutdownUploadSeconds ?? defaultShutdownUploadSeconds,
  };
}
type LakeWriterSettings = ReturnType<typeof lakeWriterSettings>;

function lakeWriterProblems(args: LakeWriterArgs, settings: LakeWriterSettings): Problem[] {
  const problems: Problem[] = [];
  const add = (path: (string | number)[], message: string) => problems.push({ path, message });
  problems.push(...serviceAccountProblems(settings.serviceAccount));
  if (args.kafka.topics.length === 0) add(["kafka", "topics"], "at least one topic to write");
  if (!Number.isInteger(settings.replicas) || settings.replicas < 1)
    add(["replicas"], `${settings.replicas}: a whole number of writers, at least 1`);
  if (!(settings.flushMb > 0)) add(["flushMb"], `${settings.flushMb}: more than 0 MB`);
  if (!(settings.flushSeconds > 0)) add(["flushSeconds"], `${settings.flushSeconds}: more than 0 seconds`);
  if (!Number.isInteger(settings.shutdownUploadSeconds) || settings.shutdownUploadSeconds < 1)
    add(["shutdownUploadSeconds"], `${settings.shutdownUploadSeconds}: a whole number of seconds, at least 1`);
  problems.push(...containerResourcesProblems(settings.resources));
  return problems;
}

/** The pod's termination grace period: a full flush interval and the upload of what it flushed. */
export function terminationGracePeriodSeconds(flushSeconds: number, shutdownUploadSeconds: number): number {
  return Math.ceil(flushSeconds) + shutdownUploadSeconds;
}

/**
 * The lake writer (`loglake sink`) on the cluster: its image built from `runtime/sink/Dockerfile`
 * into a private ECR repository (ContainerImage), the service account its IRSA role trusts, and a
 * Deployment of consumer-group members that write the topics to the raw bucket.
 *
 * The pods run on the system nodes (never on the Spot executors, whose taint they do not tolerate),
 * spread across zones, non-root with a read-only root filesystem, and carry `lakeWriterPodLabels`
 * so the Platform's NetworkPolicies let them reach DNS, the AWS APIs and MSK. Each uses its pod
 * name as its static group membership id: a crashed container restarts in the same pod and gets its
 * partitions back at once. On SIGTERM the sink writes and commits what it holds; the grace period
 * allows a full flush interval plus `shutdownUploadSeconds` for it. With more than one replica a
 * PodDisruptionBudget lets a drain take one writer at a time.
 */
export class LakeWriter extends pulumi.ComponentResource {
  public readonly imageUri: pulumi.Output<string>;
  public readonly imageTag: string;
  public readonly repositoryUrl: pulumi.Output<string>;
  public readonly namespace: string;
  public readonly serviceAccountName: string;
  public readonly deploymentName: pulumi.Output<string>;
  public readonly terminationGracePeriodSeconds: number;

  constructor(name: string, args: LakeWriterArgs, opts?: pulumi.ComponentResourceOptions) {
    const settings = lakeWriterSettings(args);
    refuseProblems("LakeWriter", name, lakeWriterProblems(args, settings));
    super("loglake:workloads:LakeWriter", name, {}, opts);
    // Every object lands in the Platform's namespace, and the pods need the system nodes.
    const k8sOpts = { parent: this, provider: args.kubernetesProvider, dependsOn: args.waitFor };
    const { namespace, name: serviceAccountName } = settings.serviceAccount;
    const gracePeriod = terminationGracePeriodSeconds(settings.flushSeconds, settings.shutdownUploadSeconds);

    const image = new ContainerImage(
      `${name}-image`,
      {
        context: lakeWriterImage.context,
        dockerfile: lakeWriterImage.dockerfile,
        contentPaths: lakeWriterImage.contentPaths,
        kmsKeyArn: args.imagesKeyArn,
      },
      { parent: this },
    );

    const serviceAccount = new k8s.core.v1.ServiceAccount(
      `${name}-service-account`,
      {
        metadata: {
          name: serviceAccountName,
          namespace,
          labels: lakeWriterPodLabels,
          annotations: { [irsaRoleAnnotation]: args.roleArn },
        },
        // The sink never calls the Kubernetes API; the IRSA token is projected separately.
        automountServiceAccountToken: false,
      },
      k8sOpts,
    );

    const sinkArgs = pulumi
      .all([args.kafka.bootstrapBrokersIam, args.region, args.rawBucketName, args.lakeKeyArn])
      .apply(([brokers, region, bucket, lakeKeyArn]) => [
        "--iam-brokers",
        brokers,
        "--region",
        region,
        ...args.kafka.topics.flatMap((topic) => ["--topic", topic]),
        "--group",
        settings.group,
        "--bucket",
        bucket,
        "--prefix",
        defaultRawPrefix,
        "--kms-key-id",
        lakeKeyArn,
        "--flush-mb",
        String(settings.flushMb),
        "--flush-seconds",
        String(settings.flushSeconds),
        // Kubernetes expands $(POD_NAME) from the container's environment.
        "--instance-id",
        "$(POD_NAME)",
        "--metrics-port",
        String(sinkMetricsPort),
      ]);

    const selector = { matchLabels: lakeWriterPodLabels };
    const health = { httpGet: { path: sinkHealthPath, port: metricsPortName } };
    const deployment = new k8s.apps.v1.Deployment(
      `${name}-deployment`,
      {
        metadata: { name: serviceAccountName, namespace, labels: lakeWriterPodLabels },
        spec: {
          replicas: settings.replicas,
          selector,
          // A new writer joins the group before an old one leaves, so a rollout never halves throughput.
          strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
          template: {
            metadata: {
              labels: lakeWriterPodLabels,
              annotations: {
                "prometheus.io/scrape": "true",
                "prometheus.io/port": String(sinkMetricsPort),
                "prometheus.io/path": sinkMetricsPath,
              },
            },
            spec: {
              serviceAccountName: serviceAccount.metadata.name,
              automountServiceAccountToken: false,
              securityContext: restrictedPodSecurityContext,
              terminationGracePeriodSeconds: gracePeriod,
              nodeSelector: { [poolLabel]: "system" },
              ...(settings.replicas > 1 ? { topologySpreadConstraints: spreadConstraints(selector) } : {}),
              containers: [
                {
                  name: "lake-writer",
                  image: image.imageUri,
                  args: sinkArgs,
                  env: [
                    { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
                    // The S3 client's region; the IRSA webhook does not set it on every cluster.
                    { name: "AWS_REGION", value: args.region },
                  ],
                  ports: [{ name: metricsPortName, containerPort: sinkMetricsPort, protocol: "TCP" }],
                  // Joining the group and checking the bucket take a while; until then, only this probe runs.
                  startupProbe: { ...health, periodSeconds: 5, failureThreshold: 24 },
                  readinessProbe: { ...health, periodSeconds: 10, failureThreshold: 3 },
                  livenessProbe: { ...health, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 3 },
                  resources: settings.resources,
                  securityContext: restrictedContainerSecurityContext,
                },
              ],
            },
          },
        },
      },
      k8sOpts,
    );

    if (settings.replicas > 1) {
      new k8s.policy.v1.PodDisruptionBudget(
        `${name}-disruption-budget`,
        { metadata: { name: serviceAccountName, namespace }, spec: { maxUnavailable: 1, selector } },
        k8sOpts,
      );
    }

    this.imageUri = image.imageUri;
    this.imageTag = image.tag;
    this.repositoryUrl = image.repositoryUrl;
    this.namespace = namespace;
    this.serviceAccountName = serviceAccountName;
    this.deploymentName = deployment.metadata.name;
    this.terminationGracePeriodSeconds = gracePeriod;
    this.registerOutputs({
      imageUri: this.imageUri,
      repositoryUrl: this.repositoryUrl,
      deploymentName: this.deploymentName,
    });
  }
}

/** One writer per zone before any zone gets a second (strict), and per node where it can be (soft). */
function spreadConstraints(selector: { matchLabels: Record<string, string> }) {
  const spread = (topologyKey: string, whenUnsatisfiable: "DoNotSchedule" | "ScheduleAnyway") => ({
    maxSkew: 1,
    topologyKey,
    whenUnsatisfiable,
    labelSelector: selector,
    // Counted per ReplicaSet, so the pods of a rollout's old revision do not skew the new one's.
    matchLabelKeys: ["pod-template-hash"],
  });
  return [spread("topology.kubernetes.io/zone", "DoNotSchedule"), spread("kubernetes.io/hostname", "ScheduleAnyway")];
}
