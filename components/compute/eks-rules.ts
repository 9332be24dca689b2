/**
 * What Amazon EKS accepts for loglake's cluster and node groups, and the checks run before anything is
 * registered. Pure: no Pulumi, so the `compute` config section and the ComputeCluster component share
 * one set of rules.
 *
 * Sources, checked 2026-11-21:
 * - Cluster names: CreateCluster `name` (1-100 characters, letter or digit first, then letters,
 *   digits, `-` and `_`).
 * - Public endpoint: "Cluster API server endpoint" (publicAccessCidrs are IPv4 CIDR blocks, at most
 *   40 per cluster by default).
 * - Control-plane logs: "Send control plane logs to CloudWatch Logs" (api, audit, authenticator,
 *   controllerManager, scheduler).
 * - Node groups: "Managed node groups" (maxSize at least 1, minSize 0 allowed) and AL2023 AMI types
 *   (x86_64 here, so no Graviton types).
 */
import { parseIpv4Cidr } from "../shared/cidr";
import { iamRoleArnPattern, logRetentionProblem, s3KeyPrefixPattern } from "../shared/aws-limits";
import { Problem } from "../shared/problems";
import { kubernetesVersionProblem, SupportType } from "./kubernetes-versions";

export const controlPlaneLogTypes = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;
export type ControlPlaneLogType = (typeof controlPlaneLogTypes)[number];
/** Who called the API server, what they changed and how they authenticated: never switched off. */
export const requiredControlPlaneLogTypes: readonly ControlPlaneLogType[] = ["api", "audit", "authenticator"];

/** EKS's default quota of public access CIDR blocks per cluster. */
export const maxPublicAccessCidrs = 40;

/** Plain settings of the cluster, as the config section holds them and the component resolves its args to. */
export interface ClusterSettings {
  kubernetesVersion: string;
  supportType: SupportType;
  publicAccessCidrs: string[];
  adminPrincipalArn?: string;
  controlPlaneLogTypes: string[];
  controlPlaneLogRetentionDays: number;
  system: { instanceType: string; minSize: number; maxSize: number; rootVolumeSizeGiB: number };
  spark: { instanceTypes: string[]; maxSize: number; rootVolumeSizeGiB: number; lakePrefixes: string[] };
}

const instanceType = /^([a-z]+)(\d+)([a-z-]*)\.([a-z0-9]+)$/;
const clusterName = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;

/**
 * "m6i.2xlarge" → family "m", size "2xlarge", Graviton when the attributes name a "g" processor, or
 * for A1, the first Graviton generation, which predates that naming.
 */
export function instanceShape(type: string): { family: string; size: string; graviton: boolean } | undefined {
  const match = instanceType.exec(type);
  if (!match) return undefined;
  const [, family, generation, attributes, size] = match;
  return { family, size, graviton: attributes.startsWith("g") || (family === "a" && generation === "1") };
}

/** Problems of one instance type for an AL2023 x86_64 node group. */
function instanceTypeProblem(type: string): string | undefined {
  const shape = instanceShape(type);
  if (!shape) return `"${type}" is not an EC2 instance type such as m6i.2xlarge`;
  if (shape.graviton) return `${type} is a Graviton (arm64) type; the node groups run the x86_64 AL2023 AMI`;
  return undefined;
}

/**
 * Public access CIDRs of the API endpoint: an explicit allow-list of IPv4 blocks. The whole internet
 * (a /0) is refused: the endpoint would then only be guarded by IAM authentication.
 */
export function publicAccessProblems(cidrs: string[]): Problem[] {
  const problems: Problem[] = [];
  if (cidrs.length > maxPublicAccessCidrs) {
    problems.push({
      path: ["publicAccessCidrs"],
      message: `EKS accepts at most ${maxPublicAccessCidrs} public access CIDR blocks`,
    });
  }
  cidrs.forEach((cidr, i) => {
    if (cidr.endsWith("/0")) {
      problems.push({
        path: ["publicAccessCidrs", i],
        message: `${cidr} opens the API endpoint to the whole internet; list the networks that need it`,
      });
    } else if (!parseIpv4Cidr(cidr)) {
      problems.push({
        path: ["publicAccessCidrs", i],
        message: "an IPv4 CIDR block such as 203.0.113.0/24 (EKS takes IPv4 blocks only)",
      });
    }
  });
  return problems;
}

/** Why EKS would refuse `name` as a cluster name; undefined when it is fine. */
export function clusterNameProblem(name: string): string | undefined {
  return clusterName.test(name)
    ? undefined
    : `"${name}": 1 to 100 letters, digits, - and _, starting with a letter or digit`;
}

