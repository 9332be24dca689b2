// The lake writer's exactly-once bookkeeping, kept in the consumer group's committed offsets.
//
// Protocol, per partition, one batch at a time:
//  1. Before a batch [first..last] is written, offset `first` is committed again with metadata
//     naming `last` (the batch is "pending").
//  2. Its objects are written: one per hour (and per `_invalid` area), keyed by topic, partition
//     and the first/last offset of the records in that object.
//  3. `last + 1` is committed with empty metadata.
// Whoever owns the partition next (this process after a crash, another member after a rebalance)
// reads the committed offset. Without metadata, everything before it is in S3 and nothing after it
// is. With metadata, the pending batch may be partly written: it is consumed again from `first`,
// cut at exactly `last` whatever the flush limits say, and its objects are written again, under the
// same keys with the same records, before anything after `last` is batched.
//
// Guarantee: however the writer is stopped (SIGKILL at any instruction, S3 or Kafka errors,
// rebalances), once it has caught up, each record of the topic (from the group's first committed
// offset on) is in exactly one current object under the prefix. A record may be PUT more than
// once, always to the same key, so S3 keeps one copy (with versioning on, older versions of that
// key) and S3 may emit ObjectCreated for that key more than once. This holds as long as:
//  - records are still in Kafka when the writer reads them again (retention longer than downtime);
//  - only loglake sink commits offsets for its group (no manual offset resets), and every member
//    uses the eager assignment protocol (set by the writer);
//  - `--prefix` and `--time-field` are not changed while a batch is pending (they decide keys);
//  - nothing else writes or deletes objects under the prefix.
// A member that lost its partition without noticing cannot start a new batch: its pending commit
// carries its old group generation and the coordinator refuses it. It can only finish the batch it
// had already made pending, which writes the same keys and records as the new owner.

const prefix = "loglake-sink/v1 pending-last=";

export function encodePendingBatch(lastOffset: number): string {
  return `${prefix}${lastOffset}`;
}

/** The pending batch's last offset, or undefined when the metadata names none. */
export function decodePendingBatch(metadata: string | null | undefined): number | undefined {
  if (!metadata?.startsWith(prefix)) return undefined;
  const digits = metadata.slice(prefix.length);
  return /^\d+$/.test(digits) ? Number(digits) : undefined;
}
