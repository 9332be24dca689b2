/** Moving outliers and writing manifests against s3rver. */
import assert from "node:assert/strict";
import { GetObjectTaggingCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { LakeObjects } from "../../../runtime/manifest/objects";
import { startS3, type LocalS3 } from "../../../runtime/local/peers/s3";

const reason = {
  code: "too-large" as const,
  detail: "size 2000 bytes is above maximum 1500: expected 1000 bytes (tolerance 0.5)",
};
let peer: LocalS3;
let s3: S3Client;

before(async () => {
  peer = await startS3();
  for (const bucket of ["raw", "quarantine", "manifests"]) await peer.createBucket(bucket);
  s3 = peer.client();
});

after(async () => {
  await peer?.stop();
});

const exists = (Bucket: string, Key: string) =>
  s3.send(new HeadObjectCommand({ Bucket, Key })).then(
    () => true,
    (error: Error) => (error.name === "NotFound" ? false : Promise.reject(error)),
  );

const tags = async (Bucket: string, Key: string) =>
  Object.fromEntries(
    ((await s3.send(new GetObjectTaggingCommand({ Bucket, Key }))).TagSet ?? []).map((t) => [t.Key, t.Value]),
  );

describe("lake objects (s3rver)", () => {
  it("moves an outlier to <quarantine>/<bucket>/<key> with its reason as tags", async () => {
    const objects = new LakeObjects(s3, { quarantineBucket: "quarantine", manifestBucket: "manifests" });
    const key = "logs/app/dt=2026-11-21/hour=09/big.ndjson.gz";
    await s3.send(new PutObjectCommand({ Bucket: "raw", Key: key, Body: Buffer.alloc(2000) }));
    const location = await objects.quarantine({ bucket: "raw", key, size: 2000 }, reason);
    assert.equal(location, `s3://quarantine/raw/${key}`);
    assert.equal(await exists("raw", key), false, "the outlier is gone from the raw bucket");
    assert.deepEqual(await tags("quarantine", `raw/${key}`), {
      "loglake-quarantine-reason": "too-large",
      // Tag values refuse parentheses; they are replaced, the rest is kept.
      "loglake-quarantine-detail": "size 2000 bytes is above maximum 1500: expected 1000 bytes _tolerance 0.5_",
    });

    // A retry after the move had finished (source gone, copy present) completes without error.
    assert.equal(await objects.quarantine({ bucket: "raw", key, size: 2000 }, reason), location);
  });

  it("fails a move whose source is gone and was never copied, so the message is retried", async () => {
    const objects = new LakeObjects(s3, { quarantineBucket: "quarantine", manifestBucket: "manifests" });
    await assert.rejects(
      objects.quarantine({ bucket: "raw", key: "logs/app/dt=2026-11-21/hour=09/never-written", size: 5 }, reason),
      {
        name: "NoSuchKey",
      },
    );
  });

  it("tags an object too large for CopyObject where it is instead of moving it", async () => {
    const objects = new LakeObjects(s3, {
      quarantineBucket: "quarantine",
      manifestBucket: "manifests",
      maxCopyBytes: 100,
    });
    const key = "logs/app/dt=2026-11-21/hour=09/huge.ndjson.gz";
    await s3.send(new PutObjectCommand({ Bucket: "raw", Key: key, Body: Buffer.alloc(200) }));
    const location = await objects.quarantine({ bucket: "raw", key, size: 200 }, reason);
    assert.match(location, /tagged in place/);
    assert.equal(await exists("raw", key), true);
    assert.equal(await exists("quarantine", `raw/${key}`), false);
    assert.equal((await tags("raw", key))["loglake-quarantine-reason"], "too-large");
  });
});
