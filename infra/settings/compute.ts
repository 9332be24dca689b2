import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { ComputeClusterArgs, defaultSparkInstanceTypes } from "../../components/compute/compute-cluster";
import { clusterProblems, controlPlaneLogTypes } from "../../components/compute/eks-rules";
import { defaultKubernetesVersion, supportTypes } from "../../components/compute/kubernetes-versions";
import type { AwsAccount } from "../../components/security/account";
import { defaultRawPrefix } from "../../runtime/sink/deployment";
import { Environment, logRetention, Problem, section } from "./common";

const count = z.number().int();

/** The `compute` section: the EKS cluster, its node pools and what Spark may touch. */
export const computeSchema = z
  .strictObject({
    kubernetesVersion: z
      .string()
      .describe(
        'Kubernetes minor version ("1.NN") among those EKS offers (components/compute/kubernetes-versions.ts).',
      ),
    supportType: z
      .enum(supportTypes)
      .describe(
        "What EKS does when the version's standard support ends: STANDARD upgrades the control plane, EXTENDED keeps it 12 more months at extra cost per cluster-hour. Versions already in extended support need EXTENDED.",
      ),
    publicAccessCidrs: z
      .array(z.string())
      .describe(
        "IPv4 blocks allowed to reach the public API endpoint; empty keeps the public endpoint off (the API is then reachable only from the VPC, VPN or Direct Connect: `pulumi up` of the cluster works from anywhere, but kubectl, Helm and anything deploying into the cluster must run from there). Only dev may set any; /0 is never accepted.",
      ),
    adminPrincipalArn: z
      .string()
      .optional()
      .describe(
        "IAM role ARN given cluster-admin through an EKS access entry (platform team or break-glass role). Optional: whoever creates the cluster (the deploying identity) is admin in any case, and naming that same role here makes EKS refuse the duplicate access entry.",
      ),
    controlPlaneLogTypes: z
      .array(z.enum(controlPlaneLogTypes))
      .describe("Control-plane log types sent to CloudWatch Logs; api, audit and authenticator are required."),
    controlPlaneLogRetentionDays: logRetention.describe("Days the control-plane log group keeps logs."),
    deletionProtection: z.boolean().describe("EKS deletion protection (switch it off before destroying the stack)."),
    nodeSsmAccess: z
      .boolean()
      .describe("Let nodes be reached through SSM Session Manager (AmazonSSMManagedInstanceCore on the node role)."),
    createAutoscalingServiceLinkedRole: z
      .boolean()
      .describe(
        "Create the Auto Scaling service-linked role, which the node volumes' KMS grant names. Off: the account bootstrap owns it. Only a stack that created it before the bootstrap existed keeps this on until it hands the role over (README, step 1).",
      ),
    /** On-demand nodes for system pods, Spark drivers and the Hive metastore. */
    system: z.strictObject({
      instanceType: z.string().describe("x86_64 EC2 instance type."),
      minSize: count.describe("Fewest nodes (and the count at creation)."),
      maxSize: count.describe("Most nodes the cluster-autoscaler may run."),
      rootVolumeSizeGiB: count.describe("Encrypted gp3 root volume in GiB."),
    }),
    /** Spot nodes for Spark executors only (tainted), scaling from zero. */
    spark: z.strictObject({
      instanceTypes: z
        .array(z.string())
        .describe("x86_64 instance types of one shape (e.g. m*.2xlarge), at least two for Spot capacity."),
      maxSize: count.describe("Most executor nodes."),
      rootVolumeSizeGiB: count.describe("Encrypted gp3 root volume in GiB (shuffle spill)."),
      lakePrefixes: z.array(z.string()).describe('Lake bucket prefixes Spark reads and writes, each ending in "/".'),
    }),
  })
  .superRefine((value, ctx) => {
    for (const problem of clusterProblems(value))
      ctx.addIssue({ code: "custom", path: problem.path, message: problem.message });
  });
export type ComputeSettings = z.infer<typeof computeSchema>;

const sparkTypes = defaultSparkInstanceTypes;
const shared = {
  kubernetesVersion: defaultKubernetesVersion,
  supportType: "STANDARD",
  publicAccessCidrs: [],
  controlPlaneLogTypes: ["api", "audit", "authenticator"],
  nodeSsmAccess: false,
  createAutoscalingServiceLinkedRole: false,
} satisfies Partial<z.input<typeof computeSchema>>;

