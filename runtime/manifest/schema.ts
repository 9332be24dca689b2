/**
 * The tracking table's layout, exported so the infrastructure that deploys the table and the tests
 * that create it locally use the same definition.
 *
 * One table, four kinds of item, all addressed by the string partition key `pk` (no sort key):
 *
 * | item     | pk                          | attributes                                                     |
 * |----------|-----------------------------|----------------------------------------------------------------|
 * | file     | `file#<bucket>/<key>`       | bucket, key, size, etag, createdAt, recordedAt, state,         |
 * |          |                             | datePrefix + stateKey, waitingHour (index keys), dataset, dt,  |
 * |          |                             | hour, manifestId, manifestReason, quarantine*, expiresAt       |
 * | lease    | `lease#<bucket>/<dataset>/dt=../hour=../` | owner, leaseUntil (epoch ms), expiresAt          |
 * | run      | `run#<convert run name>`    | manifestId, announcement, runState + runRank, jobRunId,        |
 * |          |                             | failureReason, stateDetails, dispatchedAt, updatedAt,          |
 * |          |                             | finishedAt, expiresAt (runtime/jobstate/ledger.ts)             |
 *
 * A file moves `pending` → `claimed` (by one manifest id, conditionally) → `manifested`, or is
 * recorded as `quarantined`. The `by-date` index is keyed by `datePrefix` (`dt=YYYY-MM-DD/hour=HH`)
 * and sorted by `stateKey` (`<state>#<bucket>/<key>`), so "pending files of one dataset and hour" is
 * a single begins_with query and the hourly flush reads one index partition per hour. Files whose key
 * does not follow the lake layout carry no `datePrefix` and stay out of the index (sparse).
 *
 * The `waiting` index is keyed by `waitingHour` (`YYYY-MM-DDTHH` of the object's creation), which a
 * file carries only while it is pending. The hourly flush reads it to find groups with files that have
 * waited too long, whatever partition they belong to: the lake writer partitions by event time, so a
 * late file can land in an hour that is days old.
 *
 * `expiresAt` (epoch seconds) is the DynamoDB TTL attribute. TTL deletion runs up to days late, so
 * nothing relies on it for correctness: leases compare `leaseUntil` with the clock.
 */
import type { CreateTableCommandInput } from "@aws-sdk/client-dynamodb";

export const trackingTableSchema = {
  partitionKey: "pk",
  attributes: [
    { name: "pk", type: "S" },
    { name: "datePrefix", type: "S" },
    { name: "stateKey", type: "S" },
    { name: "waitingHour", type: "S" },
  ],
  byDateIndex: { name: "by-date", partitionKey: "datePrefix", sortKey: "stateKey", projection: "ALL" },
  waitingIndex: {
    name: "waiting",
    partitionKey: "waitingHour",
    projection: "INCLUDE",
    projectedAttributes: ["bucket", "dataset", "dt", "hour"],
  },
  ttlAttribute: "expiresAt",
  /** Traffic follows log volume and is bursty at the top of the hour; on-demand avoids throttling tuning. */
  billingMode: "PAY_PER_REQUEST",
} as const;

/** The CreateTable request for `trackingTableSchema` (tests create the table in dynalite with it). */
export function createTableInput(tableName: string): CreateTableCommandInput {
  const { partitionKey, attributes, byDateIndex, waitingIndex, billingMode } = trackingTableSchema;
  return {
    TableName: tableName,
    BillingMode: billingMode,
    AttributeDefinitions: attributes.map(({ name, type }) => ({ AttributeName: name, AttributeType: type })),
    KeySchema: [{ AttributeName: partitionKey, KeyType: "HASH" }],
    GlobalSecondaryIndexes: [
      {
        IndexName: byDateIndex.name,
        KeySchema: [
          { AttributeName: byDateIndex.partitionKey, KeyType: "HASH" },
          { AttributeName: byDateIndex.sortKey, KeyType: "RANGE" },
        ],
        Projection: { ProjectionType: byDateIndex.projection },
      },
      {
        IndexName: waitingIndex.name,
        KeySchema: [{ AttributeName: waitingIndex.partitionKey, KeyType: "HASH" }],
        Projection: {
          ProjectionType: waitingIndex.projection,
          NonKeyAttributes: [...waitingIndex.projectedAttributes],
        },
      },
    ],
  };
}
