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
import { decodePendingBatches, maxPendingBatchesLimit, PendingBatches, type PartitionCommit } from "./intent";
import { planObjects } from "./layout";
import type { SinkGauges, SinkMetrics } from "./metrics";
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
  /**
   * Batches of one partition that may be pending at once: written concurrently, their offsets still
   * committed in order once every batch before them is in S3. Default 4, at most 64 (each pending
   * batch takes a place in the commit metadata). 1 writes one batch per partition at a time.
   */
  maxPendingBatches?: number;
  /**
   * Value bytes of all batches being written at once, beyond which no further batch starts (one
   * batch always may). gzip and the request bodies hold about twice this in memory. Default 256 MiB.
   */
  maxInFlightBytes?: number;
  /** Receives the writer's counters and reads its gauges (lag, in-flight work, running). Default: none. */
  metrics?: SinkMetrics;
  /** Extra librdkafka consumer settings, applied last (e.g. session.timeout.ms). */
  consumerConfig?: ConsumerGlobalConfig;
  /** Receives one event per batch step and rebalance; for logs. */
  onEvent?: (event: SinkEvent) => void;
}

export type SinkEvent =
  | { event: "assigned" | "revoked"; partitions: string[] }
  | { event: "replay"; partition: string; committedOffset: number; lastOffsets: number[] }
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
export const defaultMaxPendingBatches = 4;
export const defaultMaxInFlightBytes = 256 * 1024 * 1024;

interface PartitionState {
  id: string;
  topic: string;
  partition: number;
  buffer: PartitionBuffer;
  /** Batches cut and not yet committed, in offset order. */
  pending: PendingBatches<WrittenBatch>;
  /** No longer ours: nothing more is written or committed for it. */
  revoked: boolean;
  /** Set when a commit was refused for a rebalance; the partition must be revoked soon. */
  abandonedAt?: number;
}

/** A batch as reported once its offsets are committed. */
interface WrittenBatch {
  partition: string;
  firstOffset: number;
  lastOffset: number;
  records: number;
  objects: number;
  valueBytes: number;
  /** Filled in once its objects are written. */
  compressedBytes: number;
}

/**
 * The lake writer: a consumer group member that lands records in S3 as gzip NDJSON, committing
 * each partition's offsets only after its objects are written. See `intent.ts` for why a crash at
 * any point leaves every record in exactly one object.
 */
export class LakeSink implements SinkGauges {
  private readonly consumer: KafkaConsumer;
  private readonly limits: FlushLimits;
  private readonly maxPendingBatches: number;
  private readonly maxInFlightBytes: number;
  /** Batch writes under way (all partitions, revoked ones included until they settle). */
  private readonly writes = new Set<Promise<void>>();
  private inFlightBytes = 0;
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
  private finished = false;
  private failure?: Error;
  private loop?: Promise<void>;

  constructor(private readonly options: SinkOptions) {
    this.limits = { ...defaultFlush, ...options.flush };
    this.maxPendingBatches = options.maxPendingBatches ?? defaultMaxPendingBatches;
    if (
      !Number.isInteger(this.maxPendingBatches) ||
      this.maxPendingBatches < 1 ||
      this.maxPendingBatches > maxPendingBatchesLimit
    )
      throw new Error(
        `maxPendingBatches must be an integer from 1 to ${maxPendingBatchesLimit}, not ${this.maxPendingBatches}`,
      );
    this.maxInFlightBytes = options.maxInFlightBytes ?? defaultMaxInFlightBytes;
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
    this.consumer.on("event.error", () => options.metrics?.kafkaErrors.inc());
    options.metrics?.watch(this);
  }

  /** True from joining the group until the consume loop ends or fails (what /healthz reports). */
  get running(): boolean {
    return this.loop !== undefined && !this.finished && !this.failure;
  }

  lag(): { topic: string; partition: number; records: number }[] {
    const lags = [];
    for (const state of this.partitions.values()) {
      if (state.revoked) continue;
      let watermarks: { highOffset: number; lowOffset: number };
      try {
        // Cached from the last fetch response: no request to the broker.
        watermarks = this.consumer.getWatermarkOffsets(state.topic, state.partition);
      } catch {
        continue; // nothing fetched for this partition yet
      }
      const { highOffset, lowOffset } = watermarks;
      if (highOffset < 0) continue;
      const from = state.pending.durableOffset ?? Math.max(0, lowOffset);
      lags.push({ topic: state.topic, partition: state.partition, records: Math.max(0, highOffset - from) });
    }
    return lags;
  }

  inFlight(): { batches: number; bytes: number } {
    return { batches: this.writes.size, bytes: this.inFlightBytes };
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
        if (
          this.writes.size > 0 &&
          this.bufferedBytes() > this.limits.maxBytes * Math.max(2, this.partitions.size + 1)
        ) {
          // S3 is slower than Kafka: wait for a write instead of buffering without bound.
          await Promise.race(this.writes);
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
      await Promise.allSettled([...this.writes]);
      this.finished = true;
      await disconnect(this.consumer);
    }
    if (this.failure) throw this.failure;
  }

  private accept(messages: Awaited<ReturnType<typeof consume>>): void {
    const now = Date.now();
    let accepted = 0;
    for (const message of messages) {
      const state = this.partitions.get(partitionId(message.topic, message.partition));
      if (!state || state.revoked) continue;
      const value = message.value ?? Buffer.alloc(0);
      if (state.buffer.add({ offset: message.offset, value, timestamp: message.timestamp ?? now }, now)) accepted++;
    }
    this.stats.consumed += accepted;
    this.options.metrics?.recordsConsumed.inc(accepted);
  }

