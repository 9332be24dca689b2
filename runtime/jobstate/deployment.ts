/**
 * What the job-state function and the infrastructure around it must agree on: the EventBridge event
 * it takes, and the custom metrics it and the convert job publish (alarms and the dashboard read them).
 */

/** EMR on EKS job-run state changes as EventBridge delivers them (Amazon EventBridge events reference). */
export const jobStateEvent = { source: "aws.emr-containers", detailType: "EMR Job Run State Change" } as const;

/** One namespace per stack, so two stacks in one account and region never share a metric. */
export const metricNamespace = (stack: string) => `loglake/${stack}`;

/** Published by the job-state function: one count per state change, dimension `State` (EMR's state). */
export const jobRunsMetric = { name: "JobRuns", stateDimension: "State" } as const;

/**
 * Published by a metric filter on the job runs' log group from the convert job's JSON summary
 * (`oldestUploadToCommitSeconds`): the oldest raw object's upload to its rows' Iceberg commit.
 */
export const uploadToCommitMetric = { name: "UploadToCommitSeconds", summaryField: "oldestUploadToCommitSeconds" };
