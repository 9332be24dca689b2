import assert from "node:assert/strict";
import { once } from "node:events";
import { startKafkaBroker, type KafkaBroker } from "../../../runtime/local/peers/kafka-broker";
import { startS3, type LocalS3 } from "../../../runtime/local/peers/s3";
import { sinkDefaults } from "../../../runtime/sink/deployment";
import {
  disconnect,
  lakeSeqs,
  logRecord,
  produceAll,
  producer,
  startSinkProcess,
  until,
  type SinkProcess,
} from "./helpers";

// Apache Kafka's own broker: librdkafka's mock cluster forgets a member the moment it goes, so only a
// real group coordinator can show what static membership buys after a crash.
describe("loglake sink with static group membership, on Apache Kafka's broker", function () {
  this.timeout(120_000);
  let broker: KafkaBroker;
  let s3: LocalS3;
  const writers: SinkProcess[] = [];
  before(async () => {
    [broker, s3] = await Promise.all([startKafkaBroker(), startS3()]);
    await s3.createBucket("lake");
  });
  afterEach(() => {
    for (const { child } of writers.splice(0))
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
  after(async () => Promise.all([broker?.stop(), s3?.stop()]));

  /** Starts a writer and resolves with it and the milliseconds from spawn to its first assignment. */
  async function writerAssigned(instanceId: string): Promise<{ writer: SinkProcess; ms: number }> {
    const started = Date.now();
    const writer = startSinkProcess(broker, s3, "static", "static-writers", [
      "--prefix",
      "static",
      "--flush-mb",
      "0.02",
      "--flush-seconds",
      "0.5",
      "--instance-id",
      instanceId,
    ]);
    writers.push(writer);
    await until(
      () => writer.events.includes("assigned") || writer.child.exitCode !== null,
      "the writer's assignment",
      60_000,
    );
    assert.equal(writer.child.exitCode, null, `the writer exited:\n${writer.stderr()}`);
    return { writer, ms: Date.now() - started };
  }

  it("a writer killed with SIGKILL and restarted under its --instance-id gets its partitions back without waiting out the session timeout, and loses or repeats nothing", async () => {
    const total = 3_000;
    const source = await producer(broker.bootstrapServers);
    await produceAll(
      source,
      "static",
      Array.from({ length: total / 2 }, (_, seq) => logRecord(seq)),
    );

    const first = await writerAssigned("lake-writer-0");
    await until(() => first.writer.events.includes("batch-committed"), "a committed batch");
    const exited = once(first.writer.child, "exit");
    first.writer.child.kill("SIGKILL");
    await exited;

    const restarted = await writerAssigned("lake-writer-0");
    // Against the first start, so the margin is the group's doing, not the process start-up's; without
    // static membership the coordinator holds the partitions for the whole session timeout.
    const waited = restarted.ms - first.ms;
    assert.ok(
      waited < sinkDefaults.sessionTimeoutMs / 2,
      `the restart took ${restarted.ms} ms to its assignment against ${first.ms} ms for the first start ` +
        `(session timeout ${sinkDefaults.sessionTimeoutMs} ms)`,
    );

    await produceAll(
      source,
      "static",
      Array.from({ length: total / 2 }, (_, i) => logRecord(total / 2 + i)),
    );
    await disconnect(source);
    await until(async () => new Set(await lakeSeqs(s3, "static/")).size === total, "every record in S3", 60_000);
    const stopped = once(restarted.writer.child, "exit");
    restarted.writer.child.kill("SIGTERM");
    const [code] = await stopped;
    assert.equal(code, 0, restarted.writer.stderr());
    const seqs = await lakeSeqs(s3, "static/");
    assert.equal(seqs.length, total, `${seqs.length - total} records duplicated`);
  });
});
