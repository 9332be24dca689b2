"""convert: schema, quarantine, counts, table layout and exactly-once per manifest."""

from __future__ import annotations

import threading

import pytest
from conftest import record
from loglake_spark import convert as convert_module
from loglake_spark.config import CoreColumn, TableConfig
from loglake_spark.convert import convert

DT, HOUR = "2026-11-20", "22"


def iceberg_table(spark, name):
    return spark._jvm.org.apache.iceberg.spark.Spark3Util.loadIcebergTable(spark._jsparkSession, name)


@pytest.fixture(scope="module")
def web(spark, raw):
    """One manifest of two objects with accepted and refused lines, converted once."""
    first = raw.put(
        "logs/web",
        DT,
        HOUR,
        "web+0+0000000000000000001+0000000000000000006.ndjson.gz",
        [
            record(1, user_id="u-1"),
            "not json at all",
            record(2, timestamp=None),
            "[1, 2, 3]",
            record(3, timestamp=1763676000),  # epoch seconds
            record(4, timestamp="yesterday"),
        ],
    )
    second = raw.put(
        "logs/web",
        DT,
        HOUR,
        "web+1+0000000000000000001+0000000000000000003.ndjson.gz",
        [record(5, timestamp=1763676000123, extra={"k": [1, 2]}), "", record(6, msg=None, message="hello")],
    )
    manifest = raw.manifest("logs/web", DT, HOUR, [first, second])
    summary = convert(spark, manifest, TableConfig(), raw.raw_root)
    return {"manifest": manifest, "summary": summary, "first": first, "second": second}


def test_counts_in_equal_rows_out_plus_quarantined(web):
    s = web["summary"]
    assert (s["rowsIn"], s["rows"], s["quarantined"]) == (9, 4, 5)
    assert s["rowsIn"] == s["rowsCommitted"] + s["quarantinedCommitted"]
    assert s["status"] == "committed" and s["quarantineStatus"] == "committed"


def test_summary_reports_bytes_files_and_latency(web):
    s = web["summary"]
    assert s["bytes"] == web["manifest"].total_bytes and s["objects"] == 2
    assert s["filesWritten"] >= 2  # at least one data file and one quarantine file
    assert s["oldestUploadToCommitSeconds"] > 0 and s["seconds"] > 0


def test_typed_core_schema_and_every_other_field_kept(spark, web):
    schema = {f.name: f.dataType.simpleString() for f in spark.table("lake.logs.web").schema.fields}
    assert schema == {
        "event_time": "timestamp",
        "level": "string",
        "service": "string",
        "host": "string",
        "message": "string",
        "trace_id": "string",
        "client_ip": "string",
        "user_id": "string",
        "attributes": "map<string,string>",
        "_source_object": "string",
        "_source_line": "bigint",
        "_manifest_id": "string",
    }
    rows = {r["trace_id"]: r for r in spark.table("lake.logs.web").collect()}
    one = rows[f"{1:032x}"]
    assert one["user_id"] == "u-1" and one["service"] == "search" and one["message"] == "request completed"
    assert one["attributes"] == {"seq": "1", "http": '{"method":"GET","status":200}'}
    assert str(one["event_time"]) == "2026-11-20 22:00:01"
    assert str(rows[f"{3:032x}"]["event_time"]) == "2025-11-20 22:00:00"  # epoch seconds
    assert str(rows[f"{5:032x}"]["event_time"]) == "2025-11-20 22:00:00.123000"  # epoch milliseconds
    assert rows[f"{5:032x}"]["attributes"]["extra"] == '{"k":[1,2]}'
    assert rows[f"{6:032x}"]["message"] == "hello"  # second source of `message`


def test_lineage_points_at_object_and_line(spark, web):
    got = {
        (r["_source_object"].rsplit("/", 1)[-1], r["_source_line"])
        for r in spark.table("lake.logs.web").select("_source_object", "_source_line").collect()
    }
    first, second = (web[k].rsplit("/", 1)[-1] for k in ("first", "second"))
    assert got == {(first, 1), (first, 5), (second, 1), (second, 3)}


def test_refused_lines_are_quarantined_with_object_line_reason_and_raw_line(spark, web):
    got = {
        (r["source_object"].rsplit("/", 1)[-1], r["line"], r["reason"], r["raw"])
        for r in spark.sql(
            f"SELECT * FROM lake.logs._quarantine WHERE manifest_id = '{web['manifest'].manifest_id}'"
        ).collect()
    }
    first, second = (web[k].rsplit("/", 1)[-1] for k in ("first", "second"))
    assert got == {
        (first, 2, "not-json-object", "not json at all"),
        (first, 3, "no-event-time", record(2, timestamp=None)),
        (first, 4, "not-json-object", "[1, 2, 3]"),
        (first, 6, "no-event-time", record(4, timestamp="yesterday")),
        (second, 2, "empty-line", ""),
    }


