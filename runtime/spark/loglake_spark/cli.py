"""Command line: `python -m loglake_spark convert --manifest URI` and `... maintain --table db.t`.

Prints one JSON summary on stdout; exits non-zero when the job failed.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import timedelta

from .config import TableConfig
from .convert import convert
from .maintain import MaintainSettings, maintain
from .manifest import parse_manifest
from .session import CATALOG, CatalogSettings, build_session


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="loglake-spark", description=__doc__)
    parser.add_argument("--master", help="Spark master (default: spark-submit's)")
    jobs = parser.add_subparsers(dest="job", required=True)

    c = jobs.add_parser("convert", help="one manifest -> Iceberg table <database>.<topic>")
    c.add_argument("--manifest", required=True, help="manifest document: s3a://… or a local path")
    c.add_argument("--table-config", help="JSON TableConfig (default: built-in core schema)")
    c.add_argument("--raw-root", default="s3a://", help="prefix before <bucket>/<key> of raw objects")

    m = jobs.add_parser("maintain", help="compaction, manifest rewrite, snapshot expiry, orphan removal")
    m.add_argument("--table", required=True, help="<database>.<table>")
    m.add_argument("--expire-days", type=float, default=15)
    m.add_argument("--retain-last", type=int, default=20)
    m.add_argument("--orphan-days", type=float, default=3)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    spark = build_session(CatalogSettings.from_env(), f"loglake-{args.job}", args.master)
    if args.job == "convert":
        text = "\n".join(r.value for r in spark.read.text(args.manifest, wholetext=True).collect())
        summary = convert(spark, parse_manifest(text), TableConfig.load(args.table_config), args.raw_root)
        ok = summary["rowsIn"] is None or summary["rowsIn"] == summary["rows"] + summary["quarantined"]
    else:
        settings = MaintainSettings(
            expire_older_than=timedelta(days=args.expire_days),
            retain_last=args.retain_last,
            orphan_older_than=timedelta(days=args.orphan_days),
        )
        summary = maintain(spark, f"{CATALOG}.{args.table}", settings)
        ok = True
    print(json.dumps(summary, default=str))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
