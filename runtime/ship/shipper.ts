import {
  CODES,
  Producer,
  type DeliveryReport,
  type LibrdKafkaError,
  type ProducerGlobalConfig,
  type ProducerTopicConfig,
} from "@confluentinc/kafka-javascript";
import { setImmediate as setImmediatePromise, setTimeout as sleep } from "node:timers/promises";
import { connectionConfig, type KafkaConnection } from "../kafka/connection";
import { connect, disconnect, flush } from "../kafka/native";
import { readInput, stdinName } from "./input";
import { LineKind, lineBytes, type ClassifiedBatch } from "./classify";
import { ClassifierThread } from "./classifier-thread";
import { checkInputs } from "./input";
import { parseFieldPath } from "./lines";
import { QuarantineFile, quarantineEntry, rawFields, type QuarantinedLine, type QuarantineTarget } from "./quarantine";

/** librdkafka settings; topic-level ones (acks, partitioner) act as defaults for every topic. */
export type ProducerSettings = ProducerGlobalConfig & ProducerTopicConfig;

const maxCachedKeys = 100_000;
/** Chunks (1 MiB each) read and classified ahead of the one being produced. */
const chunksAhead = 4;
/** Default for ShipOptions.maxLineBytes. */
export const defaultMaxLineBytes = 8 * 1024 * 1024;

/** How much of an oversized line a quarantine entry keeps. */
const quarantinedPrefixChars = 64 * 1024;

export type Compression = "lz4" | "zstd" | "gzip" | "snappy" | "none";

export interface ShipOptions {
  connection: KafkaConnection;
  topic: string;
  /** Files to read in order; `-` is standard input. */
  inputs: string[];
  /** Dotted path of the field whose value keys each record (records of one key stay ordered). */
  keyField: string;
  quarantine: QuarantineTarget;
  /** Batch compression. Default lz4: cheapest on CPU at a ratio close to zstd's for logs. */
  compression?: Compression;
  /** How long librdkafka waits to fill a batch. Default 20 ms. */
  lingerMs?: number;
  /** How long a record may take to be acknowledged, retries included, before it counts as failed. Default 5 min. */
  deliveryTimeoutMs?: number;
  /** Extra librdkafka producer settings, applied last. */
  producerConfig?: ProducerSettings;
  /**
   * Lines longer than this are quarantined with only their first 64 KiB, so a file without newlines
   * costs bounded memory. Default 8 MiB (Kafka's own record limit is usually 1 MB).
   */
  maxLineBytes?: number;
  /** Called about four times a second while shipping, and once at the end. */
  onProgress?: (stats: ShipStats) => void;
}

export interface ShipStats {
  /** Input bytes after decompression. */
  bytesRead: number;
  linesRead: number;
  blankLines: number;
  /** Records handed to the producer for the topic. */
  produced: number;
  /**
   * Records the cluster acknowledged (acks=all). Counted at the end: librdkafka reports only failed
   * deliveries, so after a successful flush every produced record without a failure report was
   * acknowledged. 0 while shipping.
   */
  delivered: number;
  /** Records, and quarantine entries sent to a topic, that were not acknowledged. */
  failed: number;
  quarantined: number;
  /** Failure reasons with counts. */
  errors: Record<string, number>;
  /** Inputs that could not be read to their end (e.g. a truncated gzip), with why. */
  inputErrors: Record<string, string>;
  elapsedMs: number;
}

/** The outcome the command line turns into an exit status. */
export function shipOutcome(stats: ShipStats): "delivered" | "quarantined" | "failed" {
  if (stats.failed > 0 || stats.delivered !== stats.produced || Object.keys(stats.inputErrors).length > 0)
    return "failed";
  return stats.quarantined > 0 ? "quarantined" : "delivered";
}

/** librdkafka producer settings for shipping logs safely; callers may override any of them. */
export function shipProducerConfig(
  options: Pick<ShipOptions, "compression" | "lingerMs" | "deliveryTimeoutMs">,
): ProducerSettings {
  return {
    "client.id": "loglake-ship",
    // Acknowledged by every in-sync replica; idempotence keeps retries from duplicating or
    // reordering records within a partition.
    acks: -1,
    "enable.idempotence": true,
    "compression.codec": options.compression ?? "lz4",
    "linger.ms": options.lingerMs ?? 20,
    "batch.size": 1_000_000,
    "message.timeout.ms": options.deliveryTimeoutMs ?? 300_000,
    "queue.buffering.max.messages": 500_000,
    "queue.buffering.max.kbytes": 262_144,
    // Same key-to-partition mapping as the Java client and Kafka Streams.
    partitioner: "murmur2_random",
    dr_cb: true,
    // One report per record dispatched into JavaScript cost a fifth of the shipper's time; failures
    // are all it needs (see Shipper.drain).
    "delivery.report.only.error": true,
  };
}

/** Reads every input, produces its JSON-object lines and quarantines the rest. */
export async function ship(options: ShipOptions): Promise<ShipStats> {
  const shipper = new Shipper(options);
  return shipper.run();
}

