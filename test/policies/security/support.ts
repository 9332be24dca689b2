/**
 * Resources the policy specs in policies/ build their cases from, shared so that a case reads as the
 * resource loglake's components register with one input changed.
 */
import { TestResource } from "../support";

// S3 buckets and their companions

export const BUCKET = "aws:s3/bucket:Bucket";

export const KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

export const tlsOnly = (bucket: string) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ],
  });

export const encryption = (name: string, algorithm = "aws:kms", key: string | null = KEY_ARN): TestResource => ({
  type: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  name: `${name}-sse`,
  props: {
    bucket: name,
    rules: [
      {
        applyServerSideEncryptionByDefault: { sseAlgorithm: algorithm, ...(key ? { kmsMasterKeyId: key } : {}) },
        bucketKeyEnabled: true,
      },
    ],
  },
  dependsOn: [name],
});

export const publicAccessBlock = (name: string, off: string[] = []): TestResource => ({
  type: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  name: `${name}-pab`,
  props: Object.fromEntries(
    ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"]
      .map((k) => [k, !off.includes(k)])
      .concat([["bucket", name]]),
  ),
  dependsOn: [name],
});

export const versioning = (name: string, status = "Enabled"): TestResource => ({
  type: "aws:s3/bucketVersioning:BucketVersioning",
  name: `${name}-versioning`,
  props: { bucket: name, versioningConfiguration: { status } },
  dependsOn: [name],
});

export const bucketPolicy = (name: string, policy = tlsOnly(name)): TestResource => ({
  type: "aws:s3/bucketPolicy:BucketPolicy",
  name: `${name}-policy`,
  props: { bucket: name, policy },
  dependsOn: [name],
});

export const lifecycle = (name: string, rule: Record<string, unknown> = {}): TestResource => ({
  type: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  name: `${name}-lifecycle`,
  props: {
    bucket: name,
    rules: [
      {
        id: "retention",
        status: "Enabled",
        filter: {},
        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
        noncurrentVersionExpiration: { noncurrentDays: 30 },
        ...rule,
      },
    ],
  },
  dependsOn: [name],
});

export const bucket = (name: string, props: Record<string, unknown> = {}): TestResource => ({
  type: BUCKET,
  name,
  props: { bucket: name, ...props },
});

/** A bucket with everything the pack asks for; cases drop or change one part. */
export const compliant = (name: string, omit: string[] = []): TestResource[] =>
  [
    bucket(name),
    encryption(name),
    publicAccessBlock(name),
    versioning(name),
    bucketPolicy(name),
    lifecycle(name),
  ].filter((r) => !omit.some((suffix) => r.name === `${name}-${suffix}`));

export const without = (suffix: string, ...extra: TestResource[]) => [...compliant("logs", [suffix]), ...extra];

// IAM documents, roles and attachments

export const doc = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });

export const allow = (
  action: string | string[],
  resource: string | string[] = "arn:aws:s3:::loglake-lake/*",
  extra: object = {},
) => ({ Effect: "Allow", Action: action, Resource: resource, ...extra });

export const managed = (...statements: object[]): TestResource[] => [
  { type: "aws:iam/policy:Policy", name: "ingest", props: { policy: doc(...statements) } },
];

export const rolePolicy = (...statements: object[]): TestResource[] => [
  {
    type: "aws:iam/rolePolicy:RolePolicy",
    name: "ingest-inline",
    props: { role: "ingest", policy: doc(...statements) },
  },
];

export const role = (props: Record<string, unknown>): TestResource[] => [
  {
    type: "aws:iam/role:Role",
    name: "ingest",
    props: {
      assumeRolePolicy: doc({
        Effect: "Allow",
        Principal: { Service: "lambda.amazonaws.com" },
        Action: "sts:AssumeRole",
      }),
      ...props,
    },
  },
];

export const readLake = allow(
  ["s3:GetObject", "s3:ListBucket"],
  ["arn:aws:s3:::loglake-lake", "arn:aws:s3:::loglake-lake/*"],
);

export const attachment = (policyArn: string): TestResource[] => [
  {
    type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    name: "ingest-attach",
    props: { role: "ingest", policyArn },
  },
];

export const trust = (...statements: object[]) => role({ assumeRolePolicy: doc(...statements) });

export const OIDC = "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE";

