import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import type { AddressInfo, Server } from "node:net";
import { freePort } from "../../../runtime/local/peers/ports";
import { sinkMetricsPort } from "../../../runtime/sink/deployment";
import { serveMetrics, SinkMetrics } from "../../../runtime/sink/metrics";
import { LakeSink } from "../../../runtime/sink/sink";
import { s3rverEnvironment, startS3 } from "../../../runtime/local/peers/s3";
import { disconnect, logRecord, produceAll, producer, sinkProcessArgs, until, withPeers } from "./helpers";

const range = (count: number, from = 0) => Array.from({ length: count }, (_, i) => from + i);

/** Samples of a Prometheus text exposition: `name{labels}` → value. */
async function scrape(port: number): Promise<Map<string, number>> {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4/);
  const samples = new Map<string, number>();
  for (const line of (await response.text()).split("\n")) {
    const match = /^([a-z_:][a-z0-9_:]*(?:\{[^}]*\})?) (\S+)$/i.exec(line);
    if (match) samples.set(match[1], Number(match[2]));
  }
  return samples;
}

const health = async (port: number) => (await fetch(`http://127.0.0.1:${port}/healthz`)).status;

function portOf(server: Server | import("node:http").Server): number {
  return (server.address() as AddressInfo).port;
}

describe("loglake sink metrics", function () {
  const peers = withPeers("lake");

  it("serves the writer's counters and gauges over HTTP, moving with the records written and S3 failures", async () => {
    const s3 = await startS3();
    const metrics = new SinkMetrics();
    const server = await serveMetrics(metrics, 0, "127.0.0.1");
    const port = portOf(server);
    const sink = new LakeSink({
      connection: { kind: "local", bootstrapServers: peers.mock.bootstrapServers },
      topics: ["metered"],
      groupId: "lake-metered",
      s3: s3.client(),
      bucket: "lake",
      prefix: "raw",
      timeField: "timestamp",
      flush: { maxBytes: 20_000, maxAgeMs: 300 },
      s3RetryDeadlineMs: 30_000,
      metrics,
    });
    try {
      await s3.createBucket("lake");
      assert.equal(await health(port), 503, "not healthy before the consumer runs");
      const source = await producer(peers.mock.bootstrapServers);
      await produceAll(
        source,
        "metered",
        range(300).map((seq) => logRecord(seq)),
      );
      await sink.start();
      assert.equal(await health(port), 200);
      await until(() => sink.snapshot().recordsWritten === 300, "300 records written");

      let samples = await scrape(port);
      const stats = sink.snapshot();
      assert.equal(samples.get("loglake_sink_records_consumed_total"), 300);
      assert.equal(samples.get("loglake_sink_records_written_total"), 300);
      assert.equal(samples.get("loglake_sink_objects_written_total"), stats.objectsWritten);
      assert.equal(samples.get("loglake_sink_bytes_written_total"), stats.bytesWritten);
      assert.equal(samples.get("loglake_sink_flush_duration_seconds_count"), stats.batches);
      assert.equal(samples.get("loglake_sink_up"), 1);
      assert.equal(samples.get("loglake_sink_s3_errors_total"), 0);
      assert.equal(samples.get("loglake_sink_kafka_errors_total"), 0);
      const lags = [...samples].filter(([name]) => name.startsWith("loglake_sink_consumer_lag_records{"));
      assert.deepEqual(
        lags.map(([name, value]) => [name, value]).sort(),
        range(4).map((partition) => [`loglake_sink_consumer_lag_records{topic="metered",partition="${partition}"}`, 0]),
        "every partition is caught up",
      );

      // S3 away: records wait in flight, lag and failures show.
      await s3.outage!();
      await produceAll(
        source,
        "metered",
        range(200, 300).map((seq) => logRecord(seq)),
      );
      await until(async () => {
        samples = await scrape(port);
        return (samples.get("loglake_sink_s3_retries_total") ?? 0) > 0;
      }, "a retried S3 write in the metrics");
      assert.ok(samples.get("loglake_sink_in_flight_batches")! > 0, "batches are in flight during the outage");
      assert.ok(samples.get("loglake_sink_in_flight_bytes")! > 0);
      const lag = lags.reduce((sum, [name]) => sum + (samples.get(name) ?? 0), 0);
      assert.equal(lag, 200, "the records not yet in S3 are the lag");
      assert.equal(samples.get("loglake_sink_s3_errors_total"), samples.get("loglake_sink_s3_retries_total"));
      await s3.restore!();
      await disconnect(source);
      await until(() => sink.snapshot().recordsWritten === 500, "500 records written after the outage");

      samples = await scrape(port);
      assert.equal(samples.get("loglake_sink_records_written_total"), 500);
      assert.equal(samples.get("loglake_sink_in_flight_batches"), 0);
      assert.equal(samples.get("loglake_sink_in_flight_bytes"), 0);
      await sink.stop();
      assert.equal(await health(port), 503, "not healthy once the consumer stopped");
      assert.equal((await scrape(port)).get("loglake_sink_up"), 0);
    } finally {
      await sink.stop().catch(() => undefined);
      server.close();
      await s3.stop();
    }
  });

  it("runs `loglake sink --metrics-port`, answers only GET on its two paths, and refuses a taken port", async function () {
    const port = await freePort();
    const args = (metricsPort: number) =>
      sinkProcessArgs(peers.mock, peers.s3, "scraped", "lake-scraped", ["--metrics-port", String(metricsPort)]);
    const env = { ...process.env, ...s3rverEnvironment };
    const writer = spawn(process.execPath, args(port), { stdio: ["ignore", "ignore", "pipe"], env });
    let stderr = "";
    writer.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = once(writer, "exit");
    try {
      await until(() => stderr.includes(`metrics on :${port}/metrics`) || writer.exitCode !== null, "the writer");
      await until(async () => (await health(port)) === 200, "/healthz to answer 200");
      assert.equal((await scrape(port)).get("loglake_sink_up"), 1);
      assert.equal((await fetch(`http://127.0.0.1:${port}/`)).status, 404);
      assert.equal((await fetch(`http://127.0.0.1:${port}/metrics`, { method: "POST" })).status, 405);

      const second = spawn(process.execPath, args(port), { stdio: ["ignore", "ignore", "pipe"], env });
      let secondErr = "";
      second.stderr!.on("data", (chunk: Buffer) => (secondErr += chunk.toString()));
      const [code] = await once(second, "exit");
      assert.notEqual(code, 0);
      assert.match(secondErr, new RegExp(`cannot serve metrics on 0\\.0\\.0\\.0:${port}: EADDRINUSE`));
    } finally {
      writer.kill("SIGTERM");
    }
    const [code] = await exited;
    assert.equal(code, 0, stderr);
  });

  it("serves metrics by default on the port the Deployment scrapes", () => {
    const help = spawnSync(process.execPath, ["--import", "tsx", "runtime/cli.ts", "sink", "--help"]).stdout.toString();
    assert.match(help, new RegExp(`--metrics-port <port>[^]*\\(default: ${sinkMetricsPort}\\)`));
    assert.equal(sinkMetricsPort, 9464, "the port issue 12's Deployment is written against");
  });
});
