import assert from "node:assert/strict";
import { classifyLine, fieldValue, parseFieldPath, recordKey, stripByteOrderMark } from "../../../runtime/ship/lines";

describe("ship line handling", () => {
  describe("stripByteOrderMark", () => {
    it("drops a UTF-8 byte order mark and leaves other lines alone", () => {
      assert.equal(stripByteOrderMark(Buffer.from('\ufeff{"a":1}')).toString(), '{"a":1}');
      assert.equal(stripByteOrderMark(Buffer.from('{"a":1}')).toString(), '{"a":1}');
      assert.equal(stripByteOrderMark(Buffer.from([0xef, 0xbb])).length, 2);
    });
  });

  describe("classifyLine", () => {
    it("accepts a JSON object", () => {
      const verdict = classifyLine('{"host":"web-1","msg":"ok"}');
      assert.equal(verdict.kind, "record");
    });

    it("rejects JSON that is not an object, saying what it is", () => {
      for (const [line, kind] of [
        ["[1,2]", "array"],
        ["42", "number"],
        ['"text"', "string"],
        ["null", "null"],
      ]) {
        const verdict = classifyLine(line);
        assert.equal(verdict.kind, "rejected", line);
        assert.match((verdict as { reason: string }).reason, new RegExp(`JSON ${kind}, not an object`));
      }
    });

    it("rejects text that is not JSON", () => {
      const verdict = classifyLine("GET /index.html 200");
      assert.equal(verdict.kind, "rejected");
      assert.match((verdict as { reason: string }).reason, /^not JSON/);
    });

    it("treats whitespace-only lines as blank, not as rejected", () => {
      assert.equal(classifyLine("   ").kind, "blank");
      assert.equal(classifyLine(" \t\r").kind, "blank");
    });

    it("accepts an object after leading whitespace", () => {
      assert.deepEqual(classifyLine('  {"a":1}'), { kind: "record", record: { a: 1 } });
    });

    it("rejects a line that starts like an object but is not one JSON value", () => {
      for (const line of ["{", '{"a":1} {"b":2}', '{"a":1}]', "{'a':1}", '{"a":1,}']) {
        assert.match((classifyLine(line) as { reason: string }).reason, /^not JSON/, line);
      }
    });

    it("rejects a line that is not valid UTF-8, even when the rest is a JSON object", () => {
      const line = Buffer.concat([Buffer.from('{"msg":"caf'), Buffer.from([0xe9]), Buffer.from('"}')]);
      assert.deepEqual(classifyLine(line), { kind: "rejected", reason: "not valid UTF-8" });
      assert.equal(classifyLine(Buffer.from('{"msg":"café"}')).kind, "record");
    });
  });

  describe("keying", () => {
    const record = { host: { name: "web-7" }, pid: 42, flag: true, tags: ["a"], empty: "" };

    it("reads a dotted field path and turns scalars into keys", () => {
      assert.equal(fieldValue(record, ["host", "name"]), "web-7");
      assert.equal(fieldValue(record, ["pid"]), "42");
      assert.equal(fieldValue(record, ["flag"]), "true");
    });

    it("does not key by objects, arrays or empty strings", () => {
      assert.equal(fieldValue(record, ["host"]), undefined);
      assert.equal(fieldValue(record, ["tags"]), undefined);
      assert.equal(fieldValue(record, ["empty"]), undefined);
    });

    it("keys records without the field by their input, so each input stays ordered", () => {
      assert.equal(recordKey({ msg: "x" }, ["host"], "/var/log/app.ndjson"), "/var/log/app.ndjson");
      assert.equal(recordKey({ host: "web-1" }, ["host"], "/var/log/app.ndjson"), "web-1");
    });

    it("refuses a field path with an empty segment", () => {
      assert.throws(() => parseFieldPath("host..name"), /empty segment/);
      assert.deepEqual(parseFieldPath("host.name"), ["host", "name"]);
    });
  });
});
