// The processing layer: Spark `convert` throughput and a needle query on Iceberg, each against a
// DuckDB reference on the same files (runtime/spark/loglake_spark/local/bench.py); the same
// manifests converted again with raw objects and warehouse on s3rver through S3A; then the
// `loglake local` path end to end (ship → sink → manifests → convert through S3A), records/s.
// Results go into BENCHMARKS.md by hand.
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { spawnSync } from "node:child_process";
import { chmod, mkdtemp, readFile, rm } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { convertOnLocalS3, localBuckets, runLocalLake } from "../local/lake";
import { startS3 } from "../local/peers/s3";
import { writeCorpus } from "./corpus";

/** NDJSON converted once; the needle variants are derived from it, so it is the needle's size too. */
const convertMegabytes = Number(process.env.LOGLAKE_BENCH_LAKE_MB ?? 200);
/** Manifests of that corpus converted again through S3A (each about an hour of the corpus). */
const s3aManifests = Number(process.env.LOGLAKE_BENCH_S3A_MANIFESTS ?? 2);
const localMegabytes = Number(process.env.LOGLAKE_BENCH_LOCAL_MB ?? 20);
const repo = resolve(__dirname, "..", "..");

interface NeedleRow {
  table?: string;
  source?: string;
  seconds: number;
  rows: number;
  dataFiles?: number;
  skippedDataFiles?: number;
  tableBytes?: number;
  files?: number;
  rowGroups?: number;
  rowGroupsSkippedByStats?: number;
  rowGroupsSkippedByBloom?: number;
  rowGroupsRead?: number;
}

interface ManifestRun {
  manifestId: string;
  rows: number;
  seconds: number;
}

/** Manifests of the bench's work folder converted again, with raw objects and warehouse on s3rver. */
async function convertThroughS3A(work: string, dir: string, manifests: ManifestRun[]): Promise<void> {
  const s3 = await startS3({ ownProcess: true });
  try {
    for (const bucket of Object.values(localBuckets)) await s3.createBucket(bucket);
    const client = s3.client();
    const uris: string[] = [];
    for (const { manifestId } of manifests) {
      const document = await readFile(join(work, "manifests", `${manifestId}.json`), "utf8");
      for (const { key } of JSON.parse(document).files as { key: string }[]) {
        const body = await readFile(join(work, "raw", key));
        await client.send(new PutObjectCommand({ Bucket: localBuckets.raw, Key: key, Body: body }));
      }
      const key = `bench/${manifestId}.json`;
      await client.send(new PutObjectCommand({ Bucket: localBuckets.manifests, Key: key, Body: document }));
      uris.push(`s3a://${localBuckets.manifests}/${key}`);
    }
    const load = loadavg()[0];
    const s3a = await convertOnLocalS3(s3, dir, "bench", uris);
    console.log(
      `\nconvert through S3A (raw objects and warehouse on s3rver in its own process, Hive metastore on ` +
        `PostgreSQL) beside the local-disk convert of the same manifests above (Hadoop catalog); load ${load.toFixed(1)} before, ` +
        `${loadavg()[0].toFixed(1)} after\n`,
    );
    console.log("| manifest | rows | local disk s | S3A s | S3A / local |\n|---|---:|---:|---:|---:|");
    for (const [i, local] of manifests.entries()) {
      const remote = s3a[i];
      if (remote.manifestId !== local.manifestId || remote.rows !== local.rows) {
        throw new Error(`S3A convert of ${local.manifestId}: ${JSON.stringify(remote)} differs from the local one`);
      }
      console.log(
        `| ${local.manifestId.slice(0, 8)} | ${local.rows} | ${local.seconds.toFixed(1)} | ${remote.seconds.toFixed(1)} | ` +
          `${(remote.seconds / local.seconds).toFixed(2)} |`,
      );
    }
  } finally {
    await s3.stop();
  }
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "loglake-bench-lake-"));
  // The local lake's PostgreSQL runs as the postgres user when the bench runs as root.
  await chmod(dir, 0o755);
  try {
    const corpus = join(dir, "corpus.ndjson");
    const work = join(dir, "work");
    const generated = await writeCorpus(corpus, convertMegabytes * 1e6);
    const venv = process.env.LOGLAKE_SPARK_VENV ?? join(repo, ".venv-spark");
    const load = loadavg()[0];
    const bench = spawnSync(
      join(venv, "bin", "python"),
      ["-m", "loglake_spark.local.bench", "--corpus", corpus, "--work", work],
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
      `corpus (LOGLAKE_BENCH_LAKE_MB=${convertMegabytes}): ${generated.records} records, ${(result.corpus.ndjsonBytes / 1e6).toFixed(1)} MB NDJSON, ` +
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
    console.log(
      `\nderived from logs.bench by Spark: ${(result.needle.derived as { table: string; seconds: number }[])
        .map((d) => `${d.table} in ${d.seconds} s`)
        .join(", ")}`,
    );
    console.log(`\nneedle: trace_id = '${result.needle.traceId}' (median of 3 after a warm-up)\n`);
    console.log(
      "| needle query on | seconds | rows | data files scanned | skipped | table MB | files | row groups | " +
        "ruled out by min/max | by bloom | read |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    );
    for (const row of [...result.needle.spark, ...result.needle.duckdb] as NeedleRow[]) {
      const cells = [row.dataFiles, row.skippedDataFiles, row.tableBytes && (row.tableBytes / 1e6).toFixed(1)];
      cells.push(row.files, row.rowGroups, row.rowGroupsSkippedByStats, row.rowGroupsSkippedByBloom, row.rowGroupsRead);
      console.log(
        `| ${row.table ?? `DuckDB ${row.source}`} | ${row.seconds} | ${row.rows} | ${cells.map((c) => c ?? "-").join(" | ")} |`,
      );
    }

    await convertThroughS3A(work, join(dir, "s3a"), result.convert.spark.manifests.slice(0, s3aManifests));

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
