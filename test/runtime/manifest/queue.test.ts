/** Manifest announcements against fauxqs. */
import assert from "node:assert/strict";
import { ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { manifestFor, type ManifestGroup } from "../../../runtime/manifest/planner";
import { ManifestQueue } from "../../../runtime/manifest/queue";
import { startSqs, type SqsPeer } from "../../../runtime/local/peers/sqs";

const group: ManifestGroup = { bucket: "raw", dataset: "logs/app", dt: "2026-11-21", hour: "09" };
const manifest = manifestFor(
  group,
  [{ key: "logs/app/dt=2026-11-21/hour=09/a.gz", size: 10, createdAt: "2026-11-21T09:00:00Z" }],
  "age-flush",
);
let sqs: SqsPeer;

before(async () => {
  sqs = await startSqs();
});

after(async () => {
  await sqs?.stop();
});

async function receiveAll(url: string) {
  const { Messages = [] } = await sqs.client.send(
    new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }),
  );
  return Messages.map((m) => JSON.parse(m.Body!));
}

describe("manifest queue (fauxqs)", () => {
  it("announces where the manifest is and what it holds", async () => {
    const { url } = await sqs.createQueue("announcements");
    await new ManifestQueue(sqs.client, url).announce(manifest, "manifests", "m/key.json");
    assert.deepEqual(await receiveAll(url), [
      {
        manifestId: manifest.manifestId,
        manifestUri: "s3://manifests/m/key.json",
        sourceBucket: "raw",
        dataset: "logs/app",
        dt: "2026-11-21",
        hour: "09",
        reason: "age-flush",
        fileCount: 1,
        totalBytes: 10,
      },
    ]);
  });

  it("lets a FIFO queue drop a repeated announcement of the same manifest", async () => {
    const { url } = await sqs.createQueue("announcements.fifo", { FifoQueue: "true" });
    const queue = new ManifestQueue(sqs.client, url);
    await queue.announce(manifest, "manifests", "m/key.json");
    await queue.announce(manifest, "manifests", "m/key.json");
    assert.equal((await receiveAll(url)).length, 1);
  });
});
