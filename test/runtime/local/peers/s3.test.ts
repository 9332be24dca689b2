import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { startS3, type LocalS3 } from "../../../../runtime/local/peers/s3";
import { decodeKey } from "../../../../runtime/manifest/events";

describe("local S3 peer (s3rver)", () => {
  let s3: LocalS3;
  let client: S3Client;
  const notifications: unknown[] = [];

  before(async () => {
    s3 = await startS3();
    s3.onNotification!((notification) => notifications.push(notification));
    await s3.createBucket("lake");
    client = s3.client();
  });

  after(async () => {
    await s3.stop();
  });

  /** A stream body of known length: the SDK sends it `aws-chunked`, as S3A's SDK does over HTTP. */
  async function putStreamed(key: string, body: string): Promise<void> {
    await client.send(
      new PutObjectCommand({
        Bucket: "lake",
        Key: key,
        Body: Readable.from([Buffer.from(body)]),
        ContentLength: Buffer.byteLength(body),
      }),
    );
  }

  it("stores the bytes of an aws-chunked upload, not its chunk framing", async () => {
    const body = "line one\nline two\n".repeat(5000);
    await putStreamed("chunked/object.ndjson", body);
    const got = await client.send(new GetObjectCommand({ Bucket: "lake", Key: "chunked/object.ndjson" }));
    assert.equal(await got.Body!.transformToString(), body);
    assert.notEqual(got.ContentEncoding, "aws-chunked");
  });

  it("stores an empty aws-chunked upload as an empty object (S3A's folder markers)", async () => {
    await putStreamed("chunked/folder/", "");
    const head = await client.send(new HeadObjectCommand({ Bucket: "lake", Key: "chunked/folder/" }));
    assert.equal(head.ContentLength, 0);
    assert.equal(head.ETag, '"d41d8cd98f00b204e9800998ecf8427e"');
  });

  it("announces a created object with its key URL-encoded as S3 does", async () => {
    const key = "raw/topic/dt=2026-11-20/hour=22/topic+0+1 2.ndjson.gz";
    notifications.length = 0;
    await client.send(new PutObjectCommand({ Bucket: "lake", Key: key, Body: "x\n" }));
    const [notification] = notifications as { Records: { eventName: string; s3: { object: { key: string } } }[] }[];
    const [record] = notification.Records;
    assert.equal(record.eventName, "ObjectCreated:Put");
    assert.equal(record.s3.object.key, "raw/topic/dt%3D2026-11-20/hour%3D22/topic%2B0%2B1+2.ndjson.gz");
    assert.equal(decodeKey(record.s3.object.key), key);
  });
});
