import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  bootstrapFiles,
  hiveImageFiles,
  hiveImageBuildArgs,
  hiveImagePaths,
  hiveRuntimeDir,
  hiveUid,
  loginRestartWindowSeconds,
  metastoreMetricsPort,
  metastorePort,
} from "../../runtime/hive/deployment";
import { defaultHiveMetastoreServiceAccount, poolLabel } from "../compute/compute-cluster";
import { defaultKubernetesVersion } from "../compute/kubernetes-versions";
import { defaultJobsNamespace, defaultWarehousePrefix } from "../pipeline/processing";
import { hiveMetastorePolicy, serviceAccountTrustPolicy, ServiceAccountRef } from "../compute/policies";
import { s3KeyPrefixPattern } from "../shared/aws-limits";
import { AccountArgs, componentAccount } from "../security/account";
import { Problem, refuseProblems } from "../shared/problems";
import { ContainerImage } from "./container-image";
import { defaultMonitoringNamespace, namespaceNameLabel } from "./platform";
import {
  awsApiCidrsProblems,
  awsApiEgressRule,
  ContainerResources,
  containerResourcesProblems,
  dnsEgressRule,
  dnsLabelPattern,
  irsaRoleAnnotation,
  podSecurityLabels,
  restrictedContainerSecurityContext,
  restrictedPodSecurityContext,
} from "./pod-security";
import { metricsPortName } from "./scrape-configs";
import { secretsStoreCsiDriverName } from "./secrets-store-csi";

/** The metastore database and the secrets of its logins (the Metastore's outputs). */
export interface HiveMetastoreDatabase {
  /** Host name of the primary. */
  address: pulumi.Input<string>;
  port: pulumi.Input<number>;
  /** The metastore database's name. */
  name: pulumi.Input<string>;
  /** The master login's secret; only the bootstrap Job reads it. */
  masterSecretArn: pulumi.Input<string>;
  /** The Hive login's secret (rotated with alternating users). */
  hiveSecretArn: pulumi.Input<string>;
  /** The CMK encrypting both secrets. */
  secretsKmsKeyArn: pulumi.Input<string>;
}

/** The lake bucket, where the metastore creates the directories of the Spark jobs' databases and tables. */
export interface HiveMetastoreLake {
  bucketName: pulumi.Input<string>;
  bucketArn: pulumi.Input<string>;
  /** The lake key: the bucket refuses uploads under any other, so the directory markers name it. */
  kmsKeyArn: pulumi.Input<string>;
  /** Prefix of the Iceberg warehouse, as Processing's `warehousePrefix`. Default: "warehouse/". */
  warehousePrefix?: string;
}

export interface HiveMetastoreArgs extends AccountArgs {
  /** Provider of the cluster's Kubernetes API. */
  kubernetesProvider: k8s.Provider;
  /** The cluster's IAM OIDC provider (ComputeCluster's `oidcProviderArn`): the bootstrap Job's role trusts it. */
  oidcProviderArn: pulumi.Input<string>;
  /** Its issuer URL (ComputeCluster's `oidcProviderUrl`). */
  oidcProviderUrl: pulumi.Input<string>;
  /**
   * The metastore's IRSA role (ComputeCluster's `hiveMetastoreRoleArn`), which must trust
   * `serviceAccount` and be granted the Hive secret (Metastore's `hiveSecretReaderRoleNames`).
   */
  roleArn: pulumi.Input<string>;
  /** That role's name (ComputeCluster's `hiveMetastoreRoleName`): the warehouse's S3 and KMS rights are attached to it here. */
  roleName: pulumi.Input<string>;
  lake: HiveMetastoreLake;
  /** The service account `roleArn` trusts; its namespace is the one created here. Default: hive/hive-metastore. */
  serviceAccount?: ServiceAccountRef;
  database: HiveMetastoreDatabase;
  /** KMS key of the image repository (Keys' `imagesKeyArn`). */
  imagesKmsKeyArn: pulumi.Input<string>;
  /** The VPC's CIDR block: the only place the pods may open PostgreSQL connections to. */
  vpcCidr: pulumi.Input<string>;
  /**
   * Where the metastore may open HTTPS (443) connections: S3 (directories) and STS (its IRSA session).
   * Default: 0.0.0.0/0 minus link-local addresses; narrow it only when S3 and STS are both interface
   * endpoints in the VPC (S3's gateway endpoint is reached at S3's public addresses).
   */
  awsApiCidrs?: string[];
  /** Namespace of the monitoring stack, admitted to the metrics port (9084) only. Default: monitoring. */
  monitoringNamespace?: string;
  /** Namespaces whose pods may reach the metastore on 9083. Default: Processing's jobs namespace, ["spark-jobs"]. */
  clientNamespaces?: string[];
  /** Metastore replicas; with more than one they spread over zones behind a PodDisruptionBudget. Default: 2. */
  replicas?: number;
  /** Requests and limits of the metastore container; the JVM heap is 75% of the memory limit. Default: 500m/1536Mi requested, 2 CPUs/1536Mi limit. */
  resources?: ContainerResources;
  /** Image of psql for the bootstrap Job, pinned. Default: "postgres:17.7-bookworm" (psql 17, for RDS 16 and 17). */
  psqlImage?: string;
  /** Node pool (`loglake.io/pool`) of every pod here; the pods tolerate no taints. Default: "system". */
  nodePool?: string;
  /** Kubernetes minor version the namespace's Pod Security Admission profile is pinned to. Default: ComputeCluster's default. */
  kubernetesVersion?: string;
  /** What the Jobs wait for: the node groups and the Secrets Store CSI driver. Default: none. */
  waitFor?: pulumi.Resource[];
}