class Shipper {
  private readonly stats: ShipStats = {
    bytesRead: 0,
    linesRead: 0,
    blankLines: 0,
    produced: 0,
    delivered: 0,
    failed: 0,
    quarantined: 0,
    errors: {},
    inputErrors: {},
    elapsedMs: 0,
  };
  private readonly keyPath: string[];
  private readonly producer: Producer;
  private readonly quarantineFile?: QuarantineFile;
  private quarantineProduced = 0;
  /** Failure reports for the topic and for quarantine entries sent to a topic. */
  private topicFailures = 0;
  private quarantineFailures = 0;
  /** Every delivery report seen, success or failure (successes only if a caller turned them back on). */
  private deliveryReports = 0;
  private readonly started = Date.now();
  private readonly keys = new Map<string, Buffer>();
  private classifier?: ClassifierThread;

  constructor(private readonly options: ShipOptions) {
    this.keyPath = parseFieldPath(options.keyField);
    this.producer = new Producer({
      ...connectionConfig(options.connection),
      ...shipProducerConfig(options),
      ...options.producerConfig,
    });
    if (options.quarantine.kind === "file") this.quarantineFile = new QuarantineFile(options.quarantine.path);
  }

  async run(): Promise<ShipStats> {
    // The classifier thread takes a few hundred milliseconds to load its code: it starts first, so
    // that happens while the inputs are checked and the producer connects.
    this.classifier = new ClassifierThread({
      keyPath: this.keyPath,
      maxLineBytes: this.options.maxLineBytes ?? defaultMaxLineBytes,
      keptPrefixBytes: quarantinedPrefixChars,
    });
    let progress: NodeJS.Timeout | undefined;
    try {
      // Every input is checked before anything is sent: a typo in the third path must not leave the
      // first delivered and the rest unread.
      await checkInputs(this.options.inputs);
      this.producer.on("delivery-report", (error, report) => this.onDelivery(error, report));
      await connect(this.producer);
      // Delivery reports are polled on a native thread: polling from a JS timer halves throughput.
      this.producer.setPollInBackground(true);
      progress = this.options.onProgress && setInterval(() => this.options.onProgress!(this.snapshot()), 250);
      for (const [index, input] of this.options.inputs.entries()) await this.shipInput(input, index);
      await this.drain();
    } finally {
      if (progress) clearInterval(progress);
      await this.classifier.close();
      await this.quarantineFile?.close();
      await disconnect(this.producer);
    }
    const stats = this.snapshot();
    this.options.onProgress?.(stats);
    return stats;
  }

  /**
   * Reads an input and ships its lines. Reading runs ahead of producing by a few chunks, whose lines
   * the classifier thread checks meanwhile. An input that cannot be read to its end (a truncated
   * gzip) is named in `inputErrors`; its complete lines are shipped and the fragment at the cut is
   * quarantined.
   */
  private async shipInput(input: string, inputIndex: number): Promise<void> {
    const source = input === stdinName ? "stdin" : input;
    const classifier = this.classifier!;
    const ahead: Promise<ClassifiedBatch>[] = [];
    let lineNumber = 0;
    const shipNext = async () => (lineNumber = await this.shipBatch(await ahead.shift()!, source, lineNumber));
    let cutShort: string | undefined;
    try {
      for await (const chunk of readInput(input)) {
        ahead.push(classifier.classify(inputIndex, chunk));
        if (ahead.length >= chunksAhead) await shipNext();
      }
    } catch (error) {
      cutShort = (error as Error).message;
      this.stats.inputErrors[source] = cutShort;
    }
    ahead.push(classifier.end(inputIndex, cutShort));
    while (ahead.length > 0) await shipNext();
  }

  /** Ships one classified batch; returns the number of the batch's last line. */
  private async shipBatch(batch: ClassifiedBatch, source: string, lineNumber: number): Promise<number> {
    this.stats.bytesRead += batch.bytesRead;
    const { kinds, keyIds, reasons } = batch;
    // Records without the key field are keyed by their input, so each input stays ordered.
    const unkeyed = this.keyBytes(source);
    const keys = batch.keyTable.map((key) => this.keyBytes(key));
    let records = 0;
    let refusals = 0;
    this.stats.linesRead += kinds.length;
    for (let i = 0; i < kinds.length; i++) {
      lineNumber++;
      const line = lineBytes(batch, i);
      const kind = kinds[i];
      if (kind === LineKind.record) {
        const id = keyIds[records++];
        const pending = this.produceRecord(line, id < 0 ? unkeyed : keys[id], source, lineNumber);
        if (pending) await pending;
      } else if (kind === LineKind.blank) {
        this.stats.blankLines++;
      } else {
        await this.quarantine({
          source,
          line: lineNumber,
          reason: reasons[refusals++],
          ...rawFields(line),
          ...(kind === LineKind.overlong && { rawTruncated: true }),
        });
      }
    }
    return lineNumber;
  }

