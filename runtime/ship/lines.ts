// Pure core of the shipper: splitting a byte stream into lines, checking each is a JSON object,
// and choosing the Kafka key. No I/O here.

const newline = 0x0a;
const carriageReturn = 0x0d;

/**
 * Cuts a stream of chunks into lines. Lines are views into the chunks (no copy) except the one line
 * per chunk that straddles a chunk boundary.
 */
export class LineSplitter {
  private carry: Buffer | undefined;

  push(chunk: Buffer): Buffer[] {
    const lines: Buffer[] = [];
    let start = 0;
    let end = chunk.indexOf(newline);
    if (end !== -1 && this.carry) {
      lines.push(stripCarriageReturn(Buffer.concat([this.carry, chunk.subarray(0, end)])));
      this.carry = undefined;
      start = end + 1;
      end = chunk.indexOf(newline, start);
    }
    while (end !== -1) {
      lines.push(stripCarriageReturn(chunk.subarray(start, end)));
      start = end + 1;
      end = chunk.indexOf(newline, start);
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      this.carry = this.carry ? Buffer.concat([this.carry, rest]) : Buffer.from(rest);
    }
    return lines;
  }

  /** The last line when the input does not end with a newline. */
  end(): Buffer[] {
    const last = this.carry;
    this.carry = undefined;
    return last ? [stripCarriageReturn(last)] : [];
  }
}

function stripCarriageReturn(line: Buffer): Buffer {
  return line.length > 0 && line[line.length - 1] === carriageReturn ? line.subarray(0, line.length - 1) : line;
}

export type LineVerdict =
  { kind: "record"; record: Record<string, unknown> } | { kind: "blank" } | { kind: "rejected"; reason: string };

/** Blank lines are skipped (common at file ends); anything else must be one JSON object. */
export function classifyLine(line: Buffer | string): LineVerdict {
  const text = typeof line === "string" ? line : line.toString("utf8");
  if (text.trim() === "") return { kind: "blank" };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { kind: "rejected", reason: `not JSON: ${(error as Error).message}` };
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return {
      kind: "rejected",
      reason: `JSON ${value === null ? "null" : Array.isArray(value) ? "array" : typeof value}, not an object`,
    };
  }
  return { kind: "record", record: value as Record<string, unknown> };
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
