"""Pure parts: table config, table names and the manifest document (no Spark)."""

from __future__ import annotations

import json

import pytest
from loglake_spark.cli import parse_args
from loglake_spark.config import TableConfig, table_name
from loglake_spark.manifest import parse_manifest
from loglake_spark.tables import table_properties


def test_a_json_config_overrides_defaults_and_refuses_unknown_keys(tmp_path):
    path = tmp_path / "topic.json"
    path.write_text(
        json.dumps(
            {
                "partition_by": "hour",
                "core": [{"name": "status", "sources": ["status"], "type": "bigint"}],
                "sort_by": ["status"],
                "bloom_filter_columns": [],
            }
        )
    )
    config = TableConfig.load(path)
    assert config.partition_by == "hour" and [c.name for c in config.core] == ["status"]
    path.write_text(json.dumps({"partitionBy": "hour"}))
    with pytest.raises(ValueError, match="unknown keys \\['partitionBy'\\]"):
        TableConfig.load(path)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"partition_by": "week"}, "must be 'day' or 'hour'"),
        ({"sort_by": ("nope",)}, "'nope' is not a core column"),
        ({"bloom_filter_columns": ("attributes",)}, "'attributes' is not a core column"),
        ({"bloom_filter_fpp": 1.5}, "between 0 and 1"),
    ],
)
def test_a_config_that_cannot_be_laid_out_is_refused(overrides, message):
    with pytest.raises(ValueError, match=message):
        TableConfig(**overrides)


def test_topics_become_metastore_table_names():
    assert table_name("web.access-log") == "web_access_log"
    assert table_name("2026events") == "t_2026events"


def test_bloom_filters_are_table_properties_per_configured_column():
    props = table_properties(TableConfig(bloom_filter_columns=("trace_id",)))
    assert props["write.parquet.bloom-filter-enabled.column.trace_id"] == "true"
    assert not any("client_ip" in k for k in props)


def test_the_manifest_builders_document_is_read(tmp_path):
    doc = {
        "version": 1,
        "manifestId": "abc",
        "bucket": "raw",
        "dataset": "prod/_invalid/web",
        "partition": {"dt": "2026-11-20", "hour": "22"},
        "reason": "age-flush",
        "fileCount": 1,
        "totalBytes": 10,
        "files": [{"uri": "s3://raw/k", "key": "k", "size": 10, "createdAt": "2026-11-20T22:05:00.000Z"}],
    }
    manifest = parse_manifest(json.dumps(doc))
    assert (manifest.topic, manifest.invalid_area, manifest.total_bytes) == ("web", True, 10)
    assert manifest.files[0].created_at.isoformat() == "2026-11-20T22:05:00+00:00"
    with pytest.raises(ValueError, match="version 2"):
        parse_manifest(json.dumps({**doc, "version": 2}))


def test_the_command_line_names_its_jobs():
    assert parse_args(["convert", "--manifest", "s3a://m/x.json"]).job == "convert"
    assert parse_args(["maintain", "--table", "logs.web"]).retain_last == 20
