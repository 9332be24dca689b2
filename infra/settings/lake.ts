import { z } from "zod";
import { BucketLifecycle, lifecycleProblems, storageClasses } from "../../components/storage/lifecycle";
import { arn, Environment } from "./common";

const transition = z.strictObject({
  days: z.number().int().min(0),
  storageClass: z.enum(storageClasses),
});

const lifecycle = z
  .strictObject({
    /** Current versions move through these classes (days after creation, ascending). */
    transitions: z.array(transition),
    /** Current versions expire this many days after creation; omit to keep forever. */
    expirationDays: z.number().int().min(1).optional(),
    /** Noncurrent versions move through these classes (days after becoming noncurrent). */
    noncurrentTransitions: z.array(transition),
    /** Noncurrent versions are deleted this many days after becoming noncurrent. */
    noncurrentExpirationDays: z.number().int().min(1),
    /** Intelligent-Tiering's optional archive tiers, for objects that reach INTELLIGENT_TIERING. */
    intelligentTieringArchive: z
      .strictObject({
        archiveAccessDays: z.number().int().optional(),
        deepArchiveAccessDays: z.number().int().optional(),
      })
      .optional(),
  })
  .superRefine((value, ctx) => {
    for (const problem of lifecycleProblems(value)) {
      ctx.addIssue({ code: "custom", path: problem.path, message: problem.message });
    }
  }) satisfies z.ZodType<BucketLifecycle>;

export const bucketNames = ["raw", "lake", "manifests", "quarantine", "accessLogs"] as const;

const replication = z
  .strictObject({
    /** Replicate the raw and lake buckets into the DR region's replica buckets. */
    enabled: z.boolean(),
    /**
     * Where the replica bucket and key ARNs come from: the dr stack's outputs (a StackReference such
     * as "organization/loglake/dr"), or `targets` written into config.
     */
    drStack: z.string().regex(/^[\w.-]+\/[\w.-]+\/[\w.-]+$/, "a stack reference <organization>/<project>/<stack>").optional(),
    targets: z
      .strictObject({
        rawBucketArn: arn("s3"),
        lakeBucketArn: arn("s3"),
        kmsKeyArn: arn("kms"),
      })
      .optional(),
    /** S3 Replication Time Control: 15-minute replication SLA with metrics (extra cost). */
    replicationTimeControl: z.boolean(),
  })
  .superRefine((value, ctx) => {
    if (value.enabled && !value.drStack === !value.targets) {
      ctx.addIssue({ code: "custom", path: [], message: "replication needs exactly one of drStack or targets" });
    }
  });

export const lakeSchema = z.strictObject({
  buckets: z.strictObject(Object.fromEntries(bucketNames.map((b) => [b, lifecycle])) as Record<(typeof bucketNames)[number], typeof lifecycle>),
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

export const lakeDefaults: Record<Environment, unknown> = {
  dev: {
    buckets: {
      raw: rawLifecycle(365),
      lake: lakeLifecycle,
      manifests: shortLived(90),
      quarantine: shortLived(90),
      accessLogs: shortLived(90),
    },
    replication: { enabled: false, replicationTimeControl: false },
  },
  prod: {
    buckets: {
      raw: rawLifecycle(730),
      lake: lakeLifecycle,
      manifests: shortLived(400),
      quarantine: shortLived(400),
      accessLogs: shortLived(400),
    },
    replication: { enabled: true, drStack: "organization/loglake/dr", replicationTimeControl: true },
  },
  dr: {
    buckets: {
      raw: rawLifecycle(730),
      lake: lakeLifecycle,
      manifests: shortLived(400),
      quarantine: shortLived(400),
      accessLogs: shortLived(400),
    },
    replication: { enabled: false, replicationTimeControl: false },
  },
};
