import { AwsAccount, keyThroughS3Statement } from "../security/account";

/** An IAM policy document. */
export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: Record<string, unknown>[];
}

/** A Kubernetes service account that may assume an IAM role through the cluster's OIDC provider. */
export interface ServiceAccountRef {
  namespace: string;
  name: string;
}

/**
 * Trust policy of an IRSA role: only tokens the cluster's OIDC provider issued for this one service
 * account (`sub`) and for STS (`aud`) can assume it. Without the `sub` condition any pod in the cluster
 * could take the role; without `aud`, a token minted for another audience could be replayed here.
 *
 * @param oidcIssuer the issuer without `https://`, e.g. `oidc.eks.eu-west-1.amazonaws.com/id/ABC`.
 */
export function serviceAccountTrustPolicy(
  oidcProviderArn: string,
  oidcIssuer: string,
  account: ServiceAccountRef,
): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ServiceAccountViaClusterOidc",
        Effect: "Allow",
        Principal: { Federated: oidcProviderArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            [`${oidcIssuer}:sub`]: `system:serviceaccount:${account.namespace}:${account.name}`,
            [`${oidcIssuer}:aud`]: "sts.amazonaws.com",
          },
        },
      },
    ],
  };
}

/** EC2 instances of the node groups assume the node role. */
export const nodeTrustPolicy: PolicyDocument = {
  Version: "2012-10-17",
  Statement: [
    { Sid: "Ec2Instances", Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
  ],
};

export interface SparkStorageAccess {
  rawBucketArn: string;
  lakeBucketArn: string;
  /** Key prefixes of the lake bucket Spark reads and writes, each ending in "/". */
  lakePrefixes: string[];
  /** The CMK both buckets use for SSE-KMS. */
  lakeKeyArn: string;
}

/**
 * What the lake writer (`loglake sink`) needs from S3: write, and read back what it wrote after a
 * crash, below its raw prefix only, with the lake key used only through S3 in this region. It never
 * deletes. s3:ListBucket is there for HeadBucket, the sink's startup check that the bucket exists and
 * is its to use, which S3 authorises with that action alone; the sink itself never lists.
 */
export function lakeWriterPolicy(
  storage: { rawBucketArn: string; rawPrefix: string; lakeKeyArn: string },
  account: AwsAccount,
): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "WriteRawPrefix",
        Effect: "Allow",
        Action: ["s3:PutObject", "s3:GetObject"],
        Resource: `${storage.rawBucketArn}/${storage.rawPrefix}*`,
      },
      { Sid: "CheckRawBucket", Effect: "Allow", Action: ["s3:ListBucket"], Resource: storage.rawBucketArn },
      keyThroughS3Statement(storage.lakeKeyArn, account),
    ],
  };
}

/**
 * What Spark jobs need from S3: read the raw landing data, read and write (including deletes, which
 * commits and overwrites do, and multipart uploads) below the lake prefixes only, and use the lake key
 * only through S3 in this region.
 */
export function sparkPolicy(storage: SparkStorageAccess, account: AwsAccount): PolicyDocument {
  const prefixObjects = storage.lakePrefixes.map((p) => `${storage.lakeBucketArn}/${p}*`);
  // Hadoop's S3A lists a "directory" both as "warehouse/" and, when probing it, as "warehouse".
  const listablePrefixes = storage.lakePrefixes.flatMap((p) => [`${p}*`, p.slice(0, -1)]);
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "LocateBucketsAndTheirUploads",
        Effect: "Allow",
        Action: ["s3:GetBucketLocation", "s3:ListBucketMultipartUploads"],
        Resource: [storage.rawBucketArn, storage.lakeBucketArn],
      },
      { Sid: "ListRaw", Effect: "Allow", Action: "s3:ListBucket", Resource: storage.rawBucketArn },
      { Sid: "ReadRaw", Effect: "Allow", Action: "s3:GetObject", Resource: `${storage.rawBucketArn}/*` },
      {
        Sid: "ListLakePrefixes",
        Effect: "Allow",
        Action: "s3:ListBucket",
        Resource: storage.lakeBucketArn,
        Condition: { StringLike: { "s3:prefix": listablePrefixes } },
      },
      {
        Sid: "ReadWriteLakePrefixes",
        Effect: "Allow",
        Action: [
          "s3:GetObject",
          "s3:PutObject",
          "s3:DeleteObject",
          "s3:AbortMultipartUpload",
          "s3:ListMultipartUploadParts",
        ],
        Resource: prefixObjects,
      },
      keyThroughS3Statement(storage.lakeKeyArn, account),
    ],
  };
}

/**
 * What the Hive metastore needs from S3: it creates the directories of databases and tables below the
 * warehouse prefix (Iceberg's CREATE NAMESPACE, CREATE TABLE), which S3A 3.1 does with HEAD and LIST
 * probes of every ancestor (test/runtime/hive/metastore-s3.test.ts records them) (the prefix itself, "warehouse", is probed as an object too), an empty
 * "dir/" marker object, and the removal of its parent's marker. Iceberg's drops delete no directories
 * through the metastore. The markers are encrypted with the lake key, used only through S3.
 */
