import assert from "node:assert/strict";
import { NotificationError, parseNotification } from "../../../runtime/manifest/events";
import { s3Notification } from "./fixtures";

describe("S3 notification parsing", () => {
  it("reads bucket, decoded key, size and event time of created objects", () => {
    const body = s3Notification([{ bucket: "raw", key: "logs/my+app%C3%A9/dt=2026-11-21/hour=09/f.gz", size: 42 }]);
    assert.deepEqual(parseNotification(body), {
      kind: "objects",
      otherEvents: 0,
      invalid: [],
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
    assert.deepEqual(parseNotification(body), { kind: "objects", created: [], otherEvents: 1, invalid: [] });
  });

  it("keeps a message's good records when others in it are bad, saying what is wrong with each", () => {
    const body = JSON.parse(
      s3Notification([
        { bucket: "raw", key: "a/%E0%A4%A", size: 1 },
        { bucket: "raw", key: "a/good", size: 5 },
        { bucket: "raw", key: "a/no-size" },
      ]),
    );
    body.Records.push({ eventSource: "aws:s3" });
    const parsed = parseNotification(JSON.stringify(body));
    assert.equal(parsed.kind, "objects");
    if (parsed.kind !== "objects") return;
    assert.deepEqual(
      parsed.created.map((object) => object.key),
      ["a/good"],
    );
    assert.equal(parsed.invalid.length, 3);
    assert.match(parsed.invalid[0], /^record 0: .*not valid URL encoding/);
    assert.match(parsed.invalid[1], /^record 2: .*carries no object size/);
    assert.match(parsed.invalid[2], /^record 3: not an S3 event record/);
  });

  for (const [what, body, message] of [
    ["a body that is not JSON", "{nope", /not JSON/],
    ["JSON that is not an S3 notification", JSON.stringify({ hello: "world" }), /not an S3 event notification/],
  ] as const) {
    it(`refuses ${what} as a poison message`, () => {
      assert.throws(
        () => parseNotification(body),
        (error: Error) => error instanceof NotificationError && message.test(error.message),
      );
    });
  }
});
