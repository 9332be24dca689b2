/**
 * Queue, event source mapping and schedule settings the manifest builder relies on, exported so the
 * component that deploys it uses these values instead of restating them (README explains each).
 */

/** Lambda's maximum function timeout. */
const MAX_FUNCTION_TIMEOUT_SECONDS = 900;
/** SQS's maximum visibility timeout (12 hours). */
const MAX_VISIBILITY_TIMEOUT_SECONDS = 43_200;

export const manifestBuilderDeployment = {
  eventSourceMapping: {
    /** Without it one poison message fails, and retries, its whole batch. */
    functionResponseTypes: ["ReportBatchItemFailures"],
    batchSize: 100,
    maximumBatchingWindowInSeconds: 5,
    /** Bounds concurrent invocations, and with them write bursts on the hour's index partition. */
    maximumConcurrency: 10,
  },
  sourceQueue: {
    /** At least 5, so a batch that was only throttled is not dead-lettered. */
    maxReceiveCount: 5,
    /** AWS's guidance: visibility timeout ≥ 6 × function timeout (+ batching window). */
    visibilityTimeoutFactor: 6,
  },
  deadLetterQueue: {
    /** 14 days, SQS's maximum, so it outlives the source queue's retention. */
    messageRetentionSeconds: 1_209_600,
  },
  /** The hourly flush of partial manifests. */
  flushSchedule: "rate(1 hour)",
  /** Function timeout that leaves the lease (LEASE_SECONDS, default 900) room to spare. */
  functionTimeoutSeconds: 300,
} as const;

/**
 * The source queue's visibility timeout for a function timeout and batching window, refusing a
 * function timeout Lambda would refuse and a result SQS would refuse.
 */
export function sourceQueueVisibilityTimeout(
  functionTimeoutSeconds: number,
  batchingWindowSeconds: number = manifestBuilderDeployment.eventSourceMapping.maximumBatchingWindowInSeconds,
): number {
  if (
    !Number.isInteger(functionTimeoutSeconds) ||
    functionTimeoutSeconds < 1 ||
    functionTimeoutSeconds > MAX_FUNCTION_TIMEOUT_SECONDS
  ) {
    throw new RangeError(
      `function timeout ${functionTimeoutSeconds} s: Lambda allows whole seconds from 1 to ${MAX_FUNCTION_TIMEOUT_SECONDS}`,
    );
  }
  const seconds =
    manifestBuilderDeployment.sourceQueue.visibilityTimeoutFactor * functionTimeoutSeconds + batchingWindowSeconds;
  if (seconds > MAX_VISIBILITY_TIMEOUT_SECONDS) {
    throw new RangeError(
      `visibility timeout ${seconds} s exceeds SQS's maximum of ${MAX_VISIBILITY_TIMEOUT_SECONDS} s`,
    );
  }
  return seconds;
}
