"""The manifest document the manifest builder writes (runtime/manifest/planner.ts `manifestDocument`)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

#: The sink's area for records that are not JSON objects (runtime/sink/layout.ts `invalidArea`).
INVALID_AREA = "_invalid"


@dataclass(frozen=True)
class ManifestFile:
    uri: str
    key: str
    size: int
    created_at: datetime


@dataclass(frozen=True)
class Manifest:
    manifest_id: str
    bucket: str
    #: `<prefix>/<topic>` or `<prefix>/_invalid/<topic>`.
    dataset: str
    dt: str
    hour: str
    files: tuple[ManifestFile, ...]

    @property
    def topic(self) -> str:
        return self.dataset.rsplit("/", 1)[-1]

    @property
    def invalid_area(self) -> bool:
        """True for the sink's `_invalid/<topic>` objects: every line there is already known bad."""
        parts = self.dataset.split("/")
        return len(parts) >= 2 and parts[-2] == INVALID_AREA

    @property
    def total_bytes(self) -> int:
        return sum(f.size for f in self.files)


def parse_manifest(text: str) -> Manifest:
    doc = json.loads(text)
    if doc.get("version") != 1:
        raise ValueError(f"manifest version {doc.get('version')!r} is not supported (expected 1)")
    files = tuple(
        ManifestFile(f["uri"], f["key"], int(f["size"]), datetime.fromisoformat(f["createdAt"].replace("Z", "+00:00")))
        for f in doc["files"]
    )
    part = doc["partition"]
    return Manifest(doc["manifestId"], doc["bucket"], doc["dataset"], part["dt"], part["hour"], files)


def object_path(file: ManifestFile, bucket: str, raw_root: str) -> str:
    """Where Hadoop reads an object: `s3a://bucket/key` in production, `<raw_root><bucket>/<key>` in tests."""
    return f"{raw_root}{bucket}/{file.key}"
