"""The Iceberg tables convert writes: `<database>.<topic>` and `<database>._quarantine`.

Everything a reader or another engine needs (partition spec, write order, file size, compression,
bloom filters) is a table property, set here, not a job option.
"""

from __future__ import annotations

from pyspark.sql import SparkSession

from .config import QUARANTINE_TABLE, TableConfig, table_name
from .session import CATALOG

#: Lineage columns: where each row came from, so a row can be traced back and exactly-once checked.
LINEAGE_COLUMNS = "_source_object STRING, _source_line BIGINT, _manifest_id STRING"


def data_table(config: TableConfig, topic: str) -> str:
    return f"{CATALOG}.{config.database}.{table_name(topic)}"


def quarantine_table(config: TableConfig) -> str:
    return f"{CATALOG}.{config.database}.{QUARANTINE_TABLE}"


def table_properties(config: TableConfig) -> dict[str, str]:
    props = {
        "format-version": "2",
        "write.format.default": "parquet",
        "write.parquet.compression-codec": "zstd",
        "write.target-file-size-bytes": str(config.target_file_bytes),
        # Rows are range-partitioned by (partition, write order) before writing: a manifest's hour of
        # data (up to hundreds of GB) is spread over many tasks, each writing large files whose sort
        # key ranges do not overlap, so min/max statistics prune well. (hash would send a whole
        # partition to one task.)
        "write.distribution-mode": "range",
        # Write-audit-publish: convert stages a snapshot per manifest and publishes it once (see convert.py).
        "write.wap.enabled": "true",
        # Many manifests of a topic commit concurrently; appends do not conflict, they just retry.
        "commit.retry.num-retries": "20",
        "commit.retry.min-wait-ms": "100",
        "write.metadata.delete-after-commit.enabled": "true",
        "write.metadata.previous-versions-max": "50",
        "write.metadata.metrics.default": "truncate(32)",
        **config.extra_properties,
    }
    for column in config.bloom_filter_columns:
        props[f"write.parquet.bloom-filter-enabled.column.{column}"] = "true"
        props[f"write.parquet.bloom-filter-fpp.column.{column}"] = str(config.bloom_filter_fpp)
    return props


def _tblproperties(props: dict[str, str]) -> str:
    return ", ".join(f"'{k}' = '{v}'" for k, v in sorted(props.items()))


def ensure_data_table(spark: SparkSession, config: TableConfig, topic: str) -> str:
    """Creates the topic's table if missing; brings its properties in line with the config."""
    name = data_table(config, topic)
    _ensure_namespace(spark, config.database)
    core = ", ".join(f"{c.name} {c.type.upper()}" for c in config.core)
    transform = "days" if config.partition_by == "day" else "hours"
    props = table_properties(config)
    created = _create(
        spark,
        name,
        f"CREATE TABLE {name} (event_time TIMESTAMP, {core}, attributes MAP<STRING, STRING>, {LINEAGE_COLUMNS}) "
        f"USING iceberg PARTITIONED BY ({transform}(event_time)) TBLPROPERTIES ({_tblproperties(props)})",
    )
    if created:
        spark.sql(f"ALTER TABLE {name} WRITE ORDERED BY {', '.join(config.sort_by)}")
    else:
        _align_properties(spark, name, props)
        _add_core_columns(spark, name, config)
    return name


def _add_core_columns(spark: SparkSession, name: str, config: TableConfig) -> None:
    """Schema evolution by config: a field promoted to a core column becomes a new (nullable) column.

    Older rows read it as null and keep the value in `attributes`; a type change of an existing
    column is refused (Iceberg only widens int -> bigint, float -> double).
    """
    have = {field.name: field.dataType.simpleString() for field in spark.table(name).schema.fields}
    for column in config.core:
        if column.name not in have:
            spark.sql(f"ALTER TABLE {name} ADD COLUMN {column.name} {column.type.upper()}")
        elif have[column.name] != column.type:
            raise ValueError(
                f"{name}.{column.name} is {have[column.name]} in the table but {column.type} in the config: "
                "add a new core column instead of changing a type"
            )


def ensure_quarantine_table(spark: SparkSession, config: TableConfig) -> str:
    name = quarantine_table(config)
    _ensure_namespace(spark, config.database)
    props = {k: v for k, v in table_properties(config).items() if "bloom-filter" not in k}
    created = _create(
        spark,
        name,
        f"CREATE TABLE {name} (topic STRING, source_object STRING, line BIGINT, reason STRING, raw STRING, "
        f"manifest_id STRING, quarantined_at TIMESTAMP) "
        f"USING iceberg PARTITIONED BY (topic, days(quarantined_at)) TBLPROPERTIES ({_tblproperties(props)})",
    )
    if not created:
        _align_properties(spark, name, props)
    return name


def _ensure_namespace(spark: SparkSession, database: str) -> None:
    try:
        spark.sql(f"CREATE NAMESPACE IF NOT EXISTS {CATALOG}.{database}")
    except Exception as error:  # a racing run created it between the check and the create
        if "already exists" not in str(error).lower():
            raise


def _create(spark: SparkSession, name: str, ddl: str) -> bool:
    """True when this call created the table; a concurrent creator winning the race is not an error."""
    if spark.catalog.tableExists(name):
        return False
    try:
        spark.sql(ddl)
        return True
    except Exception as error:  # AnalysisException: TableAlreadyExistsException from a racing run
        if "already exists" in str(error).lower():
            return False
        raise


def _align_properties(spark: SparkSession, name: str, want: dict[str, str]) -> None:
    have = {row["key"]: row["value"] for row in spark.sql(f"SHOW TBLPROPERTIES {name}").collect()}
    changed = {k: v for k, v in want.items() if k != "format-version" and have.get(k) != v}
    if changed:
        spark.sql(f"ALTER TABLE {name} SET TBLPROPERTIES ({_tblproperties(changed)})")
