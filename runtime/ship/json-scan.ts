// A JSON syntax check (RFC 8259) that builds nothing: it walks the bytes of a line once, confirms the
// line is exactly one JSON object, and picks out the key field's value. `JSON.parse` does the same
// check but materialises every field of every record, which was most of the shipper's CPU time.
// Callers fall back to `JSON.parse` whenever this says no (see lines.ts), so a line this wrongly
// refused would still be shipped; a differential test holds it to `JSON.parse`'s verdicts.

const enum Byte {
  tab = 0x09,
  newline = 0x0a,
  carriageReturn = 0x0d,
  space = 0x20,
  quote = 0x22,
  plus = 0x2b,
  comma = 0x2c,
  minus = 0x2d,
  dot = 0x2e,
  slash = 0x2f,
  zero = 0x30,
  nine = 0x39,
  colon = 0x3a,
  upperE = 0x45,
  openBracket = 0x5b,
  backslash = 0x5c,
  closeBracket = 0x5d,
  lowerE = 0x65,
  openBrace = 0x7b,
  closeBrace = 0x7d,
}

/**
 * Checks that `line` (valid UTF-8, checked by the caller) is one JSON object surrounded by optional
 * whitespace, and reads the scalar at `keyPath` (encoded member names) like `fieldValue` does:
 * strings (non-empty), numbers and booleans make keys; the last duplicate member wins.
 * Returns that key (or null when there is none), or false when the line is not one JSON object.
 */
export function scanObject(line: Buffer, keyPath: readonly Buffer[]): string | null | false {
  return scan(line, keyPath) && scanner.key();
}

/**
 * `scanObject` for callers that need the value's type: the JSON text of the value at `keyPath`
 * (whatever it is), null when there is none, or false when the line is not one JSON object.
 */
export function scanObjectValue(line: Buffer, keyPath: readonly Buffer[]): string | null | false {
  return scan(line, keyPath) && scanner.rawValue();
}

function scan(line: Buffer, keyPath: readonly Buffer[]): boolean {
  scanner.reset(line, keyPath);
  try {
    scanner.skipWhitespace();
    if (line[scanner.at] !== Byte.openBrace) return false;
    if (!scanner.object(0)) return false;
    scanner.skipWhitespace();
    return scanner.at === line.length;
  } catch (error) {
    // Nesting deeper than the stack: let JSON.parse (which does not recurse) decide.
    if (error instanceof RangeError) return false;
    throw error;
  }
}

class Scanner {
  at = 0;
  private keyStart = -1;
  private keyEnd = -1;
  private keyEscaped = false;
  private lastStringEscaped = false;

  private bytes: Buffer = Buffer.alloc(0);
  private keyPath: readonly Buffer[] = [];

  reset(bytes: Buffer, keyPath: readonly Buffer[]): void {
    this.bytes = bytes;
    this.keyPath = keyPath;
    this.at = 0;
    this.keyStart = -1;
    this.keyEnd = -1;
    this.keyEscaped = false;
    this.lastStringEscaped = false;
  }

  skipWhitespace(): void {
    const bytes = this.bytes;
    let at = this.at;
    // Compact NDJSON has no whitespace between tokens: one comparison settles it.
    if (bytes[at] > Byte.space) return;
    for (;;) {
      const byte = bytes[at];
      if (byte === Byte.space || byte === Byte.tab || byte === Byte.newline || byte === Byte.carriageReturn) at++;
      else break;
    }
    this.at = at;
  }

  /**
   * An object starting at `at` (which is `{`). `depth` is how many members of the key path the
   * enclosing members matched, or -1 when they did not.
   */
  object(depth: number): boolean {
    const bytes = this.bytes;
    this.at++;
    this.skipWhitespace();
    if (bytes[this.at] === Byte.closeBrace) {
      this.at++;
      return true;
    }
    for (;;) {
      if (bytes[this.at] !== Byte.quote) return false;
      const nameStart = this.at + 1;
      const escaped = this.string();
      if (escaped === undefined) return false;
      const matched = depth >= 0 && depth < this.keyPath.length && this.nameIs(nameStart, this.at - 1, escaped, depth);
      this.skipWhitespace();
      if (bytes[this.at] !== Byte.colon) return false;
      this.at++;
      this.skipWhitespace();
      if (matched) {
        // A later duplicate replaces whatever an earlier one held.
        this.keyStart = -1;
        if (depth === this.keyPath.length - 1) {
          const valueStart = this.at;
          if (!this.value(-1)) return false;
          this.keyStart = valueStart;
          this.keyEnd = this.at;
          this.keyEscaped = bytes[valueStart] === Byte.quote && this.lastStringEscaped;
        } else if (!this.value(depth + 1)) {
          return false;
        }
      } else if (!this.value(-1)) {
        return false;
      }
      this.skipWhitespace();
      const next = bytes[this.at++];
      if (next === Byte.closeBrace) return true;
      if (next !== Byte.comma) return false;
      this.skipWhitespace();
    }
  }

  private array(): boolean {
    const bytes = this.bytes;
    this.at++;
    this.skipWhitespace();
    if (bytes[this.at] === Byte.closeBracket) {
      this.at++;
      return true;
    }
    for (;;) {
      if (!this.value(-1)) return false;
      this.skipWhitespace();
      const next = bytes[this.at++];
      if (next === Byte.closeBracket) return true;
      if (next !== Byte.comma) return false;
      this.skipWhitespace();
    }
  }