/** Labels of the metastore's pods: the Service, the PDB, the spread and the ingress allow select them. */
export const hiveMetastorePodLabels = { "app.kubernetes.io/name": "hive-metastore" };
const bootstrapServiceAccountName = "hive-bootstrap";
const secretsMountPath = "/mnt/secrets";
const postgresPort = 5432;
/** Retries of a failed Job pod (the database not reachable yet, a secret not readable yet) before the deploy fails. */
const jobBackoffLimit = 4;

function metastoreSettings(args: HiveMetastoreArgs) {
  return {
    serviceAccount: args.serviceAccount ?? defaultHiveMetastoreServiceAccount,
    clientNamespaces: args.clientNamespaces ?? [defaultJobsNamespace],
    warehousePrefix: args.lake.warehousePrefix ?? defaultWarehousePrefix,
    awsApiCidrs: args.awsApiCidrs ?? ["0.0.0.0/0"],
    monitoringNamespace: args.monitoringNamespace ?? defaultMonitoringNamespace,
    replicas: args.replicas ?? 2,
    resources: args.resources ?? {
      requests: { cpu: "500m", memory: "1536Mi" },
      limits: { cpu: "2", memory: "1536Mi" },
    },
    psqlImage: args.psqlImage ?? "postgres:17.7-bookworm",
    nodePool: args.nodePool ?? "system",
    kubernetesVersion: args.kubernetesVersion ?? defaultKubernetesVersion,
  };
}
type Settings = ReturnType<typeof metastoreSettings>;

/** A memory quantity in MiB (whole Ki, Mi or Gi), or undefined for anything else. */
export function mebibytes(quantity: string): number | undefined {
  const match = /^(\d+)(Ki|Mi|Gi)$/.exec(quantity);
  if (!match) return undefined;
  return (Number(match[1]) * { Ki: 1 / 1024, Mi: 1, Gi: 1024 }[match[2] as "Ki" | "Mi" | "Gi"]) | 0;
}

