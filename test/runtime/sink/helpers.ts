import { Producer } from "@confluentinc/kafka-javascript";
import { connect, disconnect, flush } from "../../../runtime/kafka/native";
import { startKafkaMock, type KafkaMock } from "../../../runtime/local/peers/kafka-mock";
import { startS3, type LocalS3 } from "../../../runtime/local/peers/s3";

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
 * The node arguments that run `loglake sink` from source against the peers, reading `topic` as
 * `group` into the `lake` bucket; `options` are the sink's further flags.
 */
export function sinkProcessArgs(
  peers: { mock: KafkaMock; s3: LocalS3 },
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
    peers.mock.bootstrapServers,
    "--topic",
    topic,
    "--group",
    group,
    "--bucket",
    "lake",
    "--s3-endpoint",
    peers.s3.endpoint,
    ...options,
  ];
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
