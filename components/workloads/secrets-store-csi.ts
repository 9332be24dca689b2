import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { poolLabel } from "../compute/compute-cluster";
import { Problem, refuseProblems } from "../shared/problems";

/** The Secrets Store CSI driver's chart (kubernetes-sigs/secrets-store-csi-driver), pinned: tag v1.6.0. */
export const secretsStoreCsiChart = {
  repo: "https://kubernetes-sigs.github.io/secrets-store-csi-driver/charts",
  chart: "secrets-store-csi-driver",
  version: "1.6.0",
} as const;

/**
 * The AWS provider's chart (aws/secrets-store-csi-driver-provider-aws), pinned: 3.1.1. Its bundled
 * driver (an unpinned `^1` dependency) is turned off for the pinned one above.
 */
export const secretsStoreAwsProviderChart = {
  repo: "https://aws.github.io/secrets-store-csi-driver-provider-aws",
  chart: "secrets-store-csi-driver-provider-aws",
  version: "3.1.1",
} as const;

/** The CSI driver's name, which a pod's `csi` volume names. */
export const secretsStoreCsiDriverName = "secrets-store.csi.k8s.io";

/** A Go duration of whole seconds, minutes or hours, as the driver's --rotation-poll-interval takes it. */
export const durationPattern = /^[1-9]\d*(s|m|h)$/;

export interface SecretsStoreCsiDriverArgs {
  /** Provider of the cluster's Kubernetes API. */
  kubernetesProvider: k8s.Provider;
  /**
   * Least time between two fetches of a mounted secret (the driver re-fetches when the kubelet
   * republishes the volume, at most this often): how soon a rotated secret reaches the files. Default: "2m".
   */
  rotationPollInterval?: string;
  /**
   * Node pool (`loglake.io/pool`) the driver and the provider run on: where the pods that mount secrets
   * run. They tolerate no taints. Default: "system".
   */
  nodePool?: string;
  /** What the releases wait for: the node groups (pass the ComputeCluster). Default: none. */
  waitFor?: pulumi.Resource[];
}

function csiSettings(args: SecretsStoreCsiDriverArgs) {
  return { rotationPollInterval: args.rotationPollInterval ?? "2m", nodePool: args.nodePool ?? "system" };
}

function csiProblems(s: ReturnType<typeof csiSettings>): Problem[] {
  return durationPattern.test(s.rotationPollInterval)
    ? []
    : [{ path: ["rotationPollInterval"], message: `"${s.rotationPollInterval}": a duration such as 90s, 2m or 1h` }];
}

/**
 * The Secrets Store CSI driver and its AWS provider (Secrets Manager and Parameter Store) from their
 * upstream charts at pinned versions, in kube-system on one node pool. Secret rotation is on: a
 * mounted secret's files follow Secrets Manager's current version. Syncing into Kubernetes Secrets
 * stays off, so a secret exists only in Secrets Manager and in the volumes of the pods that mount it.
 * The driver requests the pod's service account token for STS, with which the provider assumes the
 * pod's IRSA role.
 */
export class SecretsStoreCsiDriver extends pulumi.ComponentResource {
  public readonly driverChartVersion: string = secretsStoreCsiChart.version;
  public readonly providerChartVersion: string = secretsStoreAwsProviderChart.version;
  public readonly driverName: string = secretsStoreCsiDriverName;

  constructor(name: string, args: SecretsStoreCsiDriverArgs, opts?: pulumi.ComponentResourceOptions) {
    const s = csiSettings(args);
    refuseProblems("SecretsStoreCsiDriver", name, csiProblems(s));
    super("loglake:workloads:SecretsStoreCsiDriver", name, {}, opts);
    const placement = { nodeSelector: { [poolLabel]: s.nodePool }, tolerations: [] };

    /** One upstream chart, atomic: a failed upgrade rolls back rather than leave pods unable to mount. */
    const release = (
      suffix: string,
      chart: typeof secretsStoreCsiChart | typeof secretsStoreAwsProviderChart,
      values: Record<string, unknown>,
      dependsOn: pulumi.Resource[] | undefined,
    ) =>
      new k8s.helm.v3.Release(
        `${name}-${suffix}`,
        {
          name: chart.chart,
          namespace: "kube-system",
          chart: chart.chart,
          version: chart.version,
          repositoryOpts: { repo: chart.repo },
          values,
          atomic: true,
          cleanupOnFail: true,
        },
        { parent: this, provider: args.kubernetesProvider, dependsOn },
      );
    const driver = release(
      "secrets-store-csi",
      secretsStoreCsiChart,
      {
        // The chart's default tolerates every taint; the driver belongs only where its pods run.
        linux: placement,
        enableSecretRotation: true,
        rotationPollInterval: s.rotationPollInterval,
        syncSecret: { enabled: false },
        tokenRequests: [{ audience: "sts.amazonaws.com" }],
      },
      args.waitFor,
    );
    release(
      "secrets-store-aws",
      secretsStoreAwsProviderChart,
      { ...placement, "secrets-store-csi-driver": { install: false } },
      [driver],
    );

    this.registerOutputs({
      driverChartVersion: this.driverChartVersion,
      providerChartVersion: this.providerChartVersion,
    });
  }
}
