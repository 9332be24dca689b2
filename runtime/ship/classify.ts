// Pure core of the shipper: cutting one input's byte stream into lines, classifying each line and
// choosing its key. The result is a compact batch (one buffer, offsets, small arrays) that can be
// moved between threads without copying. No I/O here.
import { isUtf8 } from "node:buffer";
import { classifyKeyed, stripByteOrderMark } from "./lines";

/** What a line is. */
export const LineKind = {
  /** A JSON object: produce it. */
  record: 0,
  /** Whitespace only: skip it. */
  blank: 1,
  /** Anything else: quarantine it. */
  rejected: 2,
  /** Only its start was kept (longer than the line limit, or cut off by the input's end): quarantine it as truncated. */
  overlong: 3,
} as const;

/** The classified lines of one chunk of input, in input order (see `lineBytes`). */
export interface ClassifiedBatch {
  /**
   * The batch's first line, joined with whatever of it earlier chunks held: the only line that is
   * copied (for an overlong line, only its start).
   */
  head: Buffer;
  /** The chunk itself, holding every other line in place. */
  data: Buffer;
  /**
   * Two offsets per line, start and end (newline and trailing CR excluded): into `head` for the
   * first line, into `data` for the others.
   */
  bounds: Int32Array;
  /** A `LineKind` per line. */
  kinds: Uint8Array;
  /**
   * Per record line, in order: the index of its key in `keyTable`, or -1 when the record has no key
   * field. Keys repeat (hosts, services), so each distinct value crosses threads once per batch.
   */
  keyIds: Int32Array;
  /** The distinct key values of the batch's records. */
  keyTable: string[];
  /** Per rejected or overlong line, in order: why. */
  reasons: string[];
  /** Input bytes this batch consumed (after decompression). */
  bytesRead: number;
}

export interface ClassifierOptions {
  /** Dotted path of the key field, already split. */
  keyPath: readonly string[];
  /** Lines longer than this are quarantined with only their start kept, so memory stays bounded. */
  maxLineBytes: number;
  /** How much of an overlong line is kept for the quarantine. */
  keptPrefixBytes: number;
}

const newline = 0x0a;
const carriageReturn = 0x0d;

/**
 * Classifies one input (a file, stdin). Feed it the input's chunks in order, then call `end()`.
 * A line that straddles chunks is carried as a list of pieces and joined once, so a long line costs
 * linear time; a line past `maxLineBytes` keeps only its first `keptPrefixBytes`.
 */
export class LineClassifier {
  private carry: Buffer[] = [];
  private carryBytes = 0;
  /** Length of the carried line when it is overlong (only its prefix is in `carry`). */
  private overlongBytes = 0;
  private atStart = true;

  private readonly encodedKeyPath: Buffer[];

  constructor(private readonly options: ClassifierOptions) {
    this.encodedKeyPath = options.keyPath.map((name) => Buffer.from(name));
  }

  /**
   * Only the line that straddles the previous chunk is copied (into `head`); the chunk's other
   * lines are classified and handed on where they are: the batch's `data` is the chunk itself when
   * the chunk is the whole of its memory (else a copy), so the caller must not reuse the chunk.
   */
  push(chunk: Buffer): ClassifiedBatch {
    const batch = new BatchBuilder(this.options, this.encodedKeyPath, chunk.length);
    const firstNewline = chunk.indexOf(newline);
    if (firstNewline === -1) {
      this.addToCarry(chunk);
      return batch.finish(Buffer.alloc(0), Buffer.alloc(0));
    }
    const lastNewline = chunk.lastIndexOf(newline);
    const carried = this.takeCarry();
    let head: Buffer;
    if (carried.overlongBytes > 0) {
      // Only the carried line's kept prefix: the rest of it up to this newline is counted, not kept.
      head = carried.data;
      this.overlongLine(batch, 0, head.length, carried.overlongBytes + firstNewline);
    } else {
      head = Buffer.concat([carried.data, chunk.subarray(0, firstNewline)]);
      this.line(batch, head, 0, head.length, false);
    }
    // The complete lines after the first, checked as one: valid UTF-8 cut at newlines stays valid,
    // as a newline byte is never inside a character.
    const bodyIsUtf8 = isUtf8(chunk.subarray(firstNewline + 1, lastNewline + 1));
    let start = firstNewline + 1;
    for (let end = chunk.indexOf(newline, start); end !== -1; end = chunk.indexOf(newline, start)) {
      this.line(batch, chunk, start, end, bodyIsUtf8);
      start = end + 1;
    }
    if (lastNewline + 1 < chunk.length) this.addToCarry(chunk.subarray(lastNewline + 1));
    return batch.finish(head, chunk);
  }

