/**
 * Reads the S3 event notifications that arrive as SQS message bodies (pure). S3 writes one JSON
 * document per message; a queue subscribed through SNS gets it wrapped in an SNS envelope.
 */
import { z } from "zod";

/** An object S3 reported as created. */
export interface CreatedObject {
  bucket: string;
  /** Decoded: S3 sends keys URL-encoded with `+` for spaces. */
  key: string;
  size: number;
  etag?: string;
  /** The notification's eventTime (ISO 8601). */
  createdAt: string;
}

export type Notification =
  /** S3 sends `s3:TestEvent` once when a notification configuration is saved; there is nothing to record. */
  | { kind: "test"; bucket: string }
  | {
      kind: "objects";
      created: CreatedObject[];
      otherEvents: number;
      /** Records that cannot be read (no size, broken key encoding, wrong shape), with why; the rest still count. */
      invalid: string[];
    };

/** A message body that is not an S3 notification: retrying cannot help, so it belongs in the DLQ. */
export class NotificationError extends Error {
  override name = "NotificationError";
}

const testEvent = z.object({ Event: z.literal("s3:TestEvent"), Bucket: z.string() });

const snsEnvelope = z.object({ Type: z.literal("Notification"), Message: z.string() });

const s3Record = z.object({
  eventSource: z.literal("aws:s3"),
  eventName: z.string(),
  eventTime: z.iso.datetime({ offset: true }),
  s3: z.object({
    bucket: z.object({ name: z.string().min(1) }),
    object: z.object({
      key: z.string().min(1),
      size: z.number().int().nonnegative().optional(),
      eTag: z.string().optional(),
    }),
  }),
});

/** Each record is checked on its own, so one bad record does not cost the others. */
const s3Event = z.object({ Records: z.array(z.unknown()) });

export function parseNotification(body: string): Notification {
  const document = parseJson(body);
  const envelope = snsEnvelope.safeParse(document);
  return envelope.success ? parseS3Document(parseJson(envelope.data.Message)) : parseS3Document(document);
}

function parseS3Document(document: unknown): Notification {
  const test = testEvent.safeParse(document);
  if (test.success) return { kind: "test", bucket: test.data.Bucket };
  const event = s3Event.safeParse(document);
  if (!event.success) {
    throw new NotificationError(`not an S3 event notification: ${z.prettifyError(event.error)}`);
  }
  const created: CreatedObject[] = [];
  const invalid: string[] = [];
  let otherEvents = 0;
  event.data.Records.forEach((raw, index) => {
    const parsed = s3Record.safeParse(raw);
    if (!parsed.success) {
      invalid.push(`record ${index}: not an S3 event record: ${z.prettifyError(parsed.error)}`);
      return;
    }
    const record = parsed.data;
    if (!record.eventName.startsWith("ObjectCreated:")) {
      otherEvents++;
      return;
    }
    const { bucket, object } = record.s3;
    if (object.size === undefined) {
      invalid.push(`record ${index}: ${record.eventName} for s3://${bucket.name}/${object.key} carries no object size`);
      return;
    }
    let key: string;
    try {
      key = decodeKey(object.key);
    } catch (error) {
      invalid.push(`record ${index}: ${(error as Error).message}`);
      return;
    }
    created.push({
      bucket: bucket.name,
      key,
      size: object.size,
      etag: object.eTag,
      createdAt: new Date(record.eventTime).toISOString(),
    });
  });
  return { kind: "objects", created, otherEvents, invalid };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new NotificationError(`message body is not JSON: ${(error as Error).message}`);
  }
}

/** S3 encodes keys in notifications like an HTML form: `%XX` escapes and `+` for a space. */
export function decodeKey(encoded: string): string {
  try {
    return decodeURIComponent(encoded.replace(/\+/g, "%20"));
  } catch {
    throw new NotificationError(`object key ${encoded} is not valid URL encoding`);
  }
}
