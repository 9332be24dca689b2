"""Benchmarks of the processing layer in Spark local mode, each beside a single-node DuckDB reference.

`python -m loglake_spark.local.bench --corpus FILE --work DIR` (run by runtime/bench/lake.bench.ts):

1. The NDJSON corpus is cut into gzip objects in the sink's layout (`<topic>/dt=/hour=/…`, 64 MB of
   NDJSON each, gzip level 6 as the sink writes them) and one manifest per hour, as the builder makes;
   the manifests are also written to `DIR/manifests/` for the S3A stage of the TypeScript side.
2. convert: every manifest into `logs.<topic>` once, the production path (the default table config:
   bloom filters on trace_id, client_ip, user_id; sorted by service, level, event_time). DuckDB
   reference: `read_json` of the same gzip files → one zstd Parquet file. Rows in = rows out +
   quarantined, for both.
3. needle variants, derived from the converted table by Spark itself (`INSERT INTO … SELECT *`, so the
   same rows): one with neither bloom filters nor a sort order, one sorted by trace_id without bloom
   filters. Their tables are made by `ensure_data_table` with the config changed in that one respect.
4. needle: one trace id, looked up in the three tables, in DuckDB's Parquet and in the raw NDJSON
   through DuckDB: seconds (median of 3 after one warm-up), data files scanned / skipped (Iceberg's
   scan metrics), and per table its size, files and row groups, and how many row groups the footers'
   min/max statistics and bloom filters rule out for that id (read from the data files with DuckDB's
   `parquet_metadata` / `parquet_bloom_probe`: what Iceberg's row-group filters evaluate; Spark
   exposes no count of its own).

The warehouse is on local disk (Hadoop catalog): the numbers are Spark's and Iceberg's, not a local
S3 emulator's (convert through S3A is the TypeScript side's stage). Prints one JSON document on stdout.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import statistics
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from ..config import TableConfig
from ..convert import convert
from ..manifest import parse_manifest
from ..session import CatalogSettings, build_session
from ..tables import data_table, ensure_data_table

TOPIC = "bench"
#: The sink's default flush size: one object per 64 MB of NDJSON in an hour.
OBJECT_BYTES = 64 * 1024 * 1024
GZIP_LEVEL = 6


def write_raw(corpus: Path, root: Path) -> tuple[list[str], dict]:
    """Gzip objects per hour of event time; returns manifest documents and the corpus's size."""
    files: dict[tuple[str, str], list[dict]] = {}
    lines = ndjson_bytes = 0
    current: dict[tuple[str, str], tuple[gzip.GzipFile, Path, int]] = {}

    def close(part: tuple[str, str]) -> None:
        out, path, _ = current.pop(part)
        out.close()
        key = str(path.relative_to(root / "raw"))
        files.setdefault(part, []).append({"key": key, "size": path.stat().st_size})

    with corpus.open("rb") as source:
        for line in source:
            lines += 1
            ndjson_bytes += len(line)
            stamp = json.loads(line)["timestamp"]
            part = (stamp[:10], stamp[11:13])
            if part not in current:
                folder = root / "raw" / TOPIC / f"dt={part[0]}" / f"hour={part[1]}"
                folder.mkdir(parents=True, exist_ok=True)
                path = folder / f"{TOPIC}+0+{lines:019d}.ndjson.gz"
                # Several hours are open at once (late records); each is closed by close().
                current[part] = (gzip.open(path, "wb", compresslevel=GZIP_LEVEL), path, 0)  # noqa: SIM115
            out, path, written = current[part]
            out.write(line)
            current[part] = (out, path, written + len(line))
            if written + len(line) >= OBJECT_BYTES:
                close(part)
    for part in list(current):
        close(part)
    manifests = [manifest_document(part, entries) for part, entries in sorted(files.items())]
    (root / "manifests").mkdir(exist_ok=True)
    for document in manifests:
        (root / "manifests" / f"{json.loads(document)['manifestId']}.json").write_text(document)
    gzip_bytes = sum(f["size"] for entries in files.values() for f in entries)
    return manifests, {"lines": lines, "ndjsonBytes": ndjson_bytes, "gzipBytes": gzip_bytes}


