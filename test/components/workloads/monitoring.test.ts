import * as assert from "node:assert/strict";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
  dashboards,
  kubePrometheusStackChartRepo,
  kubePrometheusStackChartVersion,
  Monitoring,
  MonitoringArgs,
} from "../../../components/workloads/monitoring";
import { scrapeJobs } from "../../../components/workloads/scrape-configs";
import { RegisteredResource, valueOf } from "../../../infra/offline/engine";
import { MOCK_ACCOUNT_ID } from "../../../infra/offline/mocks";
import { present, Registered, registered } from "../../support/offline";
import { plannedStack } from "../../support/plans";

const volumeKey = `arn:aws:kms:eu-west-1:${MOCK_ACCOUNT_ID}:key/node-volumes`;
const brokers = [1, 2, 3].map((i) => `b-${i}.acme.abc123.c2.kafka.eu-west-1.amazonaws.com:9098`).join(",");
const args = (change: Partial<MonitoringArgs> = {}): MonitoringArgs => ({
  kubernetesProvider: new k8s.Provider("k8s", { kubeconfig: "{}" }),
  vpcCidr: "10.20.0.0/16",
  kafkaBootstrapBrokers: brokers,
  volumeKmsKeyArn: volumeKey,
  ...change,
});

type Json = Record<string, unknown>;
type Resources = { requests: { cpu: string; memory: string }; limits: { cpu: string; memory: string } };
interface ScrapeConfig {
  job_name: string;
  metrics_path?: string;
  kubernetes_sd_configs?: { role: string; namespaces: { names: string[] } }[];
  static_configs?: { targets: string[] }[];
  relabel_configs: { source_labels: string[]; regex?: string; action?: string }[];
}
interface Values {
  alertmanager: { enabled: boolean };
  prometheusOperator: Json & { admissionWebhooks: { enabled: boolean }; tls: Json; resources: Resources };
  prometheus: {
    prometheusSpec: Json & {
      retention: string;
      retentionSize: string;
      resources: Resources;
      storageSpec: { volumeClaimTemplate: { spec: Json } };
      additionalScrapeConfigs: ScrapeConfig[];
    };
  };
  grafana: Json & {
    admin: { existingSecret: string; userKey: string; passwordKey: string };
    persistence: Json;
    initChownData: { enabled: boolean };
    testFramework: { enabled: boolean };
    sidecar: { resources: Resources; dashboards: Json };
    resources: Resources;
  };
  "kube-state-metrics": Json & { resources: Resources };
  "prometheus-node-exporter": Json & { resources: Resources; tolerations: Json[] };
}

const release = (r: Registered) => r.get("kubernetes:helm.sh/v3:Release", "acme-kube-prometheus-stack");
const valuesOf = (r: Registered) => release(r).inputs.values as Values;
const metadataOf = (resource: RegisteredResource) =>
  resource.inputs.metadata as { name: string; namespace?: string; labels?: Record<string, string> };
const policySpec = (r: Registered, part: string) =>
  r.get("kubernetes:networking.k8s.io/v1:NetworkPolicy", `acme-${part}`).inputs.spec as {
    podSelector: { matchLabels?: Record<string, string> };
    policyTypes: string[];
    egress?: { to?: Json[]; ports?: { protocol: string; port: number | string }[] }[];
    ingress?: Json[];
  };
const job = (values: Values, name: string) =>
  present(
    values.prometheus.prometheusSpec.additionalScrapeConfigs.find((c) => c.job_name === name),
    `scrape job ${name}`,
  );

/** Every key path in the values whose last key is `key`, with the value there. */
function findKey(value: unknown, key: string, at = ""): [string, unknown][] {
  if (!value || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([k, v]) => [
    ...(k === key ? ([[`${at}${k}`, v]] as [string, unknown][]) : []),
    ...findKey(v, key, `${at}${k}.`),
  ]);
}

