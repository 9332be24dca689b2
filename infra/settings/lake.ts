import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { AwsAccount } from "../../components/security/account";
import { DataLakeArgs, LakeBucket, lakeBuckets, ReplicaTargets } from "../../components/storage/data-lake";
import { BucketLifecycle, lifecycleProblems, storageClasses } from "../../components/storage/lifecycle";
import { arn, Environment, section } from "./common";

const transition = z.strictObject({
  days: z.number().int().min(0).describe("Days after creation (or after becoming noncurrent)."),
  storageClass: z.enum(storageClasses).describe("The storage class objects move into."),
});

const lifecycle = z
  .strictObject({
    transitions: z
      .array(transition)
      .describe("Current versions move through these classes (days after creation, ascending)."),
    expirationDays: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe("Current versions expire this many days after creation; omit to keep forever."),
    noncurrentTransitions: z
      .array(transition)
      .describe("Noncurrent versions move through these classes (days after becoming noncurrent)."),
    noncurrentExpirationDays: z
      .number()
      .int()
      .min(1)
      .describe("Noncurrent versions are deleted this many days after becoming noncurrent."),
    intelligentTieringArchive: z
      .strictObject({
        archiveAccessDays: z
          .number()
          .int()
          .optional()
          .describe("Days without access before Intelligent-Tiering's Archive Access tier (90–730)."),
        deepArchiveAccessDays: z
          .number()
          .int()
          .optional()
          .describe("Days without access before its Deep Archive Access tier (180–730)."),
      })
      .optional(),
  })
  .superRefine((value, ctx) => {
    for (const problem of lifecycleProblems(value)) {
      ctx.addIssue({ code: "custom", path: problem.path, message: problem.message });
    }
  }) satisfies z.ZodType<BucketLifecycle>;

const replication = z
  .strictObject({
    enabled: z.boolean().describe("Replicate the raw and lake buckets into the DR region's replica buckets."),
    drStack: z
      .string()
      .regex(/^[\w.-]+\/[\w.-]+\/[\w.-]+$/, "a stack reference <organization>/<project>/<stack>")
      .optional()
      .describe("The dr stack whose `replicaTargets` output names the replica buckets and key (StackReference)."),
    targets: z
      .strictObject({
        rawBucketArn: arn("s3").describe("The replica of the raw bucket."),
        lakeBucketArn: arn("s3").describe("The replica of the lake bucket."),
        kmsKeyArn: arn("kms").describe("The DR-region key replicas are encrypted with."),
      })
      .optional(),
    replicationTimeControl: z
      .boolean()
      .describe("S3 Replication Time Control: 15-minute replication SLA with metrics (extra cost)."),
  })
  .superRefine((value, ctx) => {
    if (value.enabled && !value.drStack === !value.targets) {
      ctx.addIssue({ code: "custom", path: [], message: "replication needs exactly one of drStack or targets" });
    }
  });

export const lakeSchema = z.strictObject({
  buckets: z.strictObject(
    Object.fromEntries(lakeBuckets.map((b) => [b, lifecycle])) as Record<LakeBucket, typeof lifecycle>,
  ),
  replication,
});
export type LakeSettings = z.infer<typeof lakeSchema>;

const days = (d: number, storageClass: (typeof storageClasses)[number]) => ({ days: d, storageClass });

/** Raw landing data: read by the manifest builder within hours, rarely after; kept for reprocessing. */
const rawLifecycle = (expirationDays: number) => ({
  transitions: [days(30, "STANDARD_IA"), days(90, "GLACIER_IR"), days(180, "DEEP_ARCHIVE")],
  expirationDays,
  noncurrentTransitions: [days(30, "STANDARD_IA")],
  noncurrentExpirationDays: 60,
});
/** Curated Parquet: queried unpredictably, so Intelligent-Tiering picks the tier per object. */
const lakeLifecycle = {
  transitions: [days(0, "INTELLIGENT_TIERING")],
  noncurrentTransitions: [days(30, "STANDARD_IA")],
  noncurrentExpirationDays: 90,
  intelligentTieringArchive: { archiveAccessDays: 90, deepArchiveAccessDays: 180 },
};
const shortLived = (expirationDays: number) => ({
  transitions: [days(30, "STANDARD_IA")],
  expirationDays,
  noncurrentTransitions: [],
  noncurrentExpirationDays: 30,
});

/** Each bucket's lifecycle: raw kept `rawDays`, the small buckets `shortDays`, the lake tiered by access. */
const buckets = (rawDays: number, shortDays: number) => ({
  raw: rawLifecycle(rawDays),
  lake: lakeLifecycle,
  manifests: shortLived(shortDays),
  quarantine: shortLived(shortDays),
  accessLogs: shortLived(shortDays),
});

export const lakeDefaults: Record<Environment, z.input<typeof lakeSchema>> = {
  dev: { buckets: buckets(365, 90), replication: { enabled: false, replicationTimeControl: false } },
  prod: {
    buckets: buckets(730, 400),
    replication: { enabled: true, drStack: "organization/loglake/dr", replicationTimeControl: true },
  },
  dr: { buckets: buckets(730, 400), replication: { enabled: false, replicationTimeControl: false } },
};

export const lakeSection = section({ key: "lake", schema: lakeSchema, defaults: (e) => lakeDefaults[e] });

/** What the DataLake takes from other components and stacks. */
export interface LakeDependencies {
  lakeKeyArn: pulumi.Input<string>;
  /** The dr stack's replica buckets and key; only when the section turns replication on. */
  replicaTargets?: pulumi.Input<ReplicaTargets>;
  /** Access-logs prefixes that AWS vended log delivery writes (MSK broker logs). */
  vendedLogPrefixes: string[];
  account: pulumi.Input<AwsAccount>;
}

/** The DataLake's args for a stack: buckets named after the prefix, lifecycles from the section. */
export function lakeArgs(config: { prefix: string; lake: LakeSettings }, deps: LakeDependencies): DataLakeArgs {
  const { replication } = config.lake;
  return {
    prefix: config.prefix,
    kmsKeyArn: deps.lakeKeyArn,
    lifecycles: config.lake.buckets,
    replication: deps.replicaTargets && {
      destination: deps.replicaTargets,
      replicationTimeControl: replication.replicationTimeControl,
    },
    vendedLogPrefixes: deps.vendedLogPrefixes,
    account: deps.account,
  };
}