export const webIdentity = (condition?: object) =>
  trust({
    Effect: "Allow",
    Principal: { Federated: `arn:aws:iam::123456789012:oidc-provider/${OIDC}` },
    Action: "sts:AssumeRoleWithWebIdentity",
    ...(condition ? { Condition: condition } : {}),
  });

export const CLUSTER = "arn:aws:kafka:eu-west-1:123456789012:cluster/loglake-events/1a2b3c4d-5e6f";

// EKS, EC2 and EBS

export const eksComponent = (changes: Record<string, unknown> = {}): TestResource[] => [
  {
    type: "eks:index:Cluster",
    name: "compute",
    props: {
      encryptionConfigKeyArn: KEY_ARN,
      endpointPublicAccess: false,
      endpointPrivateAccess: true,
      skipDefaultNodeGroup: true,
      ...changes,
    },
  },
];

export const awsEks = (vpcConfig: Record<string, unknown>, encryptionConfig?: unknown): TestResource[] => [
  {
    type: "aws:eks/cluster:Cluster",
    name: "raw-eks",
    props: {
      roleArn: "arn:aws:iam::123456789012:role/eks",
      vpcConfig: { subnetIds: ["subnet-a", "subnet-b"], ...vpcConfig },
      encryptionConfig,
    },
  },
];

export const launchTemplate = (ebs: Record<string, unknown>): TestResource[] => [
  {
    type: "aws:ec2/launchTemplate:LaunchTemplate",
    name: "nodes",
    props: { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: 50, volumeType: "gp3", ...ebs } }] },
  },
];

export const sg = (ingress: object[]): TestResource[] => [
  { type: "aws:ec2/securityGroup:SecurityGroup", name: "brokers", props: { vpcId: "vpc-1", ingress } },
];

export const subnet = (name: string, mapPublicIpOnLaunch: boolean, parent?: string): TestResource => ({
  type: "aws:ec2/subnet:Subnet",
  name,
  props: { vpcId: "vpc-1", cidrBlock: "10.0.0.0/24", mapPublicIpOnLaunch },
  parent,
});

export const awsxVpc = (props: Record<string, unknown>): TestResource => ({
  type: "awsx:ec2:Vpc",
  name: "network",
  props: { cidrBlock: "10.20.0.0/16", ...props },
});

// KMS keys

export const one = (type: string, name: string, props: Record<string, unknown>): TestResource[] => [
  { type, name, props },
];

// log groups and tags

export const TAGS = {
  owner: "data-platform",
  environment: "prod",
  "cost-center": "cc-1042",
  "data-classification": "confidential",
};

/** The program's AWS provider: defaultTags is an object input, which providers register as JSON text. */
export const provider = (tags: Record<string, string>): TestResource => ({
  type: "pulumi:providers:aws",
  name: "aws-eu-west-1",
  props: { region: "eu-west-1", defaultTags: JSON.stringify({ tags }) },
});

export const queue = (props: Record<string, unknown> = {}): TestResource => ({
  type: "aws:sqs/queue:Queue",
  name: "manifests",
  props,
  provider: "aws-eu-west-1",
});

// MSK

export const SUBNETS = ["subnet-a", "subnet-b", "subnet-c"];

/** An MSK cluster as loglake's streaming component builds it; cases override parts. */
export const cluster = (
  changes: { brokerNodeGroupInfo?: object; encryptionInfo?: object; clientAuthentication?: object } = {},
): TestResource[] => [
  {
    type: "aws:msk/cluster:Cluster",
    name: "events",
    props: {
      clusterName: "loglake-events",
      kafkaVersion: "3.8.x",
      numberOfBrokerNodes: 3,
      brokerNodeGroupInfo: {
        instanceType: "kafka.m7g.large",
        clientSubnets: SUBNETS,
        securityGroups: ["sg-1"],
        ...changes.brokerNodeGroupInfo,
      },
      encryptionInfo: {
        encryptionAtRestKmsKeyArn: KEY_ARN,
        encryptionInTransit: { clientBroker: "TLS", inCluster: true },
        ...changes.encryptionInfo,
      },
      clientAuthentication: changes.clientAuthentication ?? { sasl: { iam: true }, unauthenticated: false },
    },
  },
];

// RDS

export const parameterGroup = (parameters = [{ name: "rds.force_ssl", value: "1" }]): TestResource => ({
  type: "aws:rds/parameterGroup:ParameterGroup",
  name: "metastore-params",
  props: { family: "postgres16", parameters },
});