describe("Monitoring", () => {
  let resources: Registered;
  let values: Values;
  let result: Monitoring;
  before(async () => {
    ({ resources, result } = await registered(() => new Monitoring("acme", args())));
    values = valuesOf(resources);
  });

  describe("namespaces", () => {
    it("enforces PSA restricted in the monitoring namespace, pinned to the cluster's version", () => {
      const { name, labels } = metadataOf(resources.get("kubernetes:core/v1:Namespace", "acme-monitoring"));
      assert.equal(name, "monitoring");
      for (const mode of ["enforce", "audit", "warn"]) {
        assert.equal(labels?.[`pod-security.kubernetes.io/${mode}`], "restricted", mode);
        assert.equal(labels?.[`pod-security.kubernetes.io/${mode}-version`], "v1.36", mode);
      }
    });

    it("puts the node exporter alone in a privileged namespace: host network, PID and paths, which baseline forbids", () => {
      const { name, labels } = metadataOf(resources.get("kubernetes:core/v1:Namespace", "acme-node-exporter"));
      assert.equal(name, "monitoring-node");
      assert.equal(labels?.["pod-security.kubernetes.io/enforce"], "privileged");
      assert.equal(values["prometheus-node-exporter"].namespaceOverride, "monitoring-node");
    });
  });

  describe("the release", () => {
    it("installs kube-prometheus-stack at the pinned version, atomically, into the monitoring namespace", () => {
      const inputs = release(resources).inputs;
      assert.equal(inputs.chart, "kube-prometheus-stack");
      assert.equal(inputs.version, kubePrometheusStackChartVersion);
      assert.match(String(inputs.version), /^\d+\.\d+\.\d+$/);
      assert.deepEqual(inputs.repositoryOpts, { repo: kubePrometheusStackChartRepo });
      assert.equal(inputs.namespace, "monitoring");
      assert.equal(inputs.name, "monitoring");
      assert.equal(inputs.createNamespace, false);
      assert.equal(inputs.atomic, true);
    });

    it("waits for what it is given, and for its Secret, dashboards and NetworkPolicies", async () => {
      const { resources: waiting } = await registered(() => {
        const nodes = new k8s.core.v1.Namespace("nodes", { metadata: { name: "elsewhere" } });
        return new Monitoring("acme", args({ waitFor: [nodes] }));
      });
      const dependsOn = release(waiting).options.dependsOn;
      const urnOf = (type: string, name: string) => waiting.get(type, name).urn;
      assert.ok(dependsOn.includes(urnOf("kubernetes:core/v1:Namespace", "nodes")));
      assert.ok(dependsOn.includes(urnOf("kubernetes:core/v1:Secret", "acme-grafana-admin")));
      for (const map of waiting.ofType("kubernetes:core/v1:ConfigMap")) assert.ok(dependsOn.includes(map.urn));
      for (const p of waiting.ofType("kubernetes:networking.k8s.io/v1:NetworkPolicy"))
        assert.ok(dependsOn.includes(p.urn));
    });

    it("leaves out what EKS does not expose, alertmanager and the admission webhook", () => {
      const v = values as unknown as Record<string, { enabled?: boolean }>;
      for (const part of ["kubeControllerManager", "kubeScheduler", "kubeEtcd", "kubeProxy", "alertmanager"])
        assert.equal(v[part].enabled, false, part);
      assert.equal(values.prometheusOperator.admissionWebhooks.enabled, false);
      // Its TLS secret is the webhook's, which nothing would create.
      assert.deepEqual(values.prometheusOperator.tls, { enabled: false });
    });
  });

  describe("pods", () => {
    it("runs every pod non-root with seccomp RuntimeDefault, every container without escalation or capabilities", () => {
      const pods = [
        values.prometheusOperator.securityContext,
        values.prometheus.prometheusSpec.securityContext,
        values.grafana.securityContext,
        values["kube-state-metrics"].securityContext,
      ] as Json[];
      for (const pod of pods) {
        assert.equal(pod.runAsNonRoot, true);
        assert.notEqual(pod.runAsUser, 0);
        assert.deepEqual(pod.seccompProfile, { type: "RuntimeDefault" });
      }
      const containers = [
        values.prometheusOperator.containerSecurityContext,
        values["kube-state-metrics"].containerSecurityContext,
        values["prometheus-node-exporter"].containerSecurityContext,
      ] as Json[];
      for (const container of containers) {
        assert.equal(container.allowPrivilegeEscalation, false);
        assert.equal(container.readOnlyRootFilesystem, true);
        assert.deepEqual(container.capabilities, { drop: ["ALL"] });
      }
      // Grafana's chart sets escalation off and drops every capability itself; its root chown init
      // container and its test pod would be refused by restricted.
      assert.equal(values.grafana.initChownData.enabled, false);
      assert.equal(values.grafana.testFramework.enabled, false);
      assert.equal(findKey(values, "privileged").length, 0);
      assert.equal(
        findKey(values, "hostNetwork").length,
        0,
        "the node exporter keeps its chart's host access, nothing else asks",
      );
    });

    it("requests and limits CPU and memory for every container", () => {
      const all = [
        values.prometheusOperator.resources,
        values.prometheusOperator.prometheusConfigReloader as Resources,
        values.prometheus.prometheusSpec.resources,
        values.grafana.resources,
        values.grafana.sidecar.resources,
        values["kube-state-metrics"].resources,
        values["prometheus-node-exporter"].resources,
      ].map((r) => ("resources" in r ? (r as { resources: Resources }).resources : r));
      for (const r of all)
        for (const kind of ["requests", "limits"] as const)
          for (const resource of ["cpu", "memory"] as const) assert.match(r[kind][resource], /^\d+(m|Mi|Gi)?$/);
      assert.deepEqual(values.prometheus.prometheusSpec.resources, {
        requests: { cpu: "250m", memory: "1Gi" },
        limits: { cpu: "1", memory: "2Gi" },
      });
    });

    it("places everything but the node exporter on the system nodes; only the node exporter tolerates the spark taint", () => {
      const selectors = findKey(values, "nodeSelector");
      assert.deepEqual(selectors.map(([at]) => at).sort(), [
        "grafana.nodeSelector",
        "kube-state-metrics.nodeSelector",
        "prometheus.prometheusSpec.nodeSelector",
        "prometheusOperator.nodeSelector",
      ]);
      for (const [, selector] of selectors) assert.deepEqual(selector, { "loglake.io/pool": "system" });
      assert.deepEqual(findKey(values, "tolerations"), [
        [
          "prometheus-node-exporter.tolerations",
          [{ key: "loglake.io/pool", operator: "Equal", value: "spark", effect: "NoSchedule" }],
        ],
      ]);
    });
  });

  describe("storage", () => {
    it("provisions encrypted gp3 volumes with the volume key through the EBS CSI driver, in the pod's zone", () => {
      const storageClass = resources.get("kubernetes:storage.k8s.io/v1:StorageClass", "acme-gp3-encrypted");
      assert.equal(storageClass.inputs.provisioner, "ebs.csi.aws.com");
      assert.deepEqual(storageClass.inputs.parameters, {
        type: "gp3",
        encrypted: "true",
        kmsKeyId: volumeKey,
        "csi.storage.k8s.io/fstype": "ext4",
      });
      assert.equal(storageClass.inputs.volumeBindingMode, "WaitForFirstConsumer");
    });

    it("keeps Prometheus's samples for the retention, on a volume of the given size, stopping at 85 % of it", async () => {
      const spec = values.prometheus.prometheusSpec;
      assert.equal(spec.retention, "15d");
      assert.equal(spec.retentionSize, "42GB");
      assert.deepEqual(spec.storageSpec.volumeClaimTemplate.spec, {
        storageClassName: "loglake-gp3-encrypted",
        accessModes: ["ReadWriteOnce"],
        resources: { requests: { storage: "50Gi" } },
      });
      assert.deepEqual(values.grafana.persistence, {
        enabled: true,
        type: "pvc",
        storageClassName: "loglake-gp3-encrypted",
        accessModes: ["ReadWriteOnce"],
        size: "10Gi",
      });
      const { resources: sized } = await registered(
        () => new Monitoring("acme", args({ retentionDays: 30, storageGiB: 200, grafanaStorageGiB: 5 })),
      );
      const other = valuesOf(sized);
      assert.equal(other.prometheus.prometheusSpec.retention, "30d");
      assert.equal(other.prometheus.prometheusSpec.retentionSize, "170GB");
      assert.equal(other.grafana.persistence.size, "5Gi");
    });
  });

  describe("Grafana", () => {
    it("reads its admin login from a Secret holding a generated password, which never appears in the values", async () => {
      const password = resources.get("random:index/randomPassword:RandomPassword", "acme-grafana-admin");
      assert.equal(password.inputs.length, 32);
      const secret = resources.get("kubernetes:core/v1:Secret", "acme-grafana-admin");
      assert.deepEqual(metadataOf(secret), { name: "grafana-admin", namespace: "monitoring" });
      assert.equal(secret.inputs.stringData, "[secret]", "the Secret's data is registered as a secret");
      assert.deepEqual(values.grafana.admin, {
        existingSecret: "grafana-admin",
        userKey: "admin-user",
        passwordKey: "admin-password",
      });
      assert.equal(findKey(values, "adminPassword").length, 0);
      assert.equal(await pulumi.isSecret(result.grafanaAdminPassword), true);
      assert.match(await valueOf(result.grafanaAdminPassword), /^[A-Za-z0-9]{32}$/);
      assert.doesNotMatch(JSON.stringify(values), new RegExp(await valueOf(result.grafanaAdminPassword)));
      // The Grafana subchart names its Service after the release: what README's port-forward uses.
      assert.equal(await valueOf(result.grafanaService), "monitoring/svc/monitoring-grafana");
    });

    it("loads each dashboard from a labelled ConfigMap in its own namespace", () => {
      const maps = resources.ofType("kubernetes:core/v1:ConfigMap");
      assert.deepEqual(maps.map((m) => metadataOf(m).name).sort(), [
        "dashboard-kafka",
        "dashboard-metastore",
        "dashboard-pipeline",
        "dashboard-spark",
      ]);
      for (const map of maps) {
        assert.deepEqual(metadataOf(map).labels, { grafana_dashboard: "1" });
        assert.equal(metadataOf(map).namespace, "monitoring");
      }
      assert.deepEqual(values.grafana.sidecar.dashboards, {
        enabled: true,
        label: "grafana_dashboard",
        labelValue: "1",
        searchNamespace: "monitoring",
      });
    });
  });

  describe("dashboards", () => {
    const models = Object.entries(dashboards({ spark_namespace: "etl", metastore_namespace: "catalog" })).map(
      ([file, text]) => [file, JSON.parse(text)] as [string, Json & { panels: Json[]; templating: { list: Json[] } }],
    );
    const jobs = new Set<string>(Object.values(scrapeJobs));

    it("has the pipeline, Kafka, Spark and metastore dashboards, each with a unique uid and a title", () => {
      assert.deepEqual(
        models.map(([file]) => file),
        ["kafka.json", "metastore.json", "pipeline.json", "spark.json"],
      );
      const uids = models.map(([, model]) => model.uid);
      assert.equal(new Set(uids).size, uids.length);
      for (const [file, model] of models) assert.match(String(model.title), /^loglake \/ /, file);
    });

    it("queries only the provisioned Prometheus data source, and only jobs Prometheus scrapes", () => {
      for (const [file, model] of models) {
        assert.ok(model.panels.length >= 6, `${file} has ${model.panels.length} panels`);
        for (const panel of model.panels) {
          assert.deepEqual(panel.datasource, { type: "prometheus", uid: "prometheus" }, `${file}: ${panel.title}`);
          for (const target of panel.targets as { expr: string }[]) {
            assert.ok(target.expr.length > 0, `${file}: ${panel.title} has an empty query`);
            for (const [, name] of target.expr.matchAll(/job="([^"]+)"/g))
              assert.ok(jobs.has(name), `${file}: ${panel.title} queries job "${name}", which nothing scrapes`);
          }
        }
      }
    });

    it("sets the namespace constants to where Spark and the metastore run", () => {
      const constant = (file: string, name: string) =>
        present(
          models.find(([f]) => f === file)?.[1].templating.list.find((v) => v.name === name),
          `${name} in ${file}`,
        );
      assert.equal(constant("spark.json", "spark_namespace").query, "etl");
      assert.equal(constant("metastore.json", "metastore_namespace").query, "catalog");
    });
  });

  describe("scrape jobs", () => {
    it("scrapes both open-monitoring exporters of every MSK broker", () => {
      const hosts = brokers.split(",").map((b) => b.replace(/:9098$/, ""));
      assert.deepEqual(job(values, "msk-jmx").static_configs, [{ targets: hosts.map((h) => `${h}:11001`) }]);
      assert.deepEqual(job(values, "msk-node").static_configs, [{ targets: hosts.map((h) => `${h}:11002`) }]);
    });

    it("scrapes the lake writer's pods on 9464, and the Spark drivers' UI for driver and executor metrics", () => {
      const writer = job(values, "lake-writer");
      assert.deepEqual(writer.kubernetes_sd_configs, [{ role: "pod", namespaces: { names: ["loglake"] } }]);
      assert.equal(writer.metrics_path, "/metrics");
      assert.ok(
        writer.relabel_configs.some(
          (r) =>
            r.source_labels[0] === "__meta_kubernetes_pod_label_app_kubernetes_io_name" && r.regex === "lake-writer",
        ),
      );
      assert.ok(writer.relabel_configs.some((r) => r.regex === "9464" && r.action === "keep"));
      assert.equal(job(values, "spark-driver").metrics_path, "/metrics/prometheus");
      assert.equal(job(values, "spark-executors").metrics_path, "/metrics/executors/prometheus");
      for (const name of ["spark-driver", "spark-executors"]) {
        const spark = job(values, name);
        assert.deepEqual(spark.kubernetes_sd_configs, [{ role: "pod", namespaces: { names: ["spark-jobs"] } }]);
        assert.ok(
          spark.relabel_configs.some((r) => r.regex === "driver" && r.action === "keep"),
          name,
        );
        assert.ok(
          spark.relabel_configs.some((r) => r.regex === "4040" && r.action === "keep"),
          name,
        );
      }
      const metastore = job(values, "hive-metastore");
      assert.deepEqual(metastore.kubernetes_sd_configs, [{ role: "pod", namespaces: { names: ["hive"] } }]);
      assert.ok(metastore.relabel_configs.some((r) => r.regex === "metrics" && r.action === "keep"));
    });

    it("follows the namespaces it is given", async () => {
      const { resources: other } = await registered(
        () =>
          new Monitoring(
            "acme",
            args({ lakeWriterNamespace: "sink", sparkNamespace: "etl", metastoreNamespace: "catalog" }),
          ),
      );
      const names = (name: string) => job(valuesOf(other), name).kubernetes_sd_configs?.[0].namespaces.names;
      assert.deepEqual(names("lake-writer"), ["sink"]);
      assert.deepEqual(names("spark-driver"), ["etl"]);
      assert.deepEqual(names("hive-metastore"), ["catalog"]);
    });
  });

  describe("NetworkPolicies", () => {
    it("denies everything by default in both namespaces", () => {
      for (const part of ["monitoring-default-deny", "node-exporter-default-deny"])
        assert.deepEqual(policySpec(resources, part), { podSelector: {}, policyTypes: ["Ingress", "Egress"] }, part);
    });

    it("lets Prometheus out to its scrape targets only", () => {
      const spec = policySpec(resources, "prometheus-scrapes");
      assert.deepEqual(spec.podSelector.matchLabels, { "app.kubernetes.io/name": "prometheus" });
      assert.deepEqual(spec.policyTypes, ["Egress"]);
      const egress = present(spec.egress, "egress");
      const ports = egress.map((rule) => rule.ports?.map((p) => p.port));
      assert.deepEqual(ports, [[9464], [4040], ["metrics"], [9153], [11001, 11002, 10250, 9100]]);
      assert.deepEqual(egress[0].to, [
        {
          namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "loglake" } },
          podSelector: { matchLabels: { "app.kubernetes.io/name": "lake-writer" } },
        },
      ]);
      assert.deepEqual(egress[4].to, [{ ipBlock: { cidr: "10.20.0.0/16" } }]);
    });

    it("allows traffic inside the namespace, DNS and the API server's endpoints in the VPC", () => {
      const spec = policySpec(resources, "within-namespace");
      assert.deepEqual(spec.ingress, [{ from: [{ podSelector: {} }] }]);
      const egress = present(spec.egress, "egress");
      assert.deepEqual(egress[0], { to: [{ podSelector: {} }] });
      assert.deepEqual(egress[1].ports, [
        { protocol: "UDP", port: 53 },
        { protocol: "TCP", port: 53 },
      ]);
      assert.deepEqual(egress[2], {
        to: [{ ipBlock: { cidr: "10.20.0.0/16" } }],
        ports: [{ protocol: "TCP", port: 443 }],
      });
    });
  });

  it("refuses args Kubernetes or EBS would refuse, naming each", () => {
    assert.throws(
      () =>
        new Monitoring(
          "acme",
          args({
            namespace: "kube-monitoring",
            sparkNamespace: "Spark",
            retentionDays: 0,
            storageGiB: 20000,
            grafanaStorageGiB: 1.5,
            kubernetesVersion: "136",
            resources: {
              prometheus: { requests: { cpu: "lots", memory: "1Gi" }, limits: { cpu: "1", memory: "2Gi" } },
            },
          }),
        ),
      (error: Error) =>
        /Monitoring acme: invalid args/.test(error.message) &&
        /namespace: "kube-monitoring": a Kubernetes namespace name/.test(error.message) &&
        /sparkNamespace: "Spark": a Kubernetes namespace name/.test(error.message) &&
        /retentionDays: 0: whole days from 1 to 3650/.test(error.message) &&
        /storageGiB: 20000: whole GiB from 1 to 16384/.test(error.message) &&
        /grafanaStorageGiB: 1\.5: whole GiB/.test(error.message) &&
        /kubernetesVersion: "136": a minor version/.test(error.message) &&
        /resources\.prometheus\.requests\.cpu: a Kubernetes quantity/.test(error.message),
    );
    assert.throws(
      () => new Monitoring("acme", args({ nodeExporterNamespace: "monitoring" })),
      /nodeExporterNamespace: "monitoring": not the restricted monitoring namespace itself/,
    );
  });
});

