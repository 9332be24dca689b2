import type { S3Client } from "@aws-sdk/client-s3";
import {
  KafkaConsumer,
  type ConsumerGlobalConfig,
  type LibrdKafkaError,
  type TopicPartition,
} from "@confluentinc/kafka-javascript";
import { connectionConfig, type KafkaConnection } from "../kafka/connection";
import { committed, connect, consume, disconnect } from "../kafka/native";
import { parseFieldPath } from "../ship/lines";
import { PartitionBuffer, type Batch, type FlushLimits } from "./batch";
import { sinkDefaults } from "./deployment";
import { decodePendingBatch, encodePendingBatch } from "./intent";
import { planObjects } from "./layout";
import { retryTransient } from "./retry";
import { checkBucket, writeObject } from "./s3-writer";

export interface SinkOptions {
  connection: KafkaConnection;
  topics: string[];
  groupId: string;
  s3: S3Client;
  bucket: string;
  /** Key prefix; objects go under `<prefix>/<topic>/dt=YYYY-MM-DD/hour=HH/`. May be empty. */
  prefix: string;
  /** KMS key id or ARN for SSE-KMS. Default: the account's aws/s3 key. */
  kmsKeyId?: string;
  /** Dotted path of the event-time field. Records without a parseable one use the Kafka timestamp. */
  timeField: string;
  /** Per-partition flush thresholds. Default: 64 MiB or 60 s, whichever comes first. */
  flush?: Partial<FlushLimits>;
  /** gzip level 1-9. Default 6. */
  gzipLevel?: number;
  /**
   * How long an object write may keep failing transiently (no connection, 5xx, throttling) before the
   * writer gives up and exits; meanwhile the partition's batch stays pending and nothing past it is
   * committed. Default 10 minutes.
   */
  s3RetryDeadlineMs?: number;
  /** Extra librdkafka consumer settings, applied last (e.g. session.timeout.ms). */
  consumerConfig?: ConsumerGlobalConfig;
  /** Receives one event per batch step and rebalance; for logs. */
  onEvent?: (event: SinkEvent) => void;
}

export type SinkEvent =
  | { event: "assigned" | "revoked"; partitions: string[] }
  | { event: "replay"; partition: string; committedOffset: number; lastOffset: number }
  | {
      event: "batch-pending" | "batch-written" | "batch-committed";
      partition: string;
      firstOffset: number;
      lastOffset: number;
      records: number;
      objects?: number;
    }
  | { event: "batch-abandoned"; partition: string; firstOffset: number; lastOffset: number; reason: string }
  | { event: "s3-retry"; partition: string; key: string; attempt: number; delayMs: number; error: string };

export interface SinkStats {
  consumed: number;
  recordsWritten: number;
  objectsWritten: number;
  /** gzip bytes put to S3. */
  bytesWritten: number;
  /** Value bytes of the records written (uncompressed). */
  valueBytesWritten: number;
  batches: number;
}

/** Coordinator answers meaning the group is rebalancing: a revoke and new assignment follow. */
const rebalancingCodes = new Set([
  22 /* ILLEGAL_GENERATION */, 25 /* UNKNOWN_MEMBER_ID */, 27 /* REBALANCE_IN_PROGRESS */,
]);
/** librdkafka's "committed offset, else auto.offset.reset". */
const offsetStoredOrReset = -1000;
const defaultFlush: FlushLimits = {
  maxBytes: sinkDefaults.flushMb * 1024 * 1024,
  maxAgeMs: sinkDefaults.flushSeconds * 1000,
};
const objectWritesInParallel = 4;
const defaultS3RetryDeadlineMs = sinkDefaults.s3RetrySeconds * 1000;

interface PartitionState {
  id: string;
  topic: string;
  partition: number;
  buffer: PartitionBuffer;
  /** No longer ours: nothing more is written or committed for it. */
  revoked: boolean;
  flushing?: Promise<void>;
  /** Set when a commit was refused for a rebalance; the partition must be revoked soon. */
  abandonedAt?: number;
}

