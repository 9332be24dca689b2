import assert from "node:assert/strict";
import { decodePendingBatches, encodePendingBatches, PendingBatches } from "../../../runtime/sink/intent";

describe("lake writer commit bookkeeping", () => {
  describe("commit metadata", () => {
    it("names pending batches by their last offsets and reads them back", () => {
      assert.deepEqual(decodePendingBatches(encodePendingBatches([1234])), [1234]);
      assert.deepEqual(decodePendingBatches(encodePendingBatches([5, 17, 90])), [5, 17, 90]);
      assert.equal(encodePendingBatches([]), "", "no pending batch: empty metadata");
      assert.equal(
        encodePendingBatches([1234]),
        "loglake-sink/v1 pending-last=1234",
        "one pending batch is written exactly as before several were allowed",
      );
    });

    it("reads anything else as no pending batch", () => {
      for (const metadata of [
        "",
        null,
        undefined,
        "written by another tool",
        "loglake-sink/v1 pending-last=x",
        "loglake-sink/v1 pending-last=5,",
        "loglake-sink/v1 pending-last=9,3",
      ])
        assert.deepEqual(decodePendingBatches(metadata), [], String(metadata));
    });
  });

  describe("pending batches of a partition", () => {
    it("keeps the commit at the oldest unwritten batch and lists every pending one", () => {
      const pending = new PendingBatches<string>(100);
      assert.deepEqual(pending.begin(100, 149, "a", []), { offset: 100, metadata: encodePendingBatches([149]) });
      assert.deepEqual(pending.begin(150, 199, "b", []), { offset: 100, metadata: encodePendingBatches([149, 199]) });
      assert.deepEqual(pending.begin(200, 249, "c", []), {
        offset: 100,
        metadata: encodePendingBatches([149, 199, 249]),
      });
      assert.deepEqual(pending.written(199, []), { committed: [] }, "b is in S3 but a is not: nothing to commit");
      assert.equal(pending.durableOffset, 100);
      assert.deepEqual(pending.written(149, []), {
        commit: { offset: 200, metadata: encodePendingBatches([249]) },
        committed: ["a", "b"],
      });
      assert.deepEqual(pending.written(249, []), { commit: { offset: 250, metadata: "" }, committed: ["c"] });
      assert.equal(pending.count, 0);
      assert.equal(pending.durableOffset, 250);
    });

    it("keeps the boundaries of replayed batches that are not cut yet in every commit", () => {
      const pending = new PendingBatches<string>(20);
      assert.deepEqual(pending.begin(20, 22, "replayed", [25, 27]), {
        offset: 20,
        metadata: encodePendingBatches([22, 25, 27]),
      });
      assert.deepEqual(pending.written(22, [25, 27]), {
        commit: { offset: 23, metadata: encodePendingBatches([25, 27]) },
        committed: ["replayed"],
      });
    });

    it("refuses a batch that overlaps one already pending", () => {
      const pending = new PendingBatches<string>(undefined);
      pending.begin(0, 9, "a", []);
      assert.throws(() => pending.begin(5, 12, "b", []), /overlaps the pending batch ending at 9/);
    });
  });
});
