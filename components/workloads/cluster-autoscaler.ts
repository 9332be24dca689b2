import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { poolLabel } from "../compute/compute-cluster";
import { defaultKubernetesVersion } from "../compute/kubernetes-versions";
import { autoscalerOwnerTag, ServiceAccountRef } from "../compute/policies";
import { Problem, refuseProblems } from "../shared/problems";
import {
  ContainerResources,
  containerResourcesProblems,
  dnsLabelPattern,
  irsaRoleAnnotation,
  restrictedContainerSecurityContext,
  restrictedPodSecurityContext,
} from "./pod-security";

/** The upstream chart's Helm repository (kubernetes/autoscaler). */
export const clusterAutoscalerChartRepo = "https://kubernetes.github.io/autoscaler";
export const clusterAutoscalerChart = "cluster-autoscaler";
/**
 * The chart version, pinned: tag cluster-autoscaler-chart-9.59.0 of kubernetes/autoscaler (its
 * default image is v1.35.0; the image is chosen below by the cluster's minor version instead).
 */
export const clusterAutoscalerChartVersion = "9.59.0";

/**
 * The cluster-autoscaler release for each Kubernetes minor EKS offers (kubernetes-versions.ts): the
 * autoscaler is built against one Kubernetes minor's scheduler and is supported only on that minor.
 * Newest patch of each release branch as tagged in kubernetes/autoscaler (cluster-autoscaler-1.NN.P).
 */
export const clusterAutoscalerImageTags: Record<string, string> = {
  "1.36": "v1.36.1",
  "1.35": "v1.35.2",
  "1.34": "v1.34.5",
  "1.33": "v1.33.6",
  "1.32": "v1.32.7",
  "1.31": "v1.31.5",
};

/** How the autoscaler picks a node group when several could take the pending pods. */
export const autoscalerExpanders = ["least-waste", "random", "most-pods", "priority", "price"] as const;
export type AutoscalerExpander = (typeof autoscalerExpanders)[number];

/** The service account ComputeCluster's cluster-autoscaler role trusts by default. */
export const defaultClusterAutoscalerServiceAccount: ServiceAccountRef = {
  namespace: "kube-system",
  name: "cluster-autoscaler",
};

export type { ContainerResources } from "./pod-security";

export interface ClusterAutoscalerArgs {
  /** Provider of the cluster's Kubernetes API. */
  kubernetesProvider: k8s.Provider;
  /** The EKS cluster's name: auto-discovery finds the node groups tagged for it. */
  clusterName: pulumi.Input<string>;
  /** The cluster's AWS region (the autoscaler's EC2 and Auto Scaling API calls). */
  region: pulumi.Input<string>;
  /** The IRSA role (ComputeCluster's `clusterAutoscalerRoleArn`); it must trust `serviceAccount`. */
  roleArn: pulumi.Input<string>;
  /**
   * The service account the role trusts; its namespace is where the release goes. Default:
   * kube-system/cluster-autoscaler, ComputeCluster's default for this role.
   */
  serviceAccount?: ServiceAccountRef;
  /** The cluster's Kubernetes minor version, which picks the autoscaler image. Default: ComputeCluster's default. */
  kubernetesVersion?: string;
  /** Node group choice when scaling up. Default: least-waste (the group left with the least idle CPU and memory). */
  expander?: AutoscalerExpander;
  /** Keep similar node groups (same instance shape and labels) at similar sizes. Default: true. */
  balanceSimilarNodeGroups?: boolean;
  /** Replicas; one leads, others wait (leader election). Default: 1; more than 3 is refused. */
  replicas?: number;
  /**
   * What the release waits for: the node groups (pass the ComputeCluster). Helm waits for the
   * autoscaler's pod to be ready and rolls back after its timeout, so on a new cluster the release must
   * not start before the system nodes exist. Default: none.
   */
  waitFor?: pulumi.Resource[];
  /** Requests and limits of the autoscaler container. Default: 100m/300Mi requested, 1 CPU/600Mi limit. */
  resources?: ContainerResources;
}

function autoscalerProblems(args: ClusterAutoscalerArgs, settings: ReturnType<typeof autoscalerSettings>): Problem[] {
  const problems: Problem[] = [];
  const add = (path: (string | number)[], message: string) => problems.push({ path, message });
  for (const key of ["namespace", "name"] as const) {
    if (!dnsLabelPattern.test(settings.serviceAccount[key]))
      add(["serviceAccount", key], `"${settings.serviceAccount[key]}": a Kubernetes name (lowercase DNS label)`);
  }
  if (!Object.hasOwn(clusterAutoscalerImageTags, settings.kubernetesVersion))
    add(
      ["kubernetesVersion"],
      `"${settings.kubernetesVersion}": cluster-autoscaler releases are listed for ${Object.keys(clusterAutoscalerImageTags).join(", ")}`,
    );
  if (!(autoscalerExpanders as readonly string[]).includes(settings.expander))
    add(["expander"], `"${settings.expander}": one of ${autoscalerExpanders.join(", ")}`);
  if (!Number.isInteger(settings.replicas) || settings.replicas < 1 || settings.replicas > 3)
    add(["replicas"], `${settings.replicas}: 1 to 3 (only the leader works)`);
  if (args.resources) problems.push(...containerResourcesProblems(args.resources, ["resources"]));
  return problems;
}

