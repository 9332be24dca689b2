import assert from "node:assert/strict";
import { scanObject } from "../../../runtime/ship/json-scan";
import { fieldValue } from "../../../runtime/ship/lines";

/** What JSON.parse and fieldValue say about a line: the reference the scanner must match. */
function reference(text: string, keyPath: string[]): { ok: boolean; key: string | null } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, key: null };
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return { ok: false, key: null };
  return { ok: true, key: fieldValue(value as Record<string, unknown>, keyPath) ?? null };
}

function scan(text: string, keyPath: string[] = ["host"]): { ok: boolean; key: string | null } {
  const key = scanObject(
    Buffer.from(text),
    keyPath.map((name) => Buffer.from(name)),
  );
  return key === false ? { ok: false, key: null } : { ok: true, key };
}

/** Deterministic pseudo-random numbers (mulberry32). */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("JSON object scan", () => {
  it("accepts objects JSON.parse accepts and reads the key like fieldValue", () => {
    for (const text of [
      "{}",
      ' \t{ "host" : "web-1" }\r',
      '{"host":"w\\u00e9b\\n1","x":[1,-2.5e+3,0,true,false,null,{"a":[]}]}',
      '{"host":42.50}',
      '{"host":-0}',
      '{"host":1e400}',
      '{"host":true}',
      '{"host":null}',
      '{"host":""}',
      '{"host":{"name":"a"}}',
      '{"host":"a","host":"b"}',
      '{"ho\\u0073t":"escaped name"}',
      '{"host":"café ☕"}',
      '{"s":"\\"\\\\\\/\\b\\f\\n\\r\\t"}',
    ]) {
      assert.deepEqual(scan(text), reference(text, ["host"]), text);
    }
  });

  it("follows a dotted key path, the last duplicate winning at every level", () => {
    for (const text of [
      '{"host":{"name":"a"}}',
      '{"host":{"name":"a"},"host":{"x":1}}',
      '{"host":{"name":"a"},"host":5}',
      '{"host":{"name":"a","name":"b"}}',
      '{"other":{"name":"a"}}',
      '{"host":[{"name":"a"}]}',
      '{"host":{"inner":{"name":"deep"}},"name":"top"}',
    ]) {
      assert.deepEqual(scan(text, ["host", "name"]), reference(text, ["host", "name"]), text);
    }
  });

  it("refuses everything JSON.parse refuses, and JSON that is not an object", () => {
    for (const text of [
      "",
      "[]",
      '"text"',
      "42",
      "null",
      "{",
      "}",
      '{"a":1',
      '{"a":1,}',
      '{"a" 1}',
      "{a:1}",
      "{'a':1}",
      '{"a":01}',
      '{"a":1.}',
      '{"a":.5}',
      '{"a":1e}',
      '{"a":+1}',
      '{"a":-}',
      '{"a":tru}',
      '{"a":nul}',
      '{"a":"\\x"}',
      '{"a":"\\u12G4"}',
      '{"a":"tab\there"}',
      '{"a":1} {"b":2}',
      '{"a":1}x',
      '{"a":[1,]}',
      '{"a":[1 2]}',
      '{"a":NaN}',
      '{"a":Infinity}',
      '{"a":1}\u00a0',
      '\u00a0{"a":1}',
    ]) {
      assert.equal(scan(text).ok, false, JSON.stringify(text));
      assert.equal(reference(text, ["host"]).ok, false, `reference disagrees on ${JSON.stringify(text)}`);
    }
  });

  it("agrees with JSON.parse on 100,000 mutated log lines", () => {
    const next = random(7);
    const alphabet = '{}[]":,.-+eE0123456789 \\/tfnrux"abc\t';
    const seeds = [
      '{"timestamp":"2026-11-21T10:00:00.000Z","host":"web-1","http":{"status":200,"path":"/a?b=1"},"tags":["x",1.5e3,-0.25,true,null],"msg":"ok \\"quoted\\" \\u00e9"}',
      '{"host":{"name":"db-2"},"n":0,"e":[],"o":{}}',
    ];
    let accepted = 0;
    for (let i = 0; i < 100_000; i++) {
      let text = seeds[i % seeds.length];
      const mutations = 1 + Math.floor(next() * 3);
      for (let m = 0; m < mutations; m++) {
        const at = Math.floor(next() * (text.length + 1));
        const choice = next();
        const char = alphabet[Math.floor(next() * alphabet.length)];
        if (choice < 0.4) text = text.slice(0, at) + text.slice(at + 1);
        else if (choice < 0.7) text = text.slice(0, at) + char + text.slice(at);
        else text = text.slice(0, at) + char + text.slice(at + 1);
      }
      const keyPath = i % 3 === 0 ? ["host", "name"] : ["host"];
      const expected = reference(text, keyPath);
      assert.deepEqual(scan(text, keyPath), expected, JSON.stringify(text));
      if (expected.ok) accepted++;
    }
    assert.ok(accepted > 1_000, `only ${accepted} mutants were valid JSON: the test would prove little`);
  });

  it("leaves nesting deeper than the stack to JSON.parse", () => {
    const deep = '{"a":' + "[".repeat(200_000) + "]".repeat(200_000) + "}";
    assert.equal(scan(deep).ok, false);
  });
});
