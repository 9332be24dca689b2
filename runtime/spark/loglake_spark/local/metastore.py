"""A real Hive metastore Thrift service on loopback, backed by PostgreSQL, for tests and `loglake local`.

PostgreSQL is Debian's (installed by .ci/bootstrap); the metastore is Hive 2.3.9's HiveMetaStore
from the jars pyspark ships, the same Thrift API Spark talks to on EKS. DataNucleus creates the
metastore schema on first use; the transaction (lock) tables Iceberg's commits need come from
hive-txn-tables.sql beside this file.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import pyspark

HERE = Path(__file__).resolve().parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pg_bin(tool: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{tool}"))
    path = found[-1] if found else shutil.which(tool)
    if not path:
        raise FileNotFoundError(f"PostgreSQL's {tool} not found: run .ci/bootstrap (postgresql-15)")
    return path


def _as_postgres(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    """PostgreSQL refuses to run as root; as root the server runs as the `postgres` user."""
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run(prefix + args, check=True, capture_output=True, text=True, **kwargs)


def _wait_for_port(port: int, process: subprocess.Popen, seconds: float, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"metastore exited with {process.returncode}; see {log}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise TimeoutError(f"metastore did not listen on 127.0.0.1:{port} within {seconds}s; see {log}")


@dataclass
class LocalMetastore:
    """PostgreSQL + Hive metastore under `root`; `start()` returns the thrift:// URI."""

    root: Path
    jdbc_jar: Path
    #: More jars for the metastore's classpath: hadoop-aws and its AWS SDK for an `s3a://` warehouse.
    extra_jars: tuple[Path, ...] = ()
    #: More Hadoop settings (hive-site.xml): the S3A endpoint of a local S3 server.
    hadoop_conf: dict[str, str] = field(default_factory=dict)
    pg_port: int = field(default_factory=free_port)
    thrift_port: int = field(default_factory=free_port)
    _hms: subprocess.Popen | None = None

    @property
    def uri(self) -> str:
        return f"thrift://127.0.0.1:{self.thrift_port}"

    def start(self, warehouse: str) -> str:
        self.root.mkdir(parents=True, exist_ok=True)
        pgdata = self.root / "pg"
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
        if not (pgdata / "PG_VERSION").exists():
            _as_postgres([_pg_bin("initdb"), "-D", str(pgdata), "-A", "trust", "-U", "postgres"])
        options = f"-p {self.pg_port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        _as_postgres(
            [_pg_bin("pg_ctl"), "-D", str(pgdata), "-o", options, "-l", str(self.root / "pg.log"), "-w", "start"]
        )
        psql = [_pg_bin("psql"), "-h", "127.0.0.1", "-p", str(self.pg_port), "-U", "postgres", "-v", "ON_ERROR_STOP=1"]
        exists = _as_postgres([*psql, "-tAc", "SELECT 1 FROM pg_database WHERE datname = 'metastore'"]).stdout.strip()
        if not exists:
            _as_postgres([*psql, "-c", "CREATE DATABASE metastore"])
            _as_postgres([*psql, "-d", "metastore", "-f", str(HERE / "hive-txn-tables.sql")])

        conf = self.root / "conf"
        conf.mkdir(exist_ok=True)
        (conf / "hive-site.xml").write_text(self._hive_site(warehouse))
        jars = Path(pyspark.__file__).parent / "jars"
        log = self.root / "metastore.log"
        self._hms = subprocess.Popen(
            [
                "java",
                f"-Dhive.log.dir={self.root}",
                "-cp",
                ":".join([str(conf), f"{jars}/*", str(self.jdbc_jar), *map(str, self.extra_jars)]),
                "org.apache.hadoop.hive.metastore.HiveMetaStore",
                "-p",
                str(self.thrift_port),
            ],
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )
        _wait_for_port(self.thrift_port, self._hms, 60, log)
        return self.uri

    def stop(self) -> None:
        if self._hms is not None:
            self._hms.terminate()
            try:
                self._hms.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self._hms.kill()
            self._hms = None
        pgdata = self.root / "pg"
        if (pgdata / "postmaster.pid").exists():
            _as_postgres([_pg_bin("pg_ctl"), "-D", str(pgdata), "-m", "fast", "-w", "stop"])

    def _hive_site(self, warehouse: str) -> str:
        props = {
            "javax.jdo.option.ConnectionURL": f"jdbc:postgresql://127.0.0.1:{self.pg_port}/metastore",
            "javax.jdo.option.ConnectionDriverName": "org.postgresql.Driver",
            "javax.jdo.option.ConnectionUserName": "postgres",
            "javax.jdo.option.ConnectionPassword": "",
            # Local only: DataNucleus creates the schema (production runs Hive's schematool once).
            "datanucleus.schema.autoCreateAll": "true",
            "hive.metastore.schema.verification": "false",
            "hive.metastore.warehouse.dir": warehouse,
            # Hive's async logging needs the LMAX disruptor, which Spark does not ship.
            "hive.async.log.enabled": "false",
            **self.hadoop_conf,
        }
        body = "\n".join(f"  <property><name>{k}</name><value>{v}</value></property>" for k, v in props.items())
        return f'<?xml version="1.0"?>\n<configuration>\n{body}\n</configuration>\n'