function autoscalerSettings(args: ClusterAutoscalerArgs) {
  return {
    serviceAccount: args.serviceAccount ?? defaultClusterAutoscalerServiceAccount,
    kubernetesVersion: args.kubernetesVersion ?? defaultKubernetesVersion,
    expander: args.expander ?? "least-waste",
    balanceSimilarNodeGroups: args.balanceSimilarNodeGroups ?? true,
    replicas: args.replicas ?? 1,
    resources: args.resources ?? {
      requests: { cpu: "100m", memory: "300Mi" },
      limits: { cpu: "1", memory: "600Mi" },
    },
  };
}

/**
 * The Kubernetes cluster-autoscaler from its upstream Helm chart, at a pinned chart version and the
 * image matching the cluster's minor version. It runs in the namespace of the service account its
 * IRSA role trusts, on the system nodes (never on the Spot executors it scales away), non-root with a
 * read-only root filesystem, and discovers the node groups by the tags ComputeCluster puts on their
 * auto scaling groups (`k8s.io/cluster-autoscaler/enabled` and `k8s.io/cluster-autoscaler/<cluster>`),
 * including the node-template tags that let it scale the spark group up from zero.
 *
 * A `helm.v3.Release` rather than a v4 Chart: its values are plain inputs, which the offline plan,
 * the tests and the policy pack can read.
 */
export class ClusterAutoscaler extends pulumi.ComponentResource {
  public readonly releaseName: pulumi.Output<string>;
  public readonly namespace: string;
  public readonly serviceAccountName: string;
  public readonly chartVersion: string = clusterAutoscalerChartVersion;
  public readonly imageTag: string;

  constructor(name: string, args: ClusterAutoscalerArgs, opts?: pulumi.ComponentResourceOptions) {
    const settings = autoscalerSettings(args);
    refuseProblems("ClusterAutoscaler", name, autoscalerProblems(args, settings));
    super("loglake:workloads:ClusterAutoscaler", name, {}, opts);

    const imageTag = clusterAutoscalerImageTags[settings.kubernetesVersion];
    const { namespace, name: serviceAccountName } = settings.serviceAccount;
    const values = pulumi
      .all([args.clusterName, args.region, args.roleArn])
      .apply(([clusterName, region, roleArn]) => ({
        cloudProvider: "aws",
        awsRegion: region,
        // Objects are named after the service account, not `<release>-aws-cluster-autoscaler`.
        fullnameOverride: serviceAccountName,
        autoDiscovery: {
          clusterName,
          tags: ["k8s.io/cluster-autoscaler/enabled", autoscalerOwnerTag(clusterName)],
        },
        image: { tag: imageTag },
        replicaCount: settings.replicas,
        rbac: {
          create: true,
          serviceAccount: {
            create: true,
            name: serviceAccountName,
            annotations: { [irsaRoleAnnotation]: roleArn },
          },
        },
        extraArgs: {
          expander: settings.expander,
          "balance-similar-node-groups": settings.balanceSimilarNodeGroups,
          // Every loglake pod writes to emptyDir (read-only root filesystems; Spark's shuffle spill), so
          // the default `true` would keep every node that ever ran one from scaling down.
          "skip-nodes-with-local-storage": false,
          // Not with a node group per AZ: each managed group spans every private subnet, so this label
          // differs between groups that are otherwise alike.
          "balancing-ignore-label": "eks.amazonaws.com/nodegroup",
        },
        nodeSelector: { [poolLabel]: "system" },
        priorityClassName: "system-cluster-critical",
        securityContext: restrictedPodSecurityContext,
        containerSecurityContext: restrictedContainerSecurityContext,
        resources: settings.resources,
        // Evictable one at a time, so draining a system node never waits on the autoscaler.
        podDisruptionBudget: { maxUnavailable: 1 },
        ...(settings.replicas > 1
          ? {
              topologySpreadConstraints: [
                {
                  maxSkew: 1,
                  topologyKey: "topology.kubernetes.io/zone",
                  whenUnsatisfiable: "DoNotSchedule",
                  labelSelector: {
                    matchLabels: { "app.kubernetes.io/instance": serviceAccountName },
                  },
                },
              ],
            }
          : {}),
      }));

    const release = new k8s.helm.v3.Release(
      `${name}-release`,
      {
        name: serviceAccountName,
        namespace,
        createNamespace: false,
        chart: clusterAutoscalerChart,
        version: clusterAutoscalerChartVersion,
        repositoryOpts: { repo: clusterAutoscalerChartRepo },
        values,
        // A failed upgrade rolls back instead of leaving the cluster without a working autoscaler.
        atomic: true,
        cleanupOnFail: true,
      },
      { parent: this, provider: args.kubernetesProvider, dependsOn: args.waitFor },
    );

    this.releaseName = release.name;
    this.namespace = namespace;
    this.serviceAccountName = serviceAccountName;
    this.imageTag = imageTag;
    this.registerOutputs({ releaseName: this.releaseName });
  }
}
