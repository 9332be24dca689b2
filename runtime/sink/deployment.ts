/**
 * What the infrastructure needs to know about `loglake sink` to deploy and watch it. Exported so that
 * the Kafka section's consumer-lag alarm watches the group the sink joins without restating its name.
 */

/** The consumer group `loglake sink` joins unless told otherwise. */
export const defaultConsumerGroup = "loglake-lake-writer";

/** The raw bucket key prefix `loglake sink` writes under unless told otherwise (its `--prefix`). */
export const defaultRawPrefix = "raw";

/**
 * Where `loglake sink` serves Prometheus metrics (`GET /metrics`) and its health (`GET /healthz`:
 * 200 while the consumer runs, 503 otherwise) unless `--metrics-port` says otherwise (0: off).
 * The port is the OpenTelemetry/Prometheus exporter convention, free of clashes with Kafka's.
 */
export const sinkMetricsPort = 9464;
export const sinkMetricsPath = "/metrics";
export const sinkHealthPath = "/healthz";
