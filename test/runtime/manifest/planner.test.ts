import assert from "node:assert/strict";
import {
  checkSize,
  hoursDueForFlush,
  manifestDocument,
  manifestFor,
  manifestObjectKey,
  parseObjectKey,
  planManifests,
  sizeBounds,
  type ManifestGroup,
  type ManifestLimits,
  type PendingFile,
} from "../../../runtime/manifest/planner";

const group: ManifestGroup = { bucket: "raw", dataset: "logs/app", dt: "2026-11-21", hour: "09" };
const now = new Date("2026-11-21T10:30:00Z");
const limits: ManifestLimits = { maxFiles: 100, maxBytes: 500e9, flushAfterMs: 3_600_000 };

function files(count: number, options: { size?: number; createdAt?: string; from?: number } = {}): PendingFile[] {
  return Array.from({ length: count }, (_, i) => ({
    key: `logs/app/dt=2026-11-21/hour=09/app-0-${String((options.from ?? 0) + i).padStart(8, "0")}.ndjson.gz`,
    size: options.size ?? 64 * 1024 ** 2,
    createdAt: options.createdAt ?? "2026-11-21T10:00:00Z",
  }));
}

describe("manifest planner", () => {
  describe("parseObjectKey", () => {
    it("reads prefix, topic and hour partition from the lake writer's layout", () => {
      assert.deepEqual(parseObjectKey("raw/v1/app-logs/dt=2026-11-21/hour=07/app-logs-3-100-199.ndjson.gz"), {
        dataset: "raw/v1/app-logs",
        topic: "app-logs",
        dt: "2026-11-21",
        hour: "07",
        datePrefix: "dt=2026-11-21/hour=07",
      });
    });

    it("accepts a key without prefix", () => {
      assert.equal(parseObjectKey("app-logs/dt=2026-11-21/hour=23/f.gz")?.dataset, "app-logs");
    });

    for (const key of [
      "app-logs/dt=2026-11-21/f.gz",
      "app-logs/dt=2026-11-21/hour=24/f.gz",
      "app-logs/dt=2026-02-30/hour=01/f.gz",
      "app-logs/dt=2026-11-21/hour=01/",
      "app-logs/dt=2026-11-21/hour=01/extra/f.gz",
      "dt=2026-11-21/hour=01/f.gz",
    ]) {
      it(`refuses ${key}`, () => assert.equal(parseObjectKey(key), undefined));
    }
  });

  describe("checkSize", () => {
    const policy = { expectedBytes: 1000, tolerance: 0.25 };

    it("accepts sizes within expected ± tolerance, bounds included", () => {
      assert.deepEqual(sizeBounds(policy), { min: 750, max: 1250 });
      for (const size of [750, 1000, 1250]) assert.equal(checkSize(size, policy), undefined, `size ${size}`);
    });

    it("names the outlier and the bounds it missed", () => {
      assert.equal(checkSize(749, policy)?.code, "too-small");
      assert.match(checkSize(749, policy)!.detail, /749 bytes is below minimum 750/);
      assert.equal(checkSize(1251, policy)?.code, "too-large");
      assert.match(checkSize(1251, policy)!.detail, /above maximum 1250/);
    });

    it("always refuses an empty object, even when the tolerance reaches zero", () => {
      assert.equal(checkSize(0, { expectedBytes: 1000, tolerance: 1 })?.code, "empty");
      assert.equal(checkSize(1, { expectedBytes: 1000, tolerance: 1 }), undefined);
    });
  });

  describe("planManifests", () => {
    it("groups 250 files into two manifests of 100 and keeps the recent 50 waiting", () => {
      const planned = planManifests(group, files(250), limits, now);
      assert.deepEqual(
        planned.map((m) => [m.files.length, m.reason]),
        [
          [100, "file-count"],
          [100, "file-count"],
        ],
      );
      const keys = planned.flatMap((m) => m.files.map((f) => f.key));
      assert.equal(new Set(keys).size, 200, "no file may appear in two manifests");
    });

    it("takes files in key order whatever order they were listed in", () => {
      const planned = planManifests(group, files(100).reverse(), limits, now);
      const keys = planned[0].files.map((f) => f.key);
      assert.deepEqual(keys, [...keys].sort());
    });

    it("closes a manifest before the size limit would be exceeded", () => {
      const planned = planManifests(group, files(10, { size: 300 }), { ...limits, maxBytes: 1000 }, now);
      assert.deepEqual(
        planned.map((m) => [m.files.length, m.totalBytes, m.reason]),
        [
          [3, 900, "size-limit"],
          [3, 900, "size-limit"],
          [3, 900, "size-limit"],
        ],
      );
    });

    it("gives a file bigger than the size limit a manifest of its own", () => {
      const big = files(1, { size: 5000, from: 1 });
      const planned = planManifests(group, [...files(1, { size: 10 }), ...big], { ...limits, maxBytes: 1000 }, now);
      assert.deepEqual(
        planned.map((m) => m.files.length),
        [1, 1],
      );
      assert.equal(planned[1].totalBytes, 5000);
    });

    it("flushes the partial remainder once its oldest file has waited the flush interval", () => {
      const stale = files(30, { createdAt: "2026-11-21T09:30:00Z" });
      const planned = planManifests(group, stale, limits, now);
      assert.deepEqual(
        planned.map((m) => [m.files.length, m.reason]),
        [[30, "age-flush"]],
      );
    });

    it("keeps a partial remainder waiting while it is younger than the flush interval", () => {
      assert.deepEqual(planManifests(group, files(30, { createdAt: "2026-11-21T09:30:01Z" }), limits, now), []);
    });

    it("derives the manifest id from group and files, so the same files always give the same id", () => {
      const [first] = planManifests(group, files(100), limits, now);
      const [again] = planManifests(group, files(100).reverse(), limits, now);
      const [other] = planManifests(group, files(100, { from: 1 }), limits, now);
      const [otherGroup] = planManifests({ ...group, bucket: "raw-2" }, files(100), limits, now);
      assert.equal(first.manifestId, again.manifestId);
      assert.notEqual(first.manifestId, other.manifestId);
      assert.notEqual(first.manifestId, otherGroup.manifestId);
      assert.match(first.manifestId, /^[0-9a-f]{32}$/);
    });

    it("plans 338,000 files of one day into 3,380 manifests without overlap", () => {
      const day = files(338_000);
      const planned = planManifests(group, day, limits, now);
      assert.equal(planned.length, 3380);
      assert.equal(new Set(planned.map((m) => m.manifestId)).size, 3380);
    });
  });

  it("writes the manifest document under its id with every file's URI and no clock value", () => {
    const manifest = manifestFor(group, files(2), "age-flush");
    assert.equal(
      manifestObjectKey("manifests", manifest),
      `manifests/logs/app/dt=2026-11-21/hour=09/${manifest.manifestId}.json`,
    );
    assert.equal(manifestObjectKey("", manifest), `logs/app/dt=2026-11-21/hour=09/${manifest.manifestId}.json`);
    const document = manifestDocument(manifest);
    assert.deepEqual(
      document.files.map((f) => f.uri),
      manifest.files.map((f) => `s3://raw/${f.key}`),
    );
    assert.deepEqual(document, manifestDocument(manifestFor(group, files(2).reverse(), "age-flush")));
    assert.equal(document.totalBytes, 2 * 64 * 1024 ** 2);
  });

  describe("hoursDueForFlush", () => {
    it("lists arrival hours from the lookback up to the newest hour that can hold an overdue file", () => {
      assert.deepEqual(hoursDueForFlush(new Date("2026-11-21T10:30:00Z"), 3_600_000, 3), [
        "2026-11-21T08",
        "2026-11-21T09",
      ]);
    });

    it("crosses midnight", () => {
      assert.deepEqual(hoursDueForFlush(new Date("2026-11-21T01:00:00Z"), 3_600_000, 3), [
        "2026-11-20T23",
        "2026-11-21T00",
      ]);
    });
  });
});