  /** Returns a promise only when the record has to wait (full producer queue, quarantine write). */
  private produceRecord(line: Buffer, key: Buffer, source: string, lineNumber: number): Promise<void> | undefined {
    const refused = this.tryProduce(this.options.topic, line, key);
    if (refused === undefined) {
      this.stats.produced++;
      return undefined;
    }
    if (refused === "queue-full")
      return this.waitAndProduce(this.options.topic, line, key).then(() => void this.stats.produced++);
    return this.quarantine({ source, line: lineNumber, reason: refused, ...rawFields(line) });
  }

  /** Keys repeat (hosts, services): encoding each once spares the binding a UTF-8 conversion per record. */
  private keyBytes(key: string): Buffer {
    let bytes = this.keys.get(key);
    if (!bytes) {
      if (this.keys.size >= maxCachedKeys) this.keys.clear();
      bytes = Buffer.from(key);
      this.keys.set(key, bytes);
    }
    return bytes;
  }

  /** undefined when queued; "queue-full" when librdkafka's queue has no room; else why the record can never be produced. */
  private tryProduce(topic: string, value: Buffer, key: Buffer | string): "queue-full" | string | undefined {
    try {
      this.producer.produce(topic, null, value, key);
      return undefined;
    } catch (error) {
      const code = (error as LibrdKafkaError).code;
      if (code === CODES.ERRORS.ERR__QUEUE_FULL) return "queue-full";
      if (code === CODES.ERRORS.ERR_MSG_SIZE_TOO_LARGE)
        return `record of ${value.length} bytes exceeds the producer's message.max.bytes`;
      throw error;
    }
  }

  private async waitAndProduce(topic: string, value: Buffer, key: Buffer | string): Promise<void> {
    for (;;) {
      // Delivery reports free queue space; they arrive on the background poll thread.
      await sleep(2);
      const refused = this.tryProduce(topic, value, key);
      if (refused === undefined) return;
      if (refused !== "queue-full") throw new Error(`cannot produce to ${topic}: ${refused}`);
    }
  }

  private async quarantine(entry: QuarantinedLine): Promise<void> {
    this.stats.quarantined++;
    if (this.quarantineFile) return this.quarantineFile.write(entry);
    const topic = (this.options.quarantine as { topic: string }).topic;
    let value = Buffer.from(quarantineEntry(entry));
    let refused = this.tryProduce(topic, value, entry.source);
    if (refused !== undefined && refused !== "queue-full") {
      // An oversized line makes an oversized entry: keep its start, and say so.
      value = Buffer.from(
        quarantineEntry({
          ...entry,
          raw: entry.raw.slice(0, quarantinedPrefixChars),
          // A multiple of 4 characters, so still whole base64.
          rawBase64: entry.rawBase64?.slice(0, quarantinedPrefixChars),
          rawTruncated: true,
        }),
      );
      refused = this.tryProduce(topic, value, entry.source);
    }
    if (refused !== undefined) await this.waitAndProduce(topic, value, entry.source);
    this.quarantineProduced++;
  }

  private onDelivery(error: LibrdKafkaError | null | undefined, report: DeliveryReport): void {
    this.deliveryReports++;
    if (!error) return;
    const forTopic = report.topic === this.options.topic;
    if (forTopic) this.topicFailures++;
    else this.quarantineFailures++;
    this.stats.failed++;
    const reason = `${forTopic ? "" : "quarantine topic: "}${error.message}`;
    this.stats.errors[reason] = (this.stats.errors[reason] ?? 0) + 1;
  }

  /**
   * Waits until every produced record is acknowledged or reported failed, then counts deliveries.
   * A successful flush means librdkafka's queue is empty and every failure report has been handed
   * to the binding; those reach JavaScript a few event-loop turns later (see reportsSettled). If
   * the flush fails, records without a failure report are not known to be delivered: they count
   * as failed.
   */
  private async drain(): Promise<void> {
    const timeoutMs = (this.options.deliveryTimeoutMs ?? 300_000) + 30_000;
    let flushError: Error | undefined;
    try {
      await flush(this.producer, timeoutMs);
    } catch (error) {
      flushError = error as Error;
    }
    await this.reportsSettled();
    const unconfirmed = this.stats.produced - this.topicFailures + (this.quarantineProduced - this.quarantineFailures);
    if (!flushError) {
      this.stats.delivered = this.stats.produced - this.topicFailures;
    } else if (unconfirmed > 0) {
      this.stats.failed += unconfirmed;
      this.stats.errors[`not confirmed: ${flushError.message}`] = unconfirmed;
    }
  }

  /**
   * The binding queues delivery reports from librdkafka's thread and dispatches them, at most 100
   * per event-loop turn, through an async handle that was signalled before the flush finished. So
   * once a few turns pass without a new report, every report the flush saw has arrived.
   */
  private async reportsSettled(): Promise<void> {
    let quietTurns = 0;
    let seen = this.deliveryReports;
    while (quietTurns < 3) {
      await setImmediatePromise();
      quietTurns = this.deliveryReports === seen ? quietTurns + 1 : 0;
      seen = this.deliveryReports;
    }
  }

  private snapshot(): ShipStats {
    return {
      ...this.stats,
      errors: { ...this.stats.errors },
      inputErrors: { ...this.stats.inputErrors },
      elapsedMs: Date.now() - this.started,
    };
  }
}
