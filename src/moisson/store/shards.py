"""Content-addressed Parquet shards and their sidecar attribute files.

A shard is named by the SHA-256 of its bytes (``shards/ab/abcdef....parquet``), so dataset
versions share unchanged shards and a manifest pins exact content. Files are written to a
temporary name and renamed: a crash never leaves a half shard under a real name.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from moisson.errors import StoreError
from moisson.store.document import DOCUMENT_SCHEMA, Document

__all__ = (
    "attribute_path",
    "file_sha256",
    "iter_shard",
    "publish_file",
    "read_attribute_rows",
    "shard_path",
    "write_attribute_file",
    "write_shard_file",
)

_BATCH = 2048


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def shard_path(root: Path, digest: str) -> Path:
    return root / "shards" / digest[:2] / f"{digest}.parquet"


def attribute_path(root: Path, attribute: str, shard_digest: str) -> Path:
    return root / "attributes" / attribute / f"{shard_digest}.parquet"


def write_shard_file(path: Path, docs: Iterable[Document]) -> tuple[int, int, list[str]]:
    """Write documents to ``path`` (atomically); return (count, text bytes, doc_ids)."""
    tmp = path.with_name(path.name + ".tmp")
    count = 0
    nbytes = 0
    ids: list[str] = []
    batch: list[dict[str, Any]] = []
    with pq.ParquetWriter(tmp, DOCUMENT_SCHEMA, compression="zstd") as writer:
        for doc in docs:
            row = doc.to_row()
            batch.append(row)
            ids.append(doc.doc_id)
            count += 1
            nbytes += len(doc.text.encode("utf-8", "surrogatepass"))
            if len(batch) >= _BATCH:
                writer.write_table(pa.Table.from_pylist(batch, schema=DOCUMENT_SCHEMA))
                batch = []
        if batch:
            writer.write_table(pa.Table.from_pylist(batch, schema=DOCUMENT_SCHEMA))
    os.replace(tmp, path)
    return count, nbytes, ids


def write_attribute_file(path: Path, rows: list[dict[str, Any]]) -> None:
    """Write sidecar rows (each with ``doc_id``) atomically; columns are inferred."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    keys: dict[str, None] = {}
    for row in rows:
        keys.update(dict.fromkeys(row))
    table = pa.Table.from_pylist([{k: r.get(k) for k in keys} for r in rows])
    pq.write_table(table, tmp, compression="zstd")
    os.replace(tmp, path)


def publish_file(src: Path, dest: Path) -> None:
    """Link ``src`` into its content-addressed place (idempotent if already there).

    The source stays until the caller removes it, so a crash mid-commit can be replayed.
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    if dest.exists():
        return
    tmp = dest.with_name(dest.name + f".{os.getpid()}.tmp")
    try:
        os.link(src, tmp)
    except OSError:  # another filesystem, or no hard links
        shutil.copyfile(src, tmp)
    os.replace(tmp, dest)


def iter_shard(path: Path, columns: list[str] | None = None) -> Iterator[Document]:
    """Documents of one shard, in order.

    Every failure past the open is a :class:`StoreError` naming the shard and the row: a page
    that does not decompress, a file with another schema, a row whose fields do not convert
    (bad input gets a clear error, never a pyarrow or JSON traceback).
    """
    try:
        pf = pq.ParquetFile(path)
    except (OSError, pa.ArrowException) as exc:
        msg = f"{path}: unreadable shard: {exc}"
        raise StoreError(msg) from None
    _check_document_schema(path, pf.schema_arrow)
    batches = pf.iter_batches(batch_size=_BATCH, columns=columns)
    row_index = 0
    while True:
        try:
            batch = next(batches)
            rows = batch.to_pylist()
        except StopIteration:
            return
        except (OSError, pa.ArrowException, ValueError, OverflowError) as exc:
            # A corrupt page fails for the whole batch: name the first row it holds.
            msg = f"{path}: unreadable shard from row {row_index}: {exc}"
            raise StoreError(msg) from None
        for row in rows:
            try:
                doc = Document.from_row(row)
            except (KeyError, TypeError, ValueError) as exc:
                reason = f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)
                msg = f"{path}: row {row_index}: not a valid document ({reason})"
                raise StoreError(msg) from None
            yield doc
            row_index += 1


def _check_document_schema(path: Path, schema: pa.Schema) -> None:
    """Refuse a Parquet file that is not a document shard before reading any row."""
    for name in ("doc_id", "text"):
        index = schema.get_field_index(name)
        if index < 0:
            msg = f"{path}: not a document shard (no '{name}' column)"
            raise StoreError(msg)
        kind = schema.field(index).type
        if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
            msg = f"{path}: not a document shard ('{name}' is {kind}, not a string)"
            raise StoreError(msg)


def read_attribute_rows(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    try:
        rows: list[dict[str, Any]] = pq.read_table(path).to_pylist()
    except (OSError, pa.ArrowException, ValueError, OverflowError) as exc:
        msg = f"{path}: unreadable attribute file: {exc}"
        raise StoreError(msg) from None
    return rows
