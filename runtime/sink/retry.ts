// Riding out S3 trouble: which errors are worth retrying, and retrying them with backoff until a
// deadline. Pure apart from the clock and timers, which are injectable.

/** Errors raised when no HTTP answer came back: the endpoint is down, unreachable or too slow. */
const networkCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
]);
const throttlingNames = new Set([
  "SlowDown",
  "Throttling",
  "ThrottlingException",
  "RequestTimeout",
  "RequestTimeTooSkewed",
]);

/**
 * True for failures that say nothing about the request itself: no answer (connection refused,
 * reset, timed out), a 5xx, or throttling. False for refusals that retrying cannot change
 * (access denied, no such bucket, a bad request) and for anything that is not an AWS error.
 */
export function isTransientS3Error(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { $metadata, code } = error as Error & { $metadata?: { httpStatusCode?: number }; code?: string };
  const status = $metadata?.httpStatusCode;
  if (status !== undefined) return status >= 500 || status === 429 || throttlingNames.has(error.name);
  return (
    (code !== undefined && networkCodes.has(code)) || error.name === "TimeoutError" || throttlingNames.has(error.name)
  );
}

export interface RetryOptions {
  /** Give up once this long has passed since the first failure. */
  deadlineMs: number;
  /** First wait; doubled per attempt up to `maxDelayMs`, with jitter. Default 200 ms. */
  firstDelayMs?: number;
  /** Default 5 s. */
  maxDelayMs?: number;
  /** Told about each failure that will be retried. */
  onRetry?: (error: Error, attempt: number, delayMs: number) => void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Runs `operation`, retrying transient S3 errors until the deadline; then throws the last error, saying so. */
export async function retryTransient<T>(what: string, operation: () => Promise<T>, options: RetryOptions): Promise<T> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const firstDelayMs = options.firstDelayMs ?? 200;
  const maxDelayMs = options.maxDelayMs ?? 5_000;
  let failingSince: number | undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (!isTransientS3Error(error)) throw error;
      failingSince ??= now();
      const delayMs = Math.round(Math.min(maxDelayMs, firstDelayMs * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2));
      const failedFor = now() - failingSince;
      if (failedFor + delayMs > options.deadlineMs) {
        throw new Error(
          `${what}: S3 still failing after ${attempt} attempts over ${(failedFor / 1000).toFixed(1)} s ` +
            `(retry deadline ${(options.deadlineMs / 1000).toFixed(0)} s): ${(error as Error).name}: ${(error as Error).message}`,
          { cause: error },
        );
      }
      options.onRetry?.(error as Error, attempt, delayMs);
      await sleep(delayMs);
    }
  }
}
