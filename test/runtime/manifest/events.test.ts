import assert from "node:assert/strict";
import { NotificationError, parseNotification } from "../../../runtime/manifest/events";
import { s3Notification } from "./fixtures";

describe("S3 notification parsing", () => {
  it("reads bucket, decoded key, size and event time of created objects", () => {
    const body = s3Notification([{ bucket: "raw", key: "logs/my+app%C3%A9/dt=2026-11-21/hour=09/f.gz", size: 42 }]);
    assert.deepEqual(parseNotification(body), {
      kind: "objects",
      otherEvents: 0,
      created: [
        {
          bucket: "raw",
          key: "logs/my appé/dt=2026-11-21/hour=09/f.gz",
          size: 42,
          etag: "0123abcd",
          createdAt: "2026-11-21T09:15:00.000Z",
        },
      ],
    });
  });

  it("recognises the s3:TestEvent S3 sends when notifications are configured", () => {
    const body = JSON.stringify({
      Service: "Amazon S3",
      Event: "s3:TestEvent",
      Time: "2026-11-21T09:00:00.000Z",
      Bucket: "raw",
      RequestId: "5582815E1AEA5ADF",
      HostId: "8cLeGAmw098X5cv4Zkwcmo8vvZa3eH3eKxsPzbB9wrR+YstdA6Knx4Ip8EXAMPLE",
    });
    assert.deepEqual(parseNotification(body), { kind: "test", bucket: "raw" });
  });

  it("unwraps a notification delivered through SNS", () => {
    const inner = s3Notification([{ bucket: "raw", key: "a/dt=2026-11-21/hour=09/f.gz", size: 1 }]);
    const body = JSON.stringify({ Type: "Notification", MessageId: "m-1", Message: inner });
    const parsed = parseNotification(body);
    assert.equal(parsed.kind === "objects" && parsed.created[0].key, "a/dt=2026-11-21/hour=09/f.gz");
  });

  it("counts events other than ObjectCreated instead of recording them", () => {
    const body = s3Notification([{ bucket: "raw", key: "a/b", eventName: "ObjectRemoved:Delete" }]);
    assert.deepEqual(parseNotification(body), { kind: "objects", created: [], otherEvents: 1 });
  });

  for (const [what, body, message] of [
    ["a body that is not JSON", "{nope", /not JSON/],
    ["JSON that is not an S3 notification", JSON.stringify({ hello: "world" }), /not an S3 event notification/],
    ["a created object without size", s3Notification([{ bucket: "raw", key: "a/b" }]), /carries no object size/],
    [
      "a key with broken URL encoding",
      s3Notification([{ bucket: "raw", key: "a/%E0%A4%A", size: 1 }]),
      /not valid URL encoding/,
    ],
  ] as const) {
    it(`refuses ${what} as a poison message`, () => {
      assert.throws(
        () => parseNotification(body),
        (error: Error) => error instanceof NotificationError && message.test(error.message),
      );
    });
  }
});
