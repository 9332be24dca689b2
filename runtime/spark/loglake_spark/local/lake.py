"""The Spark side of `loglake local`: one Spark session on a loopback Hive metastore, S3A to the local S3 server.

`python -m loglake_spark.local.lake convert --state DIR --manifest s3a://… [--query SQL]…` starts
PostgreSQL and the metastore under DIR (kept between runs, so `query` finds the tables again), runs
`convert` for every manifest in turn, then the queries, and prints one JSON document on stdout:
the convert summaries, every table with its row count, the data files' locations and each query's
rows; a query Spark refuses exits with 2 and prints `{"error": "<Spark's first line>"}` instead.
`query --state DIR --query SQL` only starts the catalog and runs the queries. The S3 endpoint
and credentials come from the environment (LOGLAKE_S3_ENDPOINT, LOGLAKE_S3_PATH_STYLE,
AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY), as for the jobs; SIGTERM and SIGINT stop the
metastore and PostgreSQL before exiting.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
from pathlib import Path

from pyspark.errors import AnalysisException

from ..config import TableConfig
from ..convert import convert
from ..manifest import parse_manifest
from ..session import CATALOG, CatalogSettings, build_session, jar_paths, s3a_conf
from ..tables import data_table
from .metastore import LocalMetastore

#: Jars the metastore needs besides Hive's: the JDBC driver, and S3A to create table folders.
_METASTORE_JARS = ("postgresql", "hadoop-aws", "aws-java-sdk-bundle")
#: Exit status when Spark refuses a query (syntax, unknown table or column); stdout says why.
QUERY_REFUSED = 2


class Stopped(Exception):
    """Raised in the main thread by SIGTERM / SIGINT, so `finally` stops what was started."""


def _stop(signum: int, _frame) -> None:
    raise Stopped(signal.Signals(signum).name)


def local_metastore(state: Path, catalog: CatalogSettings) -> LocalMetastore:
    jars = {name: Path(next(j for j in jar_paths() if Path(j).name.startswith(name))) for name in _METASTORE_JARS}
    return LocalMetastore(
        state,
        jars["postgresql"],
        extra_jars=(jars["hadoop-aws"], jars["aws-java-sdk-bundle"]),
        hadoop_conf=s3a_conf(catalog),
    )


def table_counts(spark) -> list[dict]:
    tables = []
    for ns in spark.sql(f"SHOW NAMESPACES IN {CATALOG}").collect():
        for t in spark.sql(f"SHOW TABLES IN {CATALOG}.{ns[0]}").collect():
            name = f"{CATALOG}.{ns[0]}.{t.tableName}"
            tables.append({"table": name, "rows": spark.table(name).count()})
    return tables


def data_files(spark, tables: list[dict]) -> list[str]:
    return [r.file_path for t in tables for r in spark.sql(f"SELECT file_path FROM {t['table']}.files").collect()]


def run_query(spark, sql: str) -> dict:
    frame = spark.sql(sql)
    return {"sql": sql, "columns": frame.columns, "rows": [[_plain(v) for v in row] for row in frame.collect()]}


def _plain(value):
    return value if value is None or isinstance(value, int | float | str | bool) else str(value)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="loglake_spark.local.lake", description=__doc__)
    parser.add_argument("job", choices=["convert", "query"])
    parser.add_argument("--state", required=True, type=Path, help="folder of the metastore's PostgreSQL")
    parser.add_argument("--manifest", action="append", default=[], help="manifest document URI (repeatable)")
    parser.add_argument("--table-config", help="JSON TableConfig (default: built-in core schema)")
    parser.add_argument("--topic", required=True, help="the shipped topic; `{table}` in a query is its table")
    parser.add_argument("--query", action="append", default=[], help="SQL to run at the end (repeatable)")
    parser.add_argument("--master", default="local[2]")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    settings = CatalogSettings.from_env()
    metastore = local_metastore(args.state, settings)
    spark = None
    try:
        catalog = CatalogSettings(
            type="hive",
            warehouse=settings.warehouse,
            uri=metastore.start(settings.warehouse),
            s3_endpoint=settings.s3_endpoint,
            s3_path_style=settings.s3_path_style,
        )
        spark = build_session(
            catalog,
            f"loglake-local-{args.job}",
            args.master,
            {"spark.ui.enabled": "false", "spark.ui.showConsoleProgress": "false", "spark.sql.shuffle.partitions": "4"},
        )
        spark.sparkContext.setLogLevel("ERROR")
        config = TableConfig.load(args.table_config)
        summaries = []
        for uri in args.manifest:
            text = "\n".join(r.value for r in spark.read.text(uri, wholetext=True).collect())
            summary = convert(spark, parse_manifest(text), config)
            print(json.dumps({"converted": summary}, default=str), file=sys.stderr, flush=True)
            summaries.append(summary)
        tables = table_counts(spark)
        try:
            queries = [run_query(spark, sql.replace("{table}", data_table(config, args.topic))) for sql in args.query]
        except AnalysisException as refused:
            # The user's SQL, not the lake, is at fault: say why in one line instead of a JVM stack.
            print(json.dumps({"error": str(refused).strip().splitlines()[0]}), flush=True)
            return QUERY_REFUSED
        result = {
            "metastoreUri": catalog.uri,
            "warehouse": catalog.warehouse,
            "summaries": summaries,
            "tables": tables,
            "dataFiles": data_files(spark, tables),
            "queries": queries,
        }
        print(json.dumps(result, default=str), flush=True)
        return 0
    except Stopped as stopped:
        print(f"loglake local: {stopped}: stopping the metastore and PostgreSQL", file=sys.stderr)
        return 130
    finally:
        # Ctrl-C twice must not leave PostgreSQL running: the second signal is ignored while stopping.
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        if spark is not None:
            spark.stop()
        metastore.stop()


if __name__ == "__main__":
    sys.exit(main())
