import * as fs from "node:fs";
import * as path from "node:path";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { poolLabel } from "../compute/compute-cluster";
import { defaultKubernetesVersion } from "../compute/kubernetes-versions";
import { gp3VolumeGiB } from "../shared/aws-limits";
import { Problem, refuseProblems } from "../shared/problems";
import { sparkMetrics } from "../../runtime/dispatch/job";
import { sinkMetricsPort } from "../../runtime/sink/deployment";
import { defaultJobsNamespace } from "../pipeline/processing";
import {
  defaultLakeWriterNamespace,
  defaultMonitoringNamespace,
  lakeWriterPodLabels,
  namespaceNameLabel,
} from "./platform";
import {
  ContainerResources,
  containerResourcesProblems,
  dnsLabelPattern,
  podSecurityLabels,
  restrictedContainerSecurityContext,
  restrictedPodSecurityContext,
  runtimeDefaultSeccomp,
} from "./pod-security";
import { mskExporterPorts } from "../streaming/kafka-cluster";
import { metricsPortName, scrapeConfigs } from "./scrape-configs";

/** The chart's Helm repository (prometheus-community/helm-charts). */
export const kubePrometheusStackChartRepo = "https://prometheus-community.github.io/helm-charts";
export const kubePrometheusStackChart = "kube-prometheus-stack";
/**
 * The chart version, pinned: tag kube-prometheus-stack-88.5.3 of prometheus-community/helm-charts
 * (Prometheus Operator v0.93.1, Grafana chart 12.11.1, node exporter chart 4.56.1), whose
 * `kubeVersion: ">=1.25.0-0"` covers every minor EKS offers (kubernetes-versions.ts).
 */
export const kubePrometheusStackChartVersion = "88.5.3";

/** The Grafana dashboards kept in the repository, one JSON model per file. */
export const dashboardsDir = path.join(__dirname, "dashboards");
/** The label (and value) the Grafana dashboard sidecar loads ConfigMaps by: the chart's default. */
export const dashboardLabel = { grafana_dashboard: "1" };
/** The uid of the Prometheus data source the chart provisions, which every dashboard panel names. */
export const prometheusDatasourceUid = "prometheus";

/** Names the chart's own objects carry (`loglake-prometheus`, ...); its subcharts' follow the release's name. */
const fullname = "loglake";
const releaseName = "monitoring";
const grafanaAdminSecret = "grafana-admin";
/** The label the operator puts on Prometheus's pods, which the scrape NetworkPolicy selects. */
const prometheusPods = { "app.kubernetes.io/name": "prometheus" };
/** Leaves room for the WAL and compaction: TSDB deletes old blocks once its data passes this share. */
const retentionShareOfVolume = 0.85;

export interface MonitoringResources {
  prometheus?: ContainerResources;
  grafana?: ContainerResources;
  /** Each of the small ones: operator, config reloader, kube-state-metrics, node exporter, dashboard sidecar. */
  agent?: ContainerResources;
}

