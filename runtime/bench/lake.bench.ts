// The processing layer: Spark `convert` throughput and a needle query on Iceberg, each against a
// DuckDB reference on the same files (runtime/spark/loglake_spark/local/bench.py), then the
// `loglake local` path end to end (ship → sink → manifests → convert through S3A), records/s.
// Results go into BENCHMARKS.md by hand.
import { spawnSync } from "node:child_process";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { runLocalLake } from "../local/lake";
import { writeCorpus } from "./corpus";

const convertMegabytes = Number(process.env.LOGLAKE_BENCH_LAKE_MB ?? 200);
const localMegabytes = Number(process.env.LOGLAKE_BENCH_LOCAL_MB ?? 20);
const repo = resolve(__dirname, "..", "..");

interface NeedleRow {
  table?: string;
  source?: string;
  seconds: number;
  rows: number;
  dataFiles?: number;
  skippedDataFiles?: number;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "loglake-bench-lake-"));
  // The local lake's PostgreSQL runs as the postgres user when the bench runs as root.
  await chmod(dir, 0o755);
  try {
    const corpus = join(dir, "corpus.ndjson");
    const generated = await writeCorpus(corpus, convertMegabytes * 1e6);
    const venv = process.env.LOGLAKE_SPARK_VENV ?? join(repo, ".venv-spark");
    const load = loadavg()[0];
    const bench = spawnSync(
      join(venv, "bin", "python"),
      ["-m", "loglake_spark.local.bench", "--corpus", corpus, "--work", join(dir, "work")],
      { env: { ...process.env, PYTHONPATH: join(repo, "runtime", "spark") }, stdio: ["ignore", "pipe", "inherit"] },
    );
    if (bench.status !== 0) throw new Error(`loglake_spark.local.bench exited with ${bench.status}`);
    const result = JSON.parse(bench.stdout.toString().trim().split("\n").pop()!);
    const { spark, duckdb } = result.convert;
    console.log(
      `machine: ${cpus().length} CPUs (${cpus()[0]?.model ?? "unknown"}); load average ${load.toFixed(1)} before, ` +
        `${loadavg()[0].toFixed(1)} after; Spark local[${result.cores}], DuckDB ${duckdb.version} with ${result.cores} threads`,
    );
    console.log(
      `corpus: ${generated.records} records, ${(result.corpus.ndjsonBytes / 1e6).toFixed(1)} MB NDJSON, ` +
        `${(result.corpus.gzipBytes / 1e6).toFixed(1)} MB gzip in ${result.corpus.objects} objects, ${result.corpus.manifests} manifests`,
    );
    console.log(
      "\n| convert | seconds | MB/s NDJSON | MB/s per core | records/s | rows in | out | quarantined | output MB |",
    );
    console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (const [name, run, bytes] of [
      ["Spark convert → Iceberg", spark, spark.tableBytes],
      ["DuckDB read_json → Parquet", duckdb, duckdb.parquetBytes],
    ] as const) {
      console.log(
        `| ${name} | ${run.seconds} | ${run.ndjsonMBps} | ${run.ndjsonMBpsPerCore} | ${run.recordsPerSecond} | ` +
          `${run.rowsIn} | ${run.rowsOut} | ${run.quarantined} | ${(bytes / 1e6).toFixed(1)} |`,
      );
    }
    console.log(`\nneedle: trace_id = '${result.needle.traceId}' (median of 3 after a warm-up)\n`);
    console.log("| needle query on | seconds | rows | data files scanned | skipped |\n|---|---:|---:|---:|---:|");
    for (const row of [...result.needle.spark, ...result.needle.duckdb] as NeedleRow[]) {
      console.log(
        `| ${row.table ?? `DuckDB ${row.source}`} | ${row.seconds} | ${row.rows} | ${row.dataFiles ?? "-"} | ${row.skippedDataFiles ?? "-"} |`,
      );
    }

    const local = await runLocalLake({
      dir: join(dir, "local"),
      inputs: [],
      sampleMegabytes: localMegabytes,
      topic: "bench-local",
      queries: [],
      progress: () => undefined,
    });
    const rows = local.converted.reduce((sum, c) => sum + (c.rows ?? 0), 0);
    const convertSeconds = local.converted.reduce((sum, c) => sum + c.seconds, 0);
    console.log(
      `\nloglake local (S3A against s3rver, Hive metastore on PostgreSQL), ${localMegabytes} MB sample: ${rows} rows in ` +
        `${local.seconds.toFixed(1)} s from start to committed table = ${Math.round(rows / local.seconds)} records/s ` +
        `(converts ${convertSeconds.toFixed(1)} s of it, ${local.manifests} manifests); balanced ${local.balanced}`,
    );
    if (!local.balanced) process.exitCode = 1;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
