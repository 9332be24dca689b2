import assert from "node:assert/strict";
import { PartitionBuffer } from "../../../runtime/sink/batch";
import type { SinkRecord } from "../../../runtime/sink/layout";

const limits = { maxBytes: 100, maxAgeMs: 1000 };
const record = (offset: number, size = 10): SinkRecord => ({ offset, value: Buffer.alloc(size, 0x61), timestamp: 0 });
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const offsets = (batch: { records: SinkRecord[] } | undefined) => batch?.records.map((r) => r.offset);

function filled(buffer: PartitionBuffer, from: number, to: number, size = 10, now = 0): PartitionBuffer {
  for (let offset = from; offset <= to; offset++) buffer.add(record(offset, size), now);
  return buffer;
}

describe("lake writer batching", () => {
  it("holds records until the size limit, then takes them all", () => {
    const buffer = new PartitionBuffer(limits);
    filled(buffer, 0, 8);
    assert.equal(buffer.take(0), undefined, "90 bytes is under the 100-byte limit");
    buffer.add(record(9), 0);
    assert.deepEqual(offsets(buffer.take(0)), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.equal(buffer.take(10_000), undefined, "nothing left");
  });

  it("takes a batch once its oldest record reached the age limit", () => {
    const buffer = filled(new PartitionBuffer(limits), 0, 1, 10, 5_000);
    assert.equal(buffer.take(5_999), undefined);
    assert.deepEqual(offsets(buffer.take(6_000)), [0, 1]);
  });

  it("flushes everything on close", () => {
    assert.deepEqual(offsets(filled(new PartitionBuffer(limits), 0, 1).take(0, true)), [0, 1]);
  });

  it("ignores a redelivered record", () => {
    const buffer = filled(new PartitionBuffer(limits), 0, 2);
    assert.equal(buffer.add(record(2), 0), false);
    assert.deepEqual(offsets(buffer.take(0, true)), [0, 1, 2]);
  });

  it("starts at the committed offset, dropping anything before it", () => {
    const buffer = filled(new PartitionBuffer(limits), 3, 6);
    buffer.start(5, []);
    assert.deepEqual(offsets(buffer.take(0, true)), [5, 6]);
  });

  describe("a pending batch from before a crash", () => {
    it("is cut at exactly its last offset, whatever the size and age limits say", () => {
      const buffer = new PartitionBuffer(limits);
      buffer.start(20, [24]);
      assert.ok(buffer.replaying);
      filled(buffer, 20, 23, 60, 0);
      assert.equal(buffer.take(99_999, true), undefined, "not even on close before offset 24 arrived");
      filled(buffer, 24, 30, 60, 0);
      assert.deepEqual(offsets(buffer.take(0)), [20, 21, 22, 23, 24]);
      assert.equal(buffer.replaying, false);
      assert.deepEqual(offsets(buffer.take(0)), [25, 26, 27, 28, 29, 30], "then normal batching resumes");
    });

    it("is cut at its last offset when offsets have gaps (compaction, transaction markers)", () => {
      const buffer = new PartitionBuffer(limits);
      buffer.start(20, [24]);
      for (const offset of [20, 22, 26]) buffer.add(record(offset), 0);
      assert.deepEqual(offsets(buffer.take(0)), [20, 22]);
    });

    it("is ignored when it ends before the committed offset", () => {
      const buffer = new PartitionBuffer(limits);
      buffer.start(20, [19]);
      assert.equal(buffer.replaying, false);
    });
    it("cuts several pending batches at each of their boundaries in turn, then batches normally", () => {
      const buffer = new PartitionBuffer(limits);
      buffer.start(20, [22, 25, 27]);
      filled(buffer, 20, 24, 60, 0);
      assert.deepEqual(offsets(buffer.take(0)), [20, 21, 22]);
      assert.deepEqual(buffer.replayBoundaries, [25, 27], "the boundaries not cut yet stay known");
      assert.equal(buffer.take(0, true), undefined, "offset 25 has not arrived");
      filled(buffer, 25, 40, 60, 0);
      assert.deepEqual(offsets(buffer.take(0)), [23, 24, 25]);
      assert.deepEqual(offsets(buffer.take(0)), [26, 27]);
      assert.equal(buffer.replaying, false);
      assert.deepEqual(offsets(buffer.take(0)), range(28, 40), "then normal batching resumes");
    });

    it("skips pending batches whose records are gone and drops boundaries before the committed offset", () => {
      const buffer = new PartitionBuffer(limits);
      buffer.start(20, [15, 22, 25]);
      assert.deepEqual(buffer.replayBoundaries, [22, 25]);
      filled(buffer, 24, 30, 60, 0); // 20..23 expired before they were read again
      assert.deepEqual(offsets(buffer.take(0)), [24, 25]);
    });
  });
});
