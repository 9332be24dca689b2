import { KafkaConsumer, type Message } from "@confluentinc/kafka-javascript";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { connect, consume, disconnect } from "../../../runtime/kafka/native";
import { ship, shipOutcome, shipProducerConfig } from "../../../runtime/ship/shipper";
import { startKafkaMock, type KafkaMock } from "../../../runtime/local/peers/kafka-mock";

/** Every record of a topic (the mock creates 4 partitions), read from the beginning. */
async function readTopic(
  bootstrapServers: string,
  topic: string,
  expected: number,
  waitMs = 20_000,
): Promise<Message[]> {
  const consumer = await connect(
    new KafkaConsumer({ "bootstrap.servers": bootstrapServers, "group.id": `read-${topic}` }, {}),
  );
  consumer.assign([0, 1, 2, 3].map((partition) => ({ topic, partition, offset: 0 })));
  const messages: Message[] = [];
  const deadline = Date.now() + waitMs;
  while (messages.length < expected && Date.now() < deadline) messages.push(...(await consume(consumer, 1000)));
  await disconnect(consumer);
  return messages;
}

function logLine(host: string, seq: number): string {
  return JSON.stringify({
    timestamp: new Date(Date.UTC(2026, 10, 21, 10, 0, seq)).toISOString(),
    host,
    seq,
    msg: "request done",
  });
}

describe("ship producer settings", () => {
  it("wait for every in-sync replica, retry without duplicating or reordering, and compress batches", () => {
    const config = shipProducerConfig({});
    assert.equal(config.acks, -1);
    assert.equal(config["enable.idempotence"], true);
    assert.equal(config["compression.codec"], "lz4");
    assert.equal(config.partitioner, "murmur2_random", "same key-to-partition mapping as the Java client");
    assert.equal(config.dr_cb, true, "delivery reports decide the exit status");
    assert.equal(config["delivery.report.only.error"], true, "only failures are reported into JavaScript");
  });

  it("take the chosen codec and delivery timeout", () => {
    const config = shipProducerConfig({ compression: "zstd", deliveryTimeoutMs: 60_000 });
    assert.equal(config["compression.codec"], "zstd");
    assert.equal(config["message.timeout.ms"], 60_000);
  });
});