def manifest_document(part: tuple[str, str], entries: list[dict]) -> str:
    """A manifest as runtime/manifest/planner.ts writes it (the fields convert reads)."""
    dt, hour = part
    created = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    files = [{"uri": f"s3://raw/{e['key']}", "key": e["key"], "size": e["size"], "createdAt": created} for e in entries]
    return json.dumps(
        {
            "version": 1,
            "manifestId": hashlib.sha256(f"{TOPIC}/{dt}/{hour}".encode()).hexdigest()[:32],
            "bucket": "raw",
            "dataset": TOPIC,
            "partition": {"dt": dt, "hour": hour},
            "files": files,
        }
    )


def timed(run) -> tuple[float, object]:
    started = time.monotonic()
    result = run()
    return time.monotonic() - started, result


def median_seconds(run, rounds: int = 3) -> float:
    run()  # warm-up: JIT, metadata caches
    return statistics.median(timed(run)[0] for _ in range(rounds))


def scan_files(frame) -> dict:
    """Iceberg's scan metrics of the query just run: data files read and skipped by pruning."""
    plan = frame._jdf.queryExecution().executedPlan()
    if plan.nodeName() == "AdaptiveSparkPlan":
        plan = plan.executedPlan()
    leaves = plan.collectLeaves()
    for i in range(leaves.size()):
        node = leaves.apply(i)
        if "BatchScan" in node.nodeName():
            metrics = node.metrics()

            def value(name, metrics=metrics):
                return metrics.get(name).get().value() if metrics.contains(name) else None

            return {"dataFiles": value("resultDataFiles"), "skippedDataFiles": value("skippedDataFiles")}
    return {}


def spark_needle(spark, db, table: str, trace_id: str) -> dict:
    query = f"SELECT * FROM {table} WHERE trace_id = '{trace_id}'"
    seconds = median_seconds(lambda: spark.sql(query).collect())
    frame = spark.sql(query)
    rows = len(frame.collect())
    return {
        "table": table,
        "seconds": round(seconds, 3),
        "rows": rows,
        **scan_files(frame),
        **layout(spark, db, table, trace_id),
    }


def layout(spark, db, table: str, trace_id: str) -> dict:
    """Size, files and row groups of a table, and the row groups its footers rule out for `trace_id`."""
    paths = [r.file_path.removeprefix("file:") for r in spark.sql(f"SELECT file_path FROM {table}.files").collect()]
    groups, by_stats, with_bloom, by_bloom = db.execute(
        """
        WITH stats AS (
            SELECT file_name, row_group_id, bloom_filter_offset IS NOT NULL AS bloom,
                   coalesce(NOT (stats_min_value <= $id AND stats_max_value >= $id), false) AS stats_excludes
            FROM parquet_metadata($paths) WHERE path_in_schema = 'trace_id'
        )
        SELECT count(*), count(*) FILTER (stats_excludes), count(*) FILTER (bloom),
               count(*) FILTER (NOT stats_excludes AND coalesce(p.bloom_filter_excludes, false))
        FROM stats LEFT JOIN parquet_bloom_probe($paths, 'trace_id', $id) p USING (file_name, row_group_id)
        """,
        {"paths": paths, "id": trace_id},
    ).fetchone()
    return {
        "tableBytes": sum(os.path.getsize(p) for p in paths),
        "files": len(paths),
        "rowGroups": groups,
        "rowGroupsWithBloomFilter": with_bloom,
        "rowGroupsSkippedByStats": by_stats,
        "rowGroupsSkippedByBloom": by_bloom,
        "rowGroupsRead": groups - by_stats - by_bloom,
    }


def derive_variants(spark, config: TableConfig, source: str) -> list[dict]:
    """The converted rows again, in tables that differ from the default only in bloom filters and sort order."""
    variants = []
    for suffix, variant, unordered in (
        ("_plain", replace(config, bloom_filter_columns=()), True),
        ("_by_trace", replace(config, bloom_filter_columns=(), sort_by=("trace_id",)), False),
    ):
        name = ensure_data_table(spark, variant, TOPIC + suffix)
        if unordered:
            spark.sql(f"ALTER TABLE {name} WRITE UNORDERED")
        seconds, _ = timed(lambda name=name: spark.sql(f"INSERT INTO {name} SELECT * FROM {source}"))
        variants.append({"table": name, "seconds": round(seconds, 1)})
    return variants