function metastoreProblems(s: Settings): Problem[] {
  const problems: Problem[] = [];
  const add = (path: (string | number)[], message: string) => problems.push({ path, message });
  for (const key of ["namespace", "name"] as const) {
    if (!dnsLabelPattern.test(s.serviceAccount[key]))
      add(["serviceAccount", key], `"${s.serviceAccount[key]}": a Kubernetes name (lowercase DNS label)`);
  }
  if (s.serviceAccount.namespace.startsWith("kube-"))
    add(["serviceAccount", "namespace"], `"${s.serviceAccount.namespace}": a namespace of loglake's, not kube-*`);
  if (!s3KeyPrefixPattern.test(s.warehousePrefix))
    add(
      ["lake", "warehousePrefix"],
      `"${s.warehousePrefix}": a key prefix such as warehouse/ (no leading /, ending in /)`,
    );
  problems.push(...awsApiCidrsProblems(s.awsApiCidrs, "the metastore needs S3 and STS"));
  if (!dnsLabelPattern.test(s.monitoringNamespace))
    add(["monitoringNamespace"], `"${s.monitoringNamespace}": a Kubernetes namespace name`);
  s.clientNamespaces.forEach((namespace, i) => {
    if (!dnsLabelPattern.test(namespace)) add(["clientNamespaces", i], `"${namespace}": a Kubernetes namespace name`);
  });
  if (!Number.isInteger(s.replicas) || s.replicas < 1 || s.replicas > 10)
    add(["replicas"], `${s.replicas}: a whole number from 1 to 10`);
  problems.push(...containerResourcesProblems(s.resources));
  const memory = mebibytes(s.resources.limits.memory);
  if (memory === undefined || memory < 1024)
    add(
      ["resources", "limits", "memory"],
      `"${s.resources.limits.memory}": at least 1Gi, in Mi or Gi (the JVM heap is 75% of it)`,
    );
  if (!/^[^\s:@]+(\/[^\s:@]+)*:[\w][\w.-]{0,127}$/.test(s.psqlImage) || s.psqlImage.endsWith(":latest"))
    add(["psqlImage"], `"${s.psqlImage}": an image with a pinned tag such as postgres:17.7-bookworm`);
  if (!/^1\.\d{2}$/.test(s.kubernetesVersion))
    add(["kubernetesVersion"], `"${s.kubernetesVersion}": a minor version as "1.NN"`);
  return problems;
}

/**
 * The Hive metastore service on EKS, in a namespace of its own (Pod Security Admission `restricted`,
 * default-deny NetworkPolicies): its image (Apache Hive, the PostgreSQL JDBC driver, the RDS CA
 * bundle, S3A and the Prometheus JMX exporter, runtime/hive) built into ECR, and, in order,
 *
 * 1. the database bootstrap Job: with the master login, creates the Hive login, its rotation clone and
 *    the database with only the rights the metastore needs (runtime/hive/bootstrap.sql), idempotently;
 * 2. the schema Job: Hive's schematool creates or upgrades the schema;
 * 3. the Deployment behind a ClusterIP Service on 9083, on the system nodes.
 *
 * The metastore creates the directories of the databases and tables the Spark jobs make (S3A, as its
 * IRSA role, with the rights attached here: the warehouse prefix only, the lake key through S3 only),
 * and serves its metrics on 9084 (`metrics`) for Prometheus, which alone may reach that port.
 *
 * Every pod reads its logins through the Secrets Store CSI driver's AWS provider with an IRSA role
 * trusted by its own service account only, and connects with `sslmode=verify-full` against the RDS
 * CA bundle. The metastore reads its login at start; when a rotation has switched the login, the
 * mounted files change (the driver's rotation) and the liveness probe restarts the container with the
 * new one, while the previous login stays valid until the next rotation.
 *
 * `bootstrapJob` is what the Hive login's rotation must wait for (HiveLoginRotation's `loginReady`).
 */
export class HiveMetastore extends pulumi.ComponentResource {
  public readonly namespace: pulumi.Output<string>;
  /** `thrift://<service>.<namespace>.svc.cluster.local:9083`: what the Spark jobs' catalog connects to. */
  public readonly thriftUri: string;
  public readonly imageUri: pulumi.Output<string>;
  /** The bootstrap Job's IRSA role, which alone may read the master secret. */
  public readonly bootstrapRoleArn: pulumi.Output<string>;
  /** Completes once the database has the Hive logins: the rotation of the Hive login waits for it. */
  public readonly bootstrapJob: k8s.batch.v1.Job;