export interface MonitoringArgs {
  /** Provider of the cluster's Kubernetes API. */
  kubernetesProvider: k8s.Provider;
  /** The VPC's CIDR block: MSK brokers, the nodes (kubelet, node exporter) and the API server's endpoints. */
  vpcCidr: pulumi.Input<string>;
  /** MSK's bootstrap brokers (`host:port`, comma-separated): every broker's exporters are scraped. */
  kafkaBootstrapBrokers: pulumi.Input<string>;
  /** CMK encrypting the Prometheus and Grafana volumes (ComputeCluster's `volumeKmsKeyArn`). Required. */
  volumeKmsKeyArn: pulumi.Input<string>;
  /** Namespace of Prometheus, Grafana, the operator and kube-state-metrics (PSA restricted). Default: monitoring. */
  namespace?: string;
  /**
   * Namespace of the node exporter DaemonSet alone (PSA privileged: host network, host PID and host
   * paths, which baseline forbids). Default: monitoring-node.
   */
  nodeExporterNamespace?: string;
  /** Namespace of the lake writer. Default: loglake. */
  lakeWriterNamespace?: string;
  /** Namespace Spark runs in (Processing's virtual cluster). Default: spark-jobs. */
  sparkNamespace?: string;
  /** Namespace of the Hive metastore. Default: hive. */
  metastoreNamespace?: string;
  /** Kubernetes minor version the Pod Security Admission profiles are pinned to. Default: ComputeCluster's default. */
  kubernetesVersion?: string;
  /** Days Prometheus keeps samples. Default: 15. */
  retentionDays?: number;
  /** Prometheus's encrypted gp3 volume, GiB (retention by size stops at 85 % of it). Default: 50. */
  storageGiB?: number;
  /** Grafana's encrypted gp3 volume (users, preferences, dashboards saved in the UI), GiB. Default: 10. */
  grafanaStorageGiB?: number;
  /**
   * Requests and limits. Default: Prometheus 250m/1Gi requested, 1 CPU/2Gi limit; Grafana 100m/256Mi,
   * 500m/512Mi; each agent 50m/64Mi, 200m/256Mi.
   */
  resources?: MonitoringResources;
  /** What the release waits for: the node groups and the EBS CSI driver (pass the ComputeCluster). Default: none. */
  waitFor?: pulumi.Resource[];
}

const defaultResources: Required<MonitoringResources> = {
  prometheus: { requests: { cpu: "250m", memory: "1Gi" }, limits: { cpu: "1", memory: "2Gi" } },
  grafana: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
  agent: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "200m", memory: "256Mi" } },
};

function monitoringSettings(args: MonitoringArgs) {
  return {
    namespace: args.namespace ?? defaultMonitoringNamespace,
    nodeExporterNamespace: args.nodeExporterNamespace ?? "monitoring-node",
    lakeWriterNamespace: args.lakeWriterNamespace ?? defaultLakeWriterNamespace,
    sparkNamespace: args.sparkNamespace ?? defaultJobsNamespace,
    // ComputeCluster's default for the metastore role's service account.
    metastoreNamespace: args.metastoreNamespace ?? "hive",
    kubernetesVersion: args.kubernetesVersion ?? defaultKubernetesVersion,
    retentionDays: args.retentionDays ?? 15,
    storageGiB: args.storageGiB ?? 50,
    grafanaStorageGiB: args.grafanaStorageGiB ?? 10,
    resources: { ...defaultResources, ...args.resources },
  };
}
type MonitoringSettings = ReturnType<typeof monitoringSettings>;

function monitoringProblems(s: MonitoringSettings): Problem[] {
  const problems: Problem[] = [];
  const add = (path: (string | number)[], message: string) => problems.push({ path, message });
  const namespaces = [
    "namespace",
    "nodeExporterNamespace",
    "lakeWriterNamespace",
    "sparkNamespace",
    "metastoreNamespace",
  ] as const;
  for (const key of namespaces) {
    if (!dnsLabelPattern.test(s[key]) || s[key].startsWith("kube-"))
      add([key], `"${s[key]}": a Kubernetes namespace name (lowercase DNS label, not kube-*)`);
  }
  if (s.namespace === s.nodeExporterNamespace)
    add(["nodeExporterNamespace"], `"${s.nodeExporterNamespace}": not the restricted monitoring namespace itself`);
  if (!/^1\.\d{2}$/.test(s.kubernetesVersion))
    add(["kubernetesVersion"], `"${s.kubernetesVersion}": a minor version as "1.NN"`);
  if (!Number.isInteger(s.retentionDays) || s.retentionDays < 1 || s.retentionDays > 3650)
    add(["retentionDays"], `${s.retentionDays}: whole days from 1 to 3650`);
  for (const key of ["storageGiB", "grafanaStorageGiB"] as const) {
    if (!Number.isInteger(s[key]) || s[key] < gp3VolumeGiB.min || s[key] > gp3VolumeGiB.max)
      add([key], `${s[key]}: whole GiB from ${gp3VolumeGiB.min} to ${gp3VolumeGiB.max} (a gp3 volume)`);
  }
  for (const [workload, resources] of Object.entries(s.resources))
    problems.push(...containerResourcesProblems(resources, ["resources", workload]));
  return problems;
}

