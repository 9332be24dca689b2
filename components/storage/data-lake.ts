import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AccountArgs, componentAccount } from "../security/account";
import { namePrefixProblem } from "../shared/aws-limits";
import { Problem, refuseProblems } from "../shared/problems";
import { vendedLogDeliveryStatements } from "./log-delivery";
import { BucketLifecycle, lifecycleProblems } from "./lifecycle";
import { Encryption, guardStatements, SecureBucket, secureBucket } from "./secure-bucket";

/** The lake's buckets: landing (raw), curated Parquet/Iceberg (lake), manifests, quarantine, access logs. */
export const lakeBuckets = ["raw", "lake", "manifests", "quarantine", "accessLogs"] as const;
export type LakeBucket = (typeof lakeBuckets)[number];

/** Buckets copied to the DR region; the others are rebuilt from these after a failover. */
const replicatedBuckets = ["raw", "lake"] as const satisfies readonly LakeBucket[];

/** Where a primary lake replicates to: the DR lake's raw and lake buckets and its (DR-region) key. */
export interface ReplicaTargets {
  rawBucketArn: pulumi.Input<string>;
  lakeBucketArn: pulumi.Input<string>;
  /** ARN of the KMS key in the destination region that encrypts the replicas. */
  kmsKeyArn: pulumi.Input<string>;
}

export interface DataLakeReplicationArgs {
  /**
   * The DR lake's `replicaTargets` (the dr stack exports them). Those buckets must be versioned:
   * they are the raw and lake buckets of the dr stack's own DataLake, which versions every bucket,
   * so deploy the dr stack first.
   */
  destination: pulumi.Input<ReplicaTargets>;
  /** S3 Replication Time Control: 15-minute replication SLA with replication metrics (extra cost). */
  replicationTimeControl: boolean;
}

export interface DataLakeArgs extends AccountArgs {
  /** Start of every bucket name: `<prefix>-<bucket>-<account>-<region>`; 3 to 20 of a-z, 0-9 and -. */
  prefix: string;
  /**
   * ARN of the lake's customer-managed KMS key: default SSE-KMS (with S3 Bucket Keys) of every
   * bucket except access-logs, and the only key uploads may name.
   */
  kmsKeyArn: pulumi.Input<string>;
  /** Tiering and retention of each bucket; checked against S3's lifecycle rules before anything is registered. */
  lifecycles: Record<LakeBucket, BucketLifecycle>;
  /** Cross-region replication of raw and lake into the DR lake. Default: none. */
  replication?: DataLakeReplicationArgs;
  /** Let `pulumi destroy` delete buckets that still hold objects. Default: false (data is never deleted by accident). */
  forceDestroy?: boolean;
  /**
   * Prefixes of the access-logs bucket that AWS vended log delivery (e.g. MSK broker logs) may write
   * to for this account. Default: none.
   */
  vendedLogPrefixes?: string[];
}

export interface LakeBucketOutputs {
  name: pulumi.Output<string>;
  arn: pulumi.Output<string>;
}

const kebab = (key: LakeBucket) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Everything S3 would refuse in the args: the prefix every bucket name starts with, every lifecycle. */
function argsProblems(args: DataLakeArgs): Problem[] {
  const prefix = namePrefixProblem(args.prefix);
  return [
    ...(prefix ? [{ path: ["prefix"], message: prefix }] : []),
    ...lakeBuckets.flatMap((key) =>
      lifecycleProblems(args.lifecycles[key]).map((p) => ({
        path: ["lifecycles", key, ...p.path],
        message: p.message,
      })),
    ),
  ];
}

/** "arn:aws:kms:eu-central-1:123456789012:key/..." → "eu-central-1". */
function regionOfArn(arn: string, what: string): string {
  const region = arn.split(":")[3];
  if (!arn.startsWith("arn:") || !region)
    throw new Error(`DataLake: ${what} must be an ARN with a region, got "${arn}"`);
  return region;
}

