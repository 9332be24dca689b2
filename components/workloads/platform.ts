import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { defaultKubernetesVersion } from "../compute/kubernetes-versions";
import { Problem, refuseProblems } from "../shared/problems";
import {
  awsApiCidrsProblems,
  awsApiEgressRule,
  dnsEgressRule,
  dnsLabelPattern,
  podSecurityLabels,
} from "./pod-security";
import { sinkMetricsPort } from "../../runtime/sink/deployment";
import { mskIamPort } from "../streaming/kafka-cluster";

/** Labels of the lake writer's pods; the LakeWriter Deployment must carry them for its egress allows. */
export const lakeWriterPodLabels = { "app.kubernetes.io/name": "lake-writer" };
/** The lake writer's namespace, where ComputeCluster's lake-writer role trusts its service account by default. */
export const defaultLakeWriterNamespace = "loglake";
/** The lake writer's `/metrics` port (container port named `metrics`), which Prometheus scrapes. */
/** Where the monitoring stack runs; namespaces whose workloads it scrapes admit it. */
export const defaultMonitoringNamespace = "monitoring";
/** The label Kubernetes puts on every namespace, carrying its name: what NetworkPolicies select namespaces by. */
export const namespaceNameLabel = "kubernetes.io/metadata.name";

export interface PlatformArgs {
  /** Provider of the cluster's Kubernetes API. */
  kubernetesProvider: k8s.Provider;
  /** The VPC's CIDR block: where the MSK brokers (and any interface endpoints) have their addresses. */
  vpcCidr: pulumi.Input<string>;
  /**
   * Namespace of the lake writer; ComputeCluster's lake-writer role trusts a service account in it.
   * Default: loglake.
   */
  lakeWriterNamespace?: string;
  /**
   * Where the lake writer may open HTTPS (443) connections: S3, STS, and the other AWS APIs. Default:
   * 0.0.0.0/0 minus link-local addresses. A NetworkPolicy cannot name hosts, and S3 through a gateway
   * endpoint (or NAT) is reached at S3's public addresses, so only an account whose every AWS API is
   * an interface endpoint can narrow this to the VPC's CIDR block.
   */
  awsApiCidrs?: string[];
  /** Kubernetes minor version the Pod Security Admission profiles are pinned to. Default: ComputeCluster's default. */
  kubernetesVersion?: string;
  /** Namespace of the monitoring stack, admitted to the lake writer's metrics port only. Default: monitoring. */
  monitoringNamespace?: string;
}

function platformSettings(args: PlatformArgs) {
  return {
    lakeWriterNamespace: args.lakeWriterNamespace ?? defaultLakeWriterNamespace,
    awsApiCidrs: args.awsApiCidrs ?? ["0.0.0.0/0"],
    kubernetesVersion: args.kubernetesVersion ?? defaultKubernetesVersion,
    monitoringNamespace: args.monitoringNamespace ?? defaultMonitoringNamespace,
  };
}

function platformProblems(settings: ReturnType<typeof platformSettings>): Problem[] {
  const problems: Problem[] = [];
  for (const key of ["lakeWriterNamespace", "monitoringNamespace"] as const) {
    if (!dnsLabelPattern.test(settings[key]) || settings[key].startsWith("kube-"))
      problems.push({
        path: [key],
        message: `"${settings[key]}": a Kubernetes namespace name (lowercase DNS label, not kube-*)`,
      });
  }
  problems.push(...awsApiCidrsProblems(settings.awsApiCidrs, "the lake writer needs S3 and STS"));
  if (!/^1\.\d{2}$/.test(settings.kubernetesVersion))
    problems.push({
      path: ["kubernetesVersion"],
      message: `"${settings.kubernetesVersion}": a minor version as "1.NN"`,
    });
  return problems;
}

/**
 * The cluster's namespaces for loglake's own workloads, each isolated by default. The lake writer's
 * namespace enforces Pod Security Admission `restricted` (pinned to the cluster's minor version) and
 * denies all ingress and egress except what the lake writer needs: DNS from kube-system's CoreDNS,
 * HTTPS to the AWS APIs, and MSK's IAM port inside the VPC; the only ingress is the monitoring
 * namespace's scrapes of its metrics port.
 *
 * NetworkPolicies are enforced only where the VPC CNI runs with network policy enabled
 * (`enableNetworkPolicy` in the vpc-cni add-on's configuration); elsewhere they are accepted and inert.
 */
export class Platform extends pulumi.ComponentResource {
  public readonly lakeWriterNamespace: pulumi.Output<string>;

  constructor(name: string, args: PlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    const settings = platformSettings(args);
    refuseProblems("Platform", name, platformProblems(settings));
    super("loglake:workloads:Platform", name, {}, opts);
    const k8sOpts = { parent: this, provider: args.kubernetesProvider };

    const namespace = new k8s.core.v1.Namespace(
      `${name}-lake-writer`,
      {
        metadata: {
          name: settings.lakeWriterNamespace,
          labels: podSecurityLabels("restricted", settings.kubernetesVersion),
        },
      },
      k8sOpts,
    );
    const namespaceName = namespace.metadata.name;

    new k8s.networking.v1.NetworkPolicy(
      `${name}-lake-writer-default-deny`,
      {
        metadata: { name: "default-deny", namespace: namespaceName },
        spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
      },
      k8sOpts,
    );

    new k8s.networking.v1.NetworkPolicy(
      `${name}-lake-writer-egress`,
      {
        metadata: { name: "lake-writer-egress", namespace: namespaceName },
        spec: {
          podSelector: { matchLabels: lakeWriterPodLabels },
          policyTypes: ["Egress"],
          egress: [
            dnsEgressRule,
            awsApiEgressRule(settings.awsApiCidrs),
            {
              to: [{ ipBlock: { cidr: args.vpcCidr } }],
              ports: [{ protocol: "TCP", port: mskIamPort }],
            },
          ],
        },
      },
      k8sOpts,
    );

    new k8s.networking.v1.NetworkPolicy(
      `${name}-lake-writer-metrics`,
      {
        metadata: { name: "lake-writer-metrics", namespace: namespaceName },
        spec: {
          podSelector: { matchLabels: lakeWriterPodLabels },
          policyTypes: ["Ingress"],
          ingress: [
            {
              from: [{ namespaceSelector: { matchLabels: { [namespaceNameLabel]: settings.monitoringNamespace } } }],
              ports: [{ protocol: "TCP", port: sinkMetricsPort }],
            },
          ],
        },
      },
      k8sOpts,
    );

    this.lakeWriterNamespace = namespaceName;
    this.registerOutputs({ lakeWriterNamespace: this.lakeWriterNamespace });
  }
}
