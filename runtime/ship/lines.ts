// Pure core of the shipper: checking a line is a JSON object and choosing the Kafka key. No I/O
// here; classify.ts cuts inputs into lines.
import { isUtf8 } from "node:buffer";
import { scanObject } from "./json-scan";

const byteOrderMark = Buffer.from([0xef, 0xbb, 0xbf]);

/** A file's first line without the UTF-8 byte order mark some editors and Windows tools write. */
export function stripByteOrderMark(line: Buffer): Buffer {
  return line.subarray(0, 3).equals(byteOrderMark) ? line.subarray(3) : line;
}

export type LineVerdict =
  { kind: "record"; record: Record<string, unknown> } | { kind: "blank" } | { kind: "rejected"; reason: string };

const openBrace = 0x7b;

/**
 * Blank lines are skipped (common at file ends); anything else must be one JSON object in valid
 * UTF-8. A line whose first non-blank byte is `{` and that parses is an object, so the common case
 * costs one UTF-8 check and one `JSON.parse`; only refused lines pay for saying why.
 */
export function classifyLine(line: Buffer | string): LineVerdict {
  const bytes = typeof line === "string" ? Buffer.from(line) : line;
  const first = firstNonBlank(bytes);
  if (first === -1) return { kind: "blank" };
  // JSON.parse would accept the U+FFFD a lenient decode puts in place of invalid bytes.
  if (!isUtf8(bytes)) return { kind: "rejected", reason: "not valid UTF-8" };
  const text = bytes.toString("utf8");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { kind: "rejected", reason: `not JSON: ${(error as Error).message}` };
  }
  if (bytes[first] === openBrace) return { kind: "record", record: value as Record<string, unknown> };
  return {
    kind: "rejected",
    reason: `JSON ${value === null ? "null" : Array.isArray(value) ? "array" : typeof value}, not an object`,
  };
}

/** A line's verdict with the record's key instead of the record (what the shipper needs). */
export type KeyedVerdict =
  { kind: "record"; key: string | null } | { kind: "blank" } | { kind: "rejected"; reason: string };

/**
 * `classifyLine` for the shipper: the same verdicts, plus the key field's value (or null), found
 * by a syntax check that builds no objects (json-scan.ts). Whatever the check refuses goes through
 * `JSON.parse`, which has the last word, so the check can only cost time, never ship a bad line.
 */
export function classifyKeyed(
  line: Buffer,
  keyPath: readonly string[],
  encodedKeyPath: readonly Buffer[],
  /** The caller checked a buffer this line is cut from, at newlines. */
  knownUtf8 = false,
): KeyedVerdict {
  if (firstNonBlank(line) === -1) return { kind: "blank" };
  if (!knownUtf8 && !isUtf8(line)) return { kind: "rejected", reason: "not valid UTF-8" };
  const key = scanObject(line, encodedKeyPath);
  if (key !== false) return { kind: "record", key };
  const verdict = classifyLine(line);
  if (verdict.kind === "record") return { kind: "record", key: fieldValue(verdict.record, keyPath) ?? null };
  return verdict;
}

/** Index of the first byte that is not ASCII whitespace, or -1 when there is none. */
function firstNonBlank(line: Buffer): number {
  for (let i = 0; i < line.length; i++) {
    const byte = line[i];
    // space, \t, \n, \v, \f, \r
    if (byte !== 0x20 && (byte < 0x09 || byte > 0x0d)) return i;
  }
  return -1;
}

/**
 * Reads a dotted path (`host.name`) from a record. Only scalars make keys: an object or array
 * would make an unstable key, so those count as missing.
 */
export function fieldValue(record: Record<string, unknown>, path: readonly string[]): string | undefined {
  let value: unknown = record;
  for (const part of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  if (typeof value === "string") return value === "" ? undefined : value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined;
}

/** The Kafka key: the key field's value, else the input's name so every input stays ordered. */
export function recordKey(record: Record<string, unknown>, keyPath: readonly string[], sourceName: string): string {
  return fieldValue(record, keyPath) ?? sourceName;
}

export function parseFieldPath(field: string): string[] {
  const parts = field.split(".");
  if (parts.some((part) => part === "")) throw new Error(`field path ${JSON.stringify(field)} has an empty segment`);
  return parts;
}
