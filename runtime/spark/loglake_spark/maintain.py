"""maintain: Iceberg's own maintenance procedures over one table, reporting what each changed.

Safe to run while convert commits: compaction skips the partition being written (and Iceberg
retries or fails a rewrite that conflicts, never an append), snapshot expiry keeps the last K and
everything younger than N days, and orphan removal only considers files older than a safety window
longer than any job run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from pyspark.sql import SparkSession

from .session import CATALOG


@dataclass(frozen=True)
class MaintainSettings:
    #: Snapshots older than this are expired. Keep it longer than the manifest queue's redelivery
    #: window (SQS keeps messages at most 14 days): convert's exactly-once check reads the history.
    expire_older_than: timedelta = timedelta(days=15)
    retain_last: int = 20
    #: Files no snapshot references and older than this are deleted; far longer than a convert run.
    orphan_older_than: timedelta = timedelta(days=3)
    #: Compaction leaves the newest partition (the one convert is writing) alone.
    skip_current: timedelta = timedelta(days=1)
    #: Compact a partition once it has at least this many files.
    min_input_files: int = 5
    target_file_bytes: int | None = None


def _ts(moment: datetime) -> str:
    # To the microsecond, as Spark's timestamps are: cut to the second, "older than now" would spare a
    # snapshot committed earlier within the same second.
    return f"TIMESTAMP '{moment.astimezone(UTC).strftime('%Y-%m-%d %H:%M:%S.%f')}'"


def maintain(spark: SparkSession, table: str, settings: MaintainSettings, now: datetime | None = None) -> dict:
    """Runs rewrite_data_files, rewrite_manifests, expire_snapshots and remove_orphan_files on `table`."""
    now = now or datetime.now(UTC)
    name = table.removeprefix(f"{CATALOG}.")
    system = f"{CATALOG}.system"
    boundary = (now - settings.skip_current).replace(hour=0, minute=0, second=0, microsecond=0)
    options = {"min-input-files": str(settings.min_input_files), "partial-progress.enabled": "true"}
    if settings.target_file_bytes:
        options["target-file-size-bytes"] = str(settings.target_file_bytes)
    option_map = ", ".join(f"'{k}', '{v}'" for k, v in options.items())
    before = _files(spark, table)

    rewrite = spark.sql(
        f"CALL {system}.rewrite_data_files(table => '{name}', strategy => 'sort', "
        f'where => "event_time < {_ts(boundary)}", options => map({option_map}))'
    ).first()
    manifests = spark.sql(f"CALL {system}.rewrite_manifests(table => '{name}')").first()
    expire = spark.sql(
        f"CALL {system}.expire_snapshots(table => '{name}', "
        f"older_than => {_ts(now - settings.expire_older_than)}, retain_last => {settings.retain_last})"
    ).first()
    orphans = spark.sql(
        f"CALL {system}.remove_orphan_files(table => '{name}', older_than => {_ts(now - settings.orphan_older_than)})"
    ).collect()
    return {
        "table": table,
        "dataFilesBefore": before,
        "dataFilesAfter": _files(spark, table),
        "rewrittenDataFiles": rewrite["rewritten_data_files_count"],
        "addedDataFiles": rewrite["added_data_files_count"],
        "rewrittenBytes": rewrite["rewritten_bytes_count"],
        "rewrittenManifests": manifests["rewritten_manifests_count"],
        "addedManifests": manifests["added_manifests_count"],
        "expiredDataFiles": expire["deleted_data_files_count"],
        "expiredManifestLists": expire["deleted_manifest_lists_count"],
        "removedOrphanFiles": len(orphans),
        "compactedBefore": boundary.isoformat(),
    }


def _files(spark: SparkSession, table: str) -> int:
    return spark.sql(f"SELECT count(*) AS n FROM {table}.files").first()["n"]
