import * as assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as k8s from "@pulumi/kubernetes";
import { ComputeCluster, poolLabel } from "../../../components/compute/compute-cluster";
import { HiveMetastore, HiveMetastoreArgs } from "../../../components/workloads/hive-metastore";
import { RegisteredResource, valueOf } from "../../../infra/offline/engine";
import { MOCK_ACCOUNT_ID } from "../../../infra/offline/mocks";
import {
  bootstrapFiles,
  hiveImageFiles,
  hiveImageBuildArgs,
  hiveImageJars,
  hiveImagePaths,
  hiveRuntimeDir,
  hiveUid,
  hiveVersion,
  loginRestartWindowSeconds,
  metastoreMetricsPort,
} from "../../../runtime/hive/deployment";
import { policyOf, present, Registered, registered } from "../../support/offline";

const secretArn = (name: string) => `arn:aws:secretsmanager:eu-west-1:${MOCK_ACCOUNT_ID}:secret:${name}-AbCdEf`;
const roleArn = `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/acme-hive-metastore`;
const lakeKeyArn = `arn:aws:kms:eu-west-1:${MOCK_ACCOUNT_ID}:key/lake`;
const oidcProviderUrl = "https://oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF";
const args = (change: Partial<HiveMetastoreArgs> = {}): HiveMetastoreArgs => ({
  kubernetesProvider: new k8s.Provider("k8s", { kubeconfig: "{}" }),
  oidcProviderArn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF`,
  oidcProviderUrl,
  roleArn,
  roleName: "acme-hive-metastore",
  lake: {
    bucketName: "acme-lake",
    bucketArn: "arn:aws:s3:::acme-lake",
    kmsKeyArn: lakeKeyArn,
  },
  database: {
    address: "acme-metastore.cabcdefghijk.eu-west-1.rds.amazonaws.com",
    port: 5432,
    name: "metastore",
    masterSecretArn: secretArn("acme-master"),
    hiveSecretArn: secretArn("acme-hive"),
    secretsKmsKeyArn: `arn:aws:kms:eu-west-1:${MOCK_ACCOUNT_ID}:key/metastore`,
  },
  imagesKmsKeyArn: `arn:aws:kms:eu-west-1:${MOCK_ACCOUNT_ID}:key/images`,
  vpcCidr: "10.20.0.0/16",
  ...change,
});

type Container = {
  name: string;
  image: string;
  args?: string[];
  command?: string[];
  env: { name: string; value: string }[];
  securityContext: Record<string, unknown>;
  resources: { requests: Record<string, string>; limits: Record<string, string> };
  volumeMounts: { name: string; mountPath: string; readOnly?: boolean }[];
  livenessProbe?: { exec: { command: string[] } };
  readinessProbe?: Record<string, unknown>;
};
type PodSpec = {
  nodeSelector: Record<string, string>;
  tolerations?: unknown[];
  serviceAccountName: string;
  automountServiceAccountToken: boolean;
  securityContext: Record<string, unknown>;
  initContainers?: Container[];
  containers: Container[];
  volumes: { name: string; csi?: { driver: string; volumeAttributes: Record<string, string> } }[];
  topologySpreadConstraints?: { topologyKey: string; whenUnsatisfiable: string }[];
  affinity?: unknown;
};
const podOf = (r: RegisteredResource) => (r.inputs.spec as { template: { spec: PodSpec } }).template.spec;
const envOf = (c: Container) => Object.fromEntries(c.env.map((e) => [e.name, e.value]));
const T = {
  deployment: "kubernetes:apps/v1:Deployment",
  job: "kubernetes:batch/v1:Job",
  spc: "kubernetes:secrets-store.csi.x-k8s.io/v1:SecretProviderClass",
  netpol: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
  sa: "kubernetes:core/v1:ServiceAccount",
};

describe("HiveMetastore", () => {
  let resources: Registered;
  let metastore: HiveMetastore;
  let deployment: RegisteredResource;
  let pod: PodSpec;
  before(async () => {
    ({ resources, result: metastore } = await registered(() => new HiveMetastore("acme", args())));
    deployment = resources.get(T.deployment, "acme-metastore");
    pod = podOf(deployment);
  });

  describe("the namespace", () => {
    it("enforces Pod Security Admission restricted, pinned to the cluster's minor", () => {
      const ns = resources.get("kubernetes:core/v1:Namespace", "acme-hive");
      const { name, labels } = ns.inputs.metadata as { name: string; labels: Record<string, string> };
      assert.equal(name, "hive");
      assert.equal(labels["pod-security.kubernetes.io/enforce"], "restricted");
      assert.match(labels["pod-security.kubernetes.io/enforce-version"], /^v1\.\d{2}$/);
    });

    it("denies everything by default and allows DNS and PostgreSQL in the VPC out, 9083 in from the Spark jobs", () => {
      const spec = (policy: string) =>
        resources.get(T.netpol, `acme-hive-${policy}`).inputs.spec as Record<string, unknown>;
      assert.deepEqual(spec("default-deny"), { podSelector: {}, policyTypes: ["Ingress", "Egress"] });
      const egress = spec("database-egress").egress as { to: unknown[]; ports: { protocol: string; port: number }[] }[];
      assert.deepEqual(egress[1], {
        to: [{ ipBlock: { cidr: "10.20.0.0/16" } }],
        ports: [{ protocol: "TCP", port: 5432 }],
      });
      assert.deepEqual(
        egress[0].ports.map((p) => `${p.protocol}/${p.port}`),
        ["UDP/53", "TCP/53"],
      );
      assert.equal(egress.length, 2, "no other egress (the CSI driver, not the pods, calls Secrets Manager)");
      const ingress = spec("metastore-ingress");
      assert.deepEqual(ingress.podSelector, { matchLabels: { "app.kubernetes.io/name": "hive-metastore" } });
      assert.deepEqual(ingress.ingress, [
        {
          from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "spark-jobs" } } }],
          ports: [{ protocol: "TCP", port: 9083 }],
        },
      ]);
    });
  });

  describe("S3 and metrics", () => {
    const spec = (policy: string) =>
      resources.get(T.netpol, `acme-hive-${policy}`).inputs.spec as Record<string, unknown>;
    const metastorePods = { matchLabels: { "app.kubernetes.io/name": "hive-metastore" } };

    it("lets the metastore's pods open HTTPS to S3 and STS anywhere but link-local addresses, and nothing else", () => {
      assert.deepEqual(spec("metastore-aws-egress"), {
        podSelector: metastorePods,
        policyTypes: ["Egress"],
        egress: [
          {
            to: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["169.254.0.0/16"] } }],
            ports: [{ protocol: "TCP", port: 443 }],
          },
        ],
      });
    });

    it("narrows that egress to the blocks given (every API an interface endpoint)", async () => {
      const { resources: narrowed } = await registered(
        () => new HiveMetastore("acme", args({ awsApiCidrs: ["10.20.0.0/16"] })),
      );
      const egress = (narrowed.get(T.netpol, "acme-hive-metastore-aws-egress").inputs.spec as { egress: unknown[] })
        .egress;
      assert.deepEqual(egress, [
        { to: [{ ipBlock: { cidr: "10.20.0.0/16" } }], ports: [{ protocol: "TCP", port: 443 }] },
      ]);
    });

    it("admits the monitoring namespace to the metrics port only", () => {
      assert.deepEqual(spec("metrics-ingress"), {
        podSelector: metastorePods,
        policyTypes: ["Ingress"],
        ingress: [
          {
            from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } }],
            ports: [{ protocol: "TCP", port: "metrics" }],
          },
        ],
      });
    });

    it("serves the exporter's metrics on the port named metrics, which Prometheus's metastore job keeps", () => {
      const [container] = pod.containers as (Container & { ports: { name: string; containerPort: number }[] })[];
      assert.deepEqual(container.ports, [
        { name: "thrift", containerPort: 9083 },
        { name: "metrics", containerPort: metastoreMetricsPort },
      ]);
      assert.equal(envOf(container).HIVE_METRICS_PORT, String(metastoreMetricsPort));
    });

    it("points S3A at the region's endpoint, the warehouse of the lake bucket and the lake key", async () => {
      const env = envOf(pod.containers[0]);
      assert.equal(await valueOf(env.S3_ENDPOINT), "s3.eu-west-1.amazonaws.com");
      assert.equal(await valueOf(env.HIVE_WAREHOUSE), "s3a://acme-lake/warehouse");
      assert.equal(await valueOf(env.LAKE_KMS_KEY_ARN), lakeKeyArn);
      const schematool = podOf(resources.get(T.job, "acme-schema")).containers[0];
      assert.equal(envOf(schematool).S3_ENDPOINT, undefined, "schematool never opens S3");
    });

    it("grants the metastore role the warehouse prefix's directories and the lake key through S3, nothing more", () => {
      const policy = policyOf(resources.get("aws:iam/rolePolicy:RolePolicy", "acme-hive-metastore-warehouse"));
      assert.equal(
        resources.get("aws:iam/rolePolicy:RolePolicy", "acme-hive-metastore-warehouse").inputs.role,
        "acme-hive-metastore",
      );
      assert.deepEqual(policy.Statement, [
        {
          Sid: "ListWarehouse",
          Effect: "Allow",
          Action: "s3:ListBucket",
          Resource: "arn:aws:s3:::acme-lake",
          Condition: { StringLike: { "s3:prefix": ["warehouse/*", "warehouse", ""] } },
        },
        {
          Sid: "CheckLakeBucket",
          Effect: "Allow",
          Action: "s3:ListBucket",
          Resource: "arn:aws:s3:::acme-lake",
          Condition: { Null: { "s3:prefix": "true" } },
        },
        {
          Sid: "ProbeWarehouseRoot",
          Effect: "Allow",
          Action: "s3:GetObject",
          Resource: "arn:aws:s3:::acme-lake/warehouse",
        },
        {
          Sid: "WarehouseDirectories",
          Effect: "Allow",
          Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
          Resource: "arn:aws:s3:::acme-lake/warehouse/*",
        },
        {
          Sid: "LakeKeyThroughS3",
          Effect: "Allow",
          Action: ["kms:Decrypt", "kms:GenerateDataKey"],
          Resource: lakeKeyArn,
          Condition: { StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" } },
        },
      ]);
    });

    it("follows another warehouse prefix in the role's rights and the warehouse URI", async () => {
      const { resources: other } = await registered(
        () => new HiveMetastore("acme", args({ lake: { ...args().lake, warehousePrefix: "tables/iceberg/" } })),
      );
      const policy = policyOf(other.get("aws:iam/rolePolicy:RolePolicy", "acme-hive-metastore-warehouse"));
      assert.deepEqual(
        policy.Statement.map((s) => s.Resource),
        [
          "arn:aws:s3:::acme-lake",
          "arn:aws:s3:::acme-lake",
          "arn:aws:s3:::acme-lake/tables/iceberg",
          "arn:aws:s3:::acme-lake/tables/iceberg/*",
          lakeKeyArn,
        ],
      );
      const env = envOf(podOf(other.get(T.deployment, "acme-metastore")).containers[0]);
      assert.equal(await valueOf(env.HIVE_WAREHOUSE), "s3a://acme-lake/tables/iceberg");
    });
  });

  describe("the metastore Deployment", () => {
    it("runs two replicas on the system nodes, tolerating no taint, spread over zones and hosts", () => {
      assert.equal((deployment.inputs.spec as { replicas: number }).replicas, 2);
      assert.deepEqual(pod.nodeSelector, { [poolLabel]: "system" });
      assert.equal(pod.tolerations, undefined, "never on the spark nodes");
      assert.deepEqual(
        pod.topologySpreadConstraints?.map((c) => `${c.topologyKey}:${c.whenUnsatisfiable}`),
        ["topology.kubernetes.io/zone:DoNotSchedule"],
      );
      assert.match(JSON.stringify(pod.affinity), /"topologyKey":"kubernetes.io\/hostname"/);
    });

    it("keeps a replica up through drains (PodDisruptionBudget) and rollouts (surge before removal)", () => {
      const pdb = resources.get("kubernetes:policy/v1:PodDisruptionBudget", "acme-metastore");
      assert.deepEqual(pdb.inputs.spec, {
        maxUnavailable: 1,
        selector: { matchLabels: { "app.kubernetes.io/name": "hive-metastore" } },
      });
      assert.deepEqual((deployment.inputs.spec as { strategy: unknown }).strategy, {
        type: "RollingUpdate",
        rollingUpdate: { maxUnavailable: 0, maxSurge: 1 },
      });
    });

    it("with one replica has neither a PodDisruptionBudget (it would block every drain) nor a spread", async () => {
      const { resources: single } = await registered(() => new HiveMetastore("acme", args({ replicas: 1 })));
      assert.equal(single.ofType("kubernetes:policy/v1:PodDisruptionBudget").length, 0);
      assert.equal(podOf(single.get(T.deployment, "acme-metastore")).topologySpreadConstraints, undefined);
    });

    it("runs as the image's hive user, non-root, read-only, without capabilities, with RuntimeDefault seccomp", () => {
      assert.deepEqual(pod.securityContext, {
        runAsNonRoot: true,
        runAsUser: hiveUid,
        runAsGroup: hiveUid,
        fsGroup: hiveUid,
        seccompProfile: { type: "RuntimeDefault" },
      });
      const [container] = pod.containers;
      assert.deepEqual(container.securityContext, {
        runAsNonRoot: true,
        runAsUser: hiveUid,
        runAsGroup: hiveUid,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ["ALL"] },
        seccompProfile: { type: "RuntimeDefault" },
      });
      assert.ok(
        container.volumeMounts.some((m) => m.mountPath === "/tmp"),
        "Hive writes below /tmp (an emptyDir)",
      );
      assert.equal(pod.automountServiceAccountToken, false, "the pods never call the Kubernetes API");
    });

    it("requests and limits CPU and memory and sizes the heap to 75% of the memory limit", () => {
      const [container] = pod.containers;
      assert.deepEqual(container.resources, {
        requests: { cpu: "500m", memory: "1536Mi" },
        limits: { cpu: "2", memory: "1536Mi" },
      });
      assert.equal(envOf(container).HADOOP_HEAPSIZE, "1152");
    });

    it("runs the image built from runtime/hive, its login read from the CSI volume over verified TLS", async () => {
      const [container] = pod.containers;
      assert.equal(await valueOf(container.image), await valueOf(metastore.imageUri));
      assert.deepEqual(container.args, ["serve"]);
      const env = envOf(container);
      assert.equal(
        await valueOf(env.HIVE_JDBC_URL),
        `jdbc:postgresql://acme-metastore.cabcdefghijk.eu-west-1.rds.amazonaws.com:5432/metastore?sslmode=verify-full&sslrootcert=${hiveImagePaths.rdsCaBundle}`,
      );
      const secrets = present(
        pod.volumes.find((v) => v.csi),
        "the CSI volume",
      );
      assert.deepEqual(secrets.csi?.driver, "secrets-store.csi.k8s.io");
      assert.equal(secrets.csi?.volumeAttributes.secretProviderClass, "hive-login");
      assert.ok(container.volumeMounts.some((m) => m.mountPath === env.HIVE_LOGIN_DIR && m.readOnly));
    });

    it("restarts a container whose login the rotation replaced (liveness), each replica at its own moment, and serves only once listening", () => {
      const [container] = pod.containers;
      assert.deepEqual(container.livenessProbe?.exec.command, [hiveImagePaths.entryPoint, "login-current"]);
      assert.equal(envOf(container).HIVE_LOGIN_RESTART_WINDOW_SECONDS, String(loginRestartWindowSeconds));
      assert.deepEqual(container.readinessProbe, { tcpSocket: { port: 9083 }, periodSeconds: 10 });
      assert.match(readFileSync(join(hiveRuntimeDir, "hive.sh"), "utf8"), /^ {2}login-current\)$/m);
    });

    it("is reached through a ClusterIP Service on 9083, the URI the Spark jobs' catalog uses", () => {
      const service = resources.get("kubernetes:core/v1:Service", "acme-metastore");
      const spec = service.inputs.spec as { type: string; selector: unknown; ports: { port: number }[] };
      assert.equal(spec.type, "ClusterIP");
      assert.deepEqual(spec.selector, { "app.kubernetes.io/name": "hive-metastore" });
      assert.deepEqual(
        spec.ports.map((p) => p.port),
        [9083],
      );
      assert.equal(metastore.thriftUri, "thrift://hive-metastore.hive.svc.cluster.local:9083");
    });
  });

  describe("the Jobs", () => {
    const job = (name: string) => resources.get(T.job, name);

    it("bootstraps the database, then runs schematool, then rolls out the metastore", async () => {
      const bootstrap = job("acme-bootstrap");
      const schema = job("acme-schema");
      assert.ok(schema.options.dependsOn.includes(bootstrap.urn), "the schema Job waits for the bootstrap");
      assert.ok(deployment.options.dependsOn.includes(schema.urn), "the Deployment waits for the schema Job");
      assert.equal(await valueOf(metastore.bootstrapJob.urn), bootstrap.urn, "what HiveLoginRotation waits for");
      assert.deepEqual(podOf(schema).containers[0].args, ["schema"]);
    });

    it("runs the bootstrap scripts of runtime/hive with the master login, over TLS verified against the RDS CA", async () => {
      const pod = podOf(job("acme-bootstrap"));
      const [container] = pod.containers;
      assert.equal(container.image, "postgres:17.7-bookworm");
      const env = envOf(container);
      assert.equal(env.PGSSLMODE, "verify-full");
      const [ca] = present(pod.initContainers, "the CA copy");
      assert.equal(
        await valueOf(ca.image),
        await valueOf(metastore.imageUri),
        "the CA bundle comes from the Hive image",
      );
      assert.equal(ca.command?.[1], hiveImagePaths.rdsCaBundle);
      const caMount = present(
        ca.volumeMounts.find((m) => m.name === "rds-ca"),
        "CA mount",
      );
      assert.equal(env.PGSSLROOTCERT, `${caMount.mountPath}/rds-global-bundle.pem`);
      const scripts = resources.get("kubernetes:core/v1:ConfigMap", "acme-bootstrap-scripts");
      const data = scripts.inputs.data as Record<string, string>;
      for (const file of bootstrapFiles) assert.equal(data[file], readFileSync(join(hiveRuntimeDir, file), "utf8"));
      assert.deepEqual(container.command, ["bash", "/opt/bootstrap/bootstrap.sh"]);
      assert.equal(pod.serviceAccountName, "hive-bootstrap");
      for (const c of [container, ca]) assert.equal(c.securityContext.readOnlyRootFilesystem, true);
    });

    it("marks the bootstrap pod with its scripts' digest, so a changed script makes a new Job", () => {
      const template = (resources.get(T.job, "acme-bootstrap").inputs.spec as { template: { metadata: object } })
        .template.metadata as { annotations: Record<string, string> };
      assert.match(template.annotations["loglake.io/scripts"], /^[0-9a-f]{16}$/);
    });

    it("re-runs when the secrets are replaced (a promoted DR replica's fresh logins)", async () => {
      const annotations = (r: Registered) =>
        (
          (r.get(T.job, "acme-bootstrap").inputs.spec as { template: { metadata: { annotations: object } } }).template
            .metadata.annotations as Record<string, string>
        )["loglake.io/secrets"];
      const { resources: promoted } = await registered(
        () =>
          new HiveMetastore(
            "acme",
            args({ database: { ...args().database, hiveSecretArn: secretArn("acme-hive-promoted") } }),
          ),
      );
      assert.notEqual(await valueOf(annotations(promoted)), await valueOf(annotations(resources)));
    });
  });

  describe("the logins", () => {
    const objectsOf = (r: RegisteredResource) =>
      JSON.parse((r.inputs.spec as { parameters: { objects: string } }).parameters.objects) as {
        objectName: string;
        jmesPath: { objectAlias: string }[];
      }[];

    it("mounts the Hive login as the files hive.sh reads, and both logins as the files bootstrap.sh reads", () => {
      const hive = objectsOf(resources.get(T.spc, "acme-hive-login"));
      assert.deepEqual(
        hive.map((o) => o.objectName),
        [secretArn("acme-hive")],
      );
      const bootstrap = objectsOf(resources.get(T.spc, "acme-bootstrap-logins"));
      assert.deepEqual(
        bootstrap.map((o) => o.objectName),
        [secretArn("acme-master"), secretArn("acme-hive")],
      );
      const files = (objects: typeof hive) => objects.flatMap((o) => o.jmesPath.map((p) => p.objectAlias));
      const hiveScript = readFileSync(join(hiveRuntimeDir, "hive.sh"), "utf8");
      const bootstrapScript = readFileSync(join(hiveRuntimeDir, "bootstrap.sh"), "utf8");
      for (const file of files(hive)) assert.ok(hiveScript.includes(`$login_dir/${file}`), `hive.sh reads ${file}`);
      for (const file of files(bootstrap))
        assert.ok(bootstrapScript.includes(`$secrets/${file}`), `bootstrap.sh reads ${file}`);
      assert.equal((resources.get(T.spc, "acme-hive-login").inputs.spec as { provider: string }).provider, "aws");
    });

    it("gives the metastore's service account the IRSA role ComputeCluster makes it trust", async () => {
      const sa = resources.get(T.sa, "acme-metastore-account").inputs.metadata as {
        name: string;
        namespace: string;
        annotations: Record<string, string>;
      };
      assert.equal(sa.annotations["eks.amazonaws.com/role-arn"], roleArn);
      const { resources: compute } = await registered(
        () =>
          new ComputeCluster("acme", {
            clusterName: "acme-eks",
            vpcId: "vpc-0123456789abcdef0",
            privateSubnetIds: ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"],
            secretsKmsKeyArn: args().imagesKmsKeyArn,
            logsKmsKeyArn: args().imagesKmsKeyArn,
            storage: {
              rawBucketArn: "arn:aws:s3:::acme-raw",
              lakeBucketArn: "arn:aws:s3:::acme-lake",
              lakeKeyArn: "k",
            },
          }),
      );
      const trust = policyOf(compute.get("aws:iam/role:Role", "acme-hive-metastore"), "assumeRolePolicy");
      const subject = Object.entries(present(trust.Statement[0].Condition, "trust condition").StringEquals).find(
        ([k]) => k.endsWith(":sub"),
      );
      assert.equal(subject?.[1], `system:serviceaccount:${sa.namespace}:${sa.name}`);
    });

    it("lets only the bootstrap Job's service account read the master secret", async () => {
      const role = resources.get("aws:iam/role:Role", "acme-hive-bootstrap");
      const trust = policyOf(role, "assumeRolePolicy");
      assert.deepEqual(trust.Statement[0].Condition?.StringEquals, {
        "oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF:sub": "system:serviceaccount:hive:hive-bootstrap",
        "oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF:aud": "sts.amazonaws.com",
      });
      const sa = resources.get(T.sa, "acme-bootstrap-account").inputs.metadata as {
        annotations: Record<string, string>;
      };
      assert.equal(
        await valueOf(sa.annotations["eks.amazonaws.com/role-arn"]),
        await valueOf(metastore.bootstrapRoleArn),
      );
      const [read, decrypt] = policyOf(resources.get("aws:iam/rolePolicy:RolePolicy", "acme-hive-bootstrap")).Statement;
      assert.deepEqual(read.Resource, [secretArn("acme-master"), secretArn("acme-hive")]);
      assert.deepEqual(read.Action, ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]);
      assert.deepEqual(decrypt.Condition, {
        StringEquals: { "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com" },
      });
    });
  });

  describe("the image", () => {
    const dockerfile = readFileSync(join(hiveRuntimeDir, "Dockerfile"), "utf8");

    it("has a complete build context: every file the Dockerfile copies exists and is part of the tag", () => {
      const copied = [...dockerfile.matchAll(/^COPY (?:--\S+ )*(\S+) \S+$/gm)].map((m) => m[1]);
      assert.deepEqual(copied.sort(), [...hiveImageFiles].sort());
      for (const file of copied) assert.ok(existsSync(join(hiveRuntimeDir, file)), `${file} exists`);
      const image = resources.get("awsx:ecr:Image", "acme-hive");
      assert.equal(image.inputs.context, hiveRuntimeDir);
    });

    it("builds on the pinned official Hive image and enters through hive.sh as the hive user", () => {
      assert.match(dockerfile, new RegExp(`^ARG HIVE_VERSION=${hiveVersion.replace(/\./g, "\\.")}$`, "m"));
      assert.match(dockerfile, /^FROM apache\/hive:\$\{HIVE_VERSION\}$/m);
      assert.match(dockerfile, new RegExp(`^COPY --chmod=0755 hive\\.sh ${hiveImagePaths.entryPoint}$`, "m"));
      assert.match(dockerfile, new RegExp(`^ENTRYPOINT \\["${hiveImagePaths.entryPoint}"\\]$`, "m"));
      assert.match(dockerfile, new RegExp(`^USER ${hiveUid}$`, "m"));
      assert.match(dockerfile, new RegExp(` ${hiveImagePaths.rdsCaBundle}$`, "m"));
    });

    it("adds every pinned jar from Maven Central with its SHA-256 checked, given by deployment.ts", () => {
      const image = resources.get("awsx:ecr:Image", "acme-hive");
      assert.deepEqual(image.inputs.args, hiveImageBuildArgs);
      for (const jar of Object.values(hiveImageJars)) {
        for (const suffix of ["VERSION", "SHA256"])
          assert.match(
            dockerfile,
            new RegExp(`^ARG ${jar.arg}_${suffix}$`, "m"),
            `${jar.arg}_${suffix} has no default`,
          );
        assert.match(
          dockerfile,
          new RegExp(`^ADD --chmod=0644 --checksum=sha256:\\$\\{${jar.arg}_SHA256\\} \\\\$`, "m"),
        );
        const path = `${jar.group.replace(/\./g, "/")}/${jar.artifact}/\${${jar.arg}_VERSION}/${jar.artifact}-\${${jar.arg}_VERSION}.jar`;
        assert.ok(dockerfile.includes(`https://repo1.maven.org/maven2/${path}`), `${jar.artifact} from Maven Central`);
        assert.match(jar.sha256, /^[0-9a-f]{64}$/);
      }
    });

    it("downloads the PostgreSQL JDBC driver with its SHA-256 checked", () => {
      assert.match(dockerfile, /^ARG PGJDBC_SHA256=[0-9a-f]{64}$/m);
      assert.match(dockerfile, /^ADD --chmod=0644 --checksum=sha256:\$\{PGJDBC_SHA256\} \\$/m);
      assert.match(dockerfile, /repo1\.maven\.org\/maven2\/org\/postgresql\/postgresql\/\$\{PGJDBC_VERSION\}\//);
    });
  });

  describe("refuses", () => {
    const refused = (change: Partial<HiveMetastoreArgs>, message: RegExp) =>
      assert.throws(() => new HiveMetastore("acme", args(change)), message);

    it("replica counts outside 1 to 10", () => {
      refused({ replicas: 0 }, /replicas: 0: a whole number from 1 to 10/);
    });

    it("a memory limit the heap cannot be sized from, or below 1Gi", () => {
      const resources = { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "1", memory: "512Mi" } };
      refused({ resources }, /resources\.limits\.memory: "512Mi": at least 1Gi/);
      refused(
        { resources: { ...resources, limits: { cpu: "1", memory: "2G" } } },
        /limits\.memory: a Kubernetes quantity/,
      );
    });

    it("a psql image without a pinned tag", () => {
      refused({ psqlImage: "postgres:latest" }, /psqlImage: "postgres:latest": an image with a pinned tag/);
      refused({ psqlImage: "postgres" }, /psqlImage: "postgres"/);
    });

    it("a warehouse prefix that is not a key prefix, and AWS API blocks that are not CIDR blocks", () => {
      refused({ lake: { ...args().lake, warehousePrefix: "/warehouse" } }, /lake\.warehousePrefix: "\/warehouse"/);
      refused({ awsApiCidrs: [] }, /awsApiCidrs: at least one block: the metastore needs S3 and STS/);
      refused({ awsApiCidrs: ["10.0.0.1/16"] }, /awsApiCidrs\[0\]: "10\.0\.0\.1\/16": has host bits set/);
    });

    it("a kube-* namespace", () => {
      refused(
        { serviceAccount: { namespace: "kube-system", name: "hive-metastore" } },
        /serviceAccount\.namespace: "kube-system": a namespace of loglake's/,
      );
    });
  });
});
