/**
 * The manifest builder's pure core: where a raw object belongs, whether its size is plausible, and
 * which pending files become which manifest. No I/O here; the handler feeds it what DynamoDB holds.
 */
import { createHash } from "node:crypto";

/** Where the lake writer put an object: `<prefix>/<topic>/dt=YYYY-MM-DD/hour=HH/<file>`. */
export interface ObjectLocation {
  /** `<prefix>/<topic>`: everything before the date partition (the prefix may be empty). */
  dataset: string;
  topic: string;
  dt: string;
  hour: string;
  /** `dt=YYYY-MM-DD/hour=HH`, the partition key of the by-date index. */
  datePrefix: string;
}

const layout = /^(?:(.+)\/)?([^/]+)\/dt=(\d{4}-\d{2}-\d{2})\/hour=(\d{2})\/[^/]+$/;

/** Reads the lake layout out of an object key; undefined when the key does not follow it. */
export function parseObjectKey(key: string): ObjectLocation | undefined {
  const match = layout.exec(key);
  if (!match) return undefined;
  const [, prefix, topic, dt, hour] = match;
  if (!isCalendarDate(dt) || Number(hour) > 23) return undefined;
  return {
    dataset: prefix ? `${prefix}/${topic}` : topic,
    topic,
    dt,
    hour,
    datePrefix: datePrefix(dt, hour),
  };
}

