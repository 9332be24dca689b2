// Pure core of the lake writer: where each record lands in S3. No I/O here.
import { isUtf8 } from "node:buffer";
import { scanObjectValue } from "../ship/json-scan";

/** A consumed record as the lake writer keeps it until its batch is written. */
export interface SinkRecord {
  offset: number;
  value: Buffer;
  /** Kafka timestamp (ms since epoch): the event time when the record carries none. */
  timestamp: number;
}

/** Prefix for records that are not JSON objects, so the raw tables stay parseable. */
export const invalidArea = "_invalid";

// Offsets are int64: 19 digits keeps keys of one partition in offset order when listed.
const offsetDigits = 19;
// Numbers below this are epoch seconds (this many ms is 1973; this many s is year 5138).
const secondsBelow = 1e11;

/**
 * Event time of a record: the time field (ISO-8601 string, or epoch seconds/milliseconds) when it
 * parses, otherwise the Kafka timestamp.
 */
export function eventTimeMs(
  record: Record<string, unknown>,
  timePath: readonly string[],
  kafkaTimestamp: number,
): number {
  let value: unknown = record;
  for (const part of timePath) {
    if (value === null || typeof value !== "object") return kafkaTimestamp;
    value = (value as Record<string, unknown>)[part];
  }
  return timeValueMs(value, kafkaTimestamp);
}

/** The event time a time field's value gives, else the Kafka timestamp. */
function timeValueMs(value: unknown, kafkaTimestamp: number): number {
  let ms = Number.NaN;
  if (typeof value === "string") ms = Date.parse(value);
  else if (typeof value === "number") ms = value < secondsBelow ? value * 1000 : value;
  return Number.isFinite(ms) && ms >= 0 && ms < 253402300800000 ? ms : kafkaTimestamp;
}

const msPerHour = 3_600_000;

/** `dt=YYYY-MM-DD/hour=HH` in UTC. */
export function hourPartition(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `dt=${iso.slice(0, 10)}/hour=${iso.slice(11, 13)}`;
}

export interface ObjectKeyParts {
  prefix: string;
  /** The topic, or `_invalid/<topic>` for records that are not JSON objects. */
  area: string;
  hour: string;
  topic: string;
  partition: number;
  firstOffset: number;
  lastOffset: number;
}

export function objectKey(parts: ObjectKeyParts): string {
  const file = `${parts.topic}+${parts.partition}+${pad(parts.firstOffset)}+${pad(parts.lastOffset)}.ndjson.gz`;
  return [parts.prefix, parts.area, parts.hour, file].filter((part) => part !== "").join("/");
}

const objectFilePattern = /^(.+)\+(\d+)\+(\d{19})\+(\d{19})\.ndjson\.gz$/;

/** Topic, partition and offsets of an object key written by `objectKey`, or undefined. */
export function parseObjectKey(
  key: string,
): { topic: string; partition: number; firstOffset: number; lastOffset: number } | undefined {
  const match = objectFilePattern.exec(key.slice(key.lastIndexOf("/") + 1));
  if (!match) return undefined;
  return { topic: match[1], partition: Number(match[2]), firstOffset: Number(match[3]), lastOffset: Number(match[4]) };
}

function pad(offset: number): string {
  return String(offset).padStart(offsetDigits, "0");
}

/** One S3 object to write: the NDJSON lines of one partition's batch that fall in one hour. */
export interface PlannedObject {
  key: string;
  lines: Buffer[];
  firstOffset: number;
  lastOffset: number;
}

export interface LayoutOptions {
  prefix: string;
  topic: string;
  partition: number;
  timePath: readonly string[];
}

/**
 * Splits a batch (records of one partition in offset order) into objects, one per hour and area.
 * The result depends only on the records, so writing the same batch again yields the same keys
 * and bodies.
 */
export function planObjects(records: readonly SinkRecord[], options: LayoutOptions): PlannedObject[] {
  const encodedTimePath = options.timePath.map((part) => Buffer.from(part));
  // A batch spans a few hours: format each once, not once per record.
  const hourNames = new Map<number, string>();
  const hourOf = (ms: number) => {
    const hour = Math.floor(ms / msPerHour);
    let name = hourNames.get(hour);
    if (name === undefined) hourNames.set(hour, (name = hourPartition(ms)));
    return name;
  };
  const groups = new Map<
    string,
    { area: string; hour: string; lines: Buffer[]; firstOffset: number; lastOffset: number }
  >();
  for (const record of records) {
    const { area, hour, line } = placeRecord(record, options, encodedTimePath, hourOf);
    const groupKey = `${area}/${hour}`;
    const group = groups.get(groupKey);
    if (group) {
      group.lines.push(line);
      group.lastOffset = record.offset;
    } else {
      groups.set(groupKey, { area, hour, lines: [line], firstOffset: record.offset, lastOffset: record.offset });
    }
  }
  return [...groups.values()].map((group) => ({
    key: objectKey({ prefix: options.prefix, topic: options.topic, partition: options.partition, ...group }),
    lines: group.lines,
    firstOffset: group.firstOffset,
    lastOffset: group.lastOffset,
  }));
}

function placeRecord(
  record: SinkRecord,
  options: LayoutOptions,
  encodedTimePath: readonly Buffer[],
  hourOf: (ms: number) => string,
): { area: string; hour: string; line: Buffer } {
  // The common case, a one-line JSON object in valid UTF-8 that has the time field: the shipper's
  // syntax scan confirms it is an object and only the time field is parsed, instead of building
  // every field of every record (most of the writer's CPU). Anything else takes JSON.parse below,
  // which decides as before.
  if (!record.value.includes(0x0a) && isUtf8(record.value)) {
    const time = scanObjectValue(record.value, encodedTimePath);
    if (time !== false && time !== null) {
      const ms = timeValueMs(JSON.parse(time), record.timestamp);
      return { area: options.topic, hour: hourOf(ms), line: record.value };
    }
  }
  const parsed = parseObject(record.value);
  if (!parsed) {
    // Kept losslessly (any bytes) with its coordinates, so nothing is dropped and it can be replayed.
    const line = Buffer.from(
      JSON.stringify({
        topic: options.topic,
        partition: options.partition,
        offset: record.offset,
        kafka_timestamp: record.timestamp,
        value_base64: record.value.toString("base64"),
      }),
    );
    return { area: `${invalidArea}/${options.topic}`, hour: hourOf(record.timestamp), line };
  }
  // A pretty-printed object would span several lines of the NDJSON file.
  const line = record.value.includes(0x0a) ? Buffer.from(JSON.stringify(parsed)) : record.value;
  return { area: options.topic, hour: hourOf(eventTimeMs(parsed, options.timePath, record.timestamp)), line };
}

function parseObject(value: Buffer): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(value.toString("utf8"));
    return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