/**
 * The lake writer: a consumer group member that lands records in S3 as gzip NDJSON, committing
 * each partition's offsets only after its objects are written. See `intent.ts` for why a crash at
 * any point leaves every record in exactly one object.
 */
export class LakeSink {
  private readonly consumer: KafkaConsumer;
  private readonly limits: FlushLimits;
  private readonly timePath: string[];
  private readonly partitions = new Map<string, PartitionState>();
  private readonly stats: SinkStats = {
    consumed: 0,
    recordsWritten: 0,
    objectsWritten: 0,
    bytesWritten: 0,
    valueBytesWritten: 0,
    batches: 0,
  };
  /** Counts revocations, to discard consume results that straddle one (records of the old assignment). */
  private revocations = 0;
  /** Partitions the group gave us that are not assigned to the consumer yet (see applyAssignment). */
  private pendingAssignment?: TopicPartition[];
  private stopping = false;
  private failure?: Error;
  private loop?: Promise<void>;

  constructor(private readonly options: SinkOptions) {
    this.limits = { ...defaultFlush, ...options.flush };
    this.timePath = parseFieldPath(options.timeField);
    this.consumer = new KafkaConsumer(
      {
        ...connectionConfig(options.connection),
        "client.id": "loglake-sink",
        "group.id": options.groupId,
        "enable.auto.commit": false,
        "enable.auto.offset.store": false,
        // Eager protocol: every rebalance revokes all partitions, which the pending-batch
        // bookkeeping relies on to hand a partition over cleanly.
        "partition.assignment.strategy": "range,roundrobin",
        "enable.partition.eof": false,
        // Assignment is applied by the run loop, not by the client library (see onRebalance).
        rebalance_cb: () => {},
        ...options.consumerConfig,
      },
      // A new group starts from the oldest retained record. (Topic-level: ignored in the global config.)
      { "auto.offset.reset": "earliest" },
    );
    this.consumer.on("rebalance", (error, assignment) => this.onRebalance(error, assignment));
  }

  /** Joins the group and starts writing. The returned promise settles when the writer stops. */
  async start(): Promise<void> {
    await checkBucket(this.options.s3, this.options.bucket);
    await connect(this.consumer);
    // A consume call waits this long for *each* further message before returning its batch, so a
    // long wait idles the writer whenever it has drained the fetched records.
    this.consumer.setDefaultConsumeTimeout(20);
    this.consumer.subscribe(this.options.topics);
    this.loop = this.run();
  }

  /** Resolves when the writer stops after `stop()`; rejects on a fatal error (nothing uncommitted is lost). */
  get done(): Promise<void> {
    if (!this.loop) throw new Error("LakeSink not started");
    return this.loop;
  }

  /** Graceful stop: write and commit what is buffered, then leave the group. */
  async stop(): Promise<SinkStats> {
    this.stopping = true;
    await this.loop;
    return this.snapshot();
  }

  snapshot(): SinkStats {
    return { ...this.stats };
  }

  private async run(): Promise<void> {
    try {
      while (!this.stopping && !this.failure) {
        const writing = [...this.partitions.values()].map((state) => state.flushing).filter(Boolean);
        if (writing.length > 0 && this.bufferedBytes() > this.limits.maxBytes * Math.max(2, this.partitions.size + 1)) {
          // S3 is slower than Kafka: wait for a write instead of buffering without bound.
          await Promise.race(writing);
        } else if (this.pendingAssignment) {
          await this.applyAssignment(this.pendingAssignment);
        } else {
          const revocationsBefore = this.revocations;
          const messages = await consume(this.consumer, 2000);
          if (this.revocations === revocationsBefore) this.accept(messages);
        }
        this.startDueFlushes(false);
        this.checkAbandoned();
      }
      if (!this.failure) await this.flushAll();
    } finally {
      await Promise.allSettled([...this.partitions.values()].map((state) => state.flushing));
      await disconnect(this.consumer);
    }
    if (this.failure) throw this.failure;
  }