  constructor(name: string, args: HiveMetastoreArgs, opts?: pulumi.ComponentResourceOptions) {
    const s = metastoreSettings(args);
    refuseProblems("HiveMetastore", name, metastoreProblems(s));
    super("loglake:workloads:HiveMetastore", name, {}, opts);
    const k8sOpts = { parent: this, provider: args.kubernetesProvider };
    const account = componentAccount(args, this);
    const namespaceName = s.serviceAccount.namespace;

    const namespace = new k8s.core.v1.Namespace(
      `${name}-hive`,
      { metadata: { name: namespaceName, labels: podSecurityLabels("restricted", s.kubernetesVersion) } },
      k8sOpts,
    );
    const inNamespace = { ...k8sOpts, dependsOn: [namespace] };
    this.networkPolicies(name, s, args, inNamespace);

    const image = new ContainerImage(
      `${name}-hive`,
      {
        context: hiveRuntimeDir,
        contentPaths: hiveImageFiles,
        buildArgs: hiveImageBuildArgs,
        kmsKeyArn: args.imagesKmsKeyArn,
      },
      { parent: this },
    );

    const bootstrapRole = this.bootstrapRole(name, args, account, namespaceName);
    new aws.iam.RolePolicy(
      `${name}-hive-metastore-warehouse`,
      {
        role: args.roleName,
        policy: pulumi
          .all([args.lake.bucketArn, args.lake.kmsKeyArn, account])
          .apply(([lakeBucketArn, lakeKeyArn, acct]) =>
            JSON.stringify(
              hiveMetastorePolicy({ lakeBucketArn, lakeKeyArn, warehousePrefix: s.warehousePrefix }, acct),
            ),
          ),
      },
      { parent: this },
    );
    const serviceAccount = (suffix: string, accountName: string, roleArn: pulumi.Input<string>) =>
      new k8s.core.v1.ServiceAccount(
        `${name}-${suffix}`,
        {
          metadata: { name: accountName, namespace: namespaceName, annotations: { [irsaRoleAnnotation]: roleArn } },
          // The pods never call the Kubernetes API; the CSI driver requests their STS tokens itself.
          automountServiceAccountToken: false,
        },
        inNamespace,
      );
    serviceAccount("metastore-account", s.serviceAccount.name, args.roleArn);
    serviceAccount("bootstrap-account", bootstrapServiceAccountName, bootstrapRole.arn);

    const region = account.region;
    const db = args.database;
    const login = (prefix: string, secretArn: pulumi.Input<string>) => ({
      objectName: secretArn,
      objectType: "secretsmanager",
      jmesPath: [
        { path: "username", objectAlias: `${prefix}-username` },
        { path: "password", objectAlias: `${prefix}-password` },
      ],
    });
    const secretProviderClass = (suffix: string, className: string, objects: pulumi.Input<object>[]) =>
      new k8s.apiextensions.CustomResource(
        `${name}-${suffix}`,
        {
          apiVersion: "secrets-store.csi.x-k8s.io/v1",
          kind: "SecretProviderClass",
          metadata: { name: className, namespace: namespaceName },
          spec: {
            provider: "aws",
            parameters: {
              region,
              // The provider reads a YAML list; JSON is YAML.
              objects: pulumi.jsonStringify(objects),
            },
          },
        },
        { ...inNamespace, dependsOn: [namespace, ...(args.waitFor ?? [])] },
      );
    const hiveLogin = secretProviderClass("hive-login", "hive-login", [login("hive", db.hiveSecretArn)]);
    const bootstrapLogins = secretProviderClass("bootstrap-logins", "hive-bootstrap", [
      login("master", db.masterSecretArn),
      login("hive", db.hiveSecretArn),
    ]);
    const secretsVolume = (className: string) => ({
      name: "secrets",
      csi: { driver: secretsStoreCsiDriverName, readOnly: true, volumeAttributes: { secretProviderClass: className } },
    });
    // A replaced secret (a promoted DR replica's) is another ARN: the Jobs re-run for it.
    const secretsAnnotation = {
      "loglake.io/secrets": pulumi.interpolate`${db.masterSecretArn},${db.hiveSecretArn}`,
    };

    const scriptFiles = Object.fromEntries(
      bootstrapFiles.map((file) => [file, readFileSync(join(hiveRuntimeDir, file), "utf8")]),
    );
    const scripts = new k8s.core.v1.ConfigMap(
      `${name}-bootstrap-scripts`,
      { metadata: { name: "hive-bootstrap", namespace: namespaceName }, data: scriptFiles },
      inNamespace,
    );
    // The Job names the ConfigMap, not its content: a changed script must make a new Job to run at all.
    const scriptsDigest = createHash("sha256").update(JSON.stringify(scriptFiles)).digest("hex").slice(0, 16);
    const placement = { nodeSelector: { [poolLabel]: s.nodePool } };
    const tmp = { name: "tmp", emptyDir: { medium: "Memory", sizeLimit: "64Mi" } };
    const caDir = "/etc/rds-ca";

    const bootstrapJob = new k8s.batch.v1.Job(
      `${name}-bootstrap`,
      {
        metadata: { namespace: namespaceName, labels: { "app.kubernetes.io/name": "hive-bootstrap" } },
        spec: {
          backoffLimit: jobBackoffLimit,
          template: {
            metadata: {
              labels: { "app.kubernetes.io/name": "hive-bootstrap" },
              annotations: { ...secretsAnnotation, "loglake.io/scripts": scriptsDigest },
            },
            spec: {
              ...placement,
              serviceAccountName: bootstrapServiceAccountName,
              automountServiceAccountToken: false,
              restartPolicy: "Never",
              securityContext: restrictedPodSecurityContext,
              initContainers: [
                {
                  // psql's image has no RDS CA; the metastore image carries it.
                  name: "rds-ca",
                  image: image.imageUri,
                  command: ["cp", hiveImagePaths.rdsCaBundle, `${caDir}/`],
                  securityContext: restrictedContainerSecurityContext,
                  resources: smallJobResources,
                  volumeMounts: [{ name: "rds-ca", mountPath: caDir }],
                },
              ],
              containers: [
                {
                  name: "bootstrap",
                  image: s.psqlImage,
                  command: ["bash", "/opt/bootstrap/bootstrap.sh"],
                  env: [
                    { name: "PGHOST", value: db.address },
                    { name: "PGPORT", value: pulumi.output(db.port).apply(String) },
                    { name: "PGSSLMODE", value: "verify-full" },
                    { name: "PGSSLROOTCERT", value: `${caDir}/${hiveImagePaths.rdsCaBundle.split("/").pop()}` },
                    { name: "PGCONNECT_TIMEOUT", value: "10" },
                    { name: "METASTORE_DATABASE", value: db.name },
                    { name: "SECRETS_DIR", value: secretsMountPath },
                    { name: "HOME", value: "/tmp" },
                  ],
                  securityContext: restrictedContainerSecurityContext,
                  resources: smallJobResources,
                  volumeMounts: [
                    { name: "scripts", mountPath: "/opt/bootstrap", readOnly: true },
                    { name: "secrets", mountPath: secretsMountPath, readOnly: true },
                    { name: "rds-ca", mountPath: caDir, readOnly: true },
                    { name: "tmp", mountPath: "/tmp" },
                  ],
                },
              ],
              volumes: [
                { name: "scripts", configMap: { name: "hive-bootstrap" } },
                secretsVolume("hive-bootstrap"),
                { name: "rds-ca", emptyDir: { sizeLimit: "8Mi" } },
                tmp,
              ],
            },
          },
        },
      },
      { ...inNamespace, dependsOn: [scripts, bootstrapLogins, ...(args.waitFor ?? [])] },
    );

    // What both Hive containers (schema Job and service) share: the login files, the JDBC URL, /tmp.
    const jdbcUrl = pulumi.interpolate`jdbc:postgresql://${db.address}:${db.port}/${db.name}?sslmode=verify-full&sslrootcert=${hiveImagePaths.rdsCaBundle}`;
    const heapMb = Math.floor((mebibytes(s.resources.limits.memory) as number) * 0.75);
    const hiveContainer = (
      command: string,
      resources: ContainerResources,
      env: k8s.types.input.core.v1.EnvVar[] = [],
    ) => ({
      image: image.imageUri,
      args: [command],
      env: [
        { name: "HIVE_LOGIN_DIR", value: secretsMountPath },
        { name: "HIVE_JDBC_URL", value: jdbcUrl },
        { name: "HADOOP_HEAPSIZE", value: String(command === "serve" ? heapMb : 512) },
        ...env,
      ],
      securityContext: { ...restrictedContainerSecurityContext, runAsUser: hiveUid, runAsGroup: hiveUid },
      resources,
      volumeMounts: [
        { name: "secrets", mountPath: secretsMountPath, readOnly: true },
        { name: "tmp", mountPath: "/tmp" },
      ],
    });
    const hivePod = {
      ...placement,
      serviceAccountName: s.serviceAccount.name,
      automountServiceAccountToken: false,
      securityContext: { ...restrictedPodSecurityContext, runAsUser: hiveUid, runAsGroup: hiveUid, fsGroup: hiveUid },
      volumes: [secretsVolume("hive-login"), { ...tmp, emptyDir: { medium: "Memory", sizeLimit: "256Mi" } }],
    };

    const schemaJob = new k8s.batch.v1.Job(
      `${name}-schema`,
      {
        metadata: { namespace: namespaceName, labels: { "app.kubernetes.io/name": "hive-schema" } },
        spec: {
          backoffLimit: jobBackoffLimit,
          template: {
            // A new image (a Hive upgrade) is a new Job: schematool upgrades before the pods roll.
            metadata: { labels: { "app.kubernetes.io/name": "hive-schema" }, annotations: secretsAnnotation },
            spec: {
              ...hivePod,
              restartPolicy: "Never",
              containers: [
                {
                  name: "schematool",
                  ...hiveContainer("schema", {
                    requests: { cpu: "250m", memory: "1Gi" },
                    limits: { cpu: "1", memory: "1Gi" },
                  }),
                },
              ],
            },
          },
        },
      },
      { ...inNamespace, dependsOn: [bootstrapJob, hiveLogin] },
    );

    const spread =
      s.replicas > 1
        ? {
            topologySpreadConstraints: [
              {
                maxSkew: 1,
                topologyKey: "topology.kubernetes.io/zone",
                whenUnsatisfiable: "DoNotSchedule",
                labelSelector: { matchLabels: hiveMetastorePodLabels },
              },
            ],
            affinity: {
              podAntiAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: [
                  { topologyKey: "kubernetes.io/hostname", labelSelector: { matchLabels: hiveMetastorePodLabels } },
                ],
              },
            },
          }
        : {};
    const tcp = { tcpSocket: { port: metastorePort } };
    new k8s.apps.v1.Deployment(
      `${name}-metastore`,
      {
        metadata: { name: "hive-metastore", namespace: namespaceName, labels: hiveMetastorePodLabels },
        spec: {
          replicas: s.replicas,
          selector: { matchLabels: hiveMetastorePodLabels },
          // One pod at a time, a new one ready before an old one goes: the catalog never goes away.
          strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
          template: {
            metadata: { labels: hiveMetastorePodLabels },
            spec: {
              ...hivePod,
              ...spread,
              terminationGracePeriodSeconds: 30,
              containers: [
                {
                  name: "metastore",
                  // What hive-site.xml expands: the warehouse, S3's regional endpoint and the lake key.
                  ...hiveContainer("serve", s.resources, [
                    {
                      name: "HIVE_WAREHOUSE",
                      value: pulumi.interpolate`s3a://${args.lake.bucketName}/${s.warehousePrefix.slice(0, -1)}`,
                    },
                    { name: "S3_ENDPOINT", value: pulumi.interpolate`s3.${region}.${account.dnsSuffix}` },
                    { name: "LAKE_KMS_KEY_ARN", value: args.lake.kmsKeyArn },
                    { name: "HIVE_METRICS_PORT", value: String(metastoreMetricsPort) },
                    { name: "HIVE_LOGIN_RESTART_WINDOW_SECONDS", value: String(loginRestartWindowSeconds) },
                  ]),
                  ports: [
                    { name: "thrift", containerPort: metastorePort },
                    { name: metricsPortName, containerPort: metastoreMetricsPort },
                  ],
                  startupProbe: { ...tcp, periodSeconds: 5, failureThreshold: 60 },
                  readinessProbe: { ...tcp, periodSeconds: 10 },
                  livenessProbe: {
                    exec: { command: [hiveImagePaths.entryPoint, "login-current"] },
                    periodSeconds: 30,
                    failureThreshold: 1,
                  },
                },
              ],
            },
          },
        },
      },
      { ...inNamespace, dependsOn: [schemaJob, hiveLogin] },
    );

