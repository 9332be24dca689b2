/**
 * S3 Lifecycle rules as loglake writes them, and the checks S3 applies when it accepts or refuses
 * a lifecycle configuration. Pure: no Pulumi, so the config layer and the DataLake component share
 * one set of rules and a bad lifecycle fails before anything is registered.
 *
 * Sources (Amazon S3 User Guide): "Transitioning objects using Amazon S3 Lifecycle" (supported and
 * unsupported transitions, constraints), the S3 API reference for Transition and Tiering, and the
 * error S3 returns for a transition less than 30 days after one to STANDARD_IA/ONEZONE_IA
 * ("'Days' in the Transition action for StorageClass ... must be 30 days more than ...").
 */

/** Storage classes a lifecycle transition may target (S3 Standard is where every object starts). */
import { Problem } from "../shared/problems";

export const storageClasses = [
  "STANDARD_IA",
  "ONEZONE_IA",
  "INTELLIGENT_TIERING",
  "GLACIER_IR",
  "GLACIER",
  "DEEP_ARCHIVE",
] as const;
export type StorageClass = (typeof storageClasses)[number];

export interface Transition {
  /** Days after creation (current versions) or after becoming noncurrent (noncurrent versions). */
  days: number;
  storageClass: StorageClass;
}

/** One bucket's lifecycle; rendered as a single S3 Lifecycle rule over the whole bucket. */
export interface BucketLifecycle {
  /** Current versions move through these classes, in ascending days. */
  transitions: Transition[];
  /** Current versions expire (become noncurrent) this many days after creation; omit to keep forever. */
  expirationDays?: number;
  /** Noncurrent versions move through these classes, in ascending days. */
  noncurrentTransitions: Transition[];
  /** Noncurrent versions are deleted this many days after becoming noncurrent. */
  noncurrentExpirationDays: number;
  /** Intelligent-Tiering's opt-in archive tiers (days without access), for objects in INTELLIGENT_TIERING. */
  intelligentTieringArchive?: { archiveAccessDays?: number; deepArchiveAccessDays?: number };
}

/**
 * The storage-class waterfall: where S3 Lifecycle can move an object from each class. Everything
 * can leave S3 Standard; nothing leaves DEEP_ARCHIVE. Notably refused: INTELLIGENT_TIERING →
 * STANDARD_IA, and ONEZONE_IA → INTELLIGENT_TIERING, STANDARD_IA or GLACIER_IR.
 */