  private accept(messages: Awaited<ReturnType<typeof consume>>): void {
    const now = Date.now();
    for (const message of messages) {
      const state = this.partitions.get(partitionId(message.topic, message.partition));
      if (!state || state.revoked) continue;
      const value = message.value ?? Buffer.alloc(0);
      if (state.buffer.add({ offset: message.offset, value, timestamp: message.timestamp ?? now }, now))
        this.stats.consumed++;
    }
  }

  private startDueFlushes(closing: boolean): void {
    const now = Date.now();
    for (const state of this.partitions.values()) {
      if (state.flushing || state.revoked) continue;
      const batch = state.buffer.take(now, closing);
      if (!batch) continue;
      state.flushing = this.writeBatch(state, batch)
        .catch((error: Error) => {
          this.failure ??= error;
        })
        .finally(() => {
          state.flushing = undefined;
        });
    }
  }

  /** On shutdown: everything buffered goes out, except records past an unfinished pending batch. */
  private async flushAll(): Promise<void> {
    for (;;) {
      this.startDueFlushes(true);
      const inFlight = [...this.partitions.values()].map((state) => state.flushing).filter(Boolean);
      if (inFlight.length === 0 || this.failure) return;
      await Promise.all(inFlight);
    }
  }

  private async writeBatch(state: PartitionState, batch: Batch): Promise<void> {
    const objects = planObjects(batch.records, {
      prefix: this.options.prefix,
      topic: state.topic,
      partition: state.partition,
      timePath: this.timePath,
    });
    const described = {
      partition: state.id,
      firstOffset: batch.firstOffset,
      lastOffset: batch.lastOffset,
      records: batch.records.length,
    };
    if (!this.commit(state, batch, batch.firstOffset, encodePendingBatch(batch.lastOffset))) return;
    this.options.onEvent?.({ event: "batch-pending", ...described, objects: objects.length });
    const writer = {
      s3: this.options.s3,
      bucket: this.options.bucket,
      kmsKeyId: this.options.kmsKeyId,
      gzipLevel: this.options.gzipLevel ?? sinkDefaults.gzipLevel,
    };
    let compressed = 0;
    for (let i = 0; i < objects.length; i += objectWritesInParallel) {
      const sizes = await Promise.all(
        objects.slice(i, i + objectWritesInParallel).map((object) =>
          retryTransient(`writing s3://${writer.bucket}/${object.key}`, () => writeObject(object, writer), {
            deadlineMs: this.options.s3RetryDeadlineMs ?? defaultS3RetryDeadlineMs,
            onRetry: (error, attempt, delayMs) =>
              this.options.onEvent?.({
                event: "s3-retry",
                partition: state.id,
                key: object.key,
                attempt,
                delayMs,
                error: `${error.name}: ${error.message}`,
              }),
          }),
        ),
      );
      compressed += sizes.reduce((sum, size) => sum + size, 0);
    }
    this.options.onEvent?.({ event: "batch-written", ...described, objects: objects.length });
    if (!this.commit(state, batch, batch.lastOffset + 1, "")) return;
    this.stats.batches++;
    this.stats.recordsWritten += batch.records.length;
    this.stats.objectsWritten += objects.length;
    this.stats.bytesWritten += compressed;
    this.stats.valueBytesWritten += batch.records.reduce((sum, record) => sum + record.value.length, 0);
    this.options.onEvent?.({ event: "batch-committed", ...described, objects: objects.length });
  }