/**
 * The loglake data lake: five S3 buckets with the same guards (encryption, versioning, no public
 * access, no ACLs, TLS only, no uploads under another key, access logs, multipart cleanup), each
 * with its own lifecycle, and optionally the replication of raw and lake into the DR region.
 *
 * The access-logs bucket is the one exception to SSE-KMS: S3 server access log delivery supports
 * only SSE-S3 (AES256) default encryption on the destination bucket ("Enabling Amazon S3 server
 * access logging", Amazon S3 User Guide), so that bucket uses SSE-S3 and refuses KMS uploads instead.
 */
export class DataLake extends pulumi.ComponentResource {
  /** Name and ARN of every bucket. */
  public readonly buckets: Record<LakeBucket, LakeBucketOutputs>;
  /** The role S3 assumes to replicate raw and lake; absent (`declare` emits no field) without replication. */
  declare public readonly replicationRoleArn?: pulumi.Output<string>;
  /** What a primary stack needs to replicate into this lake (a dr stack exports it). */
  public readonly replicaTargets: pulumi.Output<{ rawBucketArn: string; lakeBucketArn: string; kmsKeyArn: string }>;

  constructor(name: string, args: DataLakeArgs, opts?: pulumi.ComponentResourceOptions) {
    // Checked before super(), so invalid args register nothing at all.
    refuseProblems("DataLake", name, argsProblems(args));
    super("loglake:storage:DataLake", name, {}, opts);

    const { accountId, region, dnsSuffix, partition } = componentAccount(args, this);

    const lakeKey: Encryption = { sseAlgorithm: "aws:kms", kmsKeyArn: args.kmsKeyArn };
    const created = Object.fromEntries(
      lakeBuckets.map((key) => [
        key,
        // Account and region make the global bucket name unique per deployment (at most 20+1+11+1+12+1+14 = 60 of 63 characters).
        secureBucket(this, `${name}-${kebab(key)}`, {
          bucket: pulumi.interpolate`${args.prefix}-${kebab(key)}-${accountId}-${region}`,
          encryption: key === "accessLogs" ? { sseAlgorithm: "AES256" } : lakeKey,
          forceDestroy: args.forceDestroy ?? false,
        }),
      ]),
    ) as Record<LakeBucket, SecureBucket>;
    const logs = created.accessLogs.bucket;
    const loggedBuckets = lakeBuckets.filter((key) => key !== "accessLogs");

    const policies = Object.fromEntries(
      lakeBuckets.map((key) => {
        const { bucket, publicAccessBlock, encryption } = created[key];
        const statements: pulumi.Input<object>[] = guardStatements(bucket.arn, encryption);
        let vendedLogStatements: pulumi.Input<object[]> = [];
        if (key === "accessLogs") {
          // ACLs are disabled (BucketOwnerEnforced), so log delivery is granted to the logging
          // service principal, and only for this account's lake buckets.
          statements.push({
            Sid: "AllowServerAccessLogDelivery",
            Effect: "Allow",
            Principal: { Service: "logging.s3.amazonaws.com" },
            Action: "s3:PutObject",
            Resource: pulumi.interpolate`${bucket.arn}/*`,
            Condition: {
              StringEquals: { "aws:SourceAccount": accountId },
              ArnLike: { "aws:SourceArn": loggedBuckets.map((k) => created[k].bucket.arn) },
            },
          });
          vendedLogStatements = pulumi
            .all([bucket.arn, accountId, region, partition])
            .apply(([bucketArn, account, inRegion, inPartition]) =>
              (args.vendedLogPrefixes ?? []).flatMap((prefix) =>
                vendedLogDeliveryStatements({
                  bucketArn,
                  prefix,
                  accountId: account,
                  region: inRegion,
                  partition: inPartition,
                }),
              ),
            );
        }
        const policy = new aws.s3.BucketPolicy(
          `${name}-${kebab(key)}`,
          {
            bucket: bucket.id,
            policy: pulumi.jsonStringify({
              Version: "2012-10-17",
              Statement: pulumi
                .all([pulumi.all(statements), vendedLogStatements])
                .apply(([own, vended]) => [...own, ...vended]),
            }),
          },
          // S3 refuses concurrent changes to one bucket's configuration; the public-access block goes first.
          { parent: this, dependsOn: [publicAccessBlock] },
        );
        return [key, policy];
      }),
    ) as Record<LakeBucket, aws.s3.BucketPolicy>;

    for (const key of loggedBuckets) {
      new aws.s3.BucketLogging(
        `${name}-${kebab(key)}`,
        {
          bucket: created[key].bucket.id,
          targetBucket: logs.id,
          targetPrefix: `${kebab(key)}/`,
          // Date-partitioned keys, so the logs can be queried per day without listing everything.
          targetObjectKeyFormat: { partitionedPrefix: { partitionDateSource: "EventTime" } },
        },
        { parent: this, dependsOn: [policies.accessLogs] },
      );
    }

    for (const key of lakeBuckets) {
      this.lifecycle(name, key, created[key].bucket, created[key].versioning, args.lifecycles[key]);
    }

    // A bucket's name is handed out once its policy is in place, so whatever writes to it (MSK broker
    // logs, S3 notifications' sources, the functions) starts only when the bucket admits it.
    this.buckets = Object.fromEntries(
      lakeBuckets.map((key) => [
        key,
        {
          name: pulumi.all([created[key].bucket.bucket, policies[key].id]).apply(([bucketName]) => bucketName),
          arn: created[key].bucket.arn,
        },
      ]),
    ) as Record<LakeBucket, LakeBucketOutputs>;
    this.replicaTargets = pulumi.output({
      rawBucketArn: this.buckets.raw.arn,
      lakeBucketArn: this.buckets.lake.arn,
      kmsKeyArn: args.kmsKeyArn,
    });
    if (args.replication) {
      this.replicationRoleArn = this.replicate(name, args, args.replication, created, { accountId, region, dnsSuffix });
    }

    this.registerOutputs({
      buckets: this.buckets,
      replicaTargets: this.replicaTargets,
      ...(this.replicationRoleArn && { replicationRoleArn: this.replicationRoleArn }),
    });
  }

