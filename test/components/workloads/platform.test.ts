import * as assert from "node:assert/strict";
import * as k8s from "@pulumi/kubernetes";
import { lakeWriterPodLabels, Platform, PlatformArgs } from "../../../components/workloads/platform";
import { present, Registered, registered } from "../../support/offline";
import { plannedStack } from "../../support/plans";

const args = (change: Partial<PlatformArgs> = {}): PlatformArgs => ({
  kubernetesProvider: new k8s.Provider("k8s", { kubeconfig: "{}" }),
  vpcCidr: "10.20.0.0/16",
  ...change,
});

interface PolicySpec {
  podSelector: { matchLabels?: Record<string, string> };
  policyTypes: string[];
  ingress?: unknown[];
  egress?: {
    to: {
      ipBlock?: { cidr: string; except?: string[] };
      namespaceSelector?: { matchLabels: Record<string, string> };
      podSelector?: { matchLabels: Record<string, string> };
    }[];
    ports: { protocol: string; port: number }[];
  }[];
}
const policy = (r: Registered, part: string) => {
  const resource = r.get("kubernetes:networking.k8s.io/v1:NetworkPolicy", `acme-lake-writer-${part}`);
  return {
    resource,
    metadata: resource.inputs.metadata as { name: string; namespace: string },
    spec: resource.inputs.spec as PolicySpec,
  };
};

describe("Platform", () => {
  let resources: Registered;
  before(async () => {
    ({ resources } = await registered(() => new Platform("acme", args())));
  });

  it("creates the lake writer's namespace with Pod Security Admission restricted enforced, pinned to the cluster's version", () => {
    const ns = resources.get("kubernetes:core/v1:Namespace", "acme-lake-writer");
    const metadata = ns.inputs.metadata as { name: string; labels: Record<string, string> };
    assert.equal(metadata.name, "loglake");
    assert.deepEqual(metadata.labels, {
      "pod-security.kubernetes.io/enforce": "restricted",
      "pod-security.kubernetes.io/enforce-version": "v1.36",
      "pod-security.kubernetes.io/audit": "restricted",
      "pod-security.kubernetes.io/audit-version": "v1.36",
      "pod-security.kubernetes.io/warn": "restricted",
      "pod-security.kubernetes.io/warn-version": "v1.36",
    });
    assert.match(present(ns.options.provider, "provider"), /pulumi:providers:kubernetes::k8s::/);
  });

  it("denies all ingress and egress in the namespace by default", () => {
    const { metadata, spec } = policy(resources, "default-deny");
    assert.deepEqual(metadata, { name: "default-deny", namespace: "loglake" });
    assert.deepEqual(spec, { podSelector: {}, policyTypes: ["Ingress", "Egress"] });
  });

  it("lets the lake writer reach DNS, the AWS APIs over HTTPS and MSK's IAM port inside the VPC only", () => {
    const { metadata, spec } = policy(resources, "egress");
    assert.equal(metadata.namespace, "loglake");
    assert.deepEqual(spec.podSelector, { matchLabels: lakeWriterPodLabels });
    assert.deepEqual(spec.policyTypes, ["Egress"]);
    assert.equal(spec.ingress, undefined, "no ingress allowed");
    const [dns, https, kafka] = present(spec.egress, "egress");
    assert.deepEqual(dns.to, [
      {
        namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
        podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
      },
    ]);
    assert.deepEqual(dns.ports, [
      { protocol: "UDP", port: 53 },
      { protocol: "TCP", port: 53 },
    ]);
    assert.deepEqual(https.to, [{ ipBlock: { cidr: "0.0.0.0/0", except: ["169.254.0.0/16"] } }]);
    assert.deepEqual(https.ports, [{ protocol: "TCP", port: 443 }]);
    assert.deepEqual(kafka.to, [{ ipBlock: { cidr: "10.20.0.0/16" } }]);
    assert.deepEqual(kafka.ports, [{ protocol: "TCP", port: 9098 }]);
  });

  it("admits only the monitoring namespace, only to the lake writer's metrics port", async () => {
    const { metadata, spec } = policy(resources, "metrics");
    assert.equal(metadata.namespace, "loglake");
    assert.deepEqual(spec.podSelector.matchLabels, lakeWriterPodLabels);
    assert.deepEqual(spec.policyTypes, ["Ingress"]);
    assert.deepEqual(spec.ingress, [
      {
        from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } }],
        ports: [{ protocol: "TCP", port: 9464 }],
      },
    ]);
    const { resources: other } = await registered(() => new Platform("acme", args({ monitoringNamespace: "observe" })));
    assert.deepEqual(policy(other, "metrics").spec.ingress, [
      {
        from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "observe" } } }],
        ports: [{ protocol: "TCP", port: 9464 }],
      },
    ]);
    assert.throws(
      () => new Platform("acme", args({ monitoringNamespace: "kube-monitoring" })),
      /monitoringNamespace: "kube-monitoring": a Kubernetes namespace name/,
    );
  });

  it("accepts narrower AWS API blocks, another namespace and version", async () => {
    const { resources: other } = await registered(
      () =>
        new Platform(
          "acme",
          args({ awsApiCidrs: ["10.20.0.0/16"], lakeWriterNamespace: "sink", kubernetesVersion: "1.35" }),
        ),
    );
    const { metadata, spec } = policy(other, "egress");
    assert.equal(metadata.namespace, "sink");
    assert.deepEqual(present(spec.egress, "egress")[1].to, [{ ipBlock: { cidr: "10.20.0.0/16" } }]);
    const ns = other.get("kubernetes:core/v1:Namespace", "acme-lake-writer");
    const labels = (ns.inputs.metadata as { labels: Record<string, string> }).labels;
    assert.equal(labels["pod-security.kubernetes.io/enforce-version"], "v1.35");
  });

  it("refuses args Kubernetes would refuse, naming each", () => {
    assert.throws(
      () =>
        new Platform(
          "acme",
          args({ lakeWriterNamespace: "kube-loglake", awsApiCidrs: ["10.20.0.1/16", "any"], kubernetesVersion: "136" }),
        ),
      (error: Error) =>
        /Platform acme: invalid args/.test(error.message) &&
        /lakeWriterNamespace: "kube-loglake": a Kubernetes namespace name/.test(error.message) &&
        /awsApiCidrs\[0\]: "10\.20\.0\.1\/16": has host bits set/.test(error.message) &&
        /awsApiCidrs\[1\]: "any": an IPv4 CIDR block/.test(error.message) &&
        /kubernetesVersion: "136": a minor version/.test(error.message),
    );
    assert.throws(
      () => new Platform("acme", args({ awsApiCidrs: [] })),
      /awsApiCidrs: at least one block: the lake writer needs S3 and STS/,
    );
  });
});

describe("Platform in the program", () => {
  it("puts the lake writer's namespace where its IRSA role's service account lives", async () => {
    const plan = await plannedStack("prod");
    const ns = present(
      plan.resources.find(
        (r) =>
          r.type === "kubernetes:core/v1:Namespace" &&
          r.parent?.includes("loglake:workloads:Platform") &&
          (r.inputs.metadata as { labels?: Record<string, string> }).labels?.["pod-security.kubernetes.io/enforce"] ===
            "restricted",
      ),
      "the Platform's restricted namespace",
    );
    const name = (ns.inputs.metadata as { name: string }).name;
    const role = present(
      plan.resources.find((r) => r.type === "aws:iam/role:Role" && r.name.endsWith("-lake-writer")),
      "the lake writer role",
    );
    assert.match(role.inputs.assumeRolePolicy as string, new RegExp(`system:serviceaccount:${name}:lake-writer`));
  });
});
