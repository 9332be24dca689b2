// The lake writer's Prometheus endpoint: counters the sink feeds as it works, and gauges read from
// it at scrape time (lag, in-flight work), so a scrape always sees the current state.
import { createServer, type Server } from "node:http";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { sinkHealthPath, sinkMetricsPath } from "./deployment";

/** What the metrics read from a running sink when scraped. */
export interface SinkGauges {
  /** True from joining the group until the consume loop ends or fails. */
  readonly running: boolean;
  /** Per assigned partition: records in Kafka at or past the committed offset (not yet durably in S3). */
  lag(): { topic: string; partition: number; records: number }[];
  /** Batches being written to S3 and their value bytes. */
  inFlight(): { batches: number; bytes: number };
}

/** Seconds from a batch going pending to its last object being in S3: gzip plus the PUTs. */
const flushSecondsBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

export class SinkMetrics {
  readonly registry = new Registry();
  readonly recordsConsumed: Counter;
  readonly recordsWritten: Counter;
  readonly bytesWritten: Counter;
  readonly objectsWritten: Counter;
  readonly flushSeconds: Histogram;
  readonly s3Errors: Counter;
  readonly s3Retries: Counter;
  readonly kafkaErrors: Counter;
  private source?: SinkGauges;

  constructor() {
    const registers = [this.registry];
    const counter = (name: string, help: string) => new Counter({ name: `loglake_sink_${name}`, help, registers });
    this.recordsConsumed = counter("records_consumed_total", "Records fetched from Kafka and buffered.");
    this.recordsWritten = counter("records_written_total", "Records in S3 whose offsets are committed.");
    this.bytesWritten = counter("bytes_written_total", "gzip bytes put to S3 for committed records.");
    this.objectsWritten = counter("objects_written_total", "S3 objects written for committed records.");
    this.s3Errors = counter("s3_errors_total", "Failed S3 object writes, transient or not.");
    this.s3Retries = counter("s3_retries_total", "S3 object writes retried after a transient failure.");
    this.kafkaErrors = counter("kafka_errors_total", "Errors reported by the Kafka client (librdkafka).");
    this.flushSeconds = new Histogram({
      name: "loglake_sink_flush_duration_seconds",
      help: "Time from a batch going pending to all its objects being in S3.",
      buckets: flushSecondsBuckets,
      registers,
    });
    const source = () => this.source;
    new Gauge({
      name: "loglake_sink_consumer_lag_records",
      help: "Records in Kafka not yet durably written, per assigned partition (high watermark - committed offset).",
      labelNames: ["topic", "partition"],
      registers,
      collect() {
        // Revoked partitions must disappear, not keep their last value.
        this.reset();
        for (const { topic, partition, records } of source()?.lag() ?? []) this.set({ topic, partition }, records);
      },
    });
    new Gauge({
      name: "loglake_sink_in_flight_batches",
      help: "Batches being written to S3.",
      registers,
      collect() {
        this.set(source()?.inFlight().batches ?? 0);
      },
    });
    new Gauge({
      name: "loglake_sink_in_flight_bytes",
      help: "Value bytes of the batches being written to S3.",
      registers,
      collect() {
        this.set(source()?.inFlight().bytes ?? 0);
      },
    });
    new Gauge({
      name: "loglake_sink_up",
      help: "1 while the consumer runs, else 0 (what /healthz answers).",
      registers,
      collect() {
        this.set(source()?.running ? 1 : 0);
      },
    });
    // Memory, CPU, event-loop delay and GC: what sizing the writer's container needs.
    collectDefaultMetrics({ register: this.registry });
  }

  /** The sink whose state the gauges and /healthz report. */
  watch(source: SinkGauges): void {
    this.source = source;
  }

  get healthy(): boolean {
    return this.source?.running ?? false;
  }
}

/** Serves `GET /metrics` and `GET /healthz`; resolves once listening (rejects if the port is taken). */
export async function serveMetrics(metrics: SinkMetrics, port: number, host = "0.0.0.0"): Promise<Server> {
  const server = createServer((request, response) => {
    const path = (request.url ?? "/").split("?")[0];
    if (request.method !== "GET" && request.method !== "HEAD") {
      response.writeHead(405, { Allow: "GET, HEAD" }).end();
    } else if (path === sinkMetricsPath) {
      metrics.registry.metrics().then(
        (text) => response.writeHead(200, { "Content-Type": metrics.registry.contentType }).end(text),
        (error: Error) => response.writeHead(500, { "Content-Type": "text/plain" }).end(`${error.message}\n`),
      );
    } else if (path === sinkHealthPath) {
      const healthy = metrics.healthy;
      response.writeHead(healthy ? 200 : 503, { "Content-Type": "text/plain" }).end(healthy ? "ok\n" : "not running\n");
    } else {
      response.writeHead(404, { "Content-Type": "text/plain" }).end("not found\n");
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        new Error(`sink: cannot serve metrics on ${host}:${port}: ${error.code ?? error.message}`, { cause: error }),
      ),
    );
    server.listen(port, host, () => resolve());
  });
  return server;
}