function isCalendarDate(dt: string): boolean {
  const parsed = new Date(`${dt}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(dt);
}

export function datePrefix(dt: string, hour: string): string {
  return `dt=${dt}/hour=${hour}`;
}

/** The hour a file started waiting in (`YYYY-MM-DDTHH`, UTC), the key of the waiting index. */
export function arrivalHour(createdAt: string): string {
  return new Date(createdAt).toISOString().slice(0, 13);
}

/**
 * The arrival hours the scheduled flush must look at: those that may hold a file older than
 * `flushAfterMs`, going back `lookbackHours`. Oldest first.
 */
export function hoursDueForFlush(now: Date, flushAfterMs: number, lookbackHours: number): string[] {
  const hourMs = 3_600_000;
  const newestDue = Math.floor((now.getTime() - flushAfterMs) / hourMs) * hourMs;
  const oldest = Math.floor(now.getTime() / hourMs) * hourMs - (lookbackHours - 1) * hourMs;
  const hours: string[] = [];
  for (let start = oldest; start <= newestDue; start += hourMs) hours.push(arrivalHour(new Date(start).toISOString()));
  return hours;
}

/** Files of one source bucket, dataset and hour: the unit a manifest is built from and a lease protects. */
export interface ManifestGroup {
  bucket: string;
  dataset: string;
  dt: string;
  hour: string;
}

export function groupOf(bucket: string, location: ObjectLocation): ManifestGroup {
  return { bucket, dataset: location.dataset, dt: location.dt, hour: location.hour };
}

/** A stable name for a group; also the key prefix its objects share (`bucket/dataset/dt=../hour=../`). */
export function groupId(group: ManifestGroup): string {
  return `${group.bucket}/${group.dataset}/${datePrefix(group.dt, group.hour)}/`;
}

// --- size validation -------------------------------------------------------------------------

export interface SizePolicy {
  /** The size the lake writer aims for, in bytes. */
  expectedBytes: number;
  /** Accepted deviation as a fraction of expectedBytes (0.5 accepts 50%..150%). */
  tolerance: number;
}

export type QuarantineCode = "empty" | "too-small" | "too-large" | "unknown-layout";

export interface QuarantineReason {
  code: QuarantineCode;
  /** A sentence for people reading the tracking item or the object's tags. */
  detail: string;
}

/** Inclusive byte bounds a file must fall in; never below 1 byte, because an empty object holds no logs. */
export function sizeBounds(policy: SizePolicy): { min: number; max: number } {
  return {
    min: Math.max(1, Math.ceil(policy.expectedBytes * (1 - policy.tolerance))),
    max: Math.floor(policy.expectedBytes * (1 + policy.tolerance)),
  };
}

/** Undefined when the size is plausible, else why the file is an outlier. */
export function checkSize(size: number, policy: SizePolicy): QuarantineReason | undefined {
  const { min, max } = sizeBounds(policy);
  const expected = `expected ${policy.expectedBytes} bytes with tolerance ${policy.tolerance}`;
  if (size === 0) return { code: "empty", detail: `object is empty: ${expected}` };
  if (size < min) return { code: "too-small", detail: `size ${size} bytes is below minimum ${min}: ${expected}` };
  if (size > max) return { code: "too-large", detail: `size ${size} bytes is above maximum ${max}: ${expected}` };
  return undefined;
}

export function unknownLayout(key: string): QuarantineReason {
  return {
    code: "unknown-layout",
    detail: `key ${key} does not follow <prefix>/<topic>/dt=YYYY-MM-DD/hour=HH/<file>`,
  };
}

// --- grouping ----------------------------------------------------------------------------------

/** A file waiting for a manifest, as the planner needs it. */
export interface PendingFile {
  key: string;
  size: number;
  /** When S3 created the object (the notification's eventTime), ISO 8601. */
  createdAt: string;
}

export interface ManifestLimits {
  /** A manifest closes when it holds this many files. */
  maxFiles: number;
  /** A manifest closes before its files would add up to more than this many bytes. */
  maxBytes: number;
  /** A partial manifest is flushed once its oldest file has waited this long. */
  flushAfterMs: number;
}

/** Why a manifest was closed. */
export type ManifestReason = "file-count" | "size-limit" | "age-flush";

export interface PlannedManifest {
  manifestId: string;
  group: ManifestGroup;
  reason: ManifestReason;
  /** Sorted by key. */
  files: PendingFile[];
  totalBytes: number;
}

/**
 * Splits a group's pending files into manifests. Files are taken in key order (the lake writer's
 * keys carry partition and offsets, so this keeps a topic partition's data together); a manifest
 * closes at `maxFiles` or before `maxBytes` would be exceeded. The remainder waits for more files
 * unless its oldest file is older than `flushAfterMs`, then it becomes a partial manifest.
 */
export function planManifests(
  group: ManifestGroup,
  pending: readonly PendingFile[],
  limits: ManifestLimits,
  now: Date,
): PlannedManifest[] {
  const files = [...pending].sort((a, b) => compareKeys(a.key, b.key));
  const planned: PlannedManifest[] = [];
  let current: PendingFile[] = [];
  let currentBytes = 0;
  const close = (reason: ManifestReason) => {
    planned.push(manifestFor(group, current, reason));
    current = [];
    currentBytes = 0;
  };
  for (const file of files) {
    if (current.length > 0 && currentBytes + file.size > limits.maxBytes) close("size-limit");
    current.push(file);
    currentBytes += file.size;
    if (currentBytes >= limits.maxBytes) close("size-limit");
    else if (current.length >= limits.maxFiles) close("file-count");
  }
  if (current.length > 0) {
    const oldest = Math.min(...current.map((file) => Date.parse(file.createdAt)));
    if (now.getTime() - oldest >= limits.flushAfterMs) close("age-flush");
  }
  return planned;
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Builds the manifest for files that are already chosen, e.g. when finishing one an earlier run claimed. */
export function manifestFor(
  group: ManifestGroup,
  files: readonly PendingFile[],
  reason: ManifestReason,
): PlannedManifest {
  const sorted = [...files].sort((a, b) => compareKeys(a.key, b.key));
  return {
    manifestId: manifestId(
      group,
      sorted.map((file) => file.key),
    ),
    group,
    reason,
    files: sorted,
    totalBytes: sorted.reduce((sum, file) => sum + file.size, 0),
  };
}

/**
 * Derived from the group and its exact file list, so planning the same files again (a retry after a
 * crash) yields the same id, the same object key and the same queue deduplication id.
 */
export function manifestId(group: ManifestGroup, sortedKeys: readonly string[]): string {
  const hash = createHash("sha256").update(groupId(group));
  for (const key of sortedKeys) hash.update("\n").update(key);
  return hash.digest("hex").slice(0, 32);
}

/** Where the manifest document goes in the manifests bucket. */
export function manifestObjectKey(prefix: string, manifest: PlannedManifest): string {
  const { dataset, dt, hour } = manifest.group;
  const base = prefix ? `${prefix}/` : "";
  return `${base}${dataset}/${datePrefix(dt, hour)}/${manifest.manifestId}.json`;
}

/** The JSON the Parquet conversion reads. It holds no clock value, so a retry writes identical bytes. */
export function manifestDocument(manifest: PlannedManifest) {
  const { bucket, dataset, dt, hour } = manifest.group;
  return {
    version: 1,
    manifestId: manifest.manifestId,
    bucket,
    dataset,
    partition: { dt, hour },
    reason: manifest.reason,
    fileCount: manifest.files.length,
    totalBytes: manifest.totalBytes,
    files: manifest.files.map((file) => ({
      uri: `s3://${bucket}/${file.key}`,
      key: file.key,
      size: file.size,
      createdAt: file.createdAt,
    })),
  };
}
