/**
 * DynamoDB adapter for conversion runs in the tracking table (layout in ../manifest/schema.ts): the
 * dispatcher records a manifest before it starts its run, the job-state function records each state
 * change. Writes are conditional on the state's rank, so a late or repeated event changes nothing.
 */
import { UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { ManifestAnnouncement } from "../manifest/queue";
import { isConditionFailure } from "../manifest/store";
import { dispatchedState, type StateChange } from "./state";

/** A conversion's record, keyed by its run name (deterministic from the manifest, see dispatch/job.ts). */
export const runPk = (runName: string) => `run#${runName}`;

export interface RunRecord {
  pk: string;
  manifestId?: string;
  announcement?: ManifestAnnouncement;
  runState: string;
  runRank: number;
  jobRunId?: string;
  failureReason?: string;
  stateDetails?: string;
  dispatchedAt?: string;
  updatedAt?: string;
  finishedAt?: string;
  expiresAt: number;
}

export interface RunLedgerOptions {
  tableName: string;
  /** Seconds a record is kept after its last change before TTL removes it. */
  retentionSeconds: number;
  now?: () => Date;
}

export class RunLedger {
  private readonly now: () => Date;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly options: RunLedgerOptions,
  ) {
    this.now = options.now ?? (() => new Date());
  }

  private expiresAt(): number {
    return Math.ceil(this.now().getTime() / 1000) + this.options.retentionSeconds;
  }

  /** Records the manifest a run is about to convert; a state EMR already reported is kept. */
  async dispatched(runName: string, announcement: ManifestAnnouncement): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.options.tableName,
        Key: { pk: runPk(runName) },
        UpdateExpression:
          "SET manifestId = :manifestId, announcement = :announcement, dispatchedAt = if_not_exists(dispatchedAt, :now), " +
          "runState = if_not_exists(runState, :state), runRank = if_not_exists(runRank, :rank), expiresAt = :expiresAt",
        ExpressionAttributeValues: {
          ":manifestId": announcement.manifestId,
          ":announcement": announcement,
          ":now": this.now().toISOString(),
          ":state": dispatchedState,
          ":rank": 0,
          ":expiresAt": this.expiresAt(),
        },
      }),
    );
  }

  /**
   * Records a state change unless the record already holds this run at the same or a later state;
   * a new run id (the manifest redriven and started again) always counts. Returns the record after
   * the change, or `undefined` when the event was stale.
   */
  async transition(change: StateChange): Promise<RunRecord | undefined> {
    const set = [
      "runState = :state",
      "runRank = :rank",
      "jobRunId = :jobRunId",
      "updatedAt = :time",
      "expiresAt = :expiresAt",
    ];
    const values: Record<string, unknown> = {
      ":state": change.state,
      ":rank": change.rank,
      ":jobRunId": change.jobRunId,
      ":time": change.time,
      ":expiresAt": this.expiresAt(),
    };
    if (change.failureReason) {
      set.push("failureReason = :failureReason");
      values[":failureReason"] = change.failureReason;
    }
    if (change.stateDetails) {
      set.push("stateDetails = :stateDetails");
      values[":stateDetails"] = change.stateDetails;
    }
    if (change.terminal) set.push("finishedAt = :time");
    try {
      const { Attributes } = await this.doc.send(
        new UpdateCommand({
          TableName: this.options.tableName,
          Key: { pk: runPk(change.runName) },
          UpdateExpression: `SET ${set.join(", ")}`,
          ConditionExpression: "attribute_not_exists(runRank) OR runRank < :rank OR jobRunId <> :jobRunId",
          ExpressionAttributeValues: values,
          ReturnValues: "ALL_NEW",
        }),
      );
      return Attributes as RunRecord;
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }
}