/** The dashboards' JSON models, with their namespace constants set to where the workloads run. */
export function dashboards(namespaces: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    fs
      .readdirSync(dashboardsDir)
      .filter((file) => file.endsWith(".json"))
      .sort()
      .map((file) => {
        const model = JSON.parse(fs.readFileSync(path.join(dashboardsDir, file), "utf8"));
        for (const variable of model.templating?.list ?? []) {
          const value = namespaces[variable.name];
          if (variable.type !== "constant" || value === undefined) continue;
          variable.query = value;
          variable.current = { text: value, value };
          variable.options = [{ text: value, value, selected: true }];
        }
        return [file, JSON.stringify(model)];
      }),
  );
}

/**
 * Prometheus and Grafana for loglake, from the kube-prometheus-stack chart at a pinned version.
 * Prometheus scrapes the cluster (kubelet, kube-state-metrics, node exporter, CoreDNS, API server),
 * the lake writer, the Spark drivers (their own and their executors' metrics), the Hive metastore and
 * both open-monitoring exporters of every MSK broker, and keeps its samples on an encrypted gp3 volume.
 * Grafana reads its admin login from a Secret holding a generated password, and loads the
 * dashboards kept in `dashboards/` through the chart's dashboard sidecar.
 *
 * Everything but the node exporter runs in a namespace that enforces PSA `restricted`, on the system
 * nodes, non-root with every capability dropped, behind default-deny NetworkPolicies with the allows
 * each part needs. The node exporter DaemonSet reads the host's /proc, /sys and root filesystem on
 * the host's network and PID namespace, which only `privileged` admits, so it has a namespace of its
 * own; it is the one workload here that tolerates the spark taint, since a DaemonSet must run on
 * every node. Alertmanager is off: loglake's alarms are CloudWatch alarms to SNS (KafkaCluster).
 *
 * A `helm.v3.Release`, like ClusterAutoscaler, so its values are plain inputs the plan, the tests and
 * the cost estimate read; the objects the chart renders are opaque to the policy pack.
 */
export class Monitoring extends pulumi.ComponentResource {
  public readonly namespace: pulumi.Output<string>;
  public readonly nodeExporterNamespace: pulumi.Output<string>;
  public readonly releaseName: pulumi.Output<string>;
  public readonly storageClassName: pulumi.Output<string>;
  /** Grafana's admin password (secret); also in the Secret `grafana-admin` in the monitoring namespace. */
  public readonly grafanaAdminPassword: pulumi.Output<string>;
  /** `kubectl port-forward` target for Grafana (no Service leaves the cluster). */
  public readonly grafanaService: pulumi.Output<string>;
  public readonly chartVersion: string = kubePrometheusStackChartVersion;

  constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    const s = monitoringSettings(args);
    refuseProblems("Monitoring", name, monitoringProblems(s));
    super("loglake:workloads:Monitoring", name, {}, opts);
    const k8sOpts = { parent: this, provider: args.kubernetesProvider };

    const namespace = new k8s.core.v1.Namespace(
      `${name}-monitoring`,
      { metadata: { name: s.namespace, labels: podSecurityLabels("restricted", s.kubernetesVersion) } },
      k8sOpts,
    );
    const nodeNamespace = new k8s.core.v1.Namespace(
      `${name}-node-exporter`,
      { metadata: { name: s.nodeExporterNamespace, labels: podSecurityLabels("privileged", s.kubernetesVersion) } },
      k8sOpts,
    );
    const ns = namespace.metadata.name;

