"""One local SparkSession for the whole test session, with a Hadoop Iceberg catalog on local disk."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "runtime" / "spark"))

from loglake_spark.local.metastore import LocalMetastore  # noqa: E402
from loglake_spark.manifest import Manifest, parse_manifest  # noqa: E402
from loglake_spark.session import CatalogSettings, build_session, jar_paths  # noqa: E402


@pytest.fixture(scope="session")
def lake_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("lake")


@pytest.fixture(scope="session")
def catalog(lake_dir):
    """A real Hive metastore (Thrift on loopback, PostgreSQL behind it); LOGLAKE_TEST_CATALOG=hadoop skips it."""
    warehouse = f"file://{lake_dir / 'warehouse'}"
    if os.environ.get("LOGLAKE_TEST_CATALOG") == "hadoop":
        yield CatalogSettings(type="hadoop", warehouse=warehouse)
        return
    # Outside pytest's 0700 tmp folder: the PostgreSQL server runs as the postgres user.
    metastore = LocalMetastore(Path(tempfile.mkdtemp(prefix="loglake-metastore-")), jar_paths_named("postgresql"))
    try:
        yield CatalogSettings(type="hive", warehouse=warehouse, uri=metastore.start(warehouse))
    finally:
        metastore.stop()
        shutil.rmtree(metastore.root, ignore_errors=True)


def jar_paths_named(name: str) -> Path:
    return Path(next(j for j in jar_paths() if Path(j).name.startswith(name)))


@pytest.fixture(scope="session")
def spark(catalog):
    session = build_session(
        catalog,
        "loglake-spark-tests",
        master="local[2]",
        extra={
            "spark.ui.enabled": "false",
            "spark.ui.showConsoleProgress": "false",
            "spark.sql.shuffle.partitions": "4",
            "spark.default.parallelism": "2",
            "spark.driver.memory": "2g",
            "spark.sql.adaptive.enabled": "true",
        },
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@dataclass
class RawLake:
    """Writes gzip NDJSON objects in the sink's layout and manifests in the builder's format."""

    root: Path
    bucket: str = "raw"

    @property
    def raw_root(self) -> str:
        return f"file://{self.root}/"

    def put(self, dataset: str, dt: str, hour: str, name: str, lines: list[str | bytes]) -> str:
        key = f"{dataset}/dt={dt}/hour={hour}/{name}"
        path = self.root / self.bucket / key
        path.parent.mkdir(parents=True, exist_ok=True)
        body = b"\n".join(line if isinstance(line, bytes) else line.encode() for line in lines) + b"\n"
        with gzip.open(path, "wb") as out:
            out.write(body)
        return key

    def manifest(self, dataset: str, dt: str, hour: str, keys: list[str]) -> Manifest:
        digest = hashlib.sha256(f"{self.bucket}/{dataset}/dt={dt}/hour={hour}/".encode())
        for key in sorted(keys):
            digest.update(b"\n" + key.encode())
        files = [
            {
                "uri": f"s3://{self.bucket}/{key}",
                "key": key,
                "size": (self.root / self.bucket / key).stat().st_size,
                "createdAt": "2026-11-20T23:00:00.000Z",
            }
            for key in sorted(keys)
        ]
        doc = {
            "version": 1,
            "manifestId": digest.hexdigest()[:32],
            "bucket": self.bucket,
            "dataset": dataset,
            "partition": {"dt": dt, "hour": hour},
            "reason": "file-count",
            "fileCount": len(files),
            "totalBytes": sum(f["size"] for f in files),
            "files": files,
        }
        return parse_manifest(json.dumps(doc))


@pytest.fixture(scope="session")
def raw(lake_dir) -> RawLake:
    return RawLake(lake_dir / "objects")


def record(n: int, **overrides) -> str:
    """A log line like the bench corpus's (runtime/bench/corpus.ts)."""
    body = {
        "timestamp": f"2026-11-20T22:{n // 60 % 60:02d}:{n % 60:02d}.000Z",
        "level": "info",
        "service": ["checkout", "search", "auth"][n % 3],
        "host": f"host-{n % 4}",
        "seq": n,
        "trace_id": f"{n:032x}",
        "http": {"method": "GET", "status": 200},
        "client_ip": f"10.0.{n % 256}.{n % 7}",
        "msg": "request completed",
    }
    body.update(overrides)
    return json.dumps({k: v for k, v in body.items() if v is not None})