export const computeDefaults: Record<Environment, z.input<typeof computeSchema>> = {
  dev: {
    ...shared,
    controlPlaneLogRetentionDays: 30,
    deletionProtection: false,
    system: { instanceType: "t3.large", minSize: 1, maxSize: 2, rootVolumeSizeGiB: 50 },
    spark: { instanceTypes: sparkTypes, maxSize: 4, rootVolumeSizeGiB: 100, lakePrefixes: ["warehouse/"] },
  },
  prod: {
    ...shared,
    controlPlaneLogRetentionDays: 365,
    deletionProtection: true,
    system: { instanceType: "m6i.xlarge", minSize: 2, maxSize: 6, rootVolumeSizeGiB: 50 },
    spark: { instanceTypes: sparkTypes, maxSize: 50, rootVolumeSizeGiB: 200, lakePrefixes: ["warehouse/"] },
  },
  // A warm standby: the control plane and two small system nodes run; executors start from zero and
  // spark.maxSize (and the system sizes) are raised by config on failover.
  dr: {
    ...shared,
    controlPlaneLogRetentionDays: 365,
    deletionProtection: true,
    system: { instanceType: "m6i.large", minSize: 2, maxSize: 4, rootVolumeSizeGiB: 50 },
    spark: { instanceTypes: sparkTypes, maxSize: 10, rootVolumeSizeGiB: 200, lakePrefixes: ["warehouse/"] },
  },
};

/** Environments whose API server must stay private: prod, and dr, which becomes prod on failover. */
const privateApiEnvironments: readonly Environment[] = ["prod", "dr"];

/** Checks that need the environment: a private API in prod and dr, two system nodes in prod. */
export function computeProblems(config: { environment: Environment; compute: ComputeSettings }): Problem[] {
  const { environment, compute } = config;
  const problems: Problem[] = [];
  if (privateApiEnvironments.includes(environment) && compute.publicAccessCidrs.length > 0) {
    problems.push({
      path: ["compute", "publicAccessCidrs"],
      message: `the ${environment} stack keeps the Kubernetes API private (no public endpoint); reach it from the VPC or over VPN`,
    });
  }
  if (environment === "prod" && compute.system.minSize < 2) {
    problems.push({
      path: ["compute", "system", "minSize"],
      message: "prod runs at least 2 system nodes, in different AZs, so one AZ can fail",
    });
  }
  return problems;
}

export const computeSection = section({
  key: "compute",
  schema: computeSchema,
  defaults: (e) => computeDefaults[e],
  problems: computeProblems,
});

/** What the ComputeCluster takes from other components. */
export interface ComputeDependencies {
  vpcId: pulumi.Input<string>;
  privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
  clusterSecretsKeyArn: pulumi.Input<string>;
  /** The key of the nodes' root volumes, apart from the secrets key. */
  nodeVolumesKeyArn: pulumi.Input<string>;
  logsKeyArn: pulumi.Input<string>;
  lakeKeyArn: pulumi.Input<string>;
  rawBucketArn: pulumi.Input<string>;
  lakeBucketArn: pulumi.Input<string>;
  account: pulumi.Input<AwsAccount>;
}

/** The ComputeCluster's args for a stack: cluster `<prefix>-eks`, everything else from the section. */
export function computeArgs(
  config: { prefix: string; environment: Environment; compute: ComputeSettings },
  deps: ComputeDependencies,
): ComputeClusterArgs {
  const { compute } = config;
  return {
    clusterName: `${config.prefix}-eks`,
    kubernetesVersion: compute.kubernetesVersion,
    supportType: compute.supportType,
    vpcId: deps.vpcId,
    privateSubnetIds: deps.privateSubnetIds,
    publicAccessCidrs: compute.publicAccessCidrs,
    adminPrincipalArn: compute.adminPrincipalArn,
    secretsKmsKeyArn: deps.clusterSecretsKeyArn,
    nodeVolumeKmsKeyArn: deps.nodeVolumesKeyArn,
    logsKmsKeyArn: deps.logsKeyArn,
    controlPlaneLogTypes: compute.controlPlaneLogTypes,
    controlPlaneLogRetentionDays: compute.controlPlaneLogRetentionDays,
    deletionProtection: compute.deletionProtection,
    nodeSsmAccess: compute.nodeSsmAccess,
    createAutoscalingServiceLinkedRole: compute.createAutoscalingServiceLinkedRole,
    system: compute.system,
    spark: {
      instanceTypes: compute.spark.instanceTypes,
      maxSize: compute.spark.maxSize,
      rootVolumeSizeGiB: compute.spark.rootVolumeSizeGiB,
    },
    storage: {
      rawBucketArn: deps.rawBucketArn,
      lakeBucketArn: deps.lakeBucketArn,
      lakeKeyArn: deps.lakeKeyArn,
      lakePrefixes: compute.spark.lakePrefixes,
      rawPrefix: `${defaultRawPrefix}/`,
    },
    account: deps.account,
  };
}