    const storageClass = new k8s.storage.v1.StorageClass(
      `${name}-gp3-encrypted`,
      {
        metadata: { name: "loglake-gp3-encrypted" },
        provisioner: "ebs.csi.aws.com",
        parameters: {
          type: "gp3",
          encrypted: "true",
          kmsKeyId: args.volumeKmsKeyArn,
          "csi.storage.k8s.io/fstype": "ext4",
        },
        // In the zone of the node the pod is scheduled to: an EBS volume attaches only within its AZ.
        volumeBindingMode: "WaitForFirstConsumer",
        allowVolumeExpansion: true,
        reclaimPolicy: "Delete",
      },
      k8sOpts,
    );

    const password = new random.RandomPassword(
      `${name}-grafana-admin`,
      // Letters and digits only: it travels through an environment variable and the login form.
      { length: 32, special: false },
      { parent: this },
    );
    const adminSecret = new k8s.core.v1.Secret(
      `${name}-grafana-admin`,
      {
        metadata: { name: grafanaAdminSecret, namespace: ns },
        type: "Opaque",
        stringData: { "admin-user": "admin", "admin-password": pulumi.secret(password.result) },
      },
      k8sOpts,
    );

    const models = dashboards({ spark_namespace: s.sparkNamespace, metastore_namespace: s.metastoreNamespace });
    const dashboardMaps = Object.entries(models).map(
      ([file, model]) =>
        new k8s.core.v1.ConfigMap(
          `${name}-dashboard-${file.replace(/\.json$/, "")}`,
          {
            metadata: { name: `dashboard-${file.replace(/\.json$/, "")}`, namespace: ns, labels: dashboardLabel },
            data: { [file]: model },
          },
          k8sOpts,
        ),
    );

    const policies = this.networkPolicies(name, s, args.vpcCidr, ns, nodeNamespace.metadata.name, k8sOpts);

    const values = pulumi
      .all([args.kafkaBootstrapBrokers, storageClass.metadata.name, nodeNamespace.metadata.name])
      .apply(([bootstrapBrokers, storageClassName, nodeExporterNamespace]) =>
        releaseValues(s, { bootstrapBrokers, storageClassName, nodeExporterNamespace }),
      );

    const release = new k8s.helm.v3.Release(
      `${name}-kube-prometheus-stack`,
      {
        name: releaseName,
        namespace: ns,
        createNamespace: false,
        chart: kubePrometheusStackChart,
        version: kubePrometheusStackChartVersion,
        repositoryOpts: { repo: kubePrometheusStackChartRepo },
        values,
        atomic: true,
        cleanupOnFail: true,
        // Prometheus's volume is provisioned on first start, which Helm waits for.
        timeout: 900,
      },
      {
        ...k8sOpts,
        dependsOn: [...(args.waitFor ?? []), adminSecret, ...dashboardMaps, ...policies],
      },
    );