/** A Postgres instance as the metastore should be; cases change one input. */
export const instance = (changes: Record<string, unknown> = {}): TestResource => ({
  type: "aws:rds/instance:Instance",
  name: "metastore",
  props: {
    engine: "postgres",
    instanceClass: "db.t4g.medium",
    storageEncrypted: true,
    kmsKeyId: KEY_ARN,
    performanceInsightsEnabled: true,
    performanceInsightsKmsKeyId: KEY_ARN,
    publiclyAccessible: false,
    backupRetentionPeriod: 7,
    deletionProtection: true,
    multiAz: true,
    parameterGroupName: "metastore-params",
    ...changes,
  },
  dependsOn: ["metastore-params"],
});

export const withInstance = (changes: Record<string, unknown>) => [parameterGroup(), instance(changes)];

export const good = withInstance({});

/** An in-region read replica as the metastore adds them: encryption, key and backups follow the source. */
export const inRegionReplica: TestResource = {
  type: "aws:rds/instance:Instance",
  name: "metastore-replica-1",
  props: {
    replicateSourceDb: "metastore",
    instanceClass: "db.t4g.medium",
    storageEncrypted: true,
    multiAz: false,
    deletionProtection: true,
    publiclyAccessible: false,
  },
  dependsOn: ["metastore"],
};

export const CROSS_REGION_SOURCE = "arn:aws:rds:eu-west-1:123456789012:db:metastore";

export const auroraCluster = (instances: number): TestResource[] => [
  {
    type: "aws:rds/cluster:Cluster",
    name: "aurora",
    props: {
      engine: "aurora-postgresql",
      storageEncrypted: true,
      kmsKeyId: KEY_ARN,
      backupRetentionPeriod: 7,
      deletionProtection: true,
      dbClusterParameterGroupName: "aurora-params",
    },
  },
  ...Array.from({ length: instances }, (_, i) => ({
    type: "aws:rds/clusterInstance:ClusterInstance",
    name: `aurora-${i}`,
    props: { clusterIdentifier: "aurora", engine: "aurora-postgresql", instanceClass: "db.serverless" },
    dependsOn: ["aurora"],
  })),
];

// Kubernetes workloads

/** A container as loglake's workloads run them: non-root, no escalation, requests and limits, a pinned image. */
export const container = (changes: Record<string, unknown> = {}) => ({
  name: "app",
  image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/loglake/lake-writer:3f9c2a1b",
  securityContext: {
    runAsNonRoot: true,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ["ALL"] },
  },
  resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "1", memory: "512Mi" } },
  ...changes,
});

/** A pod spec whose one container is `container(changes)`; `pod` changes the pod spec itself. */
export const podSpec = (changes: Record<string, unknown> = {}, pod: Record<string, unknown> = {}) => ({
  securityContext: { runAsNonRoot: true, runAsUser: 65534, seccompProfile: { type: "RuntimeDefault" } },
  containers: [container(changes)],
  ...pod,
});

/** A Deployment of that pod spec. */
export const deployment = (
  changes: Record<string, unknown> = {},
  pod: Record<string, unknown> = {},
): TestResource[] => [
  {
    type: "kubernetes:apps/v1:Deployment",
    name: "lake-writer",
    props: {
      metadata: { name: "lake-writer", namespace: "loglake" },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: "lake-writer" } },
        template: { metadata: { labels: { app: "lake-writer" } }, spec: podSpec(changes, pod) },
      },
    },
  },
];

/** The same pod spec in each other workload kind the pack checks. */
export const workloadKinds = (changes: Record<string, unknown> = {}, pod: Record<string, unknown> = {}) => {
  const template = { template: { spec: podSpec(changes, pod) } };
  const of = (type: string, name: string, spec: object): TestResource => ({
    type,
    name,
    props: { metadata: { name, namespace: "loglake" }, spec },
  });
  return {
    Pod: [of("kubernetes:core/v1:Pod", "debug", podSpec(changes, pod))],
    DaemonSet: [of("kubernetes:apps/v1:DaemonSet", "agent", template)],
    StatefulSet: [of("kubernetes:apps/v1:StatefulSet", "store", { serviceName: "store", ...template })],
    Job: [of("kubernetes:batch/v1:Job", "schema", template)],
    CronJob: [of("kubernetes:batch/v1:CronJob", "compact", { schedule: "0 3 * * *", jobTemplate: { spec: template } })],
  };
};
