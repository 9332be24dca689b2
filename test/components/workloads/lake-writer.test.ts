import * as assert from "node:assert/strict";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as k8s from "@pulumi/kubernetes";
import { poolLabel } from "../../../components/compute/compute-cluster";
import { contentTag } from "../../../components/workloads/container-image";
import { LakeWriter, LakeWriterArgs, metricsPortName } from "../../../components/workloads/lake-writer";
import { lakeWriterPodLabels } from "../../../components/workloads/platform";
import { nonRootId } from "../../../components/workloads/pod-security";
import { RegisteredResource, valueOf } from "../../../infra/offline/engine";
import { MOCK_ACCOUNT_ID } from "../../../infra/offline/mocks";
import {
  defaultConsumerGroup,
  sinkMetricsPort,
  defaultRawPrefix,
  lakeWriterImage,
  sinkDefaults,
} from "../../../runtime/sink/deployment";
import { policyOf, present, Registered, registered } from "../../support/offline";
import { plannedStack } from "../../support/plans";

const keyArn = (id: string) => `arn:aws:kms:eu-west-1:${MOCK_ACCOUNT_ID}:key/${id}`;
const roleArn = `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/acme-lake-writer`;
const brokers = "b-1.acme.kafka.eu-west-1.amazonaws.com:9098,b-2.acme.kafka.eu-west-1.amazonaws.com:9098";
const args = (change: Partial<LakeWriterArgs> = {}): LakeWriterArgs => ({
  kubernetesProvider: new k8s.Provider("k8s", { kubeconfig: "{}" }),
  roleArn,
  imagesKeyArn: keyArn("images"),
  kafka: { bootstrapBrokersIam: brokers, topics: ["logs.raw", "logs.audit"] },
  region: "eu-west-1",
  rawBucketName: "acme-raw",
  lakeKeyArn: keyArn("lake"),
  ...change,
});

interface Probe {
  httpGet: { path: string; port: string };
  periodSeconds: number;
  failureThreshold: number;
}
interface Container {
  name: string;
  image: string;
  args: string[];
  env: { name: string; value?: string; valueFrom?: { fieldRef: { fieldPath: string } } }[];
  ports: { name: string; containerPort: number; protocol: string }[];
  startupProbe: Probe;
  readinessProbe: Probe;
  livenessProbe: Probe;
  resources: { requests: Record<string, string>; limits: Record<string, string> };
  securityContext: Record<string, unknown>;
}
interface PodSpec {
  serviceAccountName: string;
  automountServiceAccountToken: boolean;
  securityContext: Record<string, unknown>;
  terminationGracePeriodSeconds: number;
  nodeSelector: Record<string, string>;
  tolerations?: unknown[];
  affinity?: unknown;
  topologySpreadConstraints?: {
    maxSkew: number;
    topologyKey: string;
    whenUnsatisfiable: string;
    labelSelector: { matchLabels: Record<string, string> };
  }[];
  containers: Container[];
}
interface DeploymentSpec {
  replicas: number;
  selector: { matchLabels: Record<string, string> };
  strategy: { rollingUpdate: { maxSurge: number; maxUnavailable: number } };
  template: { metadata: { labels: Record<string, string>; annotations: Record<string, string> }; spec: PodSpec };
}

const deploymentOf = (r: Registered, name = "acme") => r.get("kubernetes:apps/v1:Deployment", `${name}-deployment`);
const specOf = (deployment: RegisteredResource) => deployment.inputs.spec as DeploymentSpec;
const podOf = (r: Registered) => specOf(deploymentOf(r)).template.spec;
const containerOf = (r: Registered) => podOf(r).containers[0];
/** The value after `flag` in the sink's arguments, or every value of a repeated flag. */
const flag = (argv: string[], name: string) => argv.filter((_, i) => argv[i - 1] === name);
const refusal = (change: Partial<LakeWriterArgs>) =>
  registered(() => new LakeWriter("bad", args(change))).then(
    () => assert.fail("accepted"),
    (error: Error) => error.message,
  );

