import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { gp3VolumeGiB } from "../../components/shared/aws-limits";
import { MonitoringArgs } from "../../components/workloads/monitoring";
import { Environment, section } from "./common";

const gib = z.number().int().min(gp3VolumeGiB.min).max(gp3VolumeGiB.max);

/** The `monitoring` section: Prometheus and Grafana in the cluster (kube-prometheus-stack). */
export const monitoringSchema = z.strictObject({
  enabled: z
    .boolean()
    .describe(
      "Deploy Prometheus and Grafana into the cluster (needs the Kubernetes API: see README's private endpoint section).",
    ),
  retentionDays: z.number().int().min(1).max(3650).describe("Days Prometheus keeps samples."),
  storageGiB: gib.describe(
    "Prometheus's encrypted gp3 volume in GiB; samples are also dropped once they fill 85 % of it.",
  ),
  grafanaStorageGiB: gib.describe("Grafana's encrypted gp3 volume in GiB (users and dashboards saved in the UI)."),
});
export type MonitoringSettings = z.infer<typeof monitoringSchema>;

const monitoringDefaults: Record<Environment, MonitoringSettings> = {
  dev: { enabled: true, retentionDays: 7, storageGiB: 20, grafanaStorageGiB: 5 },
  prod: { enabled: true, retentionDays: 30, storageGiB: 100, grafanaStorageGiB: 10 },
  // The standby's cluster runs little until failover; its history starts then.
  dr: { enabled: true, retentionDays: 15, storageGiB: 50, grafanaStorageGiB: 10 },
};

export const monitoringSection = section({
  key: "monitoring",
  schema: monitoringSchema,
  defaults: (e) => monitoringDefaults[e],
});

/** What the Monitoring takes from other components. */
export interface MonitoringDependencies {
  kubernetesProvider: k8s.Provider;
  vpcCidr: pulumi.Input<string>;
  kafkaBootstrapBrokers: pulumi.Input<string>;
  volumeKmsKeyArn: pulumi.Input<string>;
  waitFor: pulumi.Resource[];
}

/** The Monitoring's args for a stack, or undefined when the stack runs none. */
export function monitoringArgs(
  config: { monitoring: MonitoringSettings; compute: { kubernetesVersion: string } },
  deps: MonitoringDependencies,
): MonitoringArgs | undefined {
  const { enabled, retentionDays, storageGiB, grafanaStorageGiB } = config.monitoring;
  if (!enabled) return undefined;
  return {
    ...deps,
    kubernetesVersion: config.compute.kubernetesVersion,
    retentionDays,
    storageGiB,
    grafanaStorageGiB,
  };
}
