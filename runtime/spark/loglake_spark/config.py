"""What a topic's table looks like: the typed core columns, partitioning and the write properties.

A `TableConfig` is plain data, loaded from JSON (`--table-config`) or taken as the defaults below,
so the jobs and the tests share one definition.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, fields
from pathlib import Path

#: Spark SQL types a core column may be cast to.
CORE_TYPES = {"string", "bigint", "double", "boolean"}


@dataclass(frozen=True)
class CoreColumn:
    """One typed column, filled from the first of `sources` (top-level JSON fields) that is present."""

    name: str
    sources: tuple[str, ...]
    type: str = "string"

    def __post_init__(self) -> None:
        if self.type not in CORE_TYPES:
            raise ValueError(f"core column {self.name}: type {self.type!r} is not one of {sorted(CORE_TYPES)}")
        if not self.sources:
            raise ValueError(f"core column {self.name}: needs at least one source field")


DEFAULT_CORE = (
    CoreColumn("level", ("level", "severity")),
    CoreColumn("service", ("service",)),
    CoreColumn("host", ("host",)),
    CoreColumn("message", ("message", "msg")),
    CoreColumn("trace_id", ("trace_id", "traceId")),
    CoreColumn("client_ip", ("client_ip",)),
    CoreColumn("user_id", ("user_id",)),
)

#: 512 MiB: the top of the 256–512 MB range; compaction aims at the same size.
DEFAULT_TARGET_FILE_BYTES = 512 * 1024 * 1024


@dataclass(frozen=True)
class TableConfig:
    """How one topic is turned into `<database>.<topic>`."""

    database: str = "logs"
    #: The event-time field, as the sink's --time-field: a top-level name or a dotted path
    #: (ISO-8601 string or epoch s/ms).
    time_field: str = "timestamp"
    core: tuple[CoreColumn, ...] = DEFAULT_CORE
    #: "day" or "hour" (for high-volume topics): the hidden partition transform on event_time.
    partition_by: str = "day"
    #: Rows are sorted within data files by these columns (the table's write order).
    sort_by: tuple[str, ...] = ("service", "level", "event_time")
    #: Parquet bloom filters for needle lookups on high-cardinality columns.
    bloom_filter_columns: tuple[str, ...] = ("trace_id", "client_ip", "user_id")
    bloom_filter_fpp: float = 0.01
    target_file_bytes: int = DEFAULT_TARGET_FILE_BYTES
    extra_properties: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.partition_by not in ("day", "hour"):
            raise ValueError(f"partition_by = {self.partition_by!r}: must be 'day' or 'hour'")
        names = {c.name for c in self.core} | {"event_time"}
        for column in (*self.sort_by, *self.bloom_filter_columns):
            if column not in names:
                raise ValueError(f"{column!r} is not a core column (core: {sorted(names)})")
        if not 0 < self.bloom_filter_fpp < 1:
            raise ValueError(f"bloom_filter_fpp = {self.bloom_filter_fpp}: must be between 0 and 1")

    @staticmethod
    def load(path: str | Path | None) -> TableConfig:
        """Defaults, overridden by the keys of a JSON file (unknown keys are refused)."""
        if path is None:
            return TableConfig()
        raw = json.loads(Path(path).read_text())
        known = {f.name for f in fields(TableConfig)}
        unknown = set(raw) - known
        if unknown:
            raise ValueError(f"{path}: unknown keys {sorted(unknown)} (known: {sorted(known)})")
        if "core" in raw:
            raw["core"] = tuple(
                CoreColumn(c["name"], tuple(c["sources"]), c.get("type", "string")) for c in raw["core"]
            )
        for key in ("sort_by", "bloom_filter_columns"):
            if key in raw:
                raw[key] = tuple(raw[key])
        return TableConfig(**raw)


def table_name(topic: str) -> str:
    """A Kafka topic (letters, digits, `.`, `_`, `-`) as a metastore table name (lower case, `_`)."""
    name = re.sub(r"[^a-z0-9_]", "_", topic.lower())
    return name if name and not name[0].isdigit() else f"t_{name}"


QUARANTINE_TABLE = "_quarantine"
