// The lake writer's exactly-once bookkeeping, kept in the consumer group's committed offsets.
//
// Before a batch [first..last] of a partition is written, offset `first` is committed again with
// metadata naming `last`. After all of the batch's objects are written, `last + 1` is committed
// with empty metadata. Whoever owns the partition next (this process after a crash, or another
// member after a rebalance) reads the committed offset: with metadata, the batch may be partly
// written, so it is cut again at exactly `last` and its objects are rewritten under the same keys
// with the same bodies; without metadata, everything before the offset is in S3.

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