  /**
   * The last line when the input does not end with a newline. `cutShort` says why the input ended
   * early (a truncated gzip member): then that last line is a fragment and is quarantined as one,
   * even if it happens to parse.
   */
  end(cutShort?: string): ClassifiedBatch {
    const batch = new BatchBuilder(this.options, this.encodedKeyPath, 0);
    const carried = this.takeCarry();
    if (carried.data.length === 0) return batch.finish(Buffer.alloc(0), Buffer.alloc(0));
    if (cutShort) {
      const kind = carried.overlongBytes > 0 ? LineKind.overlong : LineKind.rejected;
      batch.rejected(0, carried.data.length, `input ended inside this line (${cutShort})`, kind);
    } else if (carried.overlongBytes > 0) {
      this.overlongLine(batch, 0, carried.data.length, carried.overlongBytes);
    } else {
      this.line(batch, carried.data, 0, carried.data.length, false);
    }
    return batch.finish(carried.data, Buffer.alloc(0));
  }

  private line(batch: BatchBuilder, data: Buffer, start: number, end: number, knownUtf8: boolean): void {
    if (end > start && data[end - 1] === carriageReturn) end--;
    if (this.atStart) {
      this.atStart = false;
      start = end - stripByteOrderMark(data.subarray(start, end)).length;
    }
    if (end - start > this.options.maxLineBytes) this.overlongLine(batch, start, end, end - start);
    else batch.line(data, start, end, knownUtf8);
  }

  private overlongLine(batch: BatchBuilder, start: number, end: number, length: number): void {
    this.atStart = false;
    batch.rejected(
      start,
      Math.min(end, start + this.options.keptPrefixBytes),
      `line of ${length} bytes is longer than the limit of ${this.options.maxLineBytes}`,
      LineKind.overlong,
    );
  }

  private addToCarry(piece: Buffer): void {
    if (this.overlongBytes > 0) {
      this.overlongBytes += piece.length;
      return;
    }
    if (this.carryBytes + piece.length > this.options.maxLineBytes) {
      // Keep the start for the quarantine, count the rest.
      this.overlongBytes = this.carryBytes + piece.length;
      const kept = Buffer.concat([...this.carry, piece]).subarray(0, this.options.keptPrefixBytes);
      this.carry = [Buffer.from(kept)];
      this.carryBytes = kept.length;
      return;
    }
    // Copied: the chunk may be reused or handed to another thread.
    this.carry.push(Buffer.from(piece));
    this.carryBytes += piece.length;
  }

  private takeCarry(): { data: Buffer; overlongBytes: number } {
    const taken = { data: Buffer.concat(this.carry, this.carryBytes), overlongBytes: this.overlongBytes };
    this.carry = [];
    this.carryBytes = 0;
    this.overlongBytes = 0;
    return taken;
  }
}

class BatchBuilder {
  private readonly bounds: number[] = [];
  private readonly kinds: number[] = [];
  private readonly keyIds: number[] = [];
  private readonly keyIndex = new Map<string, number>();
  private readonly reasons: string[] = [];

  constructor(
    private readonly options: ClassifierOptions,
    private readonly encodedKeyPath: readonly Buffer[],
    private readonly bytesRead: number,
  ) {}

  /** `knownUtf8`: the caller checked the line, e.g. with all of the chunk's lines at once. */
  line(data: Buffer, start: number, end: number, knownUtf8: boolean): void {
    const line = data.subarray(start, end);
    const verdict = classifyKeyed(line, this.options.keyPath, this.encodedKeyPath, knownUtf8);
    this.bounds.push(start, end);
    if (verdict.kind === "record") {
      this.kinds.push(LineKind.record);
      this.keyIds.push(verdict.key === null ? -1 : this.keyId(verdict.key));
    } else if (verdict.kind === "blank") {
      this.kinds.push(LineKind.blank);
    } else {
      this.kinds.push(LineKind.rejected);
      this.reasons.push(verdict.reason);
    }
  }

  private keyId(key: string): number {
    let id = this.keyIndex.get(key);
    if (id === undefined) {
      id = this.keyIndex.size;
      this.keyIndex.set(key, id);
    }
    return id;
  }

  rejected(start: number, end: number, reason: string, kind: number = LineKind.rejected): void {
    this.bounds.push(start, end);
    this.kinds.push(kind);
    this.reasons.push(reason);
  }

  finish(head: Buffer, data: Buffer): ClassifiedBatch {
    return {
      head: ownBuffer(head),
      data: ownBuffer(data),
      bounds: Int32Array.from(this.bounds),
      kinds: Uint8Array.from(this.kinds),
      keyIds: Int32Array.from(this.keyIds),
      keyTable: [...this.keyIndex.keys()],
      reasons: this.reasons,
      bytesRead: this.bytesRead,
    };
  }
}

/** The bytes of the batch's `index`-th line. */
export function lineBytes(batch: ClassifiedBatch, index: number): Buffer {
  return (index === 0 ? batch.head : batch.data).subarray(batch.bounds[2 * index], batch.bounds[2 * index + 1]);
}

/** The key of the batch's `index`-th record line, or null when it has none. */
export function recordKey(batch: ClassifiedBatch, index: number): string | null {
  const id = batch.keyIds[index];
  return id < 0 ? null : batch.keyTable[id];
}

/** `data` on an ArrayBuffer of its own (not Node's shared pool), so it can be transferred. */
function ownBuffer(data: Buffer): Buffer {
  if (data.byteOffset === 0 && data.byteLength === data.buffer.byteLength) return data;
  const own = Buffer.allocUnsafeSlow(data.length);
  data.copy(own);
  return own;
}
