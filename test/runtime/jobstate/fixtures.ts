/** Test data shared by the job-state tests. */
import type { ManifestAnnouncement } from "../../../runtime/manifest/queue";

export const virtualClusterId = "vc0123456789abcdefghij01";

/** An "EMR Job Run State Change" event as EventBridge delivers it to a Lambda target. */
export function stateChangeEvent(
  detail: { id?: string; name: string; state: string; failureReason?: string; stateDetails?: string },
  time = "2026-12-02T10:00:00Z",
) {
  return {
    version: "0",
    id: "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
    "detail-type": "EMR Job Run State Change",
    source: "aws.emr-containers",
    account: "123456789012",
    time,
    region: "eu-west-1",
    resources: [],
    detail: {
      severity: detail.state === "FAILED" ? "ERROR" : "INFO",
      virtualClusterId,
      id: detail.id ?? "000000035l0ad2upfnq",
      arn: `arn:aws:emr-containers:eu-west-1:123456789012:/virtualclusters/${virtualClusterId}/jobruns/${detail.id ?? "000000035l0ad2upfnq"}`,
      releaseLabel: "emr-7.13.0-latest",
      executionRoleArn: "arn:aws:iam::123456789012:role/acme-spark-jobs",
      createdBy: "arn:aws:sts::123456789012:assumed-role/acme-dispatcher/acme-spark-dispatcher",
      ...detail,
    },
  };
}

export const announcement = (id: string): ManifestAnnouncement => ({
  manifestId: id,
  manifestUri: `s3://acme-manifests/manifests/raw/app/dt=2026-11-21/hour=09/${id}.json`,
  sourceBucket: "acme-raw",
  dataset: "raw/app",
  dt: "2026-11-21",
  hour: "09",
  reason: "file-count",
  fileCount: 100,
  totalBytes: 6_400_000_000,
});