  /**
   * Commits synchronously. False when the partition is no longer ours or the group is
   * rebalancing: the batch is abandoned and its next owner finishes it from the committed offset.
   */
  private commit(state: PartitionState, batch: Batch, offset: number, metadata: string): boolean {
    const abandon = (reason: string) => {
      this.options.onEvent?.({
        event: "batch-abandoned",
        partition: state.id,
        firstOffset: batch.firstOffset,
        lastOffset: batch.lastOffset,
        reason,
      });
      return false;
    };
    if (state.revoked || this.failure) return abandon("partition revoked");
    try {
      this.consumer.commitSync({
        topic: state.topic,
        partition: state.partition,
        offset,
        metadata,
      } as TopicPartition & { offset: number; metadata: string });
      return true;
    } catch (error) {
      const code = (error as LibrdKafkaError).code;
      if (!rebalancingCodes.has(code)) throw error;
      state.revoked = true;
      state.abandonedAt = Date.now();
      return abandon(`commit refused: ${(error as Error).message}`);
    }
  }

  /**
   * Runs on the JS thread while a consume call may be in flight. Revocation takes effect at once;
   * assignment waits for the run loop (applyAssignment), so no consume call ever mixes records of
   * an old assignment with those of a new one.
   */
  private onRebalance(error: LibrdKafkaError, assignment: TopicPartition[]): void {
    const ids = assignment.map((tp) => partitionId(tp.topic, tp.partition));
    if (error.code === -174 /* ERR__REVOKE_PARTITIONS */) {
      this.revocations++;
      this.pendingAssignment = undefined;
      for (const state of this.partitions.values()) state.revoked = true;
      this.partitions.clear();
      this.consumer.unassign();
      this.options.onEvent?.({ event: "revoked", partitions: ids });
    } else if (error.code === -175 /* ERR__ASSIGN_PARTITIONS */) {
      this.pendingAssignment = assignment;
    } else {
      this.failure ??= new Error(`consumer group rebalance failed: ${error.message}`);
    }
  }

  /**
   * Reads the committed offsets (and pending batches) of newly assigned partitions, then starts
   * fetching from exactly those offsets. librdkafka keeps the group waiting until assign() is called.
   */
  private async applyAssignment(assignment: TopicPartition[]): Promise<void> {
    const partitions = assignment.map(({ topic, partition }) => ({ topic, partition }));
    const offsets = await committed(this.consumer, partitions, 30_000);
    if (this.pendingAssignment !== assignment) return; // revoked meanwhile
    this.pendingAssignment = undefined;
    const starts = offsets.map((offset) => {
      const state = this.track(offset);
      const committedOffset = offset.offset === undefined || offset.offset < 0 ? undefined : offset.offset;
      const pendingLast = decodePendingBatch(offset.metadata);
      state.buffer.start(committedOffset, pendingLast);
      if (state.buffer.replaying) {
        this.options.onEvent?.({
          event: "replay",
          partition: state.id,
          committedOffset: committedOffset!,
          lastOffset: pendingLast!,
        });
      }
      return { topic: offset.topic, partition: offset.partition, offset: committedOffset ?? offsetStoredOrReset };
    });
    this.consumer.assign(starts);
    this.options.onEvent?.({ event: "assigned", partitions: starts.map((tp) => partitionId(tp.topic, tp.partition)) });
  }

  private track(tp: TopicPartition): PartitionState {
    const id = partitionId(tp.topic, tp.partition);
    const state: PartitionState = {
      id,
      topic: tp.topic,
      partition: tp.partition,
      buffer: new PartitionBuffer(this.limits),
      revoked: false,
    };
    this.partitions.set(id, state);
    return state;
  }

  /** A refused commit means a rebalance is under way; if none comes, restart rather than stall. */
  private checkAbandoned(): void {
    const graceMs = 120_000;
    for (const state of this.partitions.values()) {
      if (state.abandonedAt !== undefined && Date.now() - state.abandonedAt > graceMs) {
        this.failure ??= new Error(
          `partition ${state.id} stalled: a commit was refused for a rebalance that never came`,
        );
      }
    }
  }

  private bufferedBytes(): number {
    let total = 0;
    for (const state of this.partitions.values()) total += state.buffer.bufferedBytes;
    return total;
  }
}

function partitionId(topic: string, partition: number): string {
  return `${topic}[${partition}]`;
}