describe("LakeWriter", () => {
  let resources: Registered;
  let writer: LakeWriter;
  before(async () => {
    ({ resources, result: writer } = await registered(() => new LakeWriter("acme", args())));
  });

  it("runs every container non-root with a read-only root filesystem, no privilege escalation and no capabilities", () => {
    const pod = podOf(resources);
    assert.deepEqual(pod.securityContext, {
      runAsNonRoot: true,
      runAsUser: nonRootId,
      runAsGroup: nonRootId,
      fsGroup: nonRootId,
      seccompProfile: { type: "RuntimeDefault" },
    });
    assert.equal(pod.containers.length, 1);
    assert.deepEqual(containerOf(resources).securityContext, {
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    });
    assert.equal(pod.automountServiceAccountToken, false, "no Kubernetes API token in a pod that never calls it");
  });

  it("requests and limits CPU and memory by default", () => {
    assert.deepEqual(containerOf(resources).resources, {
      requests: { cpu: "500m", memory: "1Gi" },
      limits: { cpu: "2", memory: "2Gi" },
    });
  });

  it("gives a stopping writer longer than a flush interval plus its upload to write and commit", async () => {
    assert.equal(podOf(resources).terminationGracePeriodSeconds, sinkDefaults.flushSeconds + 60);
    assert.equal(writer.terminationGracePeriodSeconds, podOf(resources).terminationGracePeriodSeconds);
    const { resources: slow } = await registered(
      () => new LakeWriter("acme", args({ flushSeconds: 299.5, shutdownUploadSeconds: 90 })),
    );
    const pod = podOf(slow);
    assert.ok(pod.terminationGracePeriodSeconds > 299.5 + 90, String(pod.terminationGracePeriodSeconds));
    assert.ok(Number.isInteger(pod.terminationGracePeriodSeconds));
    assert.deepEqual(flag(pod.containers[0].args, "--flush-seconds"), ["299.5"]);
  });

  it("runs on the system nodes only, tolerating no taint (the Spark nodes' least of all)", () => {
    const pod = podOf(resources);
    assert.deepEqual(pod.nodeSelector, { [poolLabel]: "system" });
    assert.equal(pod.tolerations, undefined);
    assert.equal(pod.affinity, undefined);
  });

  it("spreads two or more writers across zones strictly and across nodes where it can", () => {
    const spec = specOf(deploymentOf(resources));
    assert.equal(spec.replicas, 2);
    assert.deepEqual(
      spec.template.spec.topologySpreadConstraints?.map((c) => [c.topologyKey, c.whenUnsatisfiable, c.maxSkew]),
      [
        ["topology.kubernetes.io/zone", "DoNotSchedule", 1],
        ["kubernetes.io/hostname", "ScheduleAnyway", 1],
      ],
    );
    for (const constraint of spec.template.spec.topologySpreadConstraints!)
      assert.deepEqual(constraint.labelSelector, { matchLabels: lakeWriterPodLabels });
    assert.deepEqual(spec.strategy.rollingUpdate, { maxSurge: 1, maxUnavailable: 0 });
  });

  it("lets a drain take one writer at a time when there are several, and sets no budget for a single writer", async () => {
    const budget = resources.get("kubernetes:policy/v1:PodDisruptionBudget", "acme-disruption-budget");
    assert.deepEqual(budget.inputs.spec, { maxUnavailable: 1, selector: { matchLabels: lakeWriterPodLabels } });
    assert.equal((budget.inputs.metadata as { namespace: string }).namespace, "loglake");
    const { resources: single } = await registered(() => new LakeWriter("acme", args({ replicas: 1 })));
    assert.deepEqual(single.ofType("kubernetes:policy/v1:PodDisruptionBudget"), []);
    assert.equal(podOf(single).topologySpreadConstraints, undefined);
  });

  it("labels its pods so the Platform's NetworkPolicies select them, and selects exactly those pods", () => {
    const spec = specOf(deploymentOf(resources));
    assert.deepEqual(spec.template.metadata.labels, lakeWriterPodLabels);
    assert.deepEqual(spec.selector, { matchLabels: lakeWriterPodLabels });
  });

  it("runs as the service account the IRSA role trusts, annotated with that role", () => {
    const account = resources.get("kubernetes:core/v1:ServiceAccount", "acme-service-account");
    assert.deepEqual(account.inputs.metadata, {
      name: "lake-writer",
      namespace: "loglake",
      labels: lakeWriterPodLabels,
      annotations: { "eks.amazonaws.com/role-arn": roleArn },
    });
    assert.equal(podOf(resources).serviceAccountName, "lake-writer");
    assert.equal((deploymentOf(resources).inputs.metadata as { namespace: string }).namespace, "loglake");
  });

  it("reads MSK over IAM and writes the raw prefix under the lake key, with its pod name as static membership", () => {
    const container = containerOf(resources);
    const argv = container.args;
    assert.deepEqual(flag(argv, "--iam-brokers"), [brokers]);
    assert.deepEqual(flag(argv, "--region"), ["eu-west-1"]);
    assert.deepEqual(flag(argv, "--topic"), ["logs.raw", "logs.audit"]);
    assert.deepEqual(flag(argv, "--group"), [defaultConsumerGroup]);
    assert.deepEqual(flag(argv, "--bucket"), ["acme-raw"]);
    assert.deepEqual(flag(argv, "--prefix"), [defaultRawPrefix]);
    assert.deepEqual(flag(argv, "--kms-key-id"), [keyArn("lake")]);
    assert.deepEqual(flag(argv, "--flush-mb"), [String(sinkDefaults.flushMb)]);
    assert.deepEqual(flag(argv, "--instance-id"), ["$(POD_NAME)"]);
    assert.deepEqual(
      argv.filter((a) => a === "--brokers" || a === "--cluster-arn"),
      [],
      "one way to reach Kafka",
    );
    assert.deepEqual(container.env, [
      { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
      { name: "AWS_REGION", value: "eu-west-1" },
    ]);
  });

  it("serves metrics on a named port that Prometheus is told to scrape, and is probed on /healthz there", () => {
    const container = containerOf(resources);
    assert.deepEqual(container.ports, [{ name: metricsPortName, containerPort: sinkMetricsPort, protocol: "TCP" }]);
    assert.deepEqual(flag(container.args, "--metrics-port"), [String(sinkMetricsPort)]);
    for (const probe of [container.startupProbe, container.readinessProbe, container.livenessProbe])
      assert.deepEqual(probe.httpGet, { path: "/healthz", port: metricsPortName });
    assert.deepEqual(specOf(deploymentOf(resources)).template.metadata.annotations, {
      "prometheus.io/scrape": "true",
      "prometheus.io/port": String(sinkMetricsPort),
      "prometheus.io/path": "/metrics",
    });
  });

  it("runs the image built from runtime/sink/Dockerfile into an ECR repository under the images key", async () => {
    const image = resources.get("awsx:ecr:Image", "acme-image");
    assert.equal(image.inputs.dockerfile, join(lakeWriterImage.context, "runtime", "sink", "Dockerfile"));
    assert.equal(image.inputs.context, lakeWriterImage.context);
    assert.equal(
      writer.imageTag,
      contentTag(lakeWriterImage.context, [lakeWriterImage.dockerfile, ...lakeWriterImage.contentPaths]),
    );
    const uri = await valueOf(writer.imageUri);
    assert.equal(containerOf(resources).image, uri);
    assert.match(uri, new RegExp(`:${writer.imageTag}@sha256:[0-9a-f]{64}$`));
    const repository = resources.get("aws:ecr/repository:Repository", "acme-image");
    assert.deepEqual(repository.inputs.encryptionConfigurations, [{ encryptionType: "KMS", kmsKey: keyArn("images") }]);
  });

  it("gets a new image tag when the runtime code it copies changes, and keeps it when anything else does", () => {
    const copy = mkdtempSync(join(tmpdir(), "lake-writer-context-"));
    try {
      for (const path of [lakeWriterImage.dockerfile, ...lakeWriterImage.contentPaths, "README.md"])
        cpSync(join(lakeWriterImage.context, path), join(copy, path), { recursive: true });
      const paths = [lakeWriterImage.dockerfile, ...lakeWriterImage.contentPaths];
      const before = contentTag(copy, paths);
      writeFileSync(join(copy, "README.md"), "changed\n");
      assert.equal(contentTag(copy, paths), before, "a README change is not a rebuild");
      writeFileSync(join(copy, "runtime", "sink", "sink.ts"), "// changed\n", { flag: "a" });
      assert.notEqual(contentTag(copy, paths), before, "a sink change is a new image");
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it("refuses impossible settings, naming each", async () => {
    const message = await refusal({
      replicas: 0,
      kafka: { bootstrapBrokersIam: brokers, topics: [] },
      serviceAccount: { namespace: "Loglake", name: "lake-writer" },
      resources: { requests: { cpu: "4", memory: "lots" }, limits: { cpu: "2", memory: "2Gi" } },
      flushSeconds: 0,
      shutdownUploadSeconds: 0.5,
    });
    for (const expected of [
      /replicas: 0: a whole number of writers, at least 1/,
      /kafka\.topics: at least one topic/,
      /serviceAccount\.namespace: "Loglake": a Kubernetes name/,
      /resources\.requests\.cpu: above its limit \(2\)/,
      /resources\.requests\.memory: a Kubernetes quantity/,
      /flushSeconds: 0: more than 0 seconds/,
      /shutdownUploadSeconds: 0\.5: a whole number of seconds/,
    ])
      assert.match(message, expected);
  });
});

describe("LakeWriter in the program", () => {
  for (const stack of ["dev", "prod"]) {
    it(`${stack}: runs as the service account the lake-writer role trusts and reads the stack's MSK brokers`, async () => {
      const plan = await plannedStack(stack);
      const role = present(
        plan.resources.find((x) => x.type === "aws:iam/role:Role" && x.name.endsWith("-lake-writer")),
        "the lake-writer role",
      );
      const [statement] = policyOf(role, "assumeRolePolicy").Statement;
      const sub = Object.entries(present(statement.Condition?.StringEquals, "StringEquals")).find(([k]) =>
        k.endsWith(":sub"),
      );
      const account = present(
        plan.resources.find(
          (x) => x.type === "kubernetes:core/v1:ServiceAccount" && x.name.endsWith("-service-account"),
        ),
        "the lake writer's service account",
      );
      const metadata = account.inputs.metadata as {
        name: string;
        namespace: string;
        annotations: Record<string, string>;
      };
      assert.equal(present(sub, "sub condition")[1], `system:serviceaccount:${metadata.namespace}:${metadata.name}`);
      assert.match(metadata.annotations["eks.amazonaws.com/role-arn"], new RegExp(`:role/${role.name}$`));

      const namespace = present(
        plan.resources.find((x) => x.type === "kubernetes:core/v1:Namespace" && x.name.endsWith("-lake-writer")),
        "the Platform's lake writer namespace",
      );
      assert.equal((namespace.inputs.metadata as { name: string }).name, metadata.namespace);

      const deployment = present(
        plan.resources.find((x) => x.type === "kubernetes:apps/v1:Deployment"),
        "the lake writer's Deployment",
      );
      const argv = specOf(deployment).template.spec.containers[0].args;
      assert.deepEqual(flag(argv, "--iam-brokers"), [await valueOf(plan.result.kafkaBootstrapBrokersIam)]);
      const buckets = (await valueOf(plan.result.buckets)) as Record<string, { name: string }>;
      assert.deepEqual(flag(argv, "--bucket"), [buckets.raw.name]);
      const keys = (await valueOf(plan.result.keyArns)) as Record<string, string>;
      assert.deepEqual(flag(argv, "--kms-key-id"), [keys.lake]);
      const lag = present(
        plan.resources.find(
          (x) => x.type === "aws:cloudwatch/metricAlarm:MetricAlarm" && JSON.stringify(x.inputs).includes("OffsetLag"),
        ),
        "the consumer-lag alarm",
      );
      const dimensions = JSON.stringify(lag.inputs);
      for (const value of [...flag(argv, "--topic"), ...flag(argv, "--group")])
        assert.ok(dimensions.includes(value), value);
      const objects = plan.resources.filter((x) => x.type.startsWith("kubernetes:") && x.parent === deployment.parent);
      // dev's single writer has no PodDisruptionBudget; prod's three have one.
      assert.deepEqual(
        objects.map((x) => x.type.split(":").at(-1)).sort(),
        stack === "dev" ? ["Deployment", "ServiceAccount"] : ["Deployment", "PodDisruptionBudget", "ServiceAccount"],
      );
      for (const object of objects)
        assert.ok(object.options.dependsOn.includes(namespace.urn), `${object.name} waits for the namespace`);
    });
  }
});
