// The lake writer's exactly-once bookkeeping, kept in the consumer group's committed offsets.
//
// Protocol, per partition. Batches are cut in offset order and several may be written at once:
//  1. Before a batch [first..last] is written, the partition's commit is rewritten: the offset is
//     the first offset of the oldest batch not yet in S3, and the metadata lists the last offset of
//     every batch from there on that may already have objects in S3 (the "pending" batches),
//     including this one.
//  2. Its objects are written: one per hour (and per `_invalid` area), keyed by topic, partition
//     and the first/last offset of the records in that object.
//  3. Once it and every batch before it are in S3, the offset moves past all of them and their
//     boundaries leave the metadata. A batch that lands before an earlier one stays listed: the
//     commit never moves past a batch that is not in S3.
// Whoever owns the partition next (this process after a crash, another member after a rebalance)
// reads the committed offset. Without metadata, everything before it is in S3 and nothing after it
// is. With metadata, the pending batches may be partly written: they are consumed again from the
// offset, cut at exactly the listed boundaries whatever the flush limits say, and their objects are
// written again, under the same keys with the same records, before anything after the last
// boundary is batched.
//
// Guarantee: however the writer is stopped (SIGKILL at any instruction, S3 or Kafka errors,
// rebalances), once it has caught up, each record of the topic (from the group's first committed
// offset on) is in exactly one current object under the prefix. A record may be PUT more than
// once, always to the same key, so S3 keeps one copy (with versioning on, older versions of that
// key) and S3 may emit ObjectCreated for that key more than once. This holds as long as:
//  - records are still in Kafka when the writer reads them again (retention longer than downtime);
//  - only loglake sink commits offsets for its group (no manual offset resets), and every member
//    uses the eager assignment protocol (set by the writer) and reads this metadata format (a
//    writer from before several pending batches reads a list of them as none: do not run both in
//    one group);
//  - `--prefix` and `--time-field` are not changed while a batch is pending (they decide keys);
//  - nothing else writes or deletes objects under the prefix.
// A member that lost its partition without noticing cannot start a new batch: its pending commit
// carries its old group generation and the coordinator refuses it. It can only finish the batches
// it had already made pending, which write the same keys and records as the new owner.

const prefix = "loglake-sink/v1 pending-last=";

/**
 * Kafka refuses commit metadata over `offset.metadata.max.bytes` (4096 by default, on MSK too);
 * each boundary takes at most 20 characters, so this many stay far below it.
 */
export const maxPendingBatchesLimit = 64;

/** Metadata naming the pending batches by their last offsets (ascending); one batch reads as v1 did. */
export function encodePendingBatches(lastOffsets: readonly number[]): string {
  return lastOffsets.length === 0 ? "" : `${prefix}${lastOffsets.join(",")}`;
}

/** The pending batches' last offsets, ascending; empty when the metadata names none. */
export function decodePendingBatches(metadata: string | null | undefined): number[] {
  if (!metadata?.startsWith(prefix)) return [];
  const list = metadata.slice(prefix.length);
  if (!/^\d+(,\d+)*$/.test(list)) return [];
  const lasts = list.split(",").map(Number);
  return lasts.every((last, i) => i === 0 || last > lasts[i - 1]) ? lasts : [];
}

/** What to commit for a partition: the offset and its metadata. */
export interface PartitionCommit {
  offset: number;
  metadata: string;
}

/**
 * The batches of one partition from its committed offset on, in offset order, each either being
 * written or already in S3 behind one that is not. Pure: the caller commits what it returns. `T`
 * is whatever the caller wants back when a batch's offsets are committed.
 */
export class PendingBatches<T> {
  private readonly batches: { firstOffset: number; lastOffset: number; written: boolean; info: T }[] = [];

  /** `committedOffset`: where the partition's commit stands now (undefined: never committed). */
  constructor(private committedOffset: number | undefined) {}

  /** Batches not yet committed (being written, or written behind one that is not). */
  get count(): number {
    return this.batches.length;
  }

  /**
   * A batch is about to be written. `laterBoundaries`: the last offsets of pending batches found
   * at startup that are not cut yet; they stay listed. Commit the result before writing anything.
   */
  begin(firstOffset: number, lastOffset: number, info: T, laterBoundaries: readonly number[]): PartitionCommit {
    const previous = this.batches.at(-1);
    if (previous && firstOffset <= previous.lastOffset)
      throw new Error(
        `batch ${firstOffset}..${lastOffset} overlaps the pending batch ending at ${previous.lastOffset}`,
      );
    this.batches.push({ firstOffset, lastOffset, written: false, info });
    return this.commit(laterBoundaries);
  }

  /**
   * The batch ending at `lastOffset` is in S3. Returns the commit that moves the offset past every
   * batch now written without a gap, with those batches' infos; no commit while an earlier batch
   * is still being written.
   */
  written(lastOffset: number, laterBoundaries: readonly number[]): { commit?: PartitionCommit; committed: T[] } {
    const batch = this.batches.find((candidate) => candidate.lastOffset === lastOffset);
    if (!batch) throw new Error(`no pending batch ends at offset ${lastOffset}`);
    batch.written = true;
    const committed: T[] = [];
    while (this.batches[0]?.written) {
      const done = this.batches.shift()!;
      this.committedOffset = done.lastOffset + 1;
      committed.push(done.info);
    }
    return committed.length === 0 ? { committed } : { commit: this.commit(laterBoundaries), committed };
  }

  /** The offset everything before which is in S3 (undefined while nothing was ever committed). */
  get durableOffset(): number | undefined {
    return this.committedOffset;
  }

  private commit(laterBoundaries: readonly number[]): PartitionCommit {
    return {
      offset: this.batches[0]?.firstOffset ?? this.committedOffset!,
      metadata: encodePendingBatches([...this.batches.map((batch) => batch.lastOffset), ...laterBoundaries]),
    };
  }
}