describe("loglake ship", function () {
  let mock: KafkaMock;
  let dir: string;

  before(async () => {
    mock = await startKafkaMock();
    dir = await mkdtemp(join(tmpdir(), "loglake-ship-"));
  });
  after(async () => {
    await mock?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("delivers every JSON object line, keyed so each host stays ordered, and quarantines the rest with file and line", async () => {
    const plain = join(dir, "app.ndjson");
    const zipped = join(dir, "rotated.log"); // gzip despite its name
    const quarantine = join(dir, "quarantine.ndjson");
    const plainLines = Array.from({ length: 3000 }, (_, seq) => logLine(`web-${seq % 5}`, seq));
    plainLines.splice(100, 0, "oops, not json", "");
    await writeFile(plain, plainLines.join("\n") + "\n");
    await writeFile(zipped, gzipSync([logLine("db-1", 9000), "[1,2,3]", logLine("db-1", 9001)].join("\n")));

    const stats = await ship({
      connection: { kind: "local", bootstrapServers: mock.bootstrapServers },
      topic: "app-logs",
      inputs: [plain, zipped],
      keyField: "host",
      quarantine: { kind: "file", path: quarantine },
    });

    assert.equal(stats.produced, 3002);
    assert.equal(stats.delivered, 3002, "every record is acknowledged");
    assert.equal(stats.failed, 0);
    assert.equal(stats.quarantined, 2);
    assert.equal(stats.blankLines, 1);
    assert.equal(shipOutcome(stats), "quarantined");

    const quarantined = (await readFile(quarantine, "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    assert.deepEqual(
      quarantined.map(({ source, line, raw }) => ({ source, line, raw })),
      [
        { source: plain, line: 101, raw: "oops, not json" },
        { source: zipped, line: 2, raw: "[1,2,3]" },
      ],
    );
    assert.match(quarantined[1].reason, /array, not an object/);

    const messages = await readTopic(mock.bootstrapServers, "app-logs", 3002);
    assert.equal(messages.length, 3002);
    const partitionsByHost = new Map<string, Set<number>>();
    const lastSeqByHost = new Map<string, number>();
    for (const message of messages.sort((a, b) => a.partition - b.partition || a.offset - b.offset)) {
      const record = JSON.parse(message.value!.toString());
      assert.equal(message.key!.toString(), record.host, "records are keyed by the key field");
      partitionsByHost.set(record.host, (partitionsByHost.get(record.host) ?? new Set()).add(message.partition));
      assert.ok(
        record.seq > (lastSeqByHost.get(record.host) ?? -1),
        `host ${record.host} out of order at seq ${record.seq}`,
      );
      lastSeqByHost.set(record.host, record.seq);
    }
    for (const [host, partitions] of partitionsByHost)
      assert.equal(partitions.size, 1, `${host} spread over partitions ${[...partitions]}`);
  });

  it("can quarantine to a topic, with source and line, counting those deliveries too", async () => {
    const input = join(dir, "mixed.ndjson");
    await writeFile(input, [logLine("web-1", 1), "{broken", logLine("web-1", 2)].join("\n"));
    const stats = await ship({
      connection: { kind: "local", bootstrapServers: mock.bootstrapServers },
      topic: "mixed-logs",
      inputs: [input],
      keyField: "host",
      quarantine: { kind: "topic", topic: "mixed-quarantine" },
    });
    assert.deepEqual(
      { delivered: stats.delivered, quarantined: stats.quarantined, failed: stats.failed },
      { delivered: 2, quarantined: 1, failed: 0 },
    );
    const [entry] = await readTopic(mock.bootstrapServers, "mixed-quarantine", 1);
    assert.deepEqual((({ source, line, raw }) => ({ source, line, raw }))(JSON.parse(entry.value!.toString())), {
      source: input,
      line: 2,
      raw: "{broken",
    });
  });

  it("skips a UTF-8 byte order mark and quarantines invalid UTF-8 with its exact bytes", async () => {
    const input = join(dir, "windows.ndjson");
    const quarantine = join(dir, "utf8-q.ndjson");
    const invalid = Buffer.concat([
      Buffer.from('{"host":"web-1","msg":"caf'),
      Buffer.from([0xe9, 0xff]),
      Buffer.from('"}'),
    ]);
    await writeFile(
      input,
      Buffer.concat([
        Buffer.from("\ufeff" + logLine("web-1", 1) + "\r\n"),
        invalid,
        Buffer.from("\r\n" + logLine("web-1", 2)),
      ]),
    );
    const stats = await ship({
      connection: { kind: "local", bootstrapServers: mock.bootstrapServers },
      topic: "utf8-logs",
      inputs: [input],
      keyField: "host",
      quarantine: { kind: "file", path: quarantine },
    });
    assert.deepEqual(
      { delivered: stats.delivered, quarantined: stats.quarantined, failed: stats.failed },
      { delivered: 2, quarantined: 1, failed: 0 },
    );
    const entry = JSON.parse(await readFile(quarantine, "utf8"));
    assert.equal(entry.line, 2);
    assert.equal(entry.reason, "not valid UTF-8");
    assert.deepEqual(Buffer.from(entry.rawBase64, "base64"), invalid, "the raw bytes are recoverable");
    const messages = await readTopic(mock.bootstrapServers, "utf8-logs", 2);
    assert.deepEqual(
      messages.map((message) => JSON.parse(message.value!.toString()).seq).sort(),
      [1, 2],
      "the first line is shipped without its byte order mark",
    );
  });

  it("checks every input before sending anything, naming each one it cannot read", async () => {
    const first = join(dir, "first.ndjson");
    await writeFile(first, logLine("web-1", 1) + "\n");
    await assert.rejects(
      ship({
        connection: { kind: "local", bootstrapServers: mock.bootstrapServers },
        topic: "checked-logs",
        inputs: [first, join(dir, "missing.ndjson"), dir],
        keyField: "host",
        quarantine: { kind: "file", path: join(dir, "checked-q.ndjson") },
      }),
      (error: Error) => {
        assert.match(error.message, /nothing shipped: cannot read 2 of 3 inputs/);
        assert.match(error.message, /missing\.ndjson: no such file/);
        assert.match(error.message, /is a directory/);
        return true;
      },
    );
    assert.deepEqual(
      await readTopic(mock.bootstrapServers, "checked-logs", 1, 1500),
      [],
      "the first input was not sent",
    );
  });

  it("ships a truncated gzip's complete lines, quarantines the fragment at the cut and names the file", async () => {
    const truncated = join(dir, "cut.ndjson.gz");
    const next = join(dir, "next.ndjson");
    const quarantine = join(dir, "cut-q.ndjson");
    const zipped = gzipSync(Array.from({ length: 2000 }, (_, seq) => logLine("web-1", seq)).join("\n") + "\n");
    await writeFile(truncated, zipped.subarray(0, Math.floor(zipped.length / 2)));
    await writeFile(next, logLine("web-2", 5000) + "\n");
    const stats = await ship({
      connection: { kind: "local", bootstrapServers: mock.bootstrapServers },
      topic: "cut-logs",
      inputs: [truncated, next],
      keyField: "host",
      quarantine: { kind: "file", path: quarantine },
    });
    assert.equal(shipOutcome(stats), "failed", "an input not read to its end fails the run");
    assert.deepEqual(Object.keys(stats.inputErrors), [truncated]);
    assert.match(stats.inputErrors[truncated], /unexpected end of file/);
    const entry = JSON.parse(await readFile(quarantine, "utf8"));
    assert.equal(entry.source, truncated);
    assert.match(entry.reason, /input ended inside this line/);
    assert.equal(entry.line, stats.delivered, "the fragment is the line after the last delivered one of the file");
    assert.ok(logLine("web-1", entry.line - 1).startsWith(entry.raw), "the fragment is the start of the cut line");
    assert.equal(stats.quarantined, 1);
    assert.equal(stats.failed, 0);
    const messages = await readTopic(mock.bootstrapServers, "cut-logs", stats.delivered);
    assert.equal(messages.length, stats.delivered);
    assert.ok(
      messages.some((message) => message.key!.toString() === "web-2"),
      "the inputs after the truncated one are still shipped",
    );
  });

  it("quarantines a line longer than the limit with only its start", async () => {
    const input = join(dir, "long.ndjson");
    const quarantine = join(dir, "long-q.ndjson");
    await writeFile(input, [logLine("web-1", 1), "z".repeat(300_000), logLine("web-1", 2)].join("\n"));
    const stats = await ship({
      connection: { kind: "local", bootstrapServers: mock.bootstrapServers },
      topic: "long-logs",
      inputs: [input],
      keyField: "host",
      quarantine: { kind: "file", path: quarantine },
      maxLineBytes: 100_000,
    });
    assert.deepEqual(
      { delivered: stats.delivered, quarantined: stats.quarantined, failed: stats.failed },
      { delivered: 2, quarantined: 1, failed: 0 },
    );
    const entry = JSON.parse(await readFile(quarantine, "utf8"));
    assert.equal(entry.line, 2);
    assert.equal(entry.rawTruncated, true);
    assert.equal(entry.raw, "z".repeat(64 * 1024));
    assert.match(entry.reason, /line of 300000 bytes is longer than the limit of 100000/);
  });

  it("quarantines a record too large for the producer instead of failing the run", async () => {
    const input = join(dir, "large.ndjson");
    const quarantine = join(dir, "large-q.ndjson");
    await writeFile(input, [logLine("web-1", 1), JSON.stringify({ host: "web-1", blob: "x".repeat(3000) })].join("\n"));
    const stats = await ship({
      connection: { kind: "local", bootstrapServers: mock.bootstrapServers },
      topic: "large-logs",
      inputs: [input],
      keyField: "host",
      quarantine: { kind: "file", path: quarantine },
      producerConfig: { "message.max.bytes": 2000 },
    });
    assert.deepEqual(
      { delivered: stats.delivered, quarantined: stats.quarantined, failed: stats.failed },
      { delivered: 1, quarantined: 1, failed: 0 },
    );
    const entry = JSON.parse(await readFile(quarantine, "utf8"));
    assert.equal(entry.line, 2);
    assert.match(entry.reason, /exceeds the producer's message.max.bytes/);
  });

  it("counts records the cluster never acknowledged as failed", async function () {
    // A cluster that goes away after the shipper connected: records time out instead of vanishing.
    const doomed = await startKafkaMock();
    const fifo = join(dir, "slow-input");
    execFileSync("mkfifo", [fifo]);
    const shipping = ship({
      connection: { kind: "local", bootstrapServers: doomed.bootstrapServers },
      topic: "lost",
      inputs: [fifo],
      keyField: "host",
      quarantine: { kind: "file", path: join(dir, "unused.ndjson") },
      deliveryTimeoutMs: 1500,
    });
    await new Promise((resolve) => setTimeout(resolve, 500)); // let the producer connect
    await doomed.stop();
    // More failures than the binding hands to JavaScript in one event-loop turn (100).
    await writeFile(fifo, Array.from({ length: 1000 }, (_, seq) => logLine(`web-${seq % 3}`, seq)).join("\n"));
    const stats = await shipping;
    assert.equal(stats.produced, 1000);
    assert.equal(stats.delivered, 0, "a record with a failure report is never counted delivered");
    assert.equal(stats.failed, 1000, "every failure report is counted before the totals are final");
    assert.equal(shipOutcome(stats), "failed");
    assert.ok(Object.keys(stats.errors).length > 0, "the failure reason is reported");
  });

  describe("command line", () => {
    async function runShip(stdin: string, extra: string[] = []): Promise<{ code: number | null; stderr: string }> {
      const child = spawn(
        process.execPath,
        [
          "--import",
          "tsx",
          "runtime/cli.ts",
          "ship",
          "--brokers",
          mock.bootstrapServers,
          "--topic",
          "cli-logs",
          "--quarantine",
          join(dir, "cli-q.ndjson"),
          ...extra,
        ],
        { stdio: ["pipe", "ignore", "pipe"] },
      );
      let stderr = "";
      child.stderr.on("data", (chunk) => (stderr += chunk));
      child.stdin.end(stdin);
      const [code] = await once(child, "exit");
      return { code, stderr };
    }

    it("reads standard input, prints a summary and exits 0 when everything was delivered", async () => {
      const { code, stderr } = await runShip([logLine("web-1", 1), logLine("web-1", 2)].join("\n"));
      assert.equal(code, 0, stderr);
      assert.match(stderr, /delivered 2 of 2 records to cli-logs; failed 0; quarantined 0/);
    });

    it("exits 2 when lines were quarantined", async () => {
      const { code, stderr } = await runShip(`${logLine("web-1", 3)}\nnot json\n`);
      assert.equal(code, 2, stderr);
      assert.match(stderr, /quarantined 1/);
    });

    it("exits 1 naming every input it cannot read, having sent nothing", async () => {
      const { code, stderr } = await runShip("", [join(dir, "absent-1.ndjson"), join(dir, "absent-2.ndjson")]);
      assert.equal(code, 1);
      assert.match(stderr, /nothing shipped: cannot read 2 of 2 inputs: .*absent-1\.ndjson: no such file; .*absent-2/);
    });

    it("takes the line limit from the command line", async () => {
      const { code, stderr } = await runShip(`${logLine("web-1", 4)}\n${"q".repeat(2000)}\n`, [
        "--max-line-mb",
        "0.001",
      ]);
      assert.equal(code, 2, stderr);
      assert.match(stderr, /delivered 1 of 1 records .* quarantined 1/);
    });

    it("exits 1 with a clear message when the connection options are wrong", async () => {
      const { code, stderr } = await runShip("", ["--cluster-arn", "arn:aws:kafka:eu-west-1:123456789012:cluster/x/y"]);
      assert.equal(code, 1);
      assert.match(stderr, /exactly one of --brokers/);
    });
  });
});
