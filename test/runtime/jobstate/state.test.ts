import assert from "node:assert/strict";
import { jobRunsMetric } from "../../../runtime/jobstate/deployment";
import { deadLetterBody, jobRunMetricDocument, parseStateChange } from "../../../runtime/jobstate/state";
import { parseAnnouncement } from "../../../runtime/dispatch/job";
import { announcement, stateChangeEvent } from "./fixtures";

describe("job state changes", () => {
  it("reads EMR's run id, name, state and failure reason, and knows a failed run is final", () => {
    const change = parseStateChange(
      stateChangeEvent({ name: "convert-raw-app-0123", state: "FAILED", failureReason: "USER_ERROR" }),
    );
    assert.deepEqual(
      [change.jobRunId, change.runName, change.state, change.terminal, change.failureReason],
      ["000000035l0ad2upfnq", "convert-raw-app-0123", "FAILED", true, "USER_ERROR"],
    );
    assert.equal(parseStateChange(stateChangeEvent({ name: "x", state: "RUNNING" })).terminal, false);
  });

  it("ranks states so a late RUNNING never overtakes COMPLETED", () => {
    const rank = (state: string) => parseStateChange(stateChangeEvent({ name: "x", state })).rank;
    assert.ok(rank("SUBMITTED") < rank("RUNNING") && rank("RUNNING") < rank("COMPLETED"));
    assert.equal(rank("FAILED"), rank("COMPLETED"));
  });

  it("refuses an event of another source or with a state EMR does not have, saying which field", () => {
    assert.throws(
      () => parseStateChange({ ...stateChangeEvent({ name: "x", state: "RUNNING" }), source: "aws.emr" }),
      /source: Invalid input: expected "aws.emr-containers"/,
    );
    assert.throws(() => parseStateChange(stateChangeEvent({ name: "x", state: "DONE" })), /detail\.state/);
  });

  it("counts each change under its state in the stack's namespace (embedded metric format)", () => {
    const doc = jobRunMetricDocument(
      parseStateChange(stateChangeEvent({ name: "maintain-logs.app-20261202", state: "FAILED" })),
      "loglake/acme",
    );
    const { CloudWatchMetrics, Timestamp } = (doc as { _aws: { CloudWatchMetrics: object[]; Timestamp: number } })._aws;
    assert.deepEqual(CloudWatchMetrics, [
      { Namespace: "loglake/acme", Dimensions: [["State"]], Metrics: [{ Name: "JobRuns", Unit: "Count" }] },
    ]);
    assert.equal(Timestamp, Date.parse("2026-12-02T10:00:00Z"));
    assert.equal(doc[jobRunsMetric.stateDimension], "FAILED");
    assert.equal(doc[jobRunsMetric.name], 1);
  });

  it("dead-letters a failed conversion as an announcement the dispatcher takes again, with why it failed", () => {
    const change = parseStateChange(
      stateChangeEvent({
        name: "convert-raw-app-0123",
        state: "FAILED",
        failureReason: "USER_ERROR",
        stateDetails: "exit 1",
      }),
    );
    const body = deadLetterBody(change, announcement("f".repeat(32)));
    assert.equal(parseAnnouncement(body).manifestId, "f".repeat(32));
    assert.deepEqual(
      (({ failedJobRunId, failureReason, failureDetails }) => ({ failedJobRunId, failureReason, failureDetails }))(
        JSON.parse(body),
      ),
      { failedJobRunId: "000000035l0ad2upfnq", failureReason: "USER_ERROR", failureDetails: "exit 1" },
    );
  });
});
