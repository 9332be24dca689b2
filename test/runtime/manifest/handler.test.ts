/**
 * The manifest builder against real protocol peers on loopback: dynalite (DynamoDB), s3rver (S3)
 * and fauxqs (SQS, including redrive to a dead-letter queue).
 */
import assert from "node:assert/strict";
import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type Message,
} from "@aws-sdk/client-sqs";
import {
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { DynamoDBDocumentClient, paginateScan } from "@aws-sdk/lib-dynamodb";
import type { SQSBatchResponse, SQSRecord } from "aws-lambda";
import { loadConfig, type ManifestBuilderConfig } from "../../../runtime/manifest/config";
import { createBuilder, createHandler, handler } from "../../../runtime/manifest/handler";
import type { ManifestGroup } from "../../../runtime/manifest/planner";
import type { ManifestAnnouncement } from "../../../runtime/manifest/queue";
import { createTableInput } from "../../../runtime/manifest/schema";
import type { FileRecord } from "../../../runtime/manifest/store";
import { startDynamo, type DynamoPeer } from "../../../runtime/local/peers/dynamo";
import { startS3, type LocalS3 } from "../../../runtime/local/peers/s3";
import { startSqs, type SqsPeer } from "../../../runtime/local/peers/sqs";
import { s3Notification, scheduledEvent, sqsRecord } from "./fixtures";

const RAW = "raw";
const QUARANTINE = "quarantine";
const MANIFESTS = "manifests";
const START = new Date("2026-11-21T09:30:00Z");

let dynamo: DynamoPeer;
let s3Peer: LocalS3;
let s3: S3Client;
let sqs: SqsPeer;
let rigCount = 0;

before(async () => {
  [dynamo, s3Peer, sqs] = await Promise.all([startDynamo(), startS3(), startSqs()]);
  for (const bucket of [RAW, QUARANTINE, MANIFESTS]) await s3Peer.createBucket(bucket);
  s3 = s3Peer.client();
});

after(async () => {
  await Promise.all([dynamo?.stop(), s3Peer?.stop(), sqs?.stop()]);
});

/** A fresh table, manifest queue and key prefix per test, so tests cannot see each other's files. */
async function rig(overrides: Record<string, string> = {}) {
  const n = ++rigCount;
  const tableName = `tracking-${n}`;
  await dynamo.createTable(createTableInput(tableName));
  const manifestQueue = await sqs.createQueue(`manifests-${n}`);
  const config = loadConfig({
    TRACKING_TABLE: tableName,
    MANIFEST_BUCKET: MANIFESTS,
    MANIFEST_PREFIX: `t${n}`,
    MANIFEST_QUEUE_URL: manifestQueue.url,
    QUARANTINE_BUCKET: QUARANTINE,
    EXPECTED_FILE_BYTES: "1000",
    SIZE_TOLERANCE: "0.5",
    ...overrides,
  });
  const clock = { now: START };
  const now = () => clock.now;
  const clients = { dynamo: dynamo.client, s3, sqs: sqs.client };
  /** A separate function instance, as a concurrent Lambda invocation would be. */
  const instance = (logs: Record<string, unknown>[] = []) =>
    createHandler(createBuilder(config, clients, now), {
      concurrency: config.concurrency,
      log: (entry) => logs.push(entry),
    });
  const dataset = `logs/t${n}`;
  const keyOf = (i: number, hour = "09") =>
    `${dataset}/dt=2026-11-21/hour=${hour}/app-0-${String(i).padStart(6, "0")}.ndjson.gz`;
  return { n, config, clock, instance, handle: instance(), dataset, keyOf };
}

type Rig = Awaited<ReturnType<typeof rig>>;

/** One message per file, like S3 sends, ids `m<i>`. */
function messagesFor(keys: readonly string[], size = 1000, eventTime = "2026-11-21T09:15:00.000Z"): SQSRecord[] {
  return keys.map((key, i) => sqsRecord(`m${i}`, s3Notification([{ bucket: RAW, key, size, eventTime }])));
}

async function onMessages(handle: Rig["handle"], records: SQSRecord[]): Promise<SQSBatchResponse> {
  return (await handle({ Records: records })) as SQSBatchResponse;
}

/**
 * Feeds messages the way the event source mapping does, in batches (up to 10,000 with a batching
 * window; 50 keeps the tests quick while still spreading a group over several invocations).
 */
async function deliver(handle: Rig["handle"], records: SQSRecord[], batchSize = 50): Promise<string[]> {
  const failed: string[] = [];
  for (let i = 0; i < records.length; i += batchSize) {
    const response = await onMessages(handle, records.slice(i, i + batchSize));
    failed.push(...response.batchItemFailures.map((failure) => failure.itemIdentifier));
  }
  return failed;
}

async function trackedFiles(config: ManifestBuilderConfig): Promise<FileRecord[]> {
  const doc = DynamoDBDocumentClient.from(dynamo.client);
  const items: FileRecord[] = [];
  for await (const page of paginateScan({ client: doc }, { TableName: config.tableName })) {
    items.push(...((page.Items ?? []) as FileRecord[]).filter((item) => item.pk.startsWith("file#")));
  }
  return items;
}

interface ManifestJson {
  manifestId: string;
  reason: string;
  fileCount: number;
  totalBytes: number;
  files: { key: string; size: number }[];
}

async function manifestsWritten(config: ManifestBuilderConfig): Promise<ManifestJson[]> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: MANIFESTS, Prefix: `${config.manifestPrefix}/` }));
  return Promise.all(
    (listed.Contents ?? []).map(async ({ Key }) => {
      const object = await s3.send(new GetObjectCommand({ Bucket: MANIFESTS, Key }));
      return JSON.parse(await object.Body!.transformToString()) as ManifestJson;
    }),
  );
}