  /** The bucket's lifecycle rule, and Intelligent-Tiering's archive tiers when it has them. */
  private lifecycle(
    name: string,
    key: LakeBucket,
    bucket: aws.s3.Bucket,
    versioning: aws.s3.BucketVersioning,
    lifecycle: BucketLifecycle,
  ) {
    const suffix = kebab(key);
    // Noncurrent-version actions mean nothing until versioning is on.
    const opts = { parent: this, dependsOn: [versioning] };
    const nonEmpty = <T>(items: T[]) => (items.length > 0 ? items : undefined);
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-${suffix}`,
      {
        bucket: bucket.id,
        rules: [
          {
            id: "tiering-and-retention",
            status: "Enabled",
            filter: {},
            abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
            transitions: nonEmpty(lifecycle.transitions.map((t) => ({ days: t.days, storageClass: t.storageClass }))),
            // Without an expiry, delete markers whose noncurrent versions have all expired are
            // still cleaned up (S3 refuses that flag next to Days).
            expiration:
              lifecycle.expirationDays !== undefined
                ? { days: lifecycle.expirationDays }
                : { expiredObjectDeleteMarker: true },
            noncurrentVersionTransitions: nonEmpty(
              lifecycle.noncurrentTransitions.map((t) => ({ noncurrentDays: t.days, storageClass: t.storageClass })),
            ),
            noncurrentVersionExpiration: { noncurrentDays: lifecycle.noncurrentExpirationDays },
          },
        ],
      },
      opts,
    );
    const archive = lifecycle.intelligentTieringArchive;
    if (!archive) return;
    const tierings = [
      { accessTier: "ARCHIVE_ACCESS", days: archive.archiveAccessDays },
      { accessTier: "DEEP_ARCHIVE_ACCESS", days: archive.deepArchiveAccessDays },
    ].filter((t): t is { accessTier: string; days: number } => t.days !== undefined);
    new aws.s3.BucketIntelligentTieringConfiguration(
      `${name}-${suffix}`,
      { bucket: bucket.id, name: "archive-tiers", status: "Enabled", tierings },
      opts,
    );
  }

  /** Replication of raw and lake into the DR lake, with a role that can touch nothing else. */
  private replicate(
    name: string,
    args: DataLakeArgs,
    replication: DataLakeReplicationArgs,
    created: Record<LakeBucket, { bucket: aws.s3.Bucket; versioning: aws.s3.BucketVersioning }>,
    account: { accountId: pulumi.Output<string>; region: pulumi.Output<string>; dnsSuffix: pulumi.Output<string> },
  ): pulumi.Output<string> {
    const destination = pulumi.output(replication.destination);
    const destinationArn: Record<(typeof replicatedBuckets)[number], pulumi.Output<string>> = {
      raw: destination.rawBucketArn,
      lake: destination.lakeBucketArn,
    };
    const destinationRegion = destination.kmsKeyArn.apply((arn) =>
      regionOfArn(arn, "replication.destination.kmsKeyArn"),
    );
    const sources = replicatedBuckets.map((key) => created[key].bucket.arn);
    const targets = replicatedBuckets.map((key) => destinationArn[key]);
    const objectsOf = (arns: pulumi.Output<string>[]) => arns.map((arn) => pulumi.interpolate`${arn}/*`);
    // With S3 Bucket Keys the KMS encryption context is the bucket ARN; objects written before
    // Bucket Keys carry their object ARN. Both are allowed, for these buckets only.
    const encryptionContext = (arns: pulumi.Output<string>[]) => [...arns, ...objectsOf(arns)];

    const role = new aws.iam.Role(
      `${name}-replication`,
      {
        description: "Assumed by S3 to replicate the raw and lake buckets into the DR region",
        assumeRolePolicy: pulumi.jsonStringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Principal: { Service: "s3.amazonaws.com" },
              Action: "sts:AssumeRole",
              Condition: { StringEquals: { "aws:SourceAccount": account.accountId } },
            },
          ],
        }),
      },
      { parent: this },
    );
    const rolePolicy = new aws.iam.RolePolicy(
      `${name}-replication`,
      {
        role: role.id,
        policy: pulumi.jsonStringify({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "ReadReplicationConfiguration",
              Effect: "Allow",
              Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"],
              Resource: sources,
            },
            {
              Sid: "ReadSourceVersions",
              Effect: "Allow",
              Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
              Resource: objectsOf(sources),
            },
            {
              Sid: "WriteReplicas",
              Effect: "Allow",
              Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
              Resource: objectsOf(targets),
            },
            {
              Sid: "DecryptSourceObjects",
              Effect: "Allow",
              Action: "kms:Decrypt",
              Resource: args.kmsKeyArn,
              Condition: {
                StringEquals: { "kms:ViaService": pulumi.interpolate`s3.${account.region}.${account.dnsSuffix}` },
                StringLike: { "kms:EncryptionContext:aws:s3:arn": encryptionContext(sources) },
              },
            },
            {
              Sid: "EncryptReplicas",
              Effect: "Allow",
              // Decrypt too: with S3 Bucket Keys on the destination, S3 decrypts the bucket-level
              // key to check its integrity before using it (S3 User Guide, "Bucket Keys and replication").
              Action: ["kms:Encrypt", "kms:GenerateDataKey", "kms:Decrypt"],
              Resource: destination.kmsKeyArn,
              Condition: {
                StringEquals: { "kms:ViaService": pulumi.interpolate`s3.${destinationRegion}.${account.dnsSuffix}` },
                StringLike: { "kms:EncryptionContext:aws:s3:arn": encryptionContext(targets) },
              },
            },
          ],
        }),
      },
      { parent: this },
    );

    const timeControl = replication.replicationTimeControl
      ? {
          replicationTime: { status: "Enabled", time: { minutes: 15 } },
          metrics: { status: "Enabled", eventThreshold: { minutes: 15 } },
        }
      : {};
    for (const key of replicatedBuckets) {
      new aws.s3.BucketReplicationConfig(
        `${name}-${kebab(key)}`,
        {
          bucket: created[key].bucket.id,
          role: role.arn,
          rules: [
            {
              id: "to-dr-region",
              status: "Enabled",
              // A filter makes this a V2 rule, the only kind that can replicate delete markers.
              filter: {},
              deleteMarkerReplication: { status: "Enabled" },
              sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
              destination: {
                bucket: destinationArn[key],
                encryptionConfiguration: { replicaKmsKeyId: destination.kmsKeyArn },
                ...timeControl,
              },
            },
          ],
        },
        // S3 refuses replication on a bucket without versioning.
        { parent: this, dependsOn: [created[key].versioning, rolePolicy] },
      );
    }
    return role.arn;
  }
}
