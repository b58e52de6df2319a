"""Document store: Parquet shards, sidecar attributes, immutable dataset versions.

``Document`` is light (pyarrow only); the versioned store pulls in the ledger (SQLAlchemy) and is
imported on first use, so readers and workers that only need documents start fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from moisson.store.document import (
    DOCUMENT_SCHEMA,
    Document,
    canonical_url,
    content_hash,
    make_doc_id,
)

if TYPE_CHECKING:
    from moisson.store.dataset import DatasetStore, DatasetVersion, ShardInfo, StagedShard

_LAZY = {"DatasetStore", "DatasetVersion", "ShardInfo", "StagedShard"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module("moisson.store.dataset"), name)
        globals()[name] = value
        return value
    msg = f"module 'moisson.store' has no attribute {name!r}"
    raise AttributeError(msg)


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