const waterfall: Record<StorageClass, readonly StorageClass[]> = {
  STANDARD_IA: ["INTELLIGENT_TIERING", "ONEZONE_IA", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"],
  INTELLIGENT_TIERING: ["ONEZONE_IA", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"],
  ONEZONE_IA: ["GLACIER", "DEEP_ARCHIVE"],
  GLACIER_IR: ["GLACIER", "DEEP_ARCHIVE"],
  GLACIER: ["DEEP_ARCHIVE"],
  DEEP_ARCHIVE: [],
};

/** Classes S3 refuses to enter before 30 days, and keeps an object in for at least 30 days more. */
const infrequentAccess: readonly StorageClass[] = ["STANDARD_IA", "ONEZONE_IA"];
const infrequentAccessMinimumDays = 30;

/** Intelligent-Tiering archive tiers: consecutive days without access before an object moves. */
export const intelligentTieringArchiveDays = {
  archiveAccessDays: { tier: "ARCHIVE_ACCESS", min: 90, max: 730 },
  deepArchiveAccessDays: { tier: "DEEP_ARCHIVE_ACCESS", min: 180, max: 730 },
} as const;

const isWholeDays = (days: number, min: number) => Number.isInteger(days) && days >= min;

/** Problems of one list of transitions (current or noncurrent versions), which share S3's rules. */
function transitionProblems(key: "transitions" | "noncurrentTransitions", transitions: Transition[]): Problem[] {
  const problems: Problem[] = [];
  const age = key === "transitions" ? "day" : "noncurrent day";
  transitions.forEach((t, i) => {
    const at = (message: string) => problems.push({ path: [key, i], message });
    if (!(storageClasses as readonly string[]).includes(t.storageClass)) {
      at(`S3 lifecycle transitions go to ${storageClasses.join(", ")}, not ${t.storageClass}`);
      return;
    }
    if (!isWholeDays(t.days, 0)) {
      at(`S3 refuses transition days that are not a whole number of 0 or more (got ${t.days})`);
      return;
    }
    if (infrequentAccess.includes(t.storageClass) && t.days < infrequentAccessMinimumDays) {
      at(
        `S3 refuses transitions to ${t.storageClass} before ${age} ${infrequentAccessMinimumDays} (got ${age} ${t.days})`,
      );
    }
    const previous = transitions[i - 1];
    if (!previous) return;
    if (previous.storageClass === t.storageClass) {
      at(`S3 refuses two transitions to ${t.storageClass} in one rule`);
    } else if (!waterfall[previous.storageClass]?.includes(t.storageClass)) {
      const allowed = waterfall[previous.storageClass]?.join(", ") || "nothing";
      at(
        `S3 refuses transitions from ${previous.storageClass} to ${t.storageClass} (from ${previous.storageClass} objects can only move to ${allowed})`,
      );
    }
    if (t.days <= previous.days) {
      at(
        `S3 refuses transitions out of order: ${t.storageClass} at ${age} ${t.days} must come after ${previous.storageClass} at ${age} ${previous.days}`,
      );
    } else if (
      infrequentAccess.includes(previous.storageClass) &&
      t.days - previous.days < infrequentAccessMinimumDays
    ) {
      at(
        `S3 refuses a transition less than ${infrequentAccessMinimumDays} days after one to ${previous.storageClass}: ` +
          `${t.storageClass} at ${age} ${t.days} must be at least ${age} ${previous.days + infrequentAccessMinimumDays}`,
      );
    }
  });
  return problems;
}

/** An expiration must come after the last transition of the same versions. */
function expirationProblems(
  key: "expirationDays" | "noncurrentExpirationDays",
  days: number | undefined,
  transitions: Transition[],
): Problem[] {
  if (days === undefined) return [];
  const age = key === "expirationDays" ? "day" : "noncurrent day";
  if (!isWholeDays(days, 1)) {
    return [
      { path: [key], message: `S3 refuses expiration days that are not a whole number of 1 or more (got ${days})` },
    ];
  }
  const last = transitions[transitions.length - 1];
  if (last && days <= last.days) {
    return [
      {
        path: [key],
        message: `S3 refuses an expiration on or before the last transition: ${age} ${days} must be after ${last.storageClass} at ${age} ${last.days}`,
      },
    ];
  }
  return [];
}

function intelligentTieringProblems(lifecycle: BucketLifecycle): Problem[] {
  const archive = lifecycle.intelligentTieringArchive;
  if (!archive) return [];
  const problems: Problem[] = [];
  const reachesIntelligentTiering = [...lifecycle.transitions, ...lifecycle.noncurrentTransitions].some(
    (t) => t.storageClass === "INTELLIGENT_TIERING",
  );
  if (!reachesIntelligentTiering) {
    problems.push({
      path: ["intelligentTieringArchive"],
      message:
        "Intelligent-Tiering archive tiers only act on objects in INTELLIGENT_TIERING, and this lifecycle never moves objects there",
    });
  }
  const field = Object.keys(intelligentTieringArchiveDays) as (keyof typeof intelligentTieringArchiveDays)[];
  if (field.every((f) => archive[f] === undefined)) {
    problems.push({
      path: ["intelligentTieringArchive"],
      message:
        "S3 refuses an Intelligent-Tiering configuration without a tier: set archiveAccessDays, deepArchiveAccessDays or both",
    });
  }
  for (const f of field) {
    const days = archive[f];
    const { tier, min, max } = intelligentTieringArchiveDays[f];
    if (days !== undefined && !(Number.isInteger(days) && days >= min && days <= max)) {
      problems.push({
        path: ["intelligentTieringArchive", f],
        message: `S3 refuses ${tier} outside ${min} to ${max} days without access (got ${days})`,
      });
    }
  }
  const { archiveAccessDays, deepArchiveAccessDays } = archive;
  if (
    archiveAccessDays !== undefined &&
    deepArchiveAccessDays !== undefined &&
    deepArchiveAccessDays <= archiveAccessDays
  ) {
    problems.push({
      path: ["intelligentTieringArchive", "deepArchiveAccessDays"],
      message: `S3 refuses DEEP_ARCHIVE_ACCESS at or before ARCHIVE_ACCESS: ${deepArchiveAccessDays} days must be more than ${archiveAccessDays}`,
    });
  }
  return problems;
}

/** Every reason S3 would refuse this lifecycle (or silently ignore part of it); empty when it is valid. */
export function lifecycleProblems(lifecycle: BucketLifecycle): Problem[] {
  return [
    ...transitionProblems("transitions", lifecycle.transitions),
    ...expirationProblems("expirationDays", lifecycle.expirationDays, lifecycle.transitions),
    ...transitionProblems("noncurrentTransitions", lifecycle.noncurrentTransitions),
    ...expirationProblems(
      "noncurrentExpirationDays",
      lifecycle.noncurrentExpirationDays,
      lifecycle.noncurrentTransitions,
    ),
    ...intelligentTieringProblems(lifecycle),
  ];
}
