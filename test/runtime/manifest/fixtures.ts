/** Test data shared by the manifest builder tests. */

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