/**
 * Why `adminPrincipalArn` cannot get an access entry when `callerArn` (sts:GetCallerIdentity of the
 * deploying credentials) creates the cluster; undefined when it can. EKS gives the creator's role an
 * access entry of its own (pulumi-eks always sets bootstrapClusterCreatorAdminPermissions) and refuses
 * a second one for the same role with ResourceInUseException, after the control plane is built.
 * The caller is an assumed-role session (`arn:aws:sts::<account>:assumed-role/<name>/<session>`), which
 * names the role without its path; role names are unique in an account, paths aside.
 */
export function deployerAdminProblem(callerArn: string, adminPrincipalArn: string): string | undefined {
  const caller = /^arn:[^:]+:sts::(\d{12}):assumed-role\/([^/]+)\//.exec(callerArn);
  const admin = /^arn:[^:]+:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(adminPrincipalArn);
  if (!caller || !admin || caller[1] !== admin[1] || caller[2] !== admin[2]) return undefined;
  return `${adminPrincipalArn} is the role deploying the stack, which EKS already makes cluster admin; EKS refuses a second access entry for it (leave adminPrincipalArn unset or name another role)`;
}

/**
 * Everything EKS or the autoscaler would refuse, or that would quietly break the platform, in one
 * list; empty when the settings are good. `today` decides the Kubernetes version's support status.
 */
export function clusterProblems(s: ClusterSettings, today: Date = new Date()): Problem[] {
  const problems: Problem[] = [];
  const add = (path: (string | number)[], message: string) => problems.push({ path, message });

  const versionProblem = kubernetesVersionProblem(s.kubernetesVersion, s.supportType, today);
  if (versionProblem) add(["kubernetesVersion"], versionProblem);
  problems.push(...publicAccessProblems(s.publicAccessCidrs));
  if (s.adminPrincipalArn !== undefined && !iamRoleArnPattern.test(s.adminPrincipalArn)) {
    add(["adminPrincipalArn"], "an IAM role ARN such as arn:aws:iam::123456789012:role/platform-admin");
  }

  s.controlPlaneLogTypes.forEach((type, i) => {
    if (!(controlPlaneLogTypes as readonly string[]).includes(type))
      add(["controlPlaneLogTypes", i], `one of ${controlPlaneLogTypes.join(", ")}`);
  });
  const missing = requiredControlPlaneLogTypes.filter((t) => !s.controlPlaneLogTypes.includes(t));
  if (missing.length > 0)
    add(
      ["controlPlaneLogTypes"],
      `must include ${missing.join(", ")} (who called the API server, what changed, how they authenticated)`,
    );
  const retentionProblem = logRetentionProblem(s.controlPlaneLogRetentionDays);
  if (retentionProblem) add(["controlPlaneLogRetentionDays"], retentionProblem);

  const system = s.system;
  const systemTypeProblem = instanceTypeProblem(system.instanceType);
  if (systemTypeProblem) add(["system", "instanceType"], systemTypeProblem);
  if (!Number.isInteger(system.minSize) || system.minSize < 1) {
    add(["system", "minSize"], "at least 1: CoreDNS and the cluster-autoscaler run on the system nodes");
  }
  if (!Number.isInteger(system.maxSize) || system.maxSize < system.minSize)
    add(["system", "maxSize"], `a whole number of at least minSize (${system.minSize})`);

  const spark = s.spark;
  if (spark.instanceTypes.length < 2) {
    add(
      ["spark", "instanceTypes"],
      "at least two instance types of the same shape, so Spot capacity comes from several pools",
    );
  }
  spark.instanceTypes.forEach((type, i) => {
    const problem = instanceTypeProblem(type);
    if (problem) add(["spark", "instanceTypes", i], problem);
  });
  const shapes = new Set(
    spark.instanceTypes
      .map(instanceShape)
      .filter((shape) => shape !== undefined)
      .map((shape) => `${shape.family}*.${shape.size}`),
  );
  if (shapes.size > 1) {
    add(
      ["spark", "instanceTypes"],
      `one shape (family letter and size, e.g. m*.2xlarge) so executors fit any node the autoscaler picks; got ${[...shapes].join(", ")}`,
    );
  }
  if (!Number.isInteger(spark.maxSize) || spark.maxSize < 1)
    add(["spark", "maxSize"], "a whole number of at least 1 (EKS requires it even for a group that scales from zero)");
  if (spark.lakePrefixes.length === 0)
    add(["spark", "lakePrefixes"], "at least one lake bucket prefix Spark may write");
  spark.lakePrefixes.forEach((prefix, i) => {
    if (!s3KeyPrefixPattern.test(prefix))
      add(
        ["spark", "lakePrefixes", i],
        `"${prefix}": a key prefix such as warehouse/ (no leading /, no wildcards, ending in /)`,
      );
  });

  for (const pool of ["system", "spark"] as const) {
    const size = s[pool].rootVolumeSizeGiB;
    if (!Number.isInteger(size) || size < 20 || size > 16384)
      add([pool, "rootVolumeSizeGiB"], "20 to 16384 GiB (the AL2023 AMI needs 20; gp3 allows up to 16 TiB)");
  }
  return problems;
}
