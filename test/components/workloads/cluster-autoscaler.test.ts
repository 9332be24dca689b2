import * as assert from "node:assert/strict";
import * as k8s from "@pulumi/kubernetes";
import { ComputeCluster, ComputeClusterArgs, poolLabel } from "../../../components/compute/compute-cluster";
import { eksKubernetesVersions } from "../../../components/compute/kubernetes-versions";
import {
  ClusterAutoscaler,
  ClusterAutoscalerArgs,
  clusterAutoscalerChartRepo,
  clusterAutoscalerChartVersion,
  clusterAutoscalerImageTags,
} from "../../../components/workloads/cluster-autoscaler";
import { RegisteredResource, valueOf } from "../../../infra/offline/engine";
import { MOCK_ACCOUNT_ID } from "../../../infra/offline/mocks";
import { policyOf, present, Registered, registered } from "../../support/offline";
import { plannedStack } from "../../support/plans";

const keyArn = (id: string) => `arn:aws:kms:eu-west-1:${MOCK_ACCOUNT_ID}:key/${id}`;
const computeArgs: ComputeClusterArgs = {
  clusterName: "acme-eks",
  vpcId: "vpc-0123456789abcdef0",
  privateSubnetIds: ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2", "subnet-0aaaaaaaaaaaaaaa3"],
  secretsKmsKeyArn: keyArn("cluster-secrets"),
  logsKmsKeyArn: keyArn("logs"),
  storage: {
    rawBucketArn: "arn:aws:s3:::acme-raw",
    lakeBucketArn: "arn:aws:s3:::acme-lake",
    lakeKeyArn: keyArn("lake"),
  },
};
const roleArn = `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/acme-cluster-autoscaler`;
const args = (change: Partial<ClusterAutoscalerArgs> = {}): ClusterAutoscalerArgs => ({
  kubernetesProvider: new k8s.Provider("k8s", { kubeconfig: "{}" }),
  clusterName: "acme-eks",
  region: "eu-west-1",
  roleArn,
  ...change,
});

interface Values {
  cloudProvider: string;
  awsRegion: string;
  autoDiscovery: { clusterName: string; tags: string[] };
  image: { tag: string };
  replicaCount: number;
  rbac: { serviceAccount: { create: boolean; name: string; annotations: Record<string, string> } };
  extraArgs: Record<string, unknown>;
  nodeSelector: Record<string, string>;
  tolerations?: unknown[];
  securityContext: Record<string, unknown>;
  containerSecurityContext: Record<string, unknown>;
  resources: { requests: Record<string, string>; limits: Record<string, string> };
  podDisruptionBudget: Record<string, unknown>;
  topologySpreadConstraints?: { topologyKey: string; whenUnsatisfiable: string }[];
}
const release = (r: Registered) => r.get("kubernetes:helm.sh/v3:Release", "acme-release");
const valuesOf = (resource: RegisteredResource) => resource.inputs.values as Values;

