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
 * Records of one partition waiting to be written. When the partition's committed offset carries a
 * pending batch (see `intent.ts`), the first batch is cut at exactly that batch's last offset, so
 * a batch interrupted by a crash is rewritten with the same boundaries and therefore the same keys.
 */
export class PartitionBuffer {
  private records: SinkRecord[] = [];
  private bytes = 0;
  private openedAt = 0;
  private replayEnd: number | undefined;

  constructor(private readonly limits: FlushLimits) {}

  /** The committed offset and its metadata are known: start at it, honouring a pending batch. */
  start(committedOffset: number | undefined, pendingLastOffset: number | undefined): void {
    if (committedOffset !== undefined) this.dropBefore(committedOffset);
    this.replayEnd =
      pendingLastOffset !== undefined && committedOffset !== undefined && pendingLastOffset >= committedOffset
        ? pendingLastOffset
        : undefined;
  }

  get replaying(): boolean {
    return this.replayEnd !== undefined;
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
    if (this.records.length === 0) return undefined;
    if (this.replayEnd !== undefined) {
      const end = this.replayEnd;
      if (this.records.at(-1)!.offset < end) return undefined;
      this.replayEnd = undefined;
      const count = this.records.findIndex((record) => record.offset > end);
      const batch = this.cut(count === -1 ? this.records.length : count, now);
      // The records of the pending batch may be gone (retention): nothing left to rewrite.
      if (batch) return batch;
    }
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
