import { createWriteStream, type WriteStream } from "node:fs";
import { isUtf8 } from "node:buffer";
import { once } from "node:events";

/** A line that was not shipped, with where it came from and why. */
export interface QuarantinedLine {
  source: string;
  line: number;
  reason: string;
  /** The line as text; bytes that are not valid UTF-8 show as U+FFFD. */
  raw: string;
  /** The line's exact bytes, base64, when `raw` cannot reproduce them (the line is not valid UTF-8). */
  rawBase64?: string;
  /** Only the start of the line is in `raw` (oversized lines sent to a quarantine topic). */
  rawTruncated?: boolean;
}

/** `raw` (and `rawBase64` when needed) for a quarantine entry, so the line's bytes can be recovered. */
export function rawFields(line: Buffer): Pick<QuarantinedLine, "raw" | "rawBase64"> {
  const raw = line.toString("utf8");
  return isUtf8(line) ? { raw } : { raw, rawBase64: line.toString("base64") };
}

/** Where rejected lines go: appended to a local NDJSON file, or produced to a Kafka topic. */
export type QuarantineTarget = { kind: "file"; path: string } | { kind: "topic"; topic: string };

export function quarantineEntry(entry: QuarantinedLine): string {
  return JSON.stringify(entry);
}

/** Appends quarantine entries to a file, one JSON object per line. */
export class QuarantineFile {
  private stream?: WriteStream;

  constructor(private readonly path: string) {}

  async write(entry: QuarantinedLine): Promise<void> {
    // Opened on first use so a clean run leaves no empty file behind.
    this.stream ??= createWriteStream(this.path, { flags: "a" });
    if (!this.stream.write(quarantineEntry(entry) + "\n")) await once(this.stream, "drain");
  }

  async close(): Promise<void> {
    if (!this.stream) return;
    const stream = this.stream;
    stream.end();
    await once(stream, "finish");
  }
}