  /** Any value at `at`; `depth` as for `object` (only objects can hold the rest of the key path). */
  private value(depth: number): boolean {
    const byte = this.bytes[this.at];
    if (byte === Byte.quote) return this.string() !== undefined;
    if (byte === Byte.openBrace) return this.object(depth);
    if (byte === Byte.openBracket) return this.array();
    if (byte === Byte.minus || (byte >= Byte.zero && byte <= Byte.nine)) return this.number();
    if (byte === 0x74 /* t */) return this.literal(trueBytes);
    if (byte === 0x66 /* f */) return this.literal(falseBytes);
    if (byte === 0x6e /* n */) return this.literal(nullBytes);
    return false;
  }

  /** A string at `at` (which is `"`). Returns whether it had escapes, or undefined if malformed. */
  private string(): boolean | undefined {
    const bytes = this.bytes;
    let at = this.at + 1;
    let escaped = false;
    for (;;) {
      // Most bytes are plain characters: one table lookup each.
      while (plainInString[bytes[at]] === 1) at++;
      const byte = bytes[at];
      if (byte === Byte.quote) break;
      if (byte === Byte.backslash) {
        escaped = true;
        const escape = bytes[at + 1];
        if (escape === 0x75 /* u */) {
          if (!(isHex(bytes[at + 2]) && isHex(bytes[at + 3]) && isHex(bytes[at + 4]) && isHex(bytes[at + 5])))
            return undefined;
          at += 6;
          continue;
        }
        if (!simpleEscapes[escape]) return undefined;
        at += 2;
        continue;
      }
      // A control character, or the end of the line.
      return undefined;
    }
    this.at = at + 1;
    this.lastStringEscaped = escaped;
    return escaped;
  }

  private number(): boolean {
    const bytes = this.bytes;
    let at = this.at;
    if (bytes[at] === Byte.minus) at++;
    if (bytes[at] === Byte.zero) {
      at++;
    } else if (bytes[at] >= 0x31 && bytes[at] <= Byte.nine) {
      while (isDigit(bytes[at])) at++;
    } else {
      return false;
    }
    if (bytes[at] === Byte.dot) {
      at++;
      if (!isDigit(bytes[at])) return false;
      while (isDigit(bytes[at])) at++;
    }
    if (bytes[at] === Byte.lowerE || bytes[at] === Byte.upperE) {
      at++;
      if (bytes[at] === Byte.plus || bytes[at] === Byte.minus) at++;
      if (!isDigit(bytes[at])) return false;
      while (isDigit(bytes[at])) at++;
    }
    this.at = at;
    return true;
  }

  private literal(expected: Buffer): boolean {
    const bytes = this.bytes;
    for (let i = 0; i < expected.length; i++) if (bytes[this.at + i] !== expected[i]) return false;
    this.at += expected.length;
    return true;
  }

  private nameIs(start: number, end: number, escaped: boolean, depth: number): boolean {
    const wanted = this.keyPath[depth];
    if (escaped) return JSON.parse(this.bytes.toString("utf8", start - 1, end + 1)) === wanted.toString();
    if (end - start !== wanted.length) return false;
    for (let i = 0; i < wanted.length; i++) if (this.bytes[start + i] !== wanted[i]) return false;
    return true;
  }

  /** The captured value's JSON text. */
  rawValue(): string | null {
    return this.keyStart < 0 ? null : this.bytes.toString("utf8", this.keyStart, this.keyEnd);
  }

  /** The captured key value, as `fieldValue` would give it. */
  key(): string | null {
    if (this.keyStart < 0) return null;
    const bytes = this.bytes;
    const first = bytes[this.keyStart];
    if (first === Byte.quote) {
      const text = this.keyEscaped
        ? (JSON.parse(bytes.toString("utf8", this.keyStart, this.keyEnd)) as string)
        : bytes.toString("utf8", this.keyStart + 1, this.keyEnd - 1);
      return text === "" ? null : text;
    }
    if (first === 0x74 /* t */) return "true";
    if (first === 0x66 /* f */) return "false";
    if (first === Byte.minus || (first >= Byte.zero && first <= Byte.nine))
      return String(Number(bytes.toString("latin1", this.keyStart, this.keyEnd)));
    return null;
  }
}

/** One scanner, reset per line: scanning allocates nothing but the key string. */
const scanner = new Scanner();

const trueBytes = Buffer.from("true");
const falseBytes = Buffer.from("false");
const nullBytes = Buffer.from("null");

/** 1 for the bytes a string holds as they are: not `"`, `\\` or a control character. */
const plainInString = new Uint8Array(256);
for (let byte = Byte.space; byte < 256; byte++)
  plainInString[byte] = byte === Byte.quote || byte === Byte.backslash ? 0 : 1;

/** `\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`. */
const simpleEscapes: boolean[] = [];
for (const escape of '"\\/bfnrt') simpleEscapes[escape.charCodeAt(0)] = true;

function isDigit(byte: number): boolean {
  return byte >= Byte.zero && byte <= Byte.nine;
}

function isHex(byte: number): boolean {
  return (byte >= Byte.zero && byte <= Byte.nine) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66);
}
