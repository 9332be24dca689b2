import { S3Client } from "@aws-sdk/client-s3";
import type { Command } from "commander";
import { positiveInteger, positiveNumber } from "../common/cli";
import { addConnectionOptions, connectionFrom, type ConnectionFlags } from "../kafka/options";
import { defaultConsumerGroup, defaultRawPrefix, sinkDefaults } from "./deployment";
import { LakeSink } from "./sink";

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
    .option("--s3-endpoint <url>", "S3 endpoint (path-style), e.g. a local s3rver")
    .option("--verbose", "log every batch step as JSON on stderr", false)
    .action(async (flags: SinkFlags) => {
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
      await sink.start();
      process.stderr.write(`sink: writing ${flags.topic.join(", ")} to s3://${flags.bucket}/${flags.prefix}\n`);
      try {
        await sink.done;
      } finally {
        s3.destroy();
        const stats = sink.snapshot();
        process.stderr.write(
          `sink: wrote ${stats.recordsWritten} records in ${stats.objectsWritten} objects (${stats.batches} batches, ` +
            `${(stats.bytesWritten / 1e6).toFixed(1)} MB gzip) and committed their offsets\n`,
        );
      }
    });
}