def duck_needle(db, source: str, trace_id: str) -> dict:
    # As text: DuckDB hands timestamps with a zone to Python only through pytz, which is not installed.
    query = f"SELECT COLUMNS(*)::VARCHAR FROM {source} WHERE trace_id = ?"
    seconds = median_seconds(lambda: db.execute(query, [trace_id]).fetchall())
    return {
        "source": source.split("(")[0],
        "seconds": round(seconds, 3),
        "rows": len(db.execute(query, [trace_id]).fetchall()),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="loglake_spark.local.bench", description=__doc__)
    parser.add_argument("--corpus", required=True, type=Path)
    parser.add_argument("--work", required=True, type=Path)
    parser.add_argument("--master", default="local[2]")
    args = parser.parse_args(argv)
    cores = int(args.master.removeprefix("local[").removesuffix("]"))

    started, (manifests, corpus) = timed(lambda: write_raw(args.corpus, args.work))
    corpus["writeRawSeconds"] = round(started, 1)
    needle = json.loads(args.corpus.open().readline())["trace_id"]

    catalog = CatalogSettings(type="hadoop", warehouse=f"file://{args.work / 'warehouse'}")
    spark = build_session(
        catalog,
        "loglake-bench",
        args.master,
        {"spark.ui.enabled": "false", "spark.ui.showConsoleProgress": "false", "spark.driver.memory": "2g"},
    )
    spark.sparkContext.setLogLevel("ERROR")
    config = TableConfig()
    raw_root = f"file://{args.work}/"
    seconds, summaries = timed(lambda: [convert(spark, parse_manifest(m), config, raw_root) for m in manifests])
    rows = sum(s["rows"] for s in summaries)
    quarantined = sum(s["quarantined"] for s in summaries)
    table = data_table(config, TOPIC)
    variants = derive_variants(spark, config, table)

    db = duckdb.connect()
    db.execute(f"SET threads = {cores}")
    gz = sorted(str(p) for p in (args.work / "raw").rglob("*.ndjson.gz"))
    raw_source = f"read_json({gz!r}, format = 'newline_delimited', ignore_errors = true)"
    parquet = args.work / "duckdb.parquet"
    duck_seconds, _ = timed(
        lambda: db.execute(f"COPY (SELECT * FROM {raw_source}) TO '{parquet}' (FORMAT parquet, COMPRESSION zstd)")
    )
    duck_rows = db.execute(f"SELECT count(*) FROM read_parquet('{parquet}')").fetchone()[0]

    mb = corpus["ndjsonBytes"] / 1e6
    result = {
        "cores": cores,
        "corpus": {**corpus, "objects": len(gz), "manifests": len(manifests)},
        "convert": {
            "spark": {
                "seconds": round(seconds, 1),
                "ndjsonMBps": round(mb / seconds, 2),
                "ndjsonMBpsPerCore": round(mb / seconds / cores, 2),
                "gzipMBps": round(corpus["gzipBytes"] / 1e6 / seconds, 2),
                "recordsPerSecond": round(rows / seconds),
                "rowsIn": corpus["lines"],
                "rowsOut": rows,
                "quarantined": quarantined,
                "filesWritten": sum(s["filesWritten"] for s in summaries),
                "tableBytes": spark.sql(f"SELECT sum(file_size_in_bytes) FROM {table}.files").collect()[0][0],
                "manifests": [
                    {"manifestId": s["manifestId"], "rows": s["rows"], "seconds": s["seconds"]} for s in summaries
                ],
            },
            "duckdb": {
                "version": duckdb.__version__,
                "seconds": round(duck_seconds, 1),
                "ndjsonMBps": round(mb / duck_seconds, 2),
                "ndjsonMBpsPerCore": round(mb / duck_seconds / cores, 2),
                "recordsPerSecond": round(duck_rows / duck_seconds),
                "rowsIn": corpus["lines"],
                "rowsOut": duck_rows,
                "quarantined": corpus["lines"] - duck_rows,
                "parquetBytes": os.path.getsize(parquet),
            },
        },
        "needle": {
            "traceId": needle,
            "derived": variants,
            "spark": [spark_needle(spark, db, t, needle) for t in (table, *(v["table"] for v in variants))],
            "duckdb": [duck_needle(db, f"read_parquet('{parquet}')", needle), duck_needle(db, raw_source, needle)],
        },
    }
    spark.stop()
    print(json.dumps(result))
    balanced = rows + quarantined == corpus["lines"] and duck_rows == corpus["lines"]
    return 0 if balanced else 1


if __name__ == "__main__":
    raise SystemExit(main())
