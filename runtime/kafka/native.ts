import type {
  Client,
  KafkaConsumer,
  Message,
  Producer,
  TopicPartition,
  TopicPartitionOffsetAndMetadata,
} from "@confluentinc/kafka-javascript";

// Promise forms of the callback-style native (node-rdkafka) API that the runtime uses.

export function connect<T extends Client<string>>(client: T, timeoutMs = 30_000): Promise<T> {
  return new Promise((resolve, reject) =>
    client.connect({ timeout: timeoutMs }, (error) => (error ? reject(asError(error, "connect")) : resolve(client))),
  );
}

export function disconnect(client: Client<string>): Promise<void> {
  return new Promise((resolve) => {
    if (!client.isConnected()) return resolve();
    client.disconnect(() => resolve());
  });
}

export function flush(producer: Producer, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) =>
    producer.flush(timeoutMs, (error) => (error ? reject(asError(error, "flush")) : resolve())),
  );
}

export function consume(consumer: KafkaConsumer, maxMessages: number): Promise<Message[]> {
  return new Promise((resolve, reject) =>
    consumer.consume(maxMessages, (error, messages) => (error ? reject(asError(error, "consume")) : resolve(messages))),
  );
}

export function committed(
  consumer: KafkaConsumer,
  partitions: TopicPartition[],
  timeoutMs: number,
): Promise<TopicPartitionOffsetAndMetadata[]> {
  return new Promise((resolve, reject) =>
    consumer.committed(partitions, timeoutMs, (error, offsets) =>
      error ? reject(asError(error, "fetch committed offsets")) : resolve(offsets),
    ),
  );
}

function asError(error: unknown, action: string): Error {
  if (error instanceof Error) return error;
  const { message, code } = error as { message?: string; code?: number };
  return new Error(`Kafka ${action} failed: ${message ?? String(error)}${code === undefined ? "" : ` (code ${code})`}`);
}