async function drain(queueUrl: string): Promise<Message[]> {
  const messages: Message[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.client.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, AttributeNames: ["All"] }),
    );
    if (Messages.length === 0) return messages;
    messages.push(...Messages);
    await sqs.client.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
      }),
    );
  }
}

async function announcements(config: ManifestBuilderConfig): Promise<ManifestAnnouncement[]> {
  return (await drain(config.manifestQueueUrl)).map((m) => JSON.parse(m.Body!) as ManifestAnnouncement);
}

function assertNoOverlap(manifests: ManifestJson[]): string[] {
  const seen = new Map<string, string>();
  for (const manifest of manifests) {
    for (const file of manifest.files) {
      assert.equal(
        seen.get(file.key),
        undefined,
        `${file.key} is in manifests ${seen.get(file.key)} and ${manifest.manifestId}`,
      );
      seen.set(file.key, manifest.manifestId);
    }
  }
  return [...seen.keys()];
}

const range = (count: number, from = 0) => Array.from({ length: count }, (_, i) => from + i);

describe("manifest builder Lambda (dynalite, s3rver, fauxqs)", () => {
  it("records a re-delivered notification once", async () => {
    const { config, handle, keyOf } = await rig();
    const records = messagesFor(range(5).map((i) => keyOf(i)));
    assert.deepEqual(await deliver(handle, records), []);
    assert.deepEqual(await deliver(handle, [...records.slice(0, 3), records[0]]), [], "re-delivery is not a failure");
    const files = await trackedFiles(config);
    assert.equal(files.length, 5);
    assert.ok(files.every((file) => file.state === "pending"));
  });

  it("writes a manifest per 100 files, announces it and marks its files", async () => {
    const { config, handle, keyOf, dataset } = await rig();
    assert.deepEqual(await deliver(handle, messagesFor(range(250).map((i) => keyOf(i)))), []);

    const manifests = await manifestsWritten(config);
    assert.deepEqual(
      manifests.map((m) => [m.fileCount, m.reason]),
      [
        [100, "file-count"],
        [100, "file-count"],
      ],
    );
    const inManifests = assertNoOverlap(manifests);
    const announced = await announcements(config);
    assert.deepEqual(announced.map((a) => a.manifestId).sort(), manifests.map((m) => m.manifestId).sort());
    assert.equal(announced[0].dataset, dataset);
    assert.match(
      announced[0].manifestUri,
      new RegExp(`^s3://${MANIFESTS}/t\\d+/${dataset}/dt=2026-11-21/hour=09/[0-9a-f]{32}\\.json$`),
    );

    const files = await trackedFiles(config);
    const manifested = files.filter((file) => file.state === "manifested");
    assert.deepEqual(manifested.map((file) => file.key).sort(), [...inManifests].sort());
    assert.ok(
      manifested.every((file) => file.expiresAt! > START.getTime() / 1000),
      "finished items get a TTL",
    );
    assert.equal(files.filter((file) => file.state === "pending").length, 50);
  });

  it("closes manifests at the size limit", async () => {
    const { config, handle, keyOf } = await rig({ MAX_MANIFEST_BYTES: "3500" });
    await deliver(handle, messagesFor(range(10).map((i) => keyOf(i))));
    const manifests = await manifestsWritten(config);
    assert.deepEqual(
      manifests.map((m) => [m.fileCount, m.totalBytes, m.reason]),
      [
        [3, 3000, "size-limit"],
        [3, 3000, "size-limit"],
        [3, 3000, "size-limit"],
      ],
    );
  });

  it("flushes a partial group on the hourly schedule once its files waited the flush interval", async () => {
    const { config, clock, handle, keyOf } = await rig();
    // One file of a partition three days old: late data must be flushed too.
    const lateKey = keyOf(0, "09").replace("2026-11-21", "2026-11-18");
    await deliver(handle, messagesFor([...range(30).map((i) => keyOf(i)), lateKey]));

    clock.now = new Date("2026-11-21T10:10:00Z");
    await handle(scheduledEvent(clock.now));
    assert.deepEqual(await manifestsWritten(config), [], "files created at 09:15 are not due at 10:10");

    clock.now = new Date("2026-11-21T10:16:00Z");
    const summary = await handle(scheduledEvent(clock.now));
    assert.deepEqual(summary, { groups: 2, groupsBusy: 0, manifests: 2, abandoned: 0 });
    const manifests = await manifestsWritten(config);
    assert.deepEqual(manifests.map((m) => [m.fileCount, m.reason]).sort(), [
      [1, "age-flush"],
      [30, "age-flush"],
    ]);
    assert.ok((await trackedFiles(config)).every((file) => file.state === "manifested"));
  });

  it("moves outliers to the quarantine bucket with the reason on the object and in the tracking item", async () => {
    const { config, handle, keyOf } = await rig();
    const outliers = [
      { key: keyOf(1), body: "x".repeat(10), code: "too-small" },
      { key: keyOf(2), body: "", code: "empty" },
      { key: `${keyOf(3)}/not-the-layout`, body: "x".repeat(1000), code: "unknown-layout" },
    ];
    for (const { key, body } of outliers)
      await s3.send(new PutObjectCommand({ Bucket: RAW, Key: key, Body: Buffer.from(body) }));
    const records = outliers.map(({ key, body }, i) =>
      sqsRecord(`q${i}`, s3Notification([{ bucket: RAW, key, size: body.length }])),
    );
    assert.deepEqual(await deliver(handle, records), []);
    assert.deepEqual(await deliver(handle, records), [], "re-delivering a quarantined file is harmless");

    const files = new Map((await trackedFiles(config)).map((file) => [file.key, file]));
    for (const { key, code } of outliers) {
      const item = files.get(key)!;
      assert.equal(item.state, "quarantined", key);
      assert.equal(item.quarantineCode, code, key);
      assert.equal(item.quarantineLocation, `s3://${QUARANTINE}/${RAW}/${key}`);
      await assert.rejects(s3.send(new HeadObjectCommand({ Bucket: RAW, Key: key })), /NotFound/, `${key} left in raw`);
      const { TagSet } = await s3.send(new GetObjectTaggingCommand({ Bucket: QUARANTINE, Key: `${RAW}/${key}` }));
      assert.equal(TagSet?.find((tag) => tag.Key === "loglake-quarantine-reason")?.Value, code);
    }
  });

  it("acknowledges and counts events for buckets that are not its raw buckets, touching nothing", async () => {
    const logs: Record<string, unknown>[] = [];
    const { config, instance, keyOf } = await rig({ RAW_BUCKETS: `${RAW}/logs` });
    const handle = instance(logs);
    const foreign = [
      { bucket: "someone-else", key: "not/the/layout" },
      { bucket: QUARANTINE, key: `${RAW}/${keyOf(1)}` },
      { bucket: MANIFESTS, key: `${config.manifestPrefix}/m.json` },
      { bucket: RAW, key: `elsewhere/${keyOf(2)}` },
    ];
    for (const { bucket, key } of foreign)
      await s3.send(new PutObjectCommand({ Bucket: bucket === "someone-else" ? RAW : bucket, Key: key, Body: "x" }));
    const records = foreign.map(({ bucket, key }, i) => sqsRecord(`f${i}`, s3Notification([{ bucket, key, size: 1 }])));
    assert.deepEqual(await onMessages(handle, records), { batchItemFailures: [] }, "foreign events are acknowledged");
    assert.deepEqual(await trackedFiles(config), [], "nothing is recorded");
    for (const { bucket, key } of foreign.slice(1)) {
      await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })); // still there: not moved or deleted
    }
    assert.equal(logs.find((entry) => entry.msg === "batch done")?.foreignObjects, foreign.length);
  });

  it("never takes objects in its own manifest or quarantine buckets, even without RAW_BUCKETS", async () => {
    const { config, handle, keyOf } = await rig();
    await s3.send(new PutObjectCommand({ Bucket: QUARANTINE, Key: `${RAW}/${keyOf(7)}`, Body: "x" }));
    const records = [
      sqsRecord("q", s3Notification([{ bucket: QUARANTINE, key: `${RAW}/${keyOf(7)}`, size: 1 }])),
      sqsRecord("m", s3Notification([{ bucket: MANIFESTS, key: keyOf(8), size: 1000 }])),
    ];
    assert.deepEqual(await onMessages(handle, records), { batchItemFailures: [] });
    assert.deepEqual(await trackedFiles(config), []);
    await s3.send(new HeadObjectCommand({ Bucket: QUARANTINE, Key: `${RAW}/${keyOf(7)}` }));
  });

  it("records a message's good records even when one record in it is bad", async () => {
    const { config, handle, keyOf } = await rig();
    const body = JSON.parse(
      s3Notification([
        { bucket: RAW, key: keyOf(1), size: 1000 },
        { bucket: RAW, key: keyOf(2) }, // no size
        { bucket: RAW, key: keyOf(3), size: 1000 },
      ]),
    );
    const response = await onMessages(handle, [sqsRecord("mixed", JSON.stringify(body))]);
    assert.deepEqual(
      response.batchItemFailures.map((failure) => failure.itemIdentifier),
      ["mixed"],
      "the message goes on to the dead-letter queue with its bad record",
    );
    assert.deepEqual((await trackedFiles(config)).map((file) => file.key).sort(), [keyOf(1), keyOf(3)]);
  });

  it("keeps the sink's keys (with +) intact through recording, quarantine and manifests", async () => {
    const logs: Record<string, unknown>[] = [];
    const { config, instance, dataset } = await rig();
    const handle = instance(logs);
    const sinkKey = (i: number) =>
      `${dataset}/dt=2026-11-21/hour=09/app-logs+${i}+${String(i * 100).padStart(19, "0")}+${String(i * 100 + 99).padStart(19, "0")}.ndjson.gz`;
    const small = sinkKey(999);
    await s3.send(new PutObjectCommand({ Bucket: RAW, Key: small, Body: "tiny" }));
    // S3 URL-encodes keys in notifications: `+` arrives as %2B (a literal + would mean a space).
    const encoded = (key: string) => encodeURIComponent(key).replace(/%2F/g, "/");
    const records = [
      ...range(100).map((i) =>
        sqsRecord(`k${i}`, s3Notification([{ bucket: RAW, key: encoded(sinkKey(i)), size: 1000 }])),
      ),
      sqsRecord("small", s3Notification([{ bucket: RAW, key: encoded(small), size: 4 }])),
    ];
    assert.deepEqual(
      await deliver(handle, records),
      [],
      JSON.stringify(logs.filter((entry) => entry.level === "error")),
    );
    const [manifest] = await manifestsWritten(config);
    assert.deepEqual(manifest.files.map((file) => file.key).sort(), range(100).map(sinkKey).sort());
    const quarantined = (await trackedFiles(config)).find((file) => file.key === small)!;
    assert.equal(quarantined.state, "quarantined");
    await s3.send(new HeadObjectCommand({ Bucket: QUARANTINE, Key: `${RAW}/${small}` }));
  });

  it("acknowledges the s3:TestEvent without recording anything", async () => {
    const { config, handle } = await rig();
    const body = JSON.stringify({
      Service: "Amazon S3",
      Event: "s3:TestEvent",
      Time: START.toISOString(),
      Bucket: RAW,
    });
    assert.deepEqual(await onMessages(handle, [sqsRecord("t1", body)]), { batchItemFailures: [] });
    assert.deepEqual(await trackedFiles(config), []);
  });

  it("reports only the messages that failed in batchItemFailures", async () => {
    const { config, handle, keyOf } = await rig();
    const records = [
      ...messagesFor([keyOf(1), keyOf(2)]),
      sqsRecord("poison-json", "{not json"),
      sqsRecord("poison-shape", JSON.stringify({ Records: [{ eventSource: "aws:s3" }] })),
    ];
    const response = await onMessages(handle, records);
    assert.deepEqual(response.batchItemFailures.map((f) => f.itemIdentifier).sort(), ["poison-json", "poison-shape"]);
    assert.equal((await trackedFiles(config)).length, 2);
  });

  it("fails the messages of a group whose manifest cannot be written, and succeeds on their retry", async () => {
    const broken = await rig({ MANIFEST_BUCKET: "no-such-bucket", MAX_FILES_PER_MANIFEST: "2" });
    const records = messagesFor([broken.keyOf(1), broken.keyOf(2)]);
    const response = await onMessages(broken.handle, records);
    assert.deepEqual(response.batchItemFailures.map((f) => f.itemIdentifier).sort(), ["m0", "m1"]);
    const files = await trackedFiles(broken.config);
    assert.deepEqual(files.map((file) => file.state).sort(), ["claimed", "claimed"], "claims survive for the retry");

    // The same table with the right bucket: the retry finishes the manifest claimed before.
    const fixed = createHandler(
      createBuilder(
        { ...broken.config, manifestBucket: MANIFESTS },
        { dynamo: dynamo.client, s3, sqs: sqs.client },
        () => START,
      ),
      {
        concurrency: 4,
        log: () => {},
      },
    );
    assert.deepEqual(await onMessages(fixed, records), { batchItemFailures: [] });
    const manifests = await manifestsWritten(broken.config);
    assert.equal(manifests.length, 1);
    assert.equal(manifests[0].manifestId, files[0].manifestId, "the manifest keeps the id its files were claimed with");
    assert.ok((await trackedFiles(broken.config)).every((file) => file.state === "manifested"));
  });

  it("two concurrent invocations never put a file into two manifests", async () => {
    const { config, clock, instance, keyOf } = await rig();
    const keys = [...range(250).map((i) => keyOf(i)), ...range(80).map((i) => keyOf(i, "10"))];
    const records = messagesFor(keys);
    // Two function instances get overlapping batches (S3 delivers at least once) at the same time.
    const first = instance();
    const second = instance();
    const failures = await Promise.all([
      deliver(first, records.slice(0, 200), 25),
      deliver(second, records.slice(100), 25),
    ]);
    assert.deepEqual(failures, [[], []]);
    clock.now = new Date("2026-11-21T11:00:00Z");
    await Promise.all([first(scheduledEvent(clock.now)), second(scheduledEvent(clock.now))]);

    const manifests = await manifestsWritten(config);
    const inManifests = assertNoOverlap(manifests);
    assert.equal(inManifests.length, keys.length, "every file ends up in exactly one manifest");
    assert.equal((await announcements(config)).length, manifests.length);
  });

  it("lets only one of several concurrent builders publish a group's manifest", async () => {
    const { config, keyOf, dataset } = await rig();
    const clients = { dynamo: dynamo.client, s3, sqs: sqs.client };
    const builders = range(4).map(() => createBuilder(config, clients, () => START));
    for (const key of range(100).map((i) => keyOf(i))) {
      await builders[0].recordObject({ bucket: RAW, key, size: 1000, createdAt: "2026-11-21T09:15:00.000Z" });
    }
    const group: ManifestGroup = { bucket: RAW, dataset, dt: "2026-11-21", hour: "09" };
    const outcomes = await Promise.all(builders.map((builder) => builder.buildGroup(group)));
    assert.equal(
      outcomes.reduce((sum, o) => sum + o.published.length, 0),
      1,
      "one manifest of 100 files",
    );
    assert.equal(assertNoOverlap(await manifestsWritten(config)).length, 100);
  });

  it("sends a poison message to the dead-letter queue after maxReceiveCount through the queue's redrive policy", async () => {
    const { config, handle, keyOf } = await rig();
    const dlq = await sqs.createQueue(`raw-created-dlq-${rigCount}`);
    const source = await sqs.createQueue(`raw-created-${rigCount}`, {
      VisibilityTimeout: "0",
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 3 }),
    });
    const bodies = [...messagesFor([keyOf(1), keyOf(2)]).map((r) => r.body), "{not json"];
    await sqs.client.send(
      new SendMessageBatchCommand({
        QueueUrl: source.url,
        Entries: bodies.map((body, i) => ({ Id: String(i), MessageBody: body })),
      }),
    );

    // What the Lambda event source mapping does: receive, invoke, delete what did not fail.
    for (let polls = 0; polls < 10; polls++) {
      const { Messages = [] } = await sqs.client.send(
        new ReceiveMessageCommand({ QueueUrl: source.url, MaxNumberOfMessages: 10 }),
      );
      if (Messages.length === 0) break;
      const response = await onMessages(
        handle,
        Messages.map((m) => sqsRecord(m.MessageId!, m.Body!)),
      );
      const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
      const done = Messages.filter((m) => !failed.has(m.MessageId!));
      if (done.length > 0) {
        await sqs.client.send(
          new DeleteMessageBatchCommand({
            QueueUrl: source.url,
            Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
          }),
        );
      }
    }
    const dead = await drain(dlq.url);
    assert.deepEqual(
      dead.map((m) => m.Body),
      ["{not json"],
    );
    assert.equal((await trackedFiles(config)).length, 2);
  });

  it("fails an invocation of the deployed handler with every invalid environment variable named", async () => {
    const saved = { ...process.env };
    try {
      process.env.TRACKING_TABLE = "tracking";
      process.env.MAX_FILES_PER_MANIFEST = "0";
      delete process.env.MANIFEST_BUCKET;
      await assert.rejects(
        handler({ Records: [] }),
        (error: Error) =>
          error.name === "ConfigError" &&
          /MANIFEST_BUCKET \(unset\)/.test(error.message) &&
          /MAX_FILES_PER_MANIFEST \("0"\)/.test(error.message),
      );
    } finally {
      process.env = saved;
    }
  });
});
