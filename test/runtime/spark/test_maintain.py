"""maintain: compaction reduces files without changing rows; expiry and orphan removal keep the table readable."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import record
from loglake_spark.config import TableConfig
from loglake_spark.convert import convert
from loglake_spark.maintain import MaintainSettings, maintain

CONFIG = TableConfig(database="maint")
TABLE = "lake.maint.app"


def rows(spark):
    return sorted(tuple(r) for r in spark.sql(f"SELECT trace_id, event_time, _source_line FROM {TABLE}").collect())


@pytest.fixture(scope="module")
def small_files(spark, raw):
    """Four manifests on an old day (one small file each) and two on today, which convert may still be writing."""
    for i in range(4):
        key = raw.put(
            "logs/app",
            "2026-11-20",
            "22",
            f"app+0+{i:019d}+{i:019d}.ndjson.gz",
            [record(i * 10 + j) for j in range(10)],
        )
        convert(spark, raw.manifest("logs/app", "2026-11-20", "22", [key]), CONFIG, raw.raw_root)
    today = datetime.now(UTC)
    for i in range(2):
        stamp = today.strftime("%Y-%m-%dT%H:00:00Z")
        key = raw.put(
            "logs/app",
            today.strftime("%Y-%m-%d"),
            today.strftime("%H"),
            f"app+1+{i:019d}+{i:019d}.ndjson.gz",
            [record(100 + i * 10 + j, timestamp=stamp) for j in range(10)],
        )
        convert(
            spark,
            raw.manifest("logs/app", today.strftime("%Y-%m-%d"), today.strftime("%H"), [key]),
            CONFIG,
            raw.raw_root,
        )
    return today


def files_per_day(spark):
    return {
        str(r["day"]): r["n"]
        for r in spark.sql(
            f"SELECT partition.event_time_day AS day, count(*) AS n FROM {TABLE}.files GROUP BY 1"
        ).collect()
    }


def test_maintain_compacts_old_partitions_and_keeps_every_row(spark, small_files, tmp_path):
    before_rows, before_files = rows(spark), files_per_day(spark)
    assert before_files["2026-11-20"] == 4

    # An orphan: a file in the table's data folder that no snapshot references, older than the window.
    data_dir = Path(spark.sql(f"SELECT file_path FROM {TABLE}.files LIMIT 1").first()[0].removeprefix("file:")).parent
    orphan = data_dir / "orphan-from-a-crashed-writer.parquet"
    orphan.write_bytes(b"not referenced")
    old = time.time() - 10 * 86400
    os.utime(orphan, (old, old))

    started = time.monotonic()
    report = maintain(
        spark,
        TABLE,
        MaintainSettings(expire_older_than=timedelta(0), retain_last=1, min_input_files=2),
    )
    report["seconds"] = round(time.monotonic() - started, 2)
    print("maintain report:", report)

    after_files = files_per_day(spark)
    assert after_files["2026-11-20"] == 1, after_files
    today = small_files.strftime("%Y-%m-%d")
    assert after_files[today] == before_files[today] == 2, "the partition being written is left alone"
    assert report["dataFilesBefore"] == 6 and report["dataFilesAfter"] == 3
    assert report["rewrittenDataFiles"] == 4 and report["addedDataFiles"] == 1
    assert rows(spark) == before_rows

    # Expiry removed the compacted-away files; the orphan is gone; the table still reads.
    assert report["expiredDataFiles"] == 4
    assert report["removedOrphanFiles"] >= 1 and not orphan.exists()
    # retain_last=1 plus the manifest rewrite committed within the same second as the cut-off.
    assert spark.sql(f"SELECT count(*) FROM {TABLE}.snapshots").first()[0] <= 2
    assert spark.table(TABLE).count() == len(before_rows) == 60


def test_compacted_files_keep_the_sort_order(spark, small_files):
    path = spark.sql(f"SELECT file_path FROM {TABLE}.files WHERE partition.event_time_day = DATE '2026-11-20'").first()[
        0
    ]
    services = [r["service"] for r in spark.read.parquet(path).select("service").collect()]
    assert services == sorted(services)
