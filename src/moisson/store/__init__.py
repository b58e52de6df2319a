"""Document store: Parquet shards, sidecar attributes, immutable dataset versions."""

from moisson.store.dataset import DatasetStore, DatasetVersion, ShardInfo, StagedShard
from moisson.store.document import (
    DOCUMENT_SCHEMA,
    Document,
    canonical_url,
    content_hash,
    make_doc_id,
)

__all__ = (
    "DOCUMENT_SCHEMA",
    "DatasetStore",
    "DatasetVersion",
    "Document",
    "ShardInfo",
    "StagedShard",
    "canonical_url",
    "content_hash",
    "make_doc_id",
)
