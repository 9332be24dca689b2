import { S3Client } from "@aws-sdk/client-s3";
import { KafkaConsumer } from "@confluentinc/kafka-javascript";
import assert from "node:assert/strict";
import { committed, connect, disconnect } from "../../../runtime/kafka/native";
import { decodePendingBatches, encodePendingBatches } from "../../../runtime/sink/intent";
import { listKeys, readObjectLines } from "../../../runtime/sink/inventory";
import { parseObjectKey } from "../../../runtime/sink/layout";
import { LakeSink, type SinkEvent, type SinkOptions } from "../../../runtime/sink/sink";
import { startS3 } from "../../../runtime/local/peers/s3";
import { lakeSeqs, logRecord, produceAll, producer, until, withPeers } from "./helpers";

const range = (count: number, from = 0) => Array.from({ length: count }, (_, i) => from + i);

/** Records the headers of every PutObject the client sends. */
function capturePutHeaders(s3: S3Client): Record<string, string>[] {
  const captured: Record<string, string>[] = [];
  s3.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === "PutObjectCommand")
        captured.push({ ...(args.request as { headers: Record<string, string> }).headers });
      return next(args);
    },
    { step: "finalizeRequest", name: "capturePutHeaders" },
  );
  return captured;
}

describe("loglake sink", function () {
  const peers = withPeers("lake");
  const running: LakeSink[] = [];
  // A failed test must not leave a group member behind: it would keep mocha from exiting.
  afterEach(async () => {
    await Promise.all(running.splice(0).map((sink) => sink.stop().catch(() => undefined)));
  });
  const tracked = (sink: LakeSink) => (running.push(sink), sink);

  function sinkOptions(overrides: Partial<SinkOptions> & Pick<SinkOptions, "topics" | "groupId" | "s3">): SinkOptions {
    return {
      connection: { kind: "local", bootstrapServers: peers.mock.bootstrapServers },
      bucket: "lake",
      prefix: "raw",
      kmsKeyId: "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555",
      timeField: "timestamp",
      flush: { maxBytes: 20_000, maxAgeMs: 500 },
      ...overrides,
    };
  }

  it("writes gzip NDJSON under <prefix>/<topic>/dt=/hour= with SSE-KMS, and commits only written offsets", async () => {
    const values = [...Array.from({ length: 400 }, (_, seq) => logRecord(seq, 10 + (seq % 2))), "not json at all"];
    const source = await producer(peers.mock.bootstrapServers);
    await produceAll(source, "orders", values);
    await disconnect(source);

    const client = peers.s3.client();
    const putHeaders = capturePutHeaders(client);
    const sink = tracked(new LakeSink(sinkOptions({ topics: ["orders"], groupId: "lake-orders", s3: client })));
    await sink.start();
    await until(() => sink.snapshot().recordsWritten === values.length, "all records written");
    const stats = await sink.stop();
    assert.equal(stats.recordsWritten, 401);

    const keys = await listKeys(client, "lake", "raw/");
    const dataKeys = keys.filter((key) => key.startsWith("raw/orders/"));
    assert.ok(
      dataKeys.every((key) =>
        /^raw\/orders\/dt=2026-11-21\/hour=1[01]\/orders\+\d\+\d{19}\+\d{19}\.ndjson\.gz$/.test(key),
      ),
      dataKeys.join("\n"),
    );
    const invalidKeys = keys.filter((key) => key.startsWith("raw/_invalid/orders/"));
    assert.equal(invalidKeys.length, 1, "the non-JSON record is kept under _invalid");

    const seqs: number[] = [];
    for (const key of dataKeys) {
      const hour = Number(/hour=(\d\d)/.exec(key)![1]);
      for (const line of await readObjectLines(client, "lake", key)) {
        const record = JSON.parse(line);
        assert.equal(new Date(record.timestamp).getUTCHours(), hour, `record ${record.seq} filed under the wrong hour`);
        seqs.push(record.seq);
      }
    }
    assert.deepEqual(
      seqs.sort((a, b) => a - b),
      Array.from({ length: 400 }, (_, seq) => seq),
    );

    assert.equal(putHeaders.length, keys.length);
    for (const headers of putHeaders) {
      assert.equal(headers["x-amz-server-side-encryption"], "aws:kms");
      assert.equal(headers["x-amz-server-side-encryption-aws-kms-key-id"], sinkOptions({} as never).kmsKeyId);
    }

    // Offsets committed = one past the last offset written per partition, with no pending batch.
    const lastWritten = new Map<number, number>();
    for (const key of keys) {
      const { partition, lastOffset } = parseObjectKey(key)!;
      lastWritten.set(partition, Math.max(lastWritten.get(partition) ?? -1, lastOffset));
    }
    const reader = await connect(
      new KafkaConsumer({ "bootstrap.servers": peers.mock.bootstrapServers, "group.id": "lake-orders" }, {}),
    );
    const offsets = await committed(
      reader,
      [0, 1, 2, 3].map((partition) => ({ topic: "orders", partition })),
      10_000,
    );
    await disconnect(reader);
    for (const { partition, offset, metadata } of offsets) {
      assert.equal(offset, (lastWritten.get(partition) ?? -1) + 1, `committed offset of partition ${partition}`);
      assert.ok(!metadata, `partition ${partition} still has a pending batch: ${metadata}`);
    }
  });

  it("rewrites batches left pending by a crash with the same boundaries, so its keys are overwritten, not duplicated", async () => {
    const source = await producer(peers.mock.bootstrapServers);
    // Offsets 0..99 of partition 0.
    await produceAll(
      source,
      "replayed",
      Array.from({ length: 100 }, (_, seq) => logRecord(seq)),
      0,
    );
    await disconnect(source);

    // State a crashed writer leaves: offset 40 committed with two pending batches, 40..55 and 56..69.
    const crashed = await connect(
      new KafkaConsumer({ "bootstrap.servers": peers.mock.bootstrapServers, "group.id": "lake-replay" }, {}),
    );
    crashed.commitSync({
      topic: "replayed",
      partition: 0,
      offset: 40,
      metadata: encodePendingBatches([55, 69]),
    } as never);
    await disconnect(crashed);

    const events: SinkEvent[] = [];
    const client = peers.s3.client();
    // Limits that would make one big batch: only the pending batch's boundary can split it.
    const sink = tracked(
      new LakeSink(
        sinkOptions({
          topics: ["replayed"],
          groupId: "lake-replay",
          s3: client,
          prefix: "replay",
          flush: { maxBytes: 10_000_000, maxAgeMs: 60_000 },
          onEvent: (event) => events.push(event),
        }),
      ),
    );
    await sink.start();
    await until(() => sink.snapshot().recordsWritten >= 30, "the pending batches written");
    await sink.stop();

    assert.deepEqual(
      events.find((event) => event.event === "replay"),
      { event: "replay", partition: "replayed[0]", committedOffset: 40, lastOffsets: [55, 69] },
    );
    const ranges = (await listKeys(client, "lake", "replay/"))
      .map((key) => parseObjectKey(key)!)
      .map(({ firstOffset, lastOffset }) => [firstOffset, lastOffset]);
    assert.deepEqual(
      ranges,
      [
        [40, 55],
        [56, 69],
        [70, 99],
      ],
      "the first batches end exactly where the crashed ones did; nothing before offset 40 is rewritten",
    );
  });

  it("refuses to start, with one clear message, when the bucket does not exist", async () => {
    const sink = new LakeSink(
      sinkOptions({ topics: ["refused"], groupId: "lake-refused", s3: peers.s3.client(), bucket: "no-such-bucket" }),
    );
    await assert.rejects(sink.start(), /bucket no-such-bucket does not exist/);
  });

  async function committedOffset(topic: string, groupId: string) {
    const reader = await connect(
      new KafkaConsumer({ "bootstrap.servers": peers.mock.bootstrapServers, "group.id": groupId }, {}),
    );
    const [partition0] = await committed(reader, [{ topic, partition: 0 }], 10_000);
    await disconnect(reader);
    return partition0;
  }

  /** A sink on its own s3rver that has written offsets 0..99 of partition 0, then S3 goes away. */
  async function writingThenOutage(topic: string, overrides: Partial<SinkOptions> = {}) {
    const s3 = await startS3();
    await s3.createBucket("lake");
    const source = await producer(peers.mock.bootstrapServers);
    await produceAll(
      source,
      topic,
      range(100).map((seq) => logRecord(seq)),
      0,
    );
    const events: SinkEvent[] = [];
    const sink = tracked(
      new LakeSink(
        sinkOptions({
          topics: [topic],
          groupId: `lake-${topic}`,
          s3: s3.client(),
          s3RetryDeadlineMs: 30_000,
          onEvent: (event) => events.push(event),
          ...overrides,
        }),
      ),
    );
    await sink.start();
    await until(() => sink.snapshot().recordsWritten === 100, "the first records to be written");
    await s3.outage!();
    return { s3, source, sink, events };
  }

  it("rides out an S3 outage with the batch pending, then writes every record once", async function () {
    const { s3, source, sink, events } = await writingThenOutage("outage");
    try {
      await produceAll(
        source,
        "outage",
        range(100, 100).map((seq) => logRecord(seq)),
        0,
      );
      await until(() => events.some((event) => event.event === "s3-retry"), "a write to be retried");
      await new Promise((resolve) => setTimeout(resolve, 1500)); // a 1.5 s outage
      const during = await committedOffset("outage", "lake-outage");
      assert.equal(during.offset, 100, "nothing past the written records is committed during the outage");
      assert.notDeepEqual(decodePendingBatches(during.metadata), [], "the batch stays pending");
      await s3.restore!();
      await produceAll(
        source,
        "outage",
        range(50, 200).map((seq) => logRecord(seq)),
        0,
      );
      await disconnect(source);
      await until(() => sink.snapshot().recordsWritten === 250, "every record to be written after the outage");
      await sink.stop();

      const seqs = await lakeSeqs(s3, "raw/outage/");
      assert.deepEqual(
        seqs.sort((a, b) => a - b),
        range(250),
        "no record lost or duplicated",
      );
    } finally {
      await s3.stop();
    }
  });

  it("keeps several batches of a partition pending through an S3 outage, at most maxPendingBatches, and commits them in order", async function () {
    const { s3, source, sink, events } = await writingThenOutage("several", { maxPendingBatches: 2 });
    try {
      // Three chunks of 250 records (over 20 kB each), each consumed before the next is produced, so
      // each is cut as a batch of its own by the size limit.
      for (const from of [100, 350, 600]) {
        await produceAll(
          source,
          "several",
          range(250, from).map((seq) => logRecord(seq)),
          0,
        );
        await until(() => sink.snapshot().consumed === from + 250, `records up to ${from + 249} consumed`);
      }
      await disconnect(source);
      await until(() => events.some((event) => event.event === "s3-retry"), "a write to be retried");
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const during = await committedOffset("several", "lake-several");
      assert.equal(during.offset, 100, "nothing past the written records is committed during the outage");
      assert.deepEqual(
        decodePendingBatches(during.metadata),
        [349, 599],
        "two batches are pending at once; the third waits for a free place",
      );
      assert.deepEqual(sink.inFlight(), { batches: 2, bytes: sink.inFlight().bytes });
      await s3.restore!();
      await until(() => sink.snapshot().recordsWritten === 850, "every record to be written after the outage");
      const after = await committedOffset("several", "lake-several");
      assert.deepEqual({ offset: after.offset, metadata: after.metadata || "" }, { offset: 850, metadata: "" });
      await sink.stop();

      const commits = events.flatMap((event) => (event.event === "batch-committed" ? [event.firstOffset] : []));
      assert.deepEqual(
        commits,
        [...commits].sort((x, y) => x - y),
        "batches are committed in offset order",
      );
      const seqs = await lakeSeqs(s3, "raw/several/");
      assert.deepEqual(
        seqs.sort((a, b) => a - b),
        range(850),
        "no record lost or duplicated",
      );
    } finally {
      await s3.stop();
    }
  });

  it("exits after the retry deadline, committing nothing it did not write", async () => {
    const s3 = await startS3();
    try {
      await s3.createBucket("lake");
      const source = await producer(peers.mock.bootstrapServers);
      await produceAll(
        source,
        "deadline",
        range(50).map((seq) => logRecord(seq)),
        0,
      );
      await disconnect(source);
      const sink = tracked(
        new LakeSink(
          sinkOptions({ topics: ["deadline"], groupId: "lake-deadline", s3: s3.client(), s3RetryDeadlineMs: 1_000 }),
        ),
      );
      await sink.start(); // the bucket is there at startup
      await s3.outage!();
      await assert.rejects(sink.done, /S3 still failing after \d+ attempts over [\d.]+ s \(retry deadline 1 s\)/);
      assert.equal(sink.snapshot().recordsWritten, 0);
      const partition0 = await committedOffset("deadline", "lake-deadline");
      assert.equal(partition0.offset, 0, "the committed offset must not move past records that are not in S3");
      assert.deepEqual(
        decodePendingBatches(partition0.metadata),
        [49],
        "the batch stays pending for the next owner to rewrite",
      );
    } finally {
      await s3.stop();
    }
  });

  it("shares partitions between two writers of one group and hands them over on rebalance without loss or duplicates", async function () {
    this.timeout(90_000);
    const source = await producer(peers.mock.bootstrapServers);
    let produced = 0;
    let producing = true;
    // Records keep arriving through both rebalances, so batches are open when partitions move.
    const production = (async () => {
      while (producing) {
        await produceAll(
          source,
          "shared",
          Array.from({ length: 200 }, (_, i) => logRecord(produced + i)),
        );
        produced += 200;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    const writer = (events: SinkEvent[]) =>
      tracked(
        new LakeSink(
          sinkOptions({
            topics: ["shared"],
            groupId: "lake-shared",
            s3: peers.s3.client(),
            prefix: "shared",
            onEvent: (event) => events.push(event),
            consumerConfig: { "session.timeout.ms": 6000 },
          }),
        ),
      );
    const [eventsA, eventsB] = [[] as SinkEvent[], [] as SinkEvent[]];
    const count = (events: SinkEvent[], kind: SinkEvent["event"]) =>
      events.filter((event) => event.event === kind).length;
    const [a, b] = [writer(eventsA), writer(eventsB)];
    await a.start();
    await until(() => count(eventsA, "batch-committed") > 0, "writer A's first commit");
    await b.start();
    await until(
      () => count(eventsB, "batch-committed") > 0,
      "writer B's first commit (the group rebalanced to two members)",
      45_000,
    );
    const assignmentsOfB = count(eventsB, "assigned");
    const statsA = await a.stop(); // A leaves: B must take over A's partitions
    await until(() => count(eventsB, "assigned") > assignmentsOfB, "B's assignment after A left", 45_000);
    producing = false;
    await production;
    await disconnect(source);
    await until(() => statsA.recordsWritten + b.snapshot().recordsWritten >= produced, "all records written", 30_000);
    await b.stop();

    const seqs = await lakeSeqs(peers.s3, "shared/");
    const unique = new Set(seqs);
    assert.equal(unique.size, produced, `${produced - unique.size} records lost`);
    assert.equal(seqs.length, produced, `${seqs.length - produced} records duplicated`);
  });
});
