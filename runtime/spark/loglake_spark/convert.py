"""convert: one manifest of gzip NDJSON objects -> rows appended to `<database>.<topic>`, exactly once.

The frame is built by small functions (read -> classify -> rows / quarantine) with the I/O at the
edges. Publishing uses Iceberg's write-audit-publish: the append is staged as a snapshot carrying the
manifest id as its `wap.id`, checked (its record count must equal the rows accepted), then published
with the `cherrypick_snapshot` procedure. Iceberg refuses to publish a `wap.id` that is already in
the table's history (DuplicateWAPCommitException), also when two runs of one manifest race, so a
retried or duplicated announcement commits nothing new.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import reduce

from pyspark import StorageLevel
from pyspark.sql import Column, DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import MapType, StringType

from .config import TableConfig
from .manifest import Manifest, object_path
from .session import CATALOG
from .tables import ensure_data_table, ensure_quarantine_table

#: monotonically_increasing_id() is (partition index << 33) + row index within the partition.
_ROW_INDEX_MASK = (1 << 33) - 1
#: Epoch values below this are seconds, otherwise milliseconds (runtime/sink/layout.ts `secondsBelow`).
_SECONDS_BELOW = 1e11
_MAX_EPOCH_SECONDS = 253402300800  # 10000-01-01: the sink's upper bound

REASON_INVALID_AT_SOURCE = "not-json-object-at-source"
REASON_EMPTY = "empty-line"
REASON_NOT_OBJECT = "not-json-object"
REASON_NO_TIME = "no-event-time"


# --- the frame ----------------------------------------------------------------------------------


def read_lines(spark: SparkSession, manifest: Manifest, raw_root: str) -> DataFrame:
    """(line, source_object, source_line) for every line of every file, line numbers from 1.

    Each object is read as its own scan: a gzip file is not splittable, so it is exactly one Spark
    partition and a row's index within its partition is its line number in the object.
    """
    if not manifest.files:
        raise ValueError(f"manifest {manifest.manifest_id} lists no files")
    scans = [
        spark.read.text(object_path(f, manifest.bucket, raw_root)).select(
            F.col("value").alias("line"), F.lit(f.uri).alias("source_object")
        )
        for f in manifest.files
    ]
    lines = reduce(DataFrame.unionByName, scans)
    return lines.withColumn("source_line", (F.monotonically_increasing_id().bitwiseAND(_ROW_INDEX_MASK)) + 1)


def event_time(raw: Column) -> Column:
    """ISO-8601 text or epoch seconds / milliseconds -> TIMESTAMP; null when unusable."""
    numeric = raw.rlike(r"^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$")
    number = raw.cast("double")
    seconds = F.when(number < _SECONDS_BELOW, number).otherwise(number / 1000)
    parsed = F.when(numeric, F.timestamp_micros((seconds * 1_000_000).cast("long"))).otherwise(raw.cast("timestamp"))
    epoch = parsed.cast("double")
    return F.when((epoch >= 0) & (epoch < _MAX_EPOCH_SECONDS), parsed)


def classify(lines: DataFrame, config: TableConfig, invalid_area: bool) -> DataFrame:
    """Adds `fields` (top-level JSON fields as text), `event_time` and `reason` (null when accepted)."""
    fields = F.when(F.col("line").rlike(r"^\s*\{"), F.from_json("line", MapType(StringType(), StringType())))
    if "." in config.time_field:
        raw_time = F.get_json_object("line", f"$.{config.time_field}")
    else:
        raw_time = F.col("fields")[config.time_field]
    reason = (
        F.when(F.lit(invalid_area), F.lit(REASON_INVALID_AT_SOURCE))
        .when(F.trim("line") == "", F.lit(REASON_EMPTY))
        .when(F.col("fields").isNull(), F.lit(REASON_NOT_OBJECT))
        .when(F.col("event_time").isNull(), F.lit(REASON_NO_TIME))
    )
    return (
        lines.withColumn("fields", fields).withColumn("event_time", event_time(raw_time)).withColumn("reason", reason)
    )


def _consumed(config: TableConfig, fields: Column) -> Callable[[Column, Column], Column]:
    """Whether a top-level field went into a typed column (then it is not repeated in `attributes`)."""

    def test(key: Column, value: Column) -> Column:
        used = F.lit(False)
        if "." not in config.time_field:
            used = key == config.time_field
        for column in config.core:
            earlier_absent = F.lit(True)
            for source in column.sources:
                used = used | ((key == source) & earlier_absent & value.cast(column.type).isNotNull())
                earlier_absent = earlier_absent & fields[source].isNull()
        return used

    return test


def outcomes(classified: DataFrame, config: TableConfig) -> DataFrame:
    """Each line's outcome in one projection: the table row's columns, and `reason` and `raw` when refused.

    This is the frame convert persists and counts, so the JSON is parsed and the rows are built once;
    the data and quarantine writes (and the data write's range sampling) read it back. The raw line is
    kept for refused lines only, which are the ones the quarantine needs it for.
    """
    fields = F.col("fields")
    core = [F.coalesce(*(fields[s].cast(c.type) for s in c.sources)).alias(c.name) for c in config.core]
    consumed = _consumed(config, fields)
    return classified.select(
        "event_time",
        *core,
        F.map_filter(fields, lambda k, v: ~consumed(k, v)).alias("attributes"),
        "source_object",
        "source_line",
        "reason",
        F.when(F.col("reason").isNotNull(), F.col("line")).alias("raw"),
    )


def to_rows(outcome: DataFrame, config: TableConfig, manifest_id: str) -> DataFrame:
    """Accepted lines as table rows: typed core columns, every other field in `attributes`."""
    return outcome.where(F.col("reason").isNull()).select(
        "event_time",
        *(c.name for c in config.core),
        "attributes",
        F.col("source_object").alias("_source_object"),
        F.col("source_line").alias("_source_line"),
        F.lit(manifest_id).alias("_manifest_id"),
    )


def to_quarantine(outcome: DataFrame, topic: str, manifest_id: str) -> DataFrame:
    return outcome.where(F.col("reason").isNotNull()).select(
        F.lit(topic).alias("topic"),
        "source_object",
        F.col("source_line").alias("line"),
        "reason",
        "raw",
        F.lit(manifest_id).alias("manifest_id"),
        F.current_timestamp().alias("quarantined_at"),
    )


# --- publishing once ----------------------------------------------------------------------------


@dataclass
class Published:
    #: "committed", or "already-committed" when the manifest id was in the table's history.
    status: str
    records: int = 0
    files: int = 0
    snapshot_id: int | None = None
    committed_at: datetime | None = None


def published_snapshot(spark: SparkSession, table: str, manifest_id: str):
    """The snapshot of the current history that published this manifest id, or None."""
    rows = spark.sql(
        f"SELECT s.snapshot_id, unix_millis(s.committed_at) AS committed_ms, s.summary FROM {table}.snapshots s "
        f"JOIN {table}.history h ON s.snapshot_id = h.snapshot_id "
        f"WHERE h.is_current_ancestor AND (s.summary['wap.id'] = '{manifest_id}' "
        f"OR s.summary['published-wap-id'] = '{manifest_id}') LIMIT 1"
    ).collect()
    return rows[0] if rows else None


def publish_once(frame: DataFrame, table: str, manifest_id: str, expected_records: int) -> Published:
    """Stages `frame` under `wap.id = manifest_id` and publishes it; Iceberg refuses a second publish.

    The caller has checked that the id is not published yet (`published_snapshot`); a run racing this
    one is caught by the `cherrypick_snapshot` refusal.
    """
    spark = frame.sparkSession
    run_id = str(uuid.uuid4())
    (
        frame.writeTo(table)
        .option("snapshot-property.loglake.manifest-id", manifest_id)
        .option("snapshot-property.loglake.run-id", run_id)
        .append()
    )
    staged = _snapshots(spark, table, f"summary['loglake.run-id'] = '{run_id}'")
    if len(staged) != 1:
        raise RuntimeError(f"{table}: expected one staged snapshot for run {run_id}, found {len(staged)}")
    staged_id, staged_records = staged[0]["snapshot_id"], int(staged[0]["summary"].get("added-records", "0"))
    if staged_records != expected_records:
        raise RuntimeError(
            f"{table}: staged snapshot {staged_id} holds {staged_records} records, "
            f"expected {expected_records}; not publishing manifest {manifest_id}"
        )
    name = table.removeprefix(f"{CATALOG}.")
    try:
        published = spark.sql(f"CALL {CATALOG}.system.cherrypick_snapshot('{name}', {staged_id})").first()
    except Exception as error:  # Iceberg's DuplicateWAPCommitException: a racing run published first
        if "DuplicateWAPCommitException" not in str(error) and "already published" not in str(error):
            raise
        return Published("already-committed")
    # Usually a fast-forward: the staged snapshot itself became current. When another commit came
    # first, Iceberg wrote a new snapshot with the same changes (and `published-wap-id`).
    current = published["current_snapshot_id"]
    snapshot = staged[0] if current == staged_id else _snapshots(spark, table, f"snapshot_id = {current}")[0]
    summary = snapshot["summary"]
    return Published(
        "committed",
        records=int(summary.get("added-records", "0")),
        files=int(summary.get("added-data-files", "0")),
        snapshot_id=snapshot["snapshot_id"],
        committed_at=datetime.fromtimestamp(snapshot["committed_ms"] / 1000, UTC),
    )


def _snapshots(spark: SparkSession, table: str, where: str) -> list:
    return spark.sql(
        f"SELECT snapshot_id, unix_millis(committed_at) AS committed_ms, summary FROM {table}.snapshots WHERE {where}"
    ).collect()


# --- the job ------------------------------------------------------------------------------------


def convert(spark: SparkSession, manifest: Manifest, config: TableConfig, raw_root: str = "s3a://") -> dict:
    """Converts one manifest; returns the JSON summary the dispatcher records."""
    started = time.monotonic()
    # A session of its own: `spark.wap.id` is session state, and runs may share one SparkContext.
    session = spark.newSession()
    session.conf.set("spark.wap.id", manifest.manifest_id)
    table = ensure_data_table(session, config, manifest.topic)
    quarantine = ensure_quarantine_table(session, config)

    done = {t: published_snapshot(session, t, manifest.manifest_id) is not None for t in (table, quarantine)}
    if all(done.values()):
        # A retried or duplicated announcement: nothing to read, nothing to write.
        return _summary(
            manifest, table, quarantine, started, None, Published("already-committed"), Published("already-committed")
        )

    classified = classify(read_lines(session, manifest, raw_root), config, manifest.invalid_area)
    outcome = outcomes(classified, config).persist(StorageLevel.MEMORY_AND_DISK)
    try:
        by_outcome = outcome.groupBy(F.col("reason").isNull().alias("accepted")).count().collect()
        counts = {row["accepted"]: row["count"] for row in by_outcome}
        accepted, quarantined = counts.get(True, 0), counts.get(False, 0)
        data = bad = Published("already-committed")
        if not done[table]:
            data = publish_once(to_rows(outcome, config, manifest.manifest_id), table, manifest.manifest_id, accepted)
        if not done[quarantine]:
            bad = publish_once(
                to_quarantine(outcome, manifest.topic, manifest.manifest_id),
                quarantine,
                manifest.manifest_id,
                quarantined,
            )
    finally:
        outcome.unpersist()
    return _summary(manifest, table, quarantine, started, (accepted, quarantined), data, bad)


def _summary(manifest, table, quarantine, started, counts, data: Published, bad: Published) -> dict:
    accepted, quarantined = counts or (None, None)

    oldest = min((f.created_at for f in manifest.files), default=None)
    latency = None
    if data.committed_at is not None and oldest is not None:
        latency = (data.committed_at - oldest).total_seconds()
    return {
        "manifestId": manifest.manifest_id,
        "table": table,
        "quarantineTable": quarantine,
        "status": data.status,
        "quarantineStatus": bad.status,
        "objects": len(manifest.files),
        "bytes": manifest.total_bytes,
        "rowsIn": None if counts is None else accepted + quarantined,
        "rows": accepted,
        "quarantined": quarantined,
        "rowsCommitted": data.records,
        "quarantinedCommitted": bad.records,
        "filesWritten": data.files + bad.files,
        "snapshotId": data.snapshot_id,
        "seconds": round(time.monotonic() - started, 3),
        "oldestUploadToCommitSeconds": latency,
        "convertedAt": datetime.now(UTC).isoformat(),
    }