    if (s.replicas > 1) {
      new k8s.policy.v1.PodDisruptionBudget(
        `${name}-metastore`,
        {
          metadata: { name: "hive-metastore", namespace: namespaceName },
          spec: { maxUnavailable: 1, selector: { matchLabels: hiveMetastorePodLabels } },
        },
        inNamespace,
      );
    }

    const service = new k8s.core.v1.Service(
      `${name}-metastore`,
      {
        metadata: { name: "hive-metastore", namespace: namespaceName },
        spec: {
          type: "ClusterIP",
          selector: hiveMetastorePodLabels,
          ports: [{ name: "thrift", port: metastorePort, targetPort: "thrift", protocol: "TCP" }],
        },
      },
      inNamespace,
    );

    this.namespace = namespace.metadata.name;
    this.thriftUri = `thrift://hive-metastore.${namespaceName}.svc.cluster.local:${metastorePort}`;
    this.imageUri = image.imageUri;
    this.bootstrapRoleArn = bootstrapRole.arn;
    this.bootstrapJob = bootstrapJob;
    this.registerOutputs({
      namespace: this.namespace,
      thriftUri: this.thriftUri,
      imageUri: this.imageUri,
      bootstrapRoleArn: this.bootstrapRoleArn,
      serviceName: service.metadata.name,
    });
  }

  /**
   * Default deny; DNS and PostgreSQL in the VPC out, and HTTPS to S3 and STS from the metastore's pods;
   * the Thrift port in from its clients, the metrics port from the monitoring namespace.
   */
  private networkPolicies(
    name: string,
    s: Settings,
    args: HiveMetastoreArgs,
    opts: pulumi.CustomResourceOptions,
  ): void {
    const namespace = s.serviceAccount.namespace;
    const policy = (suffix: string, spec: k8s.types.input.networking.v1.NetworkPolicySpec) =>
      new k8s.networking.v1.NetworkPolicy(
        `${name}-hive-${suffix}`,
        { metadata: { name: suffix, namespace }, spec },
        opts,
      );
    policy("default-deny", { podSelector: {}, policyTypes: ["Ingress", "Egress"] });
    policy("database-egress", {
      podSelector: {},
      policyTypes: ["Egress"],
      egress: [
        dnsEgressRule,
        { to: [{ ipBlock: { cidr: args.vpcCidr } }], ports: [{ protocol: "TCP", port: postgresPort }] },
      ],
    });
    policy("metastore-aws-egress", {
      podSelector: { matchLabels: hiveMetastorePodLabels },
      policyTypes: ["Egress"],
      egress: [awsApiEgressRule(s.awsApiCidrs)],
    });
    policy("metrics-ingress", {
      podSelector: { matchLabels: hiveMetastorePodLabels },
      policyTypes: ["Ingress"],
      ingress: [
        {
          from: [{ namespaceSelector: { matchLabels: { [namespaceNameLabel]: s.monitoringNamespace } } }],
          ports: [{ protocol: "TCP", port: metricsPortName }],
        },
      ],
    });
    policy("metastore-ingress", {
      podSelector: { matchLabels: hiveMetastorePodLabels },
      policyTypes: ["Ingress"],
      ingress: [
        {
          from: s.clientNamespaces.map((client) => ({
            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": client } },
          })),
          ports: [{ protocol: "TCP", port: metastorePort }],
        },
      ],
    });
  }

  /** The bootstrap Job's role: its own service account only; reads the two logins' secrets. */
  private bootstrapRole(
    name: string,
    args: HiveMetastoreArgs,
    account: pulumi.Output<{ region: string; dnsSuffix: string }>,
    namespace: string,
  ): aws.iam.Role {
    const role = new aws.iam.Role(
      `${name}-hive-bootstrap`,
      {
        description: "Hive metastore database bootstrap Job: reads the master and Hive logins (IRSA)",
        assumeRolePolicy: pulumi.all([args.oidcProviderArn, args.oidcProviderUrl]).apply(([arn, url]) =>
          JSON.stringify(
            serviceAccountTrustPolicy(arn, url.replace(/^https:\/\//, ""), {
              namespace,
              name: bootstrapServiceAccountName,
            }),
          ),
        ),
      },
      { parent: this },
    );
    new aws.iam.RolePolicy(
      `${name}-hive-bootstrap`,
      {
        role: role.name,
        policy: pulumi.jsonStringify({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "ReadMetastoreLogins",
              Effect: "Allow",
              Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
              Resource: [args.database.masterSecretArn, args.database.hiveSecretArn],
            },
            {
              Sid: "DecryptThroughSecretsManager",
              Effect: "Allow",
              Action: "kms:Decrypt",
              Resource: args.database.secretsKmsKeyArn,
              Condition: {
                StringEquals: {
                  "kms:ViaService": pulumi.interpolate`secretsmanager.${account.region}.${account.dnsSuffix}`,
                },
              },
            },
          ],
        }),
      },
      { parent: this },
    );
    return role;
  }
}

/** psql and a file copy need little. */
const smallJobResources: ContainerResources = {
  requests: { cpu: "50m", memory: "64Mi" },
  limits: { cpu: "500m", memory: "256Mi" },
};
