/** The manifest builder's settings, read from the Lambda function's environment variables. */
import { z } from "zod";

const positiveInteger = z.coerce.number().int().positive();

const environment = z.object({
  /** DynamoDB table laid out as `trackingTableSchema`. */
  TRACKING_TABLE: z.string().min(1),
  /** Bucket the manifest documents are written to. */
  MANIFEST_BUCKET: z.string().min(1),
  /** Key prefix for manifest documents, without slashes at either end. */
  MANIFEST_PREFIX: z
    .string()
    .regex(/^([^/].*[^/]|[^/])?$/, "must not start or end with /")
    .default("manifests"),
  /** SQS queue the manifests are announced on; a `.fifo` queue gets group and deduplication ids. */
  MANIFEST_QUEUE_URL: z.url(),
  /** Bucket that outliers are moved to. */
  QUARANTINE_BUCKET: z.string().min(1),
  /**
   * The raw buckets whose objects are recorded, comma-separated, each `bucket` or `bucket/prefix`
   * (only keys under `prefix/`). Events for any other bucket are acknowledged and counted, never
   * recorded, manifested, moved or deleted. Unset: every bucket but the manifest and quarantine
   * buckets, which are never taken whatever this says.
   */
  RAW_BUCKETS: z
    .string()
    .optional()
    .transform((value, context) => {
      const sources = (value ?? "")
        .split(",")
        .map((entry) => entry.trim())
        .filter((entry) => entry !== "")
        .map((entry) => {
          const slash = entry.indexOf("/");
          const bucket = slash === -1 ? entry : entry.slice(0, slash);
          const prefix = slash === -1 ? "" : entry.slice(slash + 1).replace(/\/+$/, "");
          return { bucket, prefix };
        });
      for (const { bucket } of sources) {
        if (bucket === "") context.addIssue({ code: "custom", message: "an entry has no bucket name" });
      }
      return sources;
    }),
  /** Size the lake writer aims for per object. Default 64 MiB. */
  EXPECTED_FILE_BYTES: positiveInteger.default(64 * 1024 * 1024),
  /**
   * Accepted deviation from EXPECTED_FILE_BYTES as a fraction. Default 1: anything from 1 byte to twice
   * the expected size, because the lake writer's time-based flushes legitimately write small objects.
   */
  SIZE_TOLERANCE: z.coerce.number().min(0).default(1),
  /** Files per manifest. Default 100. */
  MAX_FILES_PER_MANIFEST: positiveInteger.default(100),
  /** Safety limit on the bytes one manifest may reference. Default 500 GB. */
  MAX_MANIFEST_BYTES: positiveInteger.default(500_000_000_000),
  /** A partial manifest is written once its oldest file is this old. Default one hour. */
  FLUSH_AFTER_SECONDS: positiveInteger.default(3600),
  /** How many hours back the scheduled flush looks for waiting files. Default 48. */
  FLUSH_LOOKBACK_HOURS: positiveInteger.max(24 * 14).default(48),
  /** How long a group lease lasts; must be at least the Lambda timeout. Default 900 s (Lambda's maximum). */
  LEASE_SECONDS: positiveInteger.default(900),
  /** Finished tracking items (manifested or quarantined) expire through DynamoDB TTL after this. Default 35 days. */
  RETENTION_DAYS: positiveInteger.default(35),
  /** DynamoDB/S3 requests in flight at once per invocation. Default 16. */
  CONCURRENCY: positiveInteger.max(256).default(16),
});

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Validates the environment; the error lists every bad variable with the value it had. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  const parsed = environment.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      const value = env[name] === undefined ? "unset" : JSON.stringify(env[name]);
      return `  ${name} (${value}): ${issue.message}`;
    });
    throw new ConfigError(`manifest builder configuration is invalid:\n${problems.join("\n")}`);
  }
  const e = parsed.data;
  return {
    tableName: e.TRACKING_TABLE,
    manifestBucket: e.MANIFEST_BUCKET,
    manifestPrefix: e.MANIFEST_PREFIX,
    manifestQueueUrl: e.MANIFEST_QUEUE_URL,
    quarantineBucket: e.QUARANTINE_BUCKET,
    rawSources: e.RAW_BUCKETS,
    expectedFileBytes: e.EXPECTED_FILE_BYTES,
    sizeTolerance: e.SIZE_TOLERANCE,
    maxFilesPerManifest: e.MAX_FILES_PER_MANIFEST,
    maxManifestBytes: e.MAX_MANIFEST_BYTES,
    flushAfterSeconds: e.FLUSH_AFTER_SECONDS,
    flushLookbackHours: e.FLUSH_LOOKBACK_HOURS,
    leaseSeconds: e.LEASE_SECONDS,
    retentionDays: e.RETENTION_DAYS,
    concurrency: e.CONCURRENCY,
  };
}

export type ManifestBuilderConfig = ReturnType<typeof loadConfig>;
