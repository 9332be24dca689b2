"""loglake's processing layer: PySpark jobs that turn raw NDJSON manifests into Iceberg tables."""