describe("Monitoring in the program", () => {
  it("scrapes the stack's own MSK brokers, keeps prod's retention, and encrypts with the cluster's volume key", async () => {
    const plan = await plannedStack("prod");
    const stack = present(
      plan.resources.find(
        (r) => r.type === "kubernetes:helm.sh/v3:Release" && r.name.endsWith("-kube-prometheus-stack"),
      ),
      "the kube-prometheus-stack release",
    );
    const values = stack.inputs.values as Values;
    assert.equal(values.prometheus.prometheusSpec.retention, "30d");
    const brokerTargets = present(
      values.prometheus.prometheusSpec.additionalScrapeConfigs.find((c) => c.job_name === "msk-jmx")?.static_configs,
      "MSK targets",
    )[0].targets;
    const msk = present(
      plan.resources.find((r) => r.type === "aws:msk/cluster:Cluster"),
      "the MSK cluster",
    );
    assert.equal(brokerTargets.length, msk.inputs.numberOfBrokerNodes);
    const storageClass = present(
      plan.resources.find((r) => r.type === "kubernetes:storage.k8s.io/v1:StorageClass"),
      "the StorageClass",
    );
    const grant = present(
      plan.resources.find((r) => r.type === "aws:kms/grant:Grant" && r.name.endsWith("-node-volumes")),
      "the node volume grant",
    );
    assert.equal((storageClass.inputs.parameters as Json).kmsKeyId, grant.inputs.keyId);
  });
});
