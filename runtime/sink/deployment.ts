import { join } from "node:path";

/**
 * What the infrastructure needs to know about `loglake sink` to deploy and watch it. Exported so that
 * the Kafka section's consumer-lag alarm watches the group the sink joins, and the LakeWriter sizes
 * its pods' shutdown from the sink's own flush settings, without restating them.
 */

/** The consumer group `loglake sink` joins unless told otherwise. */
export const defaultConsumerGroup = "loglake-lake-writer";

/** The raw bucket key prefix `loglake sink` writes under unless told otherwise (its `--prefix`). */
export const defaultRawPrefix = "raw";

/** The defaults of `loglake sink`'s batching, retry and group options. */
export const sinkDefaults = {
  /** `--flush-mb`: a partition's batch is written once it holds this many MB. */
  flushMb: 64,
  /** `--flush-seconds`: a partition's batch is written once its oldest record is this old. */
  flushSeconds: 60,
  /** `--gzip-level`. */
  gzipLevel: 6,
  /** `--session-timeout-ms`: how long a vanished member keeps its partitions. */
  sessionTimeoutMs: 10_000,
  /** `--s3-retry-seconds`: how long a failing object write is retried before the sink exits. */
  s3RetrySeconds: 600,
} as const;

/**
 * Where `loglake sink` serves Prometheus metrics (`GET /metrics`) and its health (`GET /healthz`:
 * 200 while the consumer runs, 503 otherwise) unless `--metrics-port` says otherwise (0: off).
 * The port is the OpenTelemetry/Prometheus exporter convention, free of clashes with Kafka's.
 */
export const sinkMetricsPort = 9464;
export const sinkMetricsPath = "/metrics";
export const sinkHealthPath = "/healthz";

/**
 * The lake writer's image: its Dockerfile and exactly the paths it copies from the repository root
 * (the build context), whose contents make the image tag. A test holds the Dockerfile's COPY lines,
 * its ignore file and the bundle's inputs to this list.
 */
export const lakeWriterImage = {
  context: join(__dirname, "..", ".."),
  dockerfile: "runtime/sink/Dockerfile",
  contentPaths: [
    "package.json",
    "package-lock.json",
    "runtime/common",
    "runtime/kafka",
    "runtime/ship",
    "runtime/sink",
  ],
};
