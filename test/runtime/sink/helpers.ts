import { Producer } from "@confluentinc/kafka-javascript";
import { spawn, type ChildProcess } from "node:child_process";
import { connect, disconnect, flush } from "../../../runtime/kafka/native";
import { startKafkaMock, type KafkaMock } from "../../../runtime/local/peers/kafka-mock";
import { s3rverEnvironment, startS3, type LocalS3 } from "../../../runtime/local/peers/s3";
import { listKeys, readObjectLines } from "../../../runtime/sink/inventory";

/** Mocha hooks: a mock Kafka cluster and an s3rver with one bucket for the enclosing describe. */
export function withPeers(bucket: string): { mock: KafkaMock; s3: LocalS3 } {
  const peers = {} as { mock: KafkaMock; s3: LocalS3 };
  before(async () => {
    [peers.mock, peers.s3] = await Promise.all([startKafkaMock(), startS3()]);
    await peers.s3.createBucket(bucket);
  });
  after(async () => {
    await Promise.all([peers.mock?.stop(), peers.s3?.stop()]);
  });
  return peers;
}

/**
 * The node arguments that run `loglake sink` from source against a Kafka peer and the S3 peer,
 * reading `topic` as `group` into the `lake` bucket; `options` are the sink's further flags.
 */
export function sinkProcessArgs(
  kafka: { bootstrapServers: string },
  s3: LocalS3,
  topic: string,
  group: string,
  options: string[],
): string[] {
  return [
    "--import",
    "tsx",
    "runtime/cli.ts",
    "sink",
    "--brokers",
    kafka.bootstrapServers,
    "--topic",
    topic,
    "--group",
    group,
    "--bucket",
    "lake",
    "--s3-endpoint",
    s3.endpoint,
    ...options,
  ];
}

/** A running `loglake sink --verbose` and what it has said so far. */
export interface SinkProcess {
  child: ChildProcess;
  /** The names of the events it reported, in order ("assigned", "batch-pending", "replay", …). */
  events: string[];
  stderr(): string;
}

/**
 * Spawns `loglake sink --verbose` from source (see sinkProcessArgs) with s3rver's credentials and
 * no metrics port, so parallel writers never compete for one; collects the events it reports.
 */
export function startSinkProcess(
  kafka: { bootstrapServers: string },
  s3: LocalS3,
  topic: string,
  group: string,
  options: string[],
): SinkProcess {
  const child = spawn(
    process.execPath,
    sinkProcessArgs(kafka, s3, topic, group, ["--metrics-port", "0", ...options, "--verbose"]),
    { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, ...s3rverEnvironment } },
  );
  const events: string[] = [];
  let text = "";
  child.stderr!.on("data", (chunk: Buffer) => {
    text += chunk.toString();
    for (const match of chunk.toString().matchAll(/"event":"([a-z0-9-]+)"/g)) events.push(match[1]);
  });
  return { child, events, stderr: () => text };
}

/** The `seq` of every record (see logRecord) in the lake bucket's objects under `prefix`. */
export async function lakeSeqs(s3: LocalS3, prefix: string): Promise<number[]> {
  const client = s3.client();
  const seqs: number[] = [];
  for (const key of await listKeys(client, "lake", prefix)) {
    for (const line of await readObjectLines(client, "lake", key)) seqs.push(JSON.parse(line).seq);
  }
  return seqs;
}

/** A log record with a unique sequence number, so a count over the lake finds losses and duplicates. */
export function logRecord(seq: number, hour = 10): string {
  const at = new Date(Date.UTC(2026, 10, 21, hour, seq % 60, seq % 60));
  return JSON.stringify({ timestamp: at.toISOString(), host: `web-${seq % 7}`, seq, msg: "GET /api/orders 200" });
}

export async function producer(bootstrapServers: string): Promise<Producer> {
  const created = await connect(
    new Producer({ "bootstrap.servers": bootstrapServers, "enable.idempotence": true, "linger.ms": 5 }),
  );
  created.setPollInBackground(true);
  return created;
}

/** Produces and waits for acknowledgement; to one partition when given, else spread by key. */
export async function produceAll(
  target: Producer,
  topic: string,
  values: (string | Buffer)[],
  partition: number | null = null,
): Promise<void> {
  values.forEach((value, index) =>
    target.produce(topic, partition, Buffer.isBuffer(value) ? value : Buffer.from(value), `k${index % 11}`),
  );
  await flush(target, 20_000);
}

export { disconnect };

/** Polls `condition` every 50 ms until it holds; fails naming `what` after `timeoutMs`. */
export async function until(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
