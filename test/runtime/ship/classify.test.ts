import assert from "node:assert/strict";
import {
  LineClassifier,
  LineKind,
  lineBytes,
  recordKey,
  type ClassifiedBatch,
  type ClassifierOptions,
} from "../../../runtime/ship/classify";

const kindNames = Object.fromEntries(Object.entries(LineKind).map(([name, kind]) => [kind, name]));

interface Line {
  kind: string;
  text: string;
  key?: string | null;
  reason?: string;
}

function lines(batch: ClassifiedBatch): Line[] {
  let records = 0;
  let refusals = 0;
  return [...batch.kinds].map((kind, i) => {
    const text = lineBytes(batch, i).toString();
    if (kind === LineKind.record) return { kind: "record", text, key: recordKey(batch, records++) };
    if (kind === LineKind.blank) return { kind: "blank", text };
    return { kind: kindNames[kind], text, reason: batch.reasons[refusals++] };
  });
}

function classify(chunks: (string | Buffer)[], options: Partial<ClassifierOptions> = {}, cutShort?: string): Line[] {
  const classifier = new LineClassifier({ keyPath: ["host"], maxLineBytes: 1 << 20, keptPrefixBytes: 16, ...options });
  const batches = chunks.map((chunk) => classifier.push(Buffer.from(chunk)));
  return [...batches, classifier.end(cutShort)].flatMap(lines);
}

describe("ship line classifier", () => {
  it("cuts lines at newlines, across chunk boundaries", () => {
    assert.deepEqual(
      classify(['{"a":1}\n{"b"', ':2}\n{"c":', "3", "}\n"]).map((line) => line.text),
      ['{"a":1}', '{"b":2}', '{"c":3}'],
    );
  });

  it("returns a last line without a trailing newline, and strips CRLF", () => {
    assert.deepEqual(
      classify(['{"n":1}\r\n{"n":2}\r\n', '{"n":3}']).map((line) => line.text),
      ['{"n":1}', '{"n":2}', '{"n":3}'],
    );
  });

  it("keeps blank lines so line numbers stay right", () => {
    assert.deepEqual(
      classify(['{"a":1}\n\n{"b":2}\n']).map((line) => line.kind),
      ["record", "blank", "record"],
    );
  });

  it("keys each record by the key field, null when the record has none", () => {
    assert.deepEqual(
      classify(['{"host":"web-1"}\n{"msg":"x"}\n{"host":7}\n']).map((line) => line.key),
      ["web-1", null, "7"],
    );
  });

  it("says why a line is refused", () => {
    const [line] = classify(["[1,2]\n"]);
    assert.equal(line.kind, "rejected");
    assert.match(line.reason!, /JSON array, not an object/);
  });

  it("skips a byte order mark on the first line only", () => {
    assert.deepEqual(
      classify(["\ufeff", '{"a":1}\n\ufeff{"b":2}\n']).map((line) => line.kind),
      ["record", "rejected"],
    );
  });

  it("accepts a character split between chunks and refuses only the lines with invalid UTF-8", () => {
    const valid = Buffer.from('{"a":"été"}\n{"b":"é"}\n');
    const invalid = Buffer.from('{"c":"\xff"}\n', "latin1");
    // An invalid line split between chunks, then chunks cut inside an é.
    const chunks = [
      invalid.subarray(0, 6),
      Buffer.concat([invalid.subarray(6), valid.subarray(0, 7)]),
      Buffer.concat([valid.subarray(7), invalid]),
    ];
    assert.deepEqual(
      classify(chunks).map((line) => [line.kind, line.reason ?? ""]),
      [
        ["rejected", "not valid UTF-8"],
        ["record", ""],
        ["record", ""],
        ["rejected", "not valid UTF-8"],
      ],
    );
  });

  it("does not alias a carried line to a chunk that is reused", () => {
    const classifier = new LineClassifier({ keyPath: ["host"], maxLineBytes: 1 << 20, keptPrefixBytes: 16 });
    const chunk = Buffer.from('{"x":');
    classifier.push(chunk);
    chunk.fill(0x20);
    assert.deepEqual(lines(classifier.push(Buffer.from("1}\n"))), [{ kind: "record", text: '{"x":1}', key: null }]);
  });

  it("quarantines a line past the limit with only its start, in linear time and bounded memory", () => {
    const limit = 1 << 20;
    const classifier = new LineClassifier({ keyPath: ["host"], maxLineBytes: limit, keptPrefixBytes: 64 * 1024 });
    const chunk = Buffer.alloc(1 << 20, "x");
    const started = Date.now();
    const heapBefore = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
    // 256 MiB without a newline, then a short record.
    for (let i = 0; i < 256; i++) assert.equal(classifier.push(chunk).kinds.length, 0);
    const grown = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers - heapBefore;
    const batch = classifier.push(Buffer.from('\n{"host":"a"}\n'));
    assert.ok(Date.now() - started < 5_000, `took ${Date.now() - started} ms`);
    assert.ok(grown < 64 * 1024 * 1024, `memory grew by ${grown} bytes`);
    const [overlong, record] = lines(batch);
    assert.equal(overlong.kind, "overlong");
    assert.equal(overlong.text.length, 64 * 1024, "the start of the line is kept for the quarantine");
    assert.match(overlong.reason!, new RegExp(`line of ${256 * (1 << 20)} bytes is longer than the limit of ${limit}`));
    assert.deepEqual(record, { kind: "record", text: '{"host":"a"}', key: "a" });
  });

  it("also bounds a long line that ends the input without a newline", () => {
    const [line] = classify(["y".repeat(100), "y".repeat(100)], { maxLineBytes: 150 });
    assert.equal(line.kind, "overlong");
    assert.equal(line.text, "y".repeat(16));
    assert.match(line.reason!, /line of 200 bytes/);
  });

  it("quarantines the fragment an input was cut off in, even when it parses", () => {
    const cut = classify(['{"a":1}\n{"b":2}'], {}, "unexpected end of file");
    assert.deepEqual(cut, [
      { kind: "record", text: '{"a":1}', key: null },
      { kind: "rejected", text: '{"b":2}', reason: "input ended inside this line (unexpected end of file)" },
    ]);
  });
});
