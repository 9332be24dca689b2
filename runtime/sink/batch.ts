// Pure core of the lake writer: when a partition's buffer becomes a batch. No I/O here.
import type { SinkRecord } from "./layout";

export interface FlushLimits {
  /** Flush once this many value bytes are buffered for a partition. */
  maxBytes: number;
  /** Flush once the oldest buffered record of a partition has waited this long. */
  maxAgeMs: number;
}

export interface Batch {
  firstOffset: number;
  lastOffset: number;
  records: SinkRecord[];
}

/**
 * Records of one partition waiting to be written. When the partition's committed offset carries
 * pending batches (see `intent.ts`), the first batches are cut at exactly those batches' last
 * offsets, so batches interrupted by a crash are rewritten with the same boundaries and therefore
 * the same keys.
 */
export class PartitionBuffer {
  private records: SinkRecord[] = [];
  private bytes = 0;
  private openedAt = 0;
  /** Last offsets of pending batches from before a crash that are not cut yet, ascending. */
  private replayEnds: number[] = [];

  constructor(private readonly limits: FlushLimits) {}

  /** The committed offset and its metadata are known: start at it, honouring its pending batches. */
  start(committedOffset: number | undefined, pendingLastOffsets: readonly number[]): void {
    if (committedOffset !== undefined) this.dropBefore(committedOffset);
    this.replayEnds = committedOffset === undefined ? [] : pendingLastOffsets.filter((last) => last >= committedOffset);
  }

  get replaying(): boolean {
    return this.replayEnds.length > 0;
  }

  /** Boundaries of pending batches from before a crash that are still to be cut (they must stay committed). */
  get replayBoundaries(): readonly number[] {
    return this.replayEnds;
  }

  get bufferedBytes(): number {
    return this.bytes;
  }

  /** Adds a record; one at or below the last buffered offset (a redelivery) is ignored. */
  add(record: SinkRecord, now: number): boolean {
    const last = this.records.at(-1);
    if (last && record.offset <= last.offset) return false;
    if (this.records.length === 0) this.openedAt = now;
    this.records.push(record);
    this.bytes += record.value.length;
    return true;
  }

  /**
   * The batch to write now, if any. `closing` (shutdown) flushes regardless of size and age, but a
   * pending batch is still only cut once its last offset has been consumed.
   */
  take(now: number, closing = false): Batch | undefined {
    while (this.replayEnds.length > 0) {
      const end = this.replayEnds[0];
      if (this.records.length === 0 || this.records.at(-1)!.offset < end) return undefined;
      this.replayEnds.shift();
      const count = this.records.findIndex((record) => record.offset > end);
      const batch = this.cut(count === -1 ? this.records.length : count, now);
      // The records of the pending batch may be gone (retention): nothing left to rewrite.
      if (batch) return batch;
    }
    if (this.records.length === 0) return undefined;
    const due = closing || this.bytes >= this.limits.maxBytes || now - this.openedAt >= this.limits.maxAgeMs;
    return due ? this.cut(this.records.length, now) : undefined;
  }

  private cut(count: number, now: number): Batch | undefined {
    if (count === 0) return undefined;
    const records = this.records.slice(0, count);
    this.records = this.records.slice(count);
    this.bytes = this.records.reduce((sum, record) => sum + record.value.length, 0);
    this.openedAt = now;
    return { firstOffset: records[0].offset, lastOffset: records.at(-1)!.offset, records };
  }

  private dropBefore(offset: number): void {
    const keep = this.records.filter((record) => record.offset >= offset);
    if (keep.length !== this.records.length) {
      this.records = keep;
      this.bytes = keep.reduce((sum, record) => sum + record.value.length, 0);
    }
  }
}
