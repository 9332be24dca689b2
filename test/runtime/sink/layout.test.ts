import assert from "node:assert/strict";
import {
  eventTimeMs,
  hourPartition,
  objectKey,
  parseObjectKey,
  planObjects,
  type SinkRecord,
} from "../../../runtime/sink/layout";

const kafkaTime = Date.UTC(2026, 10, 21, 23, 59, 0);
const record = (offset: number, value: unknown, timestamp = kafkaTime): SinkRecord => ({
  offset,
  value: Buffer.from(typeof value === "string" ? value : JSON.stringify(value)),
  timestamp,
});
const layout = { prefix: "raw", topic: "app", partition: 3, timePath: ["timestamp"] };

describe("lake layout", () => {
  describe("event time", () => {
    it("reads ISO-8601 strings and epoch seconds or milliseconds", () => {
      assert.equal(
        eventTimeMs({ timestamp: "2026-11-21T10:15:00Z" }, ["timestamp"], kafkaTime),
        Date.UTC(2026, 10, 21, 10, 15),
      );
      assert.equal(eventTimeMs({ ts: 1_795_000_000 }, ["ts"], kafkaTime), 1_795_000_000_000);
      assert.equal(eventTimeMs({ ts: 1_795_000_000_123 }, ["ts"], kafkaTime), 1_795_000_000_123);
      assert.equal(
        eventTimeMs({ event: { at: "2026-01-02T03:04:05Z" } }, ["event", "at"], kafkaTime),
        Date.UTC(2026, 0, 2, 3, 4, 5),
      );
    });

    it("falls back to the Kafka timestamp when the field is missing or unparseable", () => {
      assert.equal(eventTimeMs({}, ["timestamp"], kafkaTime), kafkaTime);
      assert.equal(eventTimeMs({ timestamp: "yesterday" }, ["timestamp"], kafkaTime), kafkaTime);
      assert.equal(eventTimeMs({ timestamp: { nested: 1 } }, ["timestamp"], kafkaTime), kafkaTime);
      assert.equal(eventTimeMs({ timestamp: -5 }, ["timestamp"], kafkaTime), kafkaTime);
    });

    it("partitions by UTC date and hour", () => {
      assert.equal(hourPartition(Date.UTC(2026, 0, 5, 7, 59, 59)), "dt=2026-01-05/hour=07");
    });
  });

  describe("object keys", () => {
    it("derive from topic, partition and first/last offset, zero-padded to sort by offset", () => {
      const key = objectKey({
        prefix: "raw",
        area: "app",
        hour: "dt=2026-11-21/hour=10",
        topic: "app",
        partition: 3,
        firstOffset: 1200,
        lastOffset: 1299,
      });
      assert.equal(key, "raw/app/dt=2026-11-21/hour=10/app+3+0000000000000001200+0000000000000001299.ndjson.gz");
      assert.deepEqual(parseObjectKey(key), { topic: "app", partition: 3, firstOffset: 1200, lastOffset: 1299 });
    });

    it("omit an empty prefix", () => {
      const key = objectKey({
        prefix: "",
        area: "app",
        hour: "dt=2026-11-21/hour=10",
        topic: "app",
        partition: 0,
        firstOffset: 0,
        lastOffset: 0,
      });
      assert.ok(key.startsWith("app/dt=2026-11-21/hour=10/"), key);
    });
  });

  describe("planObjects", () => {
    it("splits a batch into one object per hour, each with its own offset range, in offset order", () => {
      const objects = planObjects(
        [
          record(10, { timestamp: "2026-11-21T10:59:59Z", n: 1 }),
          record(11, { timestamp: "2026-11-21T11:00:00Z", n: 2 }),
          record(12, { timestamp: "2026-11-21T10:30:00Z", n: 3 }),
        ],
        layout,
      );
      assert.deepEqual(
        objects.map(({ key, lines }) => ({ key, lines: lines.map((line) => JSON.parse(line.toString()).n) })),
        [
          {
            key: "raw/app/dt=2026-11-21/hour=10/app+3+0000000000000000010+0000000000000000012.ndjson.gz",
            lines: [1, 3],
          },
          { key: "raw/app/dt=2026-11-21/hour=11/app+3+0000000000000000011+0000000000000000011.ndjson.gz", lines: [2] },
        ],
      );
    });

    it("gives the same keys and bodies when the same batch is planned again", () => {
      const batch = [
        record(5, { timestamp: "2026-11-21T10:00:00Z" }),
        record(6, "not json"),
        record(7, { no_time: true }),
      ];
      assert.deepEqual(planObjects(batch, layout), planObjects(batch, layout));
    });

    it("keeps records that are not JSON objects, losslessly, under _invalid by Kafka time", () => {
      const bytes = Buffer.from([0xff, 0x00, 0x7b]);
      const [invalid] = planObjects([{ offset: 9, value: bytes, timestamp: kafkaTime }], layout);
      assert.equal(
        invalid.key,
        "raw/_invalid/app/dt=2026-11-21/hour=23/app+3+0000000000000000009+0000000000000000009.ndjson.gz",
      );
      const kept = JSON.parse(invalid.lines[0].toString());
      assert.deepEqual(Buffer.from(kept.value_base64, "base64"), bytes);
      assert.equal(kept.offset, 9);
    });

    it("files every record exactly where JSON.parse would: time field types, nesting, escapes, duplicates, bad bytes", () => {
      const time = "2026-11-21T10:15:00Z";
      const values = [
        `{"timestamp":"${time}","msg":"GET /"}`,
        `{"timestamp":1795000000,"x":[1,{"timestamp":"2020-01-01T00:00:00Z"}]}`,
        `{"timestamp":1795000000123}`,
        `{"timestamp":-5}`,
        `{"timestamp":true}`,
        `{"timestamp":null}`,
        `{"timestamp":{"at":"${time}"}}`,
        `{"timestamp":"not a time"}`,
        `{"timestamp":""}`,
        `{"timestamp":"${time}","timestamp":"2026-11-21T11:00:00Z"}`,
        `{"time\\u0073tamp":"${time}"}`,
        `{"timestamp":"2026-11-21T10:15:00\\u005a"}`,
        `{"nested":{"timestamp":"${time}"}}`,
        `{"timestamp":"${time}"} `,
        `\t{"timestamp":"${time}"}`,
        `{"timestamp":"${time}"}{"timestamp":"${time}"}`,
        `{"timestamp":"${time}",}`,
        `["timestamp","${time}"]`,
        `"${time}"`,
        `{"timestamp":"${time}","bad":"\\x"}`,
        `\ufeff{"timestamp":"${time}"}`,
        `{"timestamp":1e3}`,
        `{"timestamp":01}`,
      ].map((text) => Buffer.from(text));
      values.push(
        Buffer.concat([Buffer.from(`{"timestamp":"${time}","s":"`), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]),
      );
      values.push(Buffer.from(`{"timestamp":"${time}","deep":${"[".repeat(20_000)}${"]".repeat(20_000)}}`));
      for (const timePath of [["timestamp"], ["nested", "timestamp"]]) {
        for (const [offset, value] of values.entries()) {
          const [object] = planObjects([{ offset, value, timestamp: kafkaTime }], { ...layout, timePath });
          let parsed: unknown;
          try {
            parsed = JSON.parse(value.toString("utf8"));
          } catch {
            parsed = undefined;
          }
          const isObject = parsed !== null && typeof parsed === "object" && !Array.isArray(parsed);
          const hour = isObject
            ? hourPartition(eventTimeMs(parsed as Record<string, unknown>, timePath, kafkaTime))
            : hourPartition(kafkaTime);
          const area = isObject ? "app" : "_invalid/app";
          assert.ok(object.key.startsWith(`raw/${area}/${hour}/`), `${value.toString()} at ${timePath}: ${object.key}`);
          if (isObject) assert.deepEqual(object.lines, [value], "an object's line is kept byte for byte");
        }
      }
    });

    it("re-serializes a multi-line JSON value so the file stays one record per line", () => {
      const [object] = planObjects([record(1, '{\n  "timestamp": "2026-11-21T10:00:00Z"\n}')], layout);
      assert.equal(object.lines[0].toString(), '{"timestamp":"2026-11-21T10:00:00Z"}');
    });
  });
});
