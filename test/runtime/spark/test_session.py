"""S3A settings of the Spark session and of the local metastore (no Spark started)."""

from __future__ import annotations

from pathlib import Path

from loglake_spark.local.metastore import LocalMetastore
from loglake_spark.session import CatalogSettings, s3a_conf, spark_conf


def test_aws_s3_needs_no_s3a_settings():
    settings = CatalogSettings(type="hive", warehouse="s3a://lake/warehouse", uri="thrift://m:9083")
    assert s3a_conf(settings) == {}
    assert not any(key.startswith("spark.hadoop.fs.s3a.") for key in spark_conf(settings))


def test_a_local_s3_server_gets_its_endpoint_and_path_style_in_spark_and_the_metastore(tmp_path):
    settings = CatalogSettings(
        type="hive", warehouse="s3a://lake/warehouse", s3_endpoint="http://127.0.0.1:4568", s3_path_style=True
    )
    conf = spark_conf(settings)
    assert conf["spark.hadoop.fs.s3a.endpoint"] == "http://127.0.0.1:4568"
    assert conf["spark.hadoop.fs.s3a.path.style.access"] == "true"

    metastore = LocalMetastore(tmp_path, Path("postgresql.jar"), hadoop_conf=s3a_conf(settings))
    site = metastore._hive_site("s3a://lake/warehouse")
    assert "<name>fs.s3a.endpoint</name><value>http://127.0.0.1:4568</value>" in site
    assert "<name>fs.s3a.path.style.access</name><value>true</value>" in site
    assert "<name>hive.metastore.warehouse.dir</name><value>s3a://lake/warehouse</value>" in site
