import { KafkaConsumer } from "@confluentinc/kafka-javascript";
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { committed, connect } from "../../../runtime/kafka/native";
import {
  disconnect,
  lakeSeqs,
  logRecord,
  produceAll,
  producer,
  startSinkProcess,
  withPeers,
  type SinkProcess,
} from "./helpers";

/** When to SIGKILL a writer run: after its n-th event of a kind, or after some time. */
type KillPoint =
  { afterEvent: "batch-pending" | "batch-written" | "batch-committed"; count: number } | { afterMs: number };

describe("loglake sink killed at any moment", function () {
  const peers = withPeers("lake");
  const writers: ChildProcess[] = [];
  afterEach(() => {
    for (const child of writers.splice(0))
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });

  /** A `loglake sink` process; by default with tiny batches, so kills land between batch steps. */
  function startWriter({
    topic = "events",
    prefix = "eo",
    flushMb = "0.02",
    flushSeconds = "0.3",
    extra = ["--session-timeout-ms", "3000"],
  } = {}): SinkProcess {
    const writer = startSinkProcess(peers.mock, peers.s3, topic, `writer-of-${topic}`, [
      "--prefix",
      prefix,
      "--flush-mb",
      flushMb,
      "--flush-seconds",
      flushSeconds,
      ...extra,
    ]);
    writers.push(writer.child);
    return writer;
  }

  async function killAt(point: KillPoint): Promise<string[]> {
    const writer = startWriter();
    const exited = once(writer.child, "exit");
    const deadline = Date.now() + 20_000;
    const reached = () =>
      "afterMs" in point ? false : writer.events.filter((event) => event === point.afterEvent).length >= point.count;
    const startedAt = Date.now();
    while (!reached() && Date.now() < deadline && writer.child.exitCode === null) {
      if ("afterMs" in point && writer.events.includes("assigned") && Date.now() - startedAt >= point.afterMs) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.equal(writer.child.exitCode, null, `the writer exited by itself:\n${writer.stderr()}`);
    writer.child.kill("SIGKILL");
    await exited;
    return writer.events;
  }

  const lakeEoSeqs = () => lakeSeqs(peers.s3, "eo/");

  it("leaves every record in S3 exactly once across SIGKILLs and a final SIGTERM", async function () {
    this.timeout(90_000);
    const total = 12_000;
    const source = await producer(peers.mock.bootstrapServers);
    // Produced while the writer is being killed, so kills land mid-batch with records in flight.
    const producing = (async () => {
      for (let start = 0; start < total; start += 400) {
        await produceAll(
          source,
          "events",
          Array.from({ length: 400 }, (_, i) => logRecord(start + i)),
        );
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    })();

    const events: string[] = [];
    for (const point of [
      { afterEvent: "batch-pending", count: 4 },
      { afterEvent: "batch-written", count: 3 },
      { afterMs: 700 },
      { afterEvent: "batch-pending", count: 9 },
      { afterEvent: "batch-committed", count: 2 },
    ] satisfies KillPoint[]) {
      events.push(...(await killAt(point)));
    }
    await producing;
    await disconnect(source);

    const last = startWriter();
    const exited = once(last.child, "exit");
    const deadline = Date.now() + 30_000;
    const pause = () => new Promise((resolve) => setTimeout(resolve, 250));
    while (!last.events.includes("assigned") && Date.now() < deadline) await pause();
    while (new Set(await lakeEoSeqs()).size < total && Date.now() < deadline) await pause();
    last.child.kill("SIGTERM");
    const [code] = await exited;
    assert.equal(code, 0, `graceful stop failed:\n${last.stderr()}`);
    events.push(...last.events);

    const seqs = await lakeEoSeqs();
    const counts = new Map<number, number>();
    for (const seq of seqs) counts.set(seq, (counts.get(seq) ?? 0) + 1);
    const missing = Array.from({ length: total }, (_, seq) => seq).filter((seq) => !counts.has(seq));
    const duplicated = [...counts].filter(([, count]) => count > 1).map(([seq]) => seq);
    assert.deepEqual(
      { missing: missing.slice(0, 10), duplicated: duplicated.slice(0, 10) },
      { missing: [], duplicated: [] },
      `${missing.length} lost, ${duplicated.length} duplicated`,
    );
    assert.equal(seqs.length, total);
    assert.ok(
      events.includes("replay"),
      "at least one restart found a pending batch and rewrote it (the crash window was hit)",
    );
  });

  it("a writer killed with several batches pending during an S3 outage is replayed batch for batch by the next one", async function () {
    this.timeout(90_000);
    const options = { topic: "crashed-pending", prefix: "crashed" };
    const source = await producer(peers.mock.bootstrapServers);
    const pendingCount = (writer: ReturnType<typeof startWriter>) =>
      writer.events.filter((event) => event === "batch-pending").length;
    const waitFor = async (what: string, condition: () => boolean) => {
      const deadline = Date.now() + 30_000;
      while (!condition()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const first = startWriter(options);
    await waitFor("the first writer's assignment", () => first.events.includes("assigned"));
    await produceAll(
      source,
      options.topic,
      Array.from({ length: 100 }, (_, seq) => logRecord(seq)),
      0,
    );
    await waitFor("the first batch committed", () => first.events.includes("batch-committed"));
    await peers.s3.outage!();
    try {
      // Chunks over the 0.02 MB flush size, each cut as its own batch before the next arrives.
      for (const from of [100, 350, 600]) {
        const before = pendingCount(first);
        await produceAll(
          source,
          options.topic,
          Array.from({ length: 250 }, (_, i) => logRecord(from + i)),
          0,
        );
        await waitFor(`records from ${from} pending`, () => pendingCount(first) > before);
      }
      await waitFor("a retried write", () => first.events.includes("s3-retry"));
      const exited = once(first.child, "exit");
      first.child.kill("SIGKILL");
      await exited;
    } finally {
      await peers.s3.restore!();
    }
    await disconnect(source);

    const second = startWriter(options);
    const exited = once(second.child, "exit");
    const expected = Array.from({ length: 850 }, (_, seq) => seq);
    const seqs = async () => (await lakeSeqs(peers.s3, "crashed/")).sort((x, y) => x - y);
    const deadline = Date.now() + 45_000;
    while ((await seqs()).length < expected.length && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 250));
    second.child.kill("SIGTERM");
    const [code] = await exited;
    assert.equal(code, 0, second.stderr());
    const replay = /"event":"replay"[^\n]*"lastOffsets":\[([\d,]*)\]/.exec(second.stderr());
    assert.ok(replay, `the restarted writer found the pending batches:\n${second.stderr()}`);
    assert.ok(replay[1].split(",").length >= 3, `three batches were pending at the kill, found ${replay[1]}`);
    assert.deepEqual(await seqs(), expected, "every record exactly once");
  });

  it("a writer killed and restarted gets its partitions back after the 10 s session timeout, not the former 45 s", async () => {
    const source = await producer(peers.mock.bootstrapServers);
    await produceAll(
      source,
      "static",
      Array.from({ length: 200 }, (_, seq) => logRecord(seq)),
    );
    await disconnect(source);
    const options = {
      topic: "static",
      prefix: "static",
      // The defaults, without --instance-id: librdkafka's mock cluster does not implement static
      // membership (static-membership.test.ts shows it on Apache Kafka's broker).
      extra: [],
    };
    const assigned = async (writer: ReturnType<typeof startWriter>) => {
      while (!writer.events.includes("assigned") && writer.child.exitCode === null)
        await new Promise((resolve) => setTimeout(resolve, 50));
    };
    const first = startWriter(options);
    await assigned(first);
    first.child.kill("SIGKILL");
    await once(first.child, "exit");
    const restarted = Date.now();
    const second = startWriter(options);
    await assigned(second);
    const waited = Date.now() - restarted;
    second.child.kill("SIGTERM");
    await once(second.child, "exit");
    // Session timeout 10 s plus startup; the bound only has to tell it from the former 45 s default,
    // with room for a loaded machine (speed itself is measured by the benchmarks, not here).
    assert.ok(waited < 40_000, `the restarted writer waited ${waited} ms for its partitions`);
  });

  it("on SIGTERM writes what it has buffered, commits it, leaves the group and exits 0", async () => {
    const source = await producer(peers.mock.bootstrapServers);
    await produceAll(
      source,
      "drained",
      Array.from({ length: 500 }, (_, seq) => logRecord(seq)),
    );
    await disconnect(source);
    // Limits that never flush on their own: only the shutdown can write these records.
    const writer = startWriter({ topic: "drained", prefix: "drained", flushMb: "64", flushSeconds: "600" });
    const exited = once(writer.child, "exit");
    while (!writer.events.includes("assigned") && writer.child.exitCode === null)
      await new Promise((resolve) => setTimeout(resolve, 50));
    await new Promise((resolve) => setTimeout(resolve, 2000)); // let it fetch everything
    assert.equal(writer.events.includes("batch-pending"), false, "nothing was written before SIGTERM");
    writer.child.kill("SIGTERM");
    const [code] = await exited;
    assert.equal(code, 0, writer.stderr());
    assert.match(writer.stderr(), /SIGTERM: writing buffered batches/);

    assert.deepEqual(
      (await lakeSeqs(peers.s3, "drained/")).sort((x, y) => x - y),
      Array.from({ length: 500 }, (_, seq) => seq),
    );
    const reader = await connect(
      new KafkaConsumer({ "bootstrap.servers": peers.mock.bootstrapServers, "group.id": "writer-of-drained" }, {}),
    );
    const offsets = await committed(
      reader,
      [0, 1, 2, 3].map((partition) => ({ topic: "drained", partition })),
      10_000,
    );
    await disconnect(reader);
    assert.equal(
      offsets.reduce((sum, { offset }) => sum + Math.max(offset, 0), 0),
      500,
      "every written record's offset is committed",
    );
  });
});