def test_table_is_partitioned_by_event_day_sorted_and_bloom_filtered(spark, web):
    table = iceberg_table(spark, "lake.logs.web")
    assert table.spec().toString().replace("\n", " ").split("[")[1].strip().startswith("1000: event_time_day: day(")
    assert [f.toString().split()[0] for f in table.sortOrder().fields()] == [
        "identity(3)",
        "identity(2)",
        "identity(1)",
    ]
    props = dict(table.properties())
    assert props["write.parquet.compression-codec"] == "zstd"
    assert props["write.target-file-size-bytes"] == str(512 * 1024 * 1024)
    assert props["write.wap.enabled"] == "true"
    for column in ("trace_id", "client_ip", "user_id"):
        assert props[f"write.parquet.bloom-filter-enabled.column.{column}"] == "true"


def test_data_files_are_zstd_parquet_with_bloom_filters(spark, web):
    jvm = spark._jvm
    conf = spark._jsc.hadoopConfiguration()
    paths = [r["file_path"] for r in spark.sql("SELECT file_path FROM lake.logs.web.files").collect()]
    assert paths and all(p.endswith(".parquet") for p in paths)
    hadoop_file = jvm.org.apache.parquet.hadoop.util.HadoopInputFile.fromPath(
        jvm.org.apache.hadoop.fs.Path(paths[0]), conf
    )
    reader = jvm.org.apache.parquet.hadoop.ParquetFileReader.open(hadoop_file)
    try:
        columns = {c.getPath().toDotString(): c for c in reader.getFooter().getBlocks().get(0).getColumns()}
    finally:
        reader.close()
    assert {c.getCodec().name() for c in columns.values()} == {"ZSTD"}
    with_bloom = {name for name, c in columns.items() if c.getBloomFilterOffset() > 0}
    assert {"trace_id", "client_ip"} <= with_bloom and "service" not in with_bloom


def test_rerun_of_the_same_manifest_commits_nothing(spark, raw, web):
    before = spark.table("lake.logs.web").count(), spark.table("lake.logs._quarantine").count()
    snapshots = spark.sql("SELECT count(*) FROM lake.logs.web.snapshots").first()[0]
    again = convert(spark, web["manifest"], TableConfig(), raw.raw_root)
    assert (again["status"], again["quarantineStatus"]) == ("already-committed", "already-committed")
    assert (spark.table("lake.logs.web").count(), spark.table("lake.logs._quarantine").count()) == before
    assert spark.sql("SELECT count(*) FROM lake.logs.web.snapshots").first()[0] == snapshots


def test_manifest_id_is_in_the_snapshot_summary(spark, web):
    summary = spark.sql("SELECT summary FROM lake.logs.web.snapshots ORDER BY committed_at DESC").first()[0]
    assert web["manifest"].manifest_id in (summary.get("wap.id"), summary.get("published-wap-id"))


def test_two_racing_runs_of_one_manifest_commit_it_once(spark, raw):
    key = raw.put(
        "logs/race",
        DT,
        HOUR,
        "race+0+0000000000000000001+0000000000000000050.ndjson.gz",
        [record(i) for i in range(50)],
    )
    manifest = raw.manifest("logs/race", DT, HOUR, [key])
    results, errors = [], []

    def run():
        try:
            results.append(convert(spark, manifest, TableConfig(database="race"), raw.raw_root)["status"])
        except Exception as error:  # pragma: no cover - reported below
            errors.append(str(error)[:3000])

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, "\n".join(errors)
    assert sorted(results) == ["already-committed", "committed"]
    assert spark.table("lake.race.race").count() == 50


def test_a_run_that_missed_the_other_commit_is_refused_by_iceberg(spark, raw, monkeypatch):
    """The pre-check is only a shortcut: Iceberg itself refuses to publish a wap.id twice."""
    key = raw.put(
        "logs/late",
        DT,
        HOUR,
        "late+0+0000000000000000001+0000000000000000010.ndjson.gz",
        [record(i) for i in range(10)],
    )
    manifest = raw.manifest("logs/late", DT, HOUR, [key])
    config = TableConfig(database="race")
    assert convert(spark, manifest, config, raw.raw_root)["status"] == "committed"

    real, calls = convert_module.published_snapshot, []

    def blind_first_checks(session, table, manifest_id):
        calls.append(table)
        return None if len(calls) <= 2 else real(session, table, manifest_id)

    monkeypatch.setattr(convert_module, "published_snapshot", blind_first_checks)
    again = convert(spark, manifest, config, raw.raw_root)
    assert again["status"] == "already-committed"
    assert spark.table("lake.race.late").count() == 10


