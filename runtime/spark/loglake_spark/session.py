"""SparkSession with loglake's Iceberg catalog `lake`.

Production (EKS): a Hive catalog (`thrift://` metastore on PostgreSQL) with the warehouse on S3A.
Tests and `loglake local`: the same code with a Hadoop catalog or a loopback metastore. Jars come
from `LOGLAKE_SPARK_JARS` (the folder .ci/bootstrap-spark fills), never from a registry at run time.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from pyspark.sql import SparkSession

CATALOG = "lake"
_REPO = Path(__file__).resolve().parents[3]
DEFAULT_JARS_DIR = _REPO / ".venv-spark" / "jars"


@dataclass(frozen=True)
class CatalogSettings:
    #: "hive" (a metastore at `uri`) or "hadoop" (metadata files under the warehouse only).
    type: str
    warehouse: str
    uri: str | None = None
    #: S3 API endpoint for S3A (local servers); None means AWS with the default credential chain.
    s3_endpoint: str | None = None
    s3_path_style: bool = False

    @staticmethod
    def from_env() -> CatalogSettings:
        return CatalogSettings(
            type=os.environ.get("LOGLAKE_CATALOG_TYPE", "hive"),
            warehouse=os.environ.get("LOGLAKE_WAREHOUSE", "s3a://lake/warehouse"),
            uri=os.environ.get("LOGLAKE_METASTORE_URI"),
            s3_endpoint=os.environ.get("LOGLAKE_S3_ENDPOINT"),
            s3_path_style=os.environ.get("LOGLAKE_S3_PATH_STYLE", "") == "true",
        )


def jar_paths(jars_dir: Path | None = None) -> list[str]:
    folder = Path(os.environ.get("LOGLAKE_SPARK_JARS", jars_dir or DEFAULT_JARS_DIR))
    jars = sorted(str(p) for p in folder.glob("*.jar"))
    if not any("iceberg-spark-runtime" in j for j in jars):
        raise FileNotFoundError(f"no iceberg-spark-runtime jar in {folder}: run .ci/bootstrap-spark")
    return jars


def spark_conf(catalog: CatalogSettings) -> dict[str, str]:
    prefix = f"spark.sql.catalog.{CATALOG}"
    conf = {
        "spark.jars": ",".join(jar_paths()),
        "spark.sql.extensions": "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions",
        prefix: "org.apache.iceberg.spark.SparkCatalog",
        f"{prefix}.type": catalog.type,
        f"{prefix}.warehouse": catalog.warehouse,
        # Every statement sees the latest commit (convert runs, maintain and readers share tables).
        f"{prefix}.cache-enabled": "false",
        "spark.sql.defaultCatalog": CATALOG,
        # Event times are UTC everywhere (the sink's dt=/hour= are UTC).
        "spark.sql.session.timeZone": "UTC",
        # JSON.parse (the sink) keeps the last of duplicate keys; Spark's default would fail the job.
        "spark.sql.mapKeyDedupPolicy": "LAST_WIN",
    }
    if catalog.uri:
        conf[f"{prefix}.uri"] = catalog.uri
        # HiveCatalog commits under a metastore lock; a waiting committer re-checks it with backoff up
        # to this (Iceberg's default, 5 s, makes racing commits of small manifests wait needlessly).
        conf["spark.hadoop.iceberg.hive.lock-check-max-wait-ms"] = "1000"
    conf.update({f"spark.hadoop.{key}": value for key, value in s3a_conf(catalog).items()})
    return conf


def s3a_conf(catalog: CatalogSettings) -> dict[str, str]:
    """Hadoop settings for S3A; the local metastore needs the same ones to create table folders."""
    conf = {}
    if catalog.s3_endpoint:
        conf["fs.s3a.endpoint"] = catalog.s3_endpoint
    if catalog.s3_path_style:
        conf["fs.s3a.path.style.access"] = "true"
    return conf


def build_session(catalog: CatalogSettings, app: str, master: str | None = None, extra: dict | None = None):
    builder = SparkSession.builder.appName(app)
    if master:
        builder = builder.master(master)
    for key, value in {**spark_conf(catalog), **(extra or {})}.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()
