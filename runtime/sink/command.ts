import { S3Client } from "@aws-sdk/client-s3";
import { InvalidArgumentError, type Command } from "commander";
import { port, positiveInteger, positiveNumber } from "../common/cli";
import { addConnectionOptions, connectionFrom, type ConnectionFlags } from "../kafka/options";
import { defaultConsumerGroup, defaultRawPrefix, sinkDefaults, sinkMetricsPort } from "./deployment";
import { maxPendingBatchesLimit } from "./intent";
import { serveMetrics, SinkMetrics } from "./metrics";
import { defaultMaxInFlightBytes, defaultMaxPendingBatches, LakeSink } from "./sink";

interface SinkFlags extends ConnectionFlags {
  topic: string[];
  group: string;
  bucket: string;
  prefix: string;
  kmsKeyId?: string;
  timeField: string;
  flushMb: number;
  flushSeconds: number;
  gzipLevel: number;
  sessionTimeoutMs: number;
  s3RetrySeconds: number;
  instanceId?: string;
  pendingBatches: number;
  inFlightMb: number;
  metricsPort: number;
  s3Endpoint?: string;
  verbose: boolean;
}

export function registerSink(program: Command): void {
  addConnectionOptions(
    program
      .command("sink")
      .description(
        "Write Kafka topics to S3 as gzip NDJSON under <prefix>/<topic>/dt=YYYY-MM-DD/hour=HH/, exactly once",
      ),
  )
    .requiredOption("--topic <topic>", "topic to write (repeatable)", (value: string, previous: string[] = []) => [
      ...previous,
      value,
    ])
    .option("--group <id>", "consumer group id (the Kafka component alarms on this group's lag)", defaultConsumerGroup)
    .requiredOption("--bucket <name>", "S3 bucket")
    .option("--prefix <prefix>", "key prefix", defaultRawPrefix)
    .option("--kms-key-id <id>", "KMS key id or ARN for SSE-KMS (default: the aws/s3 key)")
    .option("--time-field <path>", "event-time field (ISO-8601 or epoch s/ms); else the Kafka timestamp", "timestamp")
    .option(
      "--flush-mb <n>",
      "write a partition's batch once it holds this many MB",
      positiveNumber,
      sinkDefaults.flushMb,
    )
    .option(
      "--flush-seconds <n>",
      "write a partition's batch once its oldest record is this old",
      positiveNumber,
      sinkDefaults.flushSeconds,
    )
    .option("--gzip-level <n>", "gzip level 1-9", positiveInteger, sinkDefaults.gzipLevel)
    .option(
      "--session-timeout-ms <n>",
      "consumer group session timeout: how long a crashed writer's partitions wait before another member (or its restart) takes them",
      positiveInteger,
      sinkDefaults.sessionTimeoutMs,
    )
    .option(
      "--s3-retry-seconds <n>",
      "keep retrying a failing S3 write (no connection, 5xx, throttling) this long before exiting; nothing unwritten is committed",
      positiveNumber,
      sinkDefaults.s3RetrySeconds,
    )
    .option(
      "--instance-id <id>",
      "static group membership (group.instance.id), unique per writer and kept across restarts: a restarted writer gets its partitions back at once instead of after the session timeout",
    )
    .option(
      "--pending-batches <n>",
      `batches of one partition written to S3 at once (offsets are still committed in order); 1-${maxPendingBatchesLimit}`,
      pendingBatches,
      defaultMaxPendingBatches,
    )
    .option(
      "--in-flight-mb <n>",
      "value MB of all batches being written at once; no further batch starts past it (memory: about twice this)",
      positiveNumber,
      defaultMaxInFlightBytes / (1024 * 1024),
    )
    .option(
      "--metrics-port <port>",
      "serve Prometheus metrics on GET /metrics and health on GET /healthz at this port (0: off)",
      port,
      sinkMetricsPort,
    )
    .option("--s3-endpoint <url>", "S3 endpoint (path-style), e.g. a local s3rver")
    .option("--verbose", "log every batch step as JSON on stderr", false)
    .action(async (flags: SinkFlags) => {
      const metrics = flags.metricsPort === 0 ? undefined : new SinkMetrics();
      // Before joining the group: a port already taken fails the start, not a scrape much later.
      const server = metrics && (await serveMetrics(metrics, flags.metricsPort));
      const s3 = new S3Client(flags.s3Endpoint ? { endpoint: flags.s3Endpoint, forcePathStyle: true } : {});
      const sink = new LakeSink({
        connection: await connectionFrom(flags),
        topics: flags.topic,
        groupId: flags.group,
        s3,
        bucket: flags.bucket,
        prefix: flags.prefix,
        kmsKeyId: flags.kmsKeyId,
        timeField: flags.timeField,
        flush: { maxBytes: Math.round(flags.flushMb * 1024 * 1024), maxAgeMs: flags.flushSeconds * 1000 },
        gzipLevel: flags.gzipLevel,
        s3RetryDeadlineMs: flags.s3RetrySeconds * 1000,
        maxPendingBatches: flags.pendingBatches,
        maxInFlightBytes: Math.round(flags.inFlightMb * 1024 * 1024),
        metrics,
        consumerConfig: {
          "session.timeout.ms": flags.sessionTimeoutMs,
          ...(flags.instanceId && { "group.instance.id": flags.instanceId }),
        },
        onEvent: flags.verbose ? (event) => process.stderr.write(JSON.stringify(event) + "\n") : undefined,
      });
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        process.stderr.write(`sink: ${signal}: writing buffered batches, committing, leaving the group\n`);
        void sink.stop();
      };
      process.once("SIGTERM", () => stop("SIGTERM"));
      process.once("SIGINT", () => stop("SIGINT"));
      try {
        await sink.start();
        process.stderr.write(
          `sink: writing ${flags.topic.join(", ")} to s3://${flags.bucket}/${flags.prefix}` +
            (server ? `; metrics on :${flags.metricsPort}/metrics\n` : "\n"),
        );
        await sink.done;
      } finally {
        server?.close();
        s3.destroy();
        const stats = sink.snapshot();
        process.stderr.write(
          `sink: wrote ${stats.recordsWritten} records in ${stats.objectsWritten} objects (${stats.batches} batches, ` +
            `${(stats.bytesWritten / 1e6).toFixed(1)} MB gzip) and committed their offsets\n`,
        );
      }
    });
}

function pendingBatches(value: string): number {
  const n = positiveInteger(value);
  if (n > maxPendingBatchesLimit)
    throw new InvalidArgumentError(`${JSON.stringify(value)} is more than ${maxPendingBatchesLimit}`);
  return n;
}