  /**
   * Starts writing every batch that is due, as far as the bounds allow: `maxPendingBatches` per
   * partition, `maxInFlightBytes` over all (a batch that would pass it waits, unless nothing is
   * being written).
   */
  private startDueFlushes(closing: boolean): void {
    const now = Date.now();
    for (const state of this.partitions.values()) {
      while (
        !state.revoked &&
        state.pending.count < this.maxPendingBatches &&
        (this.inFlightBytes === 0 || this.inFlightBytes + state.buffer.bufferedBytes <= this.maxInFlightBytes)
      ) {
        const batch = state.buffer.take(now, closing);
        if (!batch) break;
        this.startWrite(state, batch);
      }
    }
  }

  private startWrite(state: PartitionState, batch: Batch): void {
    const bytes = batch.records.reduce((sum, record) => sum + record.value.length, 0);
    this.inFlightBytes += bytes;
    const write: Promise<void> = this.writeBatch(state, batch, bytes)
      .catch((error: Error) => {
        this.failure ??= error;
      })
      .finally(() => {
        this.inFlightBytes -= bytes;
        this.writes.delete(write);
      });
    this.writes.add(write);
  }

  /** On shutdown: everything buffered goes out, except records past an unfinished pending batch. */
  private async flushAll(): Promise<void> {
    for (;;) {
      this.startDueFlushes(true);
      if (this.writes.size === 0 || this.failure) return;
      await Promise.race(this.writes);
    }
  }

  /**
   * Makes the batch pending, writes its objects and commits past it once every earlier batch of the
   * partition is written too. The pending commit happens before the first await, so batches go
   * pending in the order they were cut.
   */
  private async writeBatch(state: PartitionState, batch: Batch, valueBytes: number): Promise<void> {
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
    const written: WrittenBatch = { ...described, objects: objects.length, valueBytes, compressedBytes: 0 };
    const pendingCommit = state.pending.begin(
      batch.firstOffset,
      batch.lastOffset,
      written,
      state.buffer.replayBoundaries,
    );
    if (!this.commit(state, batch, pendingCommit)) return;
    const pendingAt = Date.now();
    this.options.onEvent?.({ event: "batch-pending", ...described, objects: objects.length });
    const metrics = this.options.metrics;
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
            onRetry: (error, attempt, delayMs) => {
              metrics?.s3Errors.inc();
              metrics?.s3Retries.inc();
              this.options.onEvent?.({
                event: "s3-retry",
                partition: state.id,
                key: object.key,
                attempt,
                delayMs,
                error: `${error.name}: ${error.message}`,
              });
            },
          }).catch((error: Error) => {
            metrics?.s3Errors.inc();
            throw error;
          }),
        ),
      );
      compressed += sizes.reduce((sum, size) => sum + size, 0);
    }
    metrics?.flushSeconds.observe((Date.now() - pendingAt) / 1000);
    this.options.onEvent?.({ event: "batch-written", ...described, objects: objects.length });
    written.compressedBytes = compressed;
    const { commit, committed } = state.pending.written(batch.lastOffset, state.buffer.replayBoundaries);
    if (commit && !this.commit(state, batch, commit)) return;
    for (const done of committed) this.counted(done);
  }

  private counted(batch: WrittenBatch): void {
    this.stats.batches++;
    this.stats.recordsWritten += batch.records;
    this.stats.objectsWritten += batch.objects;
    this.stats.bytesWritten += batch.compressedBytes;
    this.stats.valueBytesWritten += batch.valueBytes;
    this.options.metrics?.recordsWritten.inc(batch.records);
    this.options.metrics?.objectsWritten.inc(batch.objects);
    this.options.metrics?.bytesWritten.inc(batch.compressedBytes);
    const { valueBytes: _valueBytes, compressedBytes: _compressedBytes, ...described } = batch;
    this.options.onEvent?.({ event: "batch-committed", ...described });
  }

  /**
   * Commits synchronously. False when the partition is no longer ours or the group is
   * rebalancing: the batch is abandoned and its next owner finishes it from the committed offset.
   */
  private commit(state: PartitionState, batch: Batch, { offset, metadata }: PartitionCommit): boolean {
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
      this.options.metrics?.kafkaErrors.inc();
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
      const committedOffset = offset.offset === undefined || offset.offset < 0 ? undefined : offset.offset;
      const state = this.track(offset, committedOffset);
      const pendingLasts = decodePendingBatches(offset.metadata);
      state.buffer.start(committedOffset, pendingLasts);
      if (state.buffer.replaying) {
        this.options.onEvent?.({
          event: "replay",
          partition: state.id,
          committedOffset: committedOffset!,
          lastOffsets: [...state.buffer.replayBoundaries],
        });
      }
      return { topic: offset.topic, partition: offset.partition, offset: committedOffset ?? offsetStoredOrReset };
    });
    this.consumer.assign(starts);
    this.options.onEvent?.({ event: "assigned", partitions: starts.map((tp) => partitionId(tp.topic, tp.partition)) });
  }

  private track(tp: TopicPartition, committedOffset: number | undefined): PartitionState {
    const id = partitionId(tp.topic, tp.partition);
    const state: PartitionState = {
      id,
      topic: tp.topic,
      partition: tp.partition,
      buffer: new PartitionBuffer(this.limits),
      pending: new PendingBatches(committedOffset),
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