def test_a_commit_between_staging_and_publishing_still_publishes_the_manifest_once(spark, raw, monkeypatch):
    """Then cherrypick cannot fast-forward: Iceberg writes a new snapshot, and the summary reports that one."""
    config = TableConfig(database="interleaved")
    first = raw.put(
        "logs/pay",
        DT,
        HOUR,
        "pay+0+0000000000000000001+0000000000000000003.ndjson.gz",
        [record(1), record(2), record(3)],
    )
    convert(spark, raw.manifest("logs/pay", DT, HOUR, [first]), config, raw.raw_root)
    second = raw.put(
        "logs/pay", DT, HOUR, "pay+0+0000000000000000004+0000000000000000005.ndjson.gz", [record(4), record(5)]
    )

    real, interleaved = convert_module._snapshots, []

    def commit_first(session, table, where):
        if table == "lake.interleaved.pay" and not interleaved:
            interleaved.append(True)  # another manifest's commit lands between this run's stage and publish
            spark.sql("INSERT INTO lake.interleaved.pay SELECT * FROM lake.interleaved.pay LIMIT 1")
        return real(session, table, where)

    monkeypatch.setattr(convert_module, "_snapshots", commit_first)
    summary = convert(spark, raw.manifest("logs/pay", DT, HOUR, [second]), config, raw.raw_root)
    current = spark.sql(
        "SELECT snapshot_id, summary FROM lake.interleaved.pay.snapshots ORDER BY committed_at DESC"
    ).first()
    assert interleaved and summary["status"] == "committed"
    assert summary["snapshotId"] == current["snapshot_id"]
    assert current["summary"]["published-wap-id"] == summary["manifestId"]
    assert (summary["rowsCommitted"], summary["oldestUploadToCommitSeconds"] > 0) == (2, True)
    assert spark.table("lake.interleaved.pay").count() == 3 + 1 + 2


def test_objects_of_the_invalid_area_go_to_quarantine_whole(spark, raw):
    wrapped = '{"topic":"web","partition":0,"offset":7,"kafka_timestamp":1763676000000,"value_base64":"eyJh"}'
    key = raw.put("logs/_invalid/web", DT, HOUR, "web+0+0000000000000000007+0000000000000000007.ndjson.gz", [wrapped])
    summary = convert(spark, raw.manifest("logs/_invalid/web", DT, HOUR, [key]), TableConfig(), raw.raw_root)
    assert (summary["rows"], summary["quarantined"]) == (0, 1)
    row = spark.sql(f"SELECT * FROM lake.logs._quarantine WHERE manifest_id = '{summary['manifestId']}'").first()
    assert row["reason"] == "not-json-object-at-source" and row["raw"] == wrapped and row["topic"] == "web"


def test_hour_partitioning_for_high_volume_topics(spark, raw):
    key = raw.put(
        "logs/clicks",
        DT,
        HOUR,
        "clicks+0+0000000000000000001+0000000000000000003.ndjson.gz",
        [record(i) for i in range(3)],
    )
    convert(
        spark,
        raw.manifest("logs/clicks", DT, HOUR, [key]),
        TableConfig(database="hot", partition_by="hour"),
        raw.raw_root,
    )
    assert "event_time_hour: hour(" in iceberg_table(spark, "lake.hot.clicks").spec().toString()
    assert spark.sql("SELECT partition.event_time_hour FROM lake.hot.clicks.partitions").count() == 1


def test_a_field_promoted_to_a_core_column_becomes_a_typed_column(spark, raw):
    config = TableConfig(database="evolve")
    first = raw.put(
        "logs/api", DT, HOUR, "api+0+0000000000000000001+0000000000000000002.ndjson.gz", [record(1), record(2)]
    )
    convert(spark, raw.manifest("logs/api", DT, HOUR, [first]), config, raw.raw_root)

    promoted = TableConfig(database="evolve", core=(*config.core, CoreColumn("seq", ("seq",), "bigint")))
    second = raw.put(
        "logs/api",
        DT,
        HOUR,
        "api+0+0000000000000000003+0000000000000000004.ndjson.gz",
        [record(3), record(4, seq="four")],
    )
    convert(spark, raw.manifest("logs/api", DT, HOUR, [second]), promoted, raw.raw_root)

    rows = {r["trace_id"][-1]: r for r in spark.table("lake.evolve.api").collect()}
    assert dict(spark.table("lake.evolve.api").dtypes)["seq"] == "bigint"
    assert rows["1"]["seq"] is None and rows["1"]["attributes"]["seq"] == "1"  # older rows keep it in attributes
    assert rows["3"]["seq"] == 3 and "seq" not in rows["3"]["attributes"]
    # A value that does not fit the type is kept in attributes, not dropped.
    assert rows["4"]["seq"] is None and rows["4"]["attributes"]["seq"] == "four"
