import { Producer } from "@confluentinc/kafka-javascript";
import { connect, disconnect, flush } from "../../../runtime/kafka/native";

/** A log record with a unique sequence number, so a count over the lake finds losses and duplicates. */
export function logRecord(seq: number, hour = 10): string {
  const at = new Date(Date.UTC(2026, 10, 21, hour, seq % 60, seq % 60));
  return JSON.stringify({ timestamp: at.toISOString(), host: `web-${seq % 7}`, seq, msg: "GET /api/orders 200" });
}

export async function producer(bootstrapServers: string): Promise<Producer> {
  const created = await connect(new Producer({ "bootstrap.servers": bootstrapServers, "enable.idempotence": true, "linger.ms": 5 }));
  created.setPollInBackground(true);
  return created;
}

/** Produces and waits for acknowledgement; to one partition when given, else spread by key. */
export async function produceAll(target: Producer, topic: string, values: (string | Buffer)[], partition: number | null = null): Promise<void> {
  values.forEach((value, index) => target.produce(topic, partition, Buffer.isBuffer(value) ? value : Buffer.from(value), `k${index % 11}`));
  await flush(target, 20_000);
}

export { disconnect };