    this.namespace = ns;
    this.nodeExporterNamespace = nodeNamespace.metadata.name;
    this.releaseName = release.name;
    this.storageClassName = storageClass.metadata.name;
    this.grafanaAdminPassword = pulumi.secret(password.result);
    this.grafanaService = pulumi.interpolate`${ns}/svc/${releaseName}-grafana`;
    this.registerOutputs({
      namespace: this.namespace,
      nodeExporterNamespace: this.nodeExporterNamespace,
      releaseName: this.releaseName,
      storageClassName: this.storageClassName,
      grafanaAdminPassword: this.grafanaAdminPassword,
      grafanaService: this.grafanaService,
    });
  }

  /**
   * Default deny in both namespaces, then: DNS; the API server (its endpoints are in the VPC) for
   * the operator, Prometheus's discovery, kube-state-metrics and the dashboard sidecar; traffic
   * inside the monitoring namespace (Grafana to Prometheus, Prometheus to its own exporters); and
   * Prometheus to each scrape target. The node exporter runs on the host network, where
   * NetworkPolicies do not apply, and is scraped at the node's address like the kubelet.
   */
  private networkPolicies(
    name: string,
    s: MonitoringSettings,
    vpcCidr: pulumi.Input<string>,
    ns: pulumi.Output<string>,
    nodeNs: pulumi.Output<string>,
    k8sOpts: pulumi.CustomResourceOptions,
  ): k8s.networking.v1.NetworkPolicy[] {
    const policy = (
      part: string,
      namespace: pulumi.Output<string>,
      spec: k8s.types.input.networking.v1.NetworkPolicySpec,
      objectName = part,
    ) =>
      new k8s.networking.v1.NetworkPolicy(
        `${name}-${part}`,
        { metadata: { name: objectName, namespace }, spec },
        k8sOpts,
      );
    const inNamespace = (namespace: string) => ({
      namespaceSelector: { matchLabels: { [namespaceNameLabel]: namespace } },
    });
    const tcp = (port: number | string) => ({ protocol: "TCP", port });
    const vpc = [{ ipBlock: { cidr: vpcCidr } }];
    const denyAll = { podSelector: {}, policyTypes: ["Ingress", "Egress"] };
    return [
      policy("monitoring-default-deny", ns, denyAll, "default-deny"),
      policy("node-exporter-default-deny", nodeNs, denyAll, "default-deny"),
      policy("within-namespace", ns, {
        podSelector: {},
        policyTypes: ["Ingress", "Egress"],
        ingress: [{ from: [{ podSelector: {} }] }],
        egress: [
          { to: [{ podSelector: {} }] },
          {
            to: [{ ...inNamespace("kube-system"), podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
            ports: [
              { protocol: "UDP", port: 53 },
              { protocol: "TCP", port: 53 },
            ],
          },
          { to: vpc, ports: [tcp(443)] },
        ],
      }),
      policy("prometheus-scrapes", ns, {
        podSelector: { matchLabels: prometheusPods },
        policyTypes: ["Egress"],
        egress: [
          {
            to: [{ ...inNamespace(s.lakeWriterNamespace), podSelector: { matchLabels: lakeWriterPodLabels } }],
            ports: [tcp(sinkMetricsPort)],
          },
          {
            to: [{ ...inNamespace(s.sparkNamespace), podSelector: { matchLabels: { "spark-role": "driver" } } }],
            ports: [tcp(sparkMetrics.uiPort)],
          },
          { to: [inNamespace(s.metastoreNamespace)], ports: [tcp(metricsPortName)] },
          {
            to: [{ ...inNamespace("kube-system"), podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
            ports: [tcp(9153)],
          },
          // MSK's exporters, and the kubelet and node exporter at the nodes' addresses.
          { to: vpc, ports: [tcp(mskExporterPorts.jmx), tcp(mskExporterPorts.node), tcp(10250), tcp(9100)] },
        ],
      }),
    ];
  }
}

const nodeSelector = { [poolLabel]: "system" };

/** The chart's values: only what differs from its defaults, or what loglake relies on staying so. */
function releaseValues(
  s: MonitoringSettings,
  known: { bootstrapBrokers: string; storageClassName: string; nodeExporterNamespace: string },
) {
  const agent = s.resources.agent;
  return {
    fullnameOverride: fullname,
    // EKS runs the control plane: its scheduler, controller manager, etcd and kube-proxy metrics are not reachable.
    kubeControllerManager: { enabled: false },
    kubeScheduler: { enabled: false },
    kubeEtcd: { enabled: false },
    kubeProxy: { enabled: false },
    alertmanager: { enabled: false },
    prometheusOperator: {
      // No webhook: the API server would have to reach into the namespace, and cert-generating Jobs run.
      // The operator's TLS certificate is the webhook's, so its metrics endpoint is plain HTTP in the namespace.
      admissionWebhooks: { enabled: false },
      tls: { enabled: false },
      nodeSelector,
      resources: agent,
      securityContext: restrictedPodSecurityContext,
      containerSecurityContext: restrictedContainerSecurityContext,
      prometheusConfigReloader: { resources: agent },
    },
    prometheus: {
      prometheusSpec: {
        replicas: 1,
        retention: `${s.retentionDays}d`,
        // Prometheus's GB are 2^30 bytes, the volume's GiB.
        retentionSize: `${Math.floor(s.storageGiB * retentionShareOfVolume)}GB`,
        storageSpec: {
          volumeClaimTemplate: {
            spec: {
              storageClassName: known.storageClassName,
              accessModes: ["ReadWriteOnce"],
              resources: { requests: { storage: `${s.storageGiB}Gi` } },
            },
          },
        },
        additionalScrapeConfigs: scrapeConfigs({
          bootstrapBrokers: known.bootstrapBrokers,
          lakeWriterNamespace: s.lakeWriterNamespace,
          sparkNamespace: s.sparkNamespace,
          metastoreNamespace: s.metastoreNamespace,
        }),
        // Monitors other releases add (a PodMonitor beside a workload) are picked up, not only this chart's.
        serviceMonitorSelectorNilUsesHelmValues: false,
        podMonitorSelectorNilUsesHelmValues: false,
        ruleSelectorNilUsesHelmValues: false,
        nodeSelector,
        resources: s.resources.prometheus,
        securityContext: { ...restrictedPodSecurityContext, fsGroupChangePolicy: "OnRootMismatch" },
      },
    },
    grafana: {
      admin: { existingSecret: grafanaAdminSecret, userKey: "admin-user", passwordKey: "admin-password" },
      persistence: {
        enabled: true,
        type: "pvc",
        storageClassName: known.storageClassName,
        accessModes: ["ReadWriteOnce"],
        size: `${s.grafanaStorageGiB}Gi`,
      },
      // A ReadWriteOnce volume attaches to one node: the old pod lets go before the new one starts.
      deploymentStrategy: { type: "Recreate" },
      // The chown init container runs as root; fsGroup gives the volume to Grafana's group instead.
      initChownData: { enabled: false },
      // The chart's test pod has no security context (restricted refuses it) and only runs on `helm test`.
      testFramework: { enabled: false },
      rbac: { namespaced: true },
      nodeSelector,
      resources: s.resources.grafana,
      securityContext: {
        runAsNonRoot: true,
        runAsUser: 472,
        runAsGroup: 472,
        fsGroup: 472,
        seccompProfile: runtimeDefaultSeccomp,
      },
      sidecar: {
        resources: agent,
        dashboards: { enabled: true, ...sidecarLabel(), searchNamespace: s.namespace },
        datasources: { enabled: true, uid: prometheusDatasourceUid },
      },
      "grafana.ini": {
        analytics: { reporting_enabled: false, check_for_updates: false },
        users: { allow_sign_up: false },
        "auth.anonymous": { enabled: false },
      },
    },
    "kube-state-metrics": {
      nodeSelector,
      resources: agent,
      securityContext: { ...restrictedPodSecurityContext, enabled: true },
      containerSecurityContext: restrictedContainerSecurityContext,
    },
    "prometheus-node-exporter": {
      namespaceOverride: known.nodeExporterNamespace,
      resources: agent,
      // The DaemonSet runs on every node: the spark pool's taint is tolerated here and nowhere else.
      tolerations: [{ key: poolLabel, operator: "Equal", value: "spark", effect: "NoSchedule" }],
      containerSecurityContext: restrictedContainerSecurityContext,
    },
  };
}

const sidecarLabel = () => {
  const [[label, labelValue]] = Object.entries(dashboardLabel);
  return { label, labelValue };
};
