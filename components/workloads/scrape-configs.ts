/**
 * What Prometheus scrapes of loglake's own workloads, as plain Prometheus scrape configurations
 * (the Prometheus Operator's `additionalScrapeConfigs`): pure, so the jobs, their targets and the
 * dashboards that query them are tested without a cluster.
 */
import { sparkMetrics } from "../../runtime/dispatch/job";
import { mskExporterPorts } from "../streaming/kafka-cluster";
import { sinkMetricsPath, sinkMetricsPort } from "../../runtime/sink/deployment";
import { lakeWriterPodLabels } from "./platform";

/** The container port name a workload's `/metrics` endpoint carries (lake writer, Hive metastore). */
export const metricsPortName = "metrics";

/** Job names: the dashboards select their series by them. */
export const scrapeJobs = {
  lakeWriter: "lake-writer",
  sparkDriver: "spark-driver",
  sparkExecutors: "spark-executors",
  metastore: "hive-metastore",
  mskJmx: "msk-jmx",
  mskNode: "msk-node",
} as const;

export interface ScrapeTargets {
  /** MSK's bootstrap brokers, `host:port` comma-separated: every broker of the cluster, each scraped on both exporters. */
  bootstrapBrokers: string;
  /** Namespace of the lake writer's pods. */
  lakeWriterNamespace: string;
  /** Namespace the EMR on EKS virtual cluster runs Spark in. */
  sparkNamespace: string;
  /** Namespace of the Hive metastore's pods. */
  metastoreNamespace: string;
}

type Relabel = Record<string, unknown>;

/** Kubernetes pod discovery in one namespace. */
const podsIn = (namespace: string) => [{ role: "pod", namespaces: { names: [namespace] } }];

/** Every pod target carries its namespace and pod name, whatever else the job keeps. */
const podLabels: Relabel[] = [
  { source_labels: ["__meta_kubernetes_namespace"], target_label: "namespace" },
  { source_labels: ["__meta_kubernetes_pod_name"], target_label: "pod" },
];
const keep = (sourceLabel: string, regex: string): Relabel => ({
  source_labels: [sourceLabel],
  regex,
  action: "keep",
});
const labelName = (key: string) => key.replace(/[^A-Za-z0-9_]/g, "_");
const escape = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Broker hostnames from MSK's bootstrap string; each appears once however many listeners list it. */
export function brokerHosts(bootstrapBrokers: string): string[] {
  const hosts = bootstrapBrokers
    .split(",")
    .map((endpoint) => endpoint.trim())
    .filter((endpoint) => endpoint.length > 0)
    .map((endpoint) => endpoint.replace(/:\d+$/, ""));
  return [...new Set(hosts)].sort();
}

/** The scrape jobs, in Prometheus's own configuration format (additionalScrapeConfigs is not a CRD field). */
export function scrapeConfigs(targets: ScrapeTargets): Record<string, unknown>[] {
  const sparkDriver = (job: string, path: string) => ({
    job_name: job,
    metrics_path: path,
    kubernetes_sd_configs: podsIn(targets.sparkNamespace),
    relabel_configs: [
      keep("__meta_kubernetes_pod_label_spark_role", "driver"),
      keep("__meta_kubernetes_pod_container_port_number", String(sparkMetrics.uiPort)),
      { source_labels: ["__meta_kubernetes_pod_label_spark_app_selector"], target_label: "spark_app" },
      ...podLabels,
    ],
  });
  const byLabels = Object.entries(lakeWriterPodLabels).map(([key, value]) =>
    keep(`__meta_kubernetes_pod_label_${labelName(key)}`, escape(value)),
  );
  const brokers = brokerHosts(targets.bootstrapBrokers);
  const broker = (job: string, port: number) => ({
    job_name: job,
    static_configs: [{ targets: brokers.map((host) => `${host}:${port}`) }],
    // The broker's short name (b-1, b-2, ...) is what MSK's console and CloudWatch call it.
    relabel_configs: [
      { source_labels: ["__address__"], regex: "(b-\\d+)\\..*", target_label: "broker", replacement: "$1" },
    ],
  });
  return [
    {
      job_name: scrapeJobs.lakeWriter,
      metrics_path: sinkMetricsPath,
      kubernetes_sd_configs: podsIn(targets.lakeWriterNamespace),
      relabel_configs: [
        ...byLabels,
        keep("__meta_kubernetes_pod_container_port_number", String(sinkMetricsPort)),
        ...podLabels,
      ],
    },
    sparkDriver(scrapeJobs.sparkDriver, sparkMetrics.driverPath),
    sparkDriver(scrapeJobs.sparkExecutors, sparkMetrics.executorsPath),
    {
      job_name: scrapeJobs.metastore,
      metrics_path: "/metrics",
      kubernetes_sd_configs: podsIn(targets.metastoreNamespace),
      relabel_configs: [keep("__meta_kubernetes_pod_container_port_name", metricsPortName), ...podLabels],
    },
    broker(scrapeJobs.mskJmx, mskExporterPorts.jmx),
    broker(scrapeJobs.mskNode, mskExporterPorts.node),
  ];
}
