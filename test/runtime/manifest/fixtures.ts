/** Test data shared by the manifest builder tests. */
import type { ScheduledEvent, SQSRecord } from "aws-lambda";

/** The body S3 puts on a queue for the given objects (the shape of a real notification). */
export function s3Notification(
  objects: { bucket: string; key: string; size?: number; eventName?: string; eventTime?: string }[],
): string {
  return JSON.stringify({
    Records: objects.map((object) => ({
      eventVersion: "2.1",
      eventSource: "aws:s3",
      awsRegion: "eu-west-1",
      eventTime: object.eventTime ?? "2026-11-21T09:15:00.000Z",
      eventName: object.eventName ?? "ObjectCreated:Put",
      s3: {
        s3SchemaVersion: "1.0",
        configurationId: "raw-created",
        bucket: { name: object.bucket, arn: `arn:aws:s3:::${object.bucket}` },
        object: { key: object.key, size: object.size, eTag: "0123abcd", sequencer: "0061A2B3C4" },
      },
    })),
  });
}

/** An SQS message as Lambda's event source mapping hands it to the function. */
export function sqsRecord(messageId: string, body: string): SQSRecord {
  return {
    messageId,
    receiptHandle: `receipt-${messageId}`,
    body,
    attributes: {
      ApproximateReceiveCount: "1",
      SentTimestamp: "1763716500000",
      SenderId: "AIDAEXAMPLE",
      ApproximateFirstReceiveTimestamp: "1763716500000",
    },
    messageAttributes: {},
    md5OfBody: "",
    eventSource: "aws:sqs",
    eventSourceARN: "arn:aws:sqs:eu-west-1:123456789012:loglake-raw-created",
    awsRegion: "eu-west-1",
  };
}

/** The event an hourly EventBridge schedule invokes the function with. */
export function scheduledEvent(time: Date): ScheduledEvent {
  return {
    id: "c1b2a3d4-0000-4000-8000-000000000000",
    version: "0",
    account: "123456789012",
    time: time.toISOString(),
    region: "eu-west-1",
    resources: ["arn:aws:events:eu-west-1:123456789012:rule/loglake-manifest-flush"],
    source: "aws.events",
    "detail-type": "Scheduled Event",
    detail: {},
  };
}