export function hiveMetastorePolicy(
  storage: { lakeBucketArn: string; warehousePrefix: string; lakeKeyArn: string },
  account: AwsAccount,
): PolicyDocument {
  const prefix = storage.warehousePrefix;
  return {
    Version: "2012-10-17",
    Statement: [
      // While the warehouse has no marker yet, S3A's walk up the ancestors ends at the bucket's root
      // (a listing with an empty prefix).
      {
        Sid: "ListWarehouse",
        Effect: "Allow",
        Action: "s3:ListBucket",
        Resource: storage.lakeBucketArn,
        Condition: { StringLike: { "s3:prefix": [`${prefix}*`, prefix.slice(0, -1), ""] } },
      },
      // S3A 3.1 checks the bucket with HeadBucket whenever it opens it, which IAM authorises as
      // s3:ListBucket without a prefix; a listing without a prefix (key names only) is the same request.
      {
        Sid: "CheckLakeBucket",
        Effect: "Allow",
        Action: "s3:ListBucket",
        Resource: storage.lakeBucketArn,
        Condition: { Null: { "s3:prefix": "true" } },
      },
      {
        Sid: "ProbeWarehouseRoot",
        Effect: "Allow",
        Action: "s3:GetObject",
        Resource: `${storage.lakeBucketArn}/${prefix.slice(0, -1)}`,
      },
      {
        Sid: "WarehouseDirectories",
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
        Resource: `${storage.lakeBucketArn}/${prefix}*`,
      },
      keyThroughS3Statement(storage.lakeKeyArn, account),
    ],
  };
}

/**
 * The Kubernetes cluster-autoscaler's permissions, following its AWS provider documentation: it may
 * change the size of (and terminate instances in) only auto scaling groups tagged as owned by this
 * cluster, read managed node groups of this cluster (labels and taints for scale-from-zero), and
 * call the Describe actions that IAM only grants on "*".
 */
export function clusterAutoscalerPolicy(clusterName: string, account: AwsAccount): PolicyDocument {
  const { partition, region, accountId } = account;
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ScaleOnlyThisClustersGroups",
        Effect: "Allow",
        Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
        Resource: `arn:${partition}:autoscaling:${region}:${accountId}:autoScalingGroup:*:autoScalingGroupName/*`,
        Condition: { StringEquals: { [`aws:ResourceTag/${autoscalerOwnerTag(clusterName)}`]: "owned" } },
      },
      {
        Sid: "ReadThisClustersNodeGroups",
        Effect: "Allow",
        Action: "eks:DescribeNodegroup",
        Resource: `arn:${partition}:eks:${region}:${accountId}:nodegroup/${clusterName}/*/*`,
      },
      {
        Sid: "DiscoverGroupsAndInstanceTypes",
        Effect: "Allow",
        Action: describeOnlyOnAnyResource,
        Resource: "*",
      },
    ],
  };
}

/** KMS operations EBS performs with a volume CMK on behalf of whoever creates or attaches the volume. */
export const ebsVolumeKeyOperations = [
  "Encrypt",
  "Decrypt",
  "ReEncryptFrom",
  "ReEncryptTo",
  "GenerateDataKey",
  "GenerateDataKeyWithoutPlaintext",
  "DescribeKey",
];

/**
 * The EBS CSI driver's use of the persistent volumes' CMK, on top of AmazonEBSCSIDriverPolicy (which
 * covers the EC2 volume calls but no customer-managed key): the key only through EC2, and grants
 * only for AWS resources, as EBS needs to attach an encrypted volume to an instance.
 */
export function ebsCsiVolumeKeyPolicy(keyArn: string, account: AwsAccount): PolicyDocument {
  const throughEc2 = { StringEquals: { "kms:ViaService": `ec2.${account.region}.amazonaws.com` } };
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "VolumeKeyThroughEc2",
        Effect: "Allow",
        Action: ebsVolumeKeyOperations.map((operation) => `kms:${operation}`),
        Resource: keyArn,
        Condition: throughEc2,
      },
      {
        Sid: "VolumeKeyGrantsForEbs",
        Effect: "Allow",
        Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
        Resource: keyArn,
        Condition: { ...throughEc2, Bool: { "kms:GrantIsForAWSResource": "true" } },
      },
    ],
  };
}

/** Read-only actions that IAM grants only on Resource "*" (no resource-level permissions). */
export const describeOnlyOnAnyResource = [
  "autoscaling:DescribeAutoScalingGroups",
  "autoscaling:DescribeAutoScalingInstances",
  "autoscaling:DescribeLaunchConfigurations",
  "autoscaling:DescribeScalingActivities",
  "autoscaling:DescribeTags",
  "ec2:DescribeImages",
  "ec2:DescribeInstanceTypes",
  "ec2:DescribeLaunchTemplateVersions",
  "ec2:GetInstanceTypesFromInstanceRequirements",
];

/** The tag that marks an auto scaling group as this cluster's for the autoscaler (value "owned"). */
export const autoscalerOwnerTag = (clusterName: string) => `k8s.io/cluster-autoscaler/${clusterName}`;