describe("ClusterAutoscaler", () => {
  let resources: Registered;
  let values: Values;
  before(async () => {
    ({ resources } = await registered(() => new ClusterAutoscaler("acme", args())));
    values = valuesOf(release(resources));
  });

  it("installs the upstream chart at the pinned version into kube-system, on the cluster's provider", () => {
    const r = release(resources);
    assert.equal(r.inputs.chart, "cluster-autoscaler");
    assert.equal(r.inputs.version, clusterAutoscalerChartVersion);
    assert.match(clusterAutoscalerChartVersion, /^\d+\.\d+\.\d+$/, "an exact version, not a range");
    assert.deepEqual(r.inputs.repositoryOpts, { repo: clusterAutoscalerChartRepo });
    assert.equal(clusterAutoscalerChartRepo, "https://kubernetes.github.io/autoscaler");
    assert.equal(r.inputs.namespace, "kube-system");
    assert.equal(r.inputs.createNamespace, false);
    assert.equal(r.inputs.atomic, true, "a failed upgrade rolls back");
    assert.match(present(r.options.provider, "provider"), /pulumi:providers:kubernetes::k8s::/);
  });

  it("runs the autoscaler release that matches the cluster's Kubernetes minor version", () => {
    assert.equal(values.image.tag, "v1.36.1");
    for (const version of Object.keys(eksKubernetesVersions))
      assert.match(clusterAutoscalerImageTags[version] ?? "", new RegExp(`^v${version.replace(".", "\\.")}\\.\\d+$`));
  });

  it("discovers the node groups by the tags ComputeCluster puts on their auto scaling groups", async () => {
    assert.equal(values.cloudProvider, "aws");
    assert.equal(values.awsRegion, "eu-west-1");
    assert.equal(values.autoDiscovery.clusterName, "acme-eks");
    const { resources: compute } = await registered(() => new ComputeCluster("acme", computeArgs));
    const tagKeys = new Set(
      compute.ofType("aws:autoscaling/tag:Tag").map((t) => (t.inputs.tag as { key: string }).key),
    );
    for (const tag of values.autoDiscovery.tags) assert.ok(tagKeys.has(tag), `the node groups carry ${tag}`);
    assert.deepEqual(values.autoDiscovery.tags, [
      "k8s.io/cluster-autoscaler/enabled",
      "k8s.io/cluster-autoscaler/acme-eks",
    ]);
  });

  it("runs on the system nodes only, non-root with a read-only root filesystem and no capabilities", () => {
    assert.deepEqual(values.nodeSelector, { [poolLabel]: "system" });
    assert.equal(values.tolerations, undefined, "never on the spark nodes it scales");
    assert.deepEqual(values.securityContext, {
      runAsNonRoot: true,
      runAsUser: 65534,
      runAsGroup: 65534,
      fsGroup: 65534,
      seccompProfile: { type: "RuntimeDefault" },
    });
    assert.deepEqual(values.containerSecurityContext, {
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    });
  });

  it("requests and limits CPU and memory, and stays evictable for node drains", () => {
    assert.deepEqual(values.resources, {
      requests: { cpu: "100m", memory: "300Mi" },
      limits: { cpu: "1", memory: "600Mi" },
    });
    assert.deepEqual(values.podDisruptionBudget, { maxUnavailable: 1 });
    assert.equal(values.replicaCount, 1);
    assert.equal(values.topologySpreadConstraints, undefined);
  });

  it("picks the least wasteful group, balances similar ones and scales down nodes that ran emptyDir pods", () => {
    assert.equal(values.extraArgs.expander, "least-waste");
    assert.equal(values.extraArgs["balance-similar-node-groups"], true);
    assert.equal(values.extraArgs["skip-nodes-with-local-storage"], false);
  });

  it("annotates the chart's service account with the IRSA role", () => {
    assert.deepEqual(values.rbac.serviceAccount, {
      create: true,
      name: "cluster-autoscaler",
      annotations: { "eks.amazonaws.com/role-arn": roleArn },
    });
  });

  it("spreads more than one replica across zones", async () => {
    const { resources: spread } = await registered(() => new ClusterAutoscaler("acme", args({ replicas: 2 })));
    const v = valuesOf(release(spread));
    assert.equal(v.replicaCount, 2);
    assert.deepEqual(
      v.topologySpreadConstraints?.map((c) => [c.topologyKey, c.whenUnsatisfiable]),
      [["topology.kubernetes.io/zone", "DoNotSchedule"]],
    );
  });

  it("accepts another expander, a service account and resources", async () => {
    const { resources: other } = await registered(
      () =>
        new ClusterAutoscaler(
          "acme",
          args({
            expander: "random",
            balanceSimilarNodeGroups: false,
            kubernetesVersion: "1.34",
            serviceAccount: { namespace: "autoscaling", name: "ca" },
            resources: { requests: { cpu: "200m", memory: "512Mi" }, limits: { cpu: "2", memory: "1Gi" } },
          }),
        ),
    );
    const r = release(other);
    const v = valuesOf(r);
    assert.equal(r.inputs.namespace, "autoscaling");
    assert.equal(v.rbac.serviceAccount.name, "ca");
    assert.equal(v.extraArgs.expander, "random");
    assert.equal(v.extraArgs["balance-similar-node-groups"], false);
    assert.equal(v.image.tag, "v1.34.5");
    assert.equal(v.resources.limits.memory, "1Gi");
  });

  it("refuses args the chart or Kubernetes would refuse, naming each", () => {
    assert.throws(
      () =>
        new ClusterAutoscaler(
          "acme",
          args({
            serviceAccount: { namespace: "Kube_System", name: "cluster-autoscaler" },
            kubernetesVersion: "1.29",
            expander: "cheapest" as never,
            replicas: 0,
            resources: { requests: { cpu: "lots", memory: "300Mi" }, limits: { cpu: "1", memory: "600Mi" } },
          }),
        ),
      (error: Error) =>
        /ClusterAutoscaler acme: invalid args/.test(error.message) &&
        /serviceAccount\.namespace: "Kube_System": a Kubernetes name/.test(error.message) &&
        /kubernetesVersion: "1\.29": cluster-autoscaler releases are listed for 1\.36/.test(error.message) &&
        /expander: "cheapest": one of least-waste/.test(error.message) &&
        /replicas: 0: 1 to 3/.test(error.message) &&
        /resources\.requests\.cpu: a Kubernetes quantity/.test(error.message),
    );
  });
});

describe("ClusterAutoscaler in the program", () => {
  for (const stack of ["dev", "prod"]) {
    it(`${stack}: its service account is the one the cluster-autoscaler role trusts, annotated with that role`, async () => {
      const plan = await plannedStack(stack);
      const r = plan.resources.find(
        (x) => x.type === "kubernetes:helm.sh/v3:Release" && x.inputs.chart === "cluster-autoscaler",
      );
      const v = valuesOf(present(r, "the cluster-autoscaler release"));
      const role = present(
        plan.resources.find((x) => x.type === "aws:iam/role:Role" && x.name.endsWith("-cluster-autoscaler")),
        "the cluster-autoscaler role",
      );
      const [statement] = policyOf(role, "assumeRolePolicy").Statement;
      const sub = Object.entries(present(statement.Condition?.StringEquals, "StringEquals")).find(([k]) =>
        k.endsWith(":sub"),
      );
      assert.equal(
        present(sub, "sub condition")[1],
        `system:serviceaccount:${r!.inputs.namespace}:${v.rbac.serviceAccount.name}`,
      );
      assert.match(v.rbac.serviceAccount.annotations["eks.amazonaws.com/role-arn"], new RegExp(`:role/${role.name}$`));
      assert.equal(v.autoDiscovery.clusterName, await valueOf(plan.result.eksClusterName));
      const systemNodes = present(
        plan.resources.find((x) => x.type === "eks:index:ManagedNodeGroup" && x.name.endsWith("-system")),
        "the system node group",
      );
      assert.ok(r!.options.dependsOn.includes(systemNodes.urn), "Helm waits for a pod that needs the system nodes");
    });
  }
});
