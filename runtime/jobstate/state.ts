/**
 * The job-state function's decisions, pure: what an EMR on EKS state change means for the run's
 * record, which metric it counts, and what reaches the manifest DLQ when a conversion failed for good.
 */
import { z } from "zod";
import type { ManifestAnnouncement } from "../manifest/queue";
import { jobRunsMetric, jobStateEvent } from "./deployment";

/**
 * EMR's run states, ranked so that a late or repeated event never moves a record backwards
 * (EventBridge delivers these best effort, possibly twice and out of order).
 */
export const stateRank = {
  PENDING: 1,
  SUBMITTED: 1,
  RUNNING: 2,
  CANCEL_PENDING: 2,
  COMPLETED: 3,
  FAILED: 3,
  CANCELLED: 3,
} as const;
export type RunState = keyof typeof stateRank;

/** The state the dispatcher records before it starts a run, below every EMR state. */
export const dispatchedState = "DISPATCHED";

const detail = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  virtualClusterId: z.string().min(1),
  state: z.enum(Object.keys(stateRank) as [RunState, ...RunState[]]),
  failureReason: z.string().optional(),
  stateDetails: z.string().optional(),
});
const envelope = z.object({
  source: z.literal(jobStateEvent.source),
  "detail-type": z.literal(jobStateEvent.detailType),
  time: z.string().datetime({ offset: true }),
  detail,
});

export interface StateChange {
  jobRunId: string;
  /** The run's name: the dispatcher keys a conversion's record by it. */
  runName: string;
  virtualClusterId: string;
  state: RunState;
  rank: number;
  /** EMR has given up on the run: its own retries (the retry policy's attempts) are spent. */
  terminal: boolean;
  failureReason?: string;
  stateDetails?: string;
  time: string;
}

/** Parses an EventBridge job-run state change, refusing anything else with what was wrong. */
export function parseStateChange(event: unknown): StateChange {
  const parsed = envelope.safeParse(event);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "event"}: ${i.message}`);
    throw new Error(`not an EMR job run state change: ${problems.join("; ")}`);
  }
  const { detail: d, time } = parsed.data;
  return {
    jobRunId: d.id,
    runName: d.name,
    virtualClusterId: d.virtualClusterId,
    state: d.state,
    rank: stateRank[d.state],
    terminal: stateRank[d.state] === 3,
    ...(d.failureReason && { failureReason: d.failureReason }),
    ...(d.stateDetails && { stateDetails: d.stateDetails }),
    time,
  };
}

/** Only conversions carry a manifest; `maintain` runs are counted but have no record. */
export const isConversion = (runName: string) => runName.startsWith("convert-");

/**
 * One CloudWatch embedded-metric-format document: a count of this state change, so alarms and the
 * dashboard see runs by state without a PutMetricData call (or its permission) from the function.
 */
export function jobRunMetricDocument(change: StateChange, namespace: string): Record<string, unknown> {
  return {
    _aws: {
      Timestamp: Date.parse(change.time),
      CloudWatchMetrics: [
        {
          Namespace: namespace,
          Dimensions: [[jobRunsMetric.stateDimension]],
          Metrics: [{ Name: jobRunsMetric.name, Unit: "Count" }],
        },
      ],
    },
    [jobRunsMetric.stateDimension]: change.state,
    [jobRunsMetric.name]: 1,
    jobRunId: change.jobRunId,
    runName: change.runName,
  };
}

/**
 * What reaches the manifest DLQ for a conversion that failed for good: the announcement as the
 * dispatcher took it (so a redrive to the manifest queue starts it again), with why it failed.
 */
export function deadLetterBody(change: StateChange, announcement: ManifestAnnouncement | undefined): string {
  return JSON.stringify({
    ...announcement,
    failedJobRunId: change.jobRunId,
    failedRunName: change.runName,
    failureReason: change.failureReason ?? "unknown",
    ...(change.stateDetails && { failureDetails: change.stateDetails }),
    failedAt: change.time,
  });
}
