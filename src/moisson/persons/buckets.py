"""The two stages of the person-index shuffle, as plain functions over files (RGT-02).

Stage 1 (:func:`scatter_file`) reads one file of ``pii`` attribute rows and writes, for each
bucket it has rows for, one Parquet part ``_scatter/b<bucket>/<task>.parquet``. Stage 2
(:func:`sort_bucket`) concatenates the parts of one bucket, sorts them by key hash and writes
``b<bucket>.parquet``. Both take a small picklable spec and return counts, so the same code
runs in-process, on a process pool or on Ray: a hash-bucketed shuffle over files, not the
engine's group-by (brief, "Scale").

Identifiers never appear here in clear: rows carry the keyed hash computed by the PII step.
"""

from __future__ import annotations

import binascii
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from moisson.errors import StoreError
from moisson.persons.normalise import IDENTIFIER_TYPES

__all__ = (
    "INDEX_SCHEMA",
    "ScatterTask",
    "SortTask",
    "bucket_file",
    "bucket_of",
    "bucket_of_hex",
    "hex_to_binary",
    "index_rows",
    "scatter_file",
    "sort_bucket",
    "write_parts",
)

INDEX_SCHEMA = pa.schema(
    [
        pa.field("key_hash", pa.binary(32), nullable=False),
        pa.field("doc_id", pa.string(), nullable=False),
        pa.field("label", pa.dictionary(pa.int8(), pa.string())),
        pa.field("start", pa.int32()),
        pa.field("end", pa.int32()),
        pa.field("version", pa.int32()),
        pa.field("shard", pa.dictionary(pa.int32(), pa.string())),
    ],
    metadata={b"moisson.schema": b"person-index/1"},
)
_ROW_GROUP = 16_384


def hex_to_binary(hexes: pa.Array | pa.ChunkedArray) -> pa.Array:
    """Hex SHA-256 strings to 32-byte binaries (half the disk, faster compares)."""
    values = hexes.to_pylist()
    try:
        raw = binascii.unhexlify("".join(values))
    except (binascii.Error, TypeError) as exc:
        msg = f"key_hash values must be 64 hex characters: {exc}"
        raise StoreError(msg) from None
    if len(raw) != 32 * len(values):
        msg = "key_hash values must be 64 hex characters (SHA-256)"
        raise StoreError(msg)
    return pa.FixedSizeBinaryArray.from_buffers(
        pa.binary(32), len(values), [None, pa.py_buffer(raw)]
    )


def bucket_of(keys: pa.Array, buckets: int) -> np.ndarray:
    """Bucket number of each 32-byte key: its first four bytes, big-endian, modulo ``buckets``."""
    if len(keys) == 0:
        return np.zeros(0, dtype=np.int64)
    raw = np.frombuffer(keys.buffers()[1], dtype=np.uint8, count=32 * (keys.offset + len(keys)))
    head = raw.reshape(-1, 32)[keys.offset :, :4].astype(np.uint32)
    value = (head[:, 0] << 24) | (head[:, 1] << 16) | (head[:, 2] << 8) | head[:, 3]
    return (value % np.uint32(buckets)).astype(np.int64)


def bucket_of_hex(key_hash: str, buckets: int) -> int:
    """Bucket of one hex key hash (the lookup side of :func:`bucket_of`)."""
    return int(key_hash[:8], 16) % buckets


def bucket_file(index_dir: Path, bucket: int) -> Path:
    return index_dir / f"b{bucket:04x}.parquet"


@dataclass(frozen=True, slots=True)
class ScatterTask:
    """Stage 1 input: attribute files with their shards, where parts go, how many buckets.

    ``suppressed`` is an optional Parquet file of 32-byte key hashes to leave out (people on
    the suppression list, RGT-05). Several files a task keep the part count (tasks x
    buckets) small.
    """

    inputs: tuple[tuple[str, str | None], ...]
    out_dir: str
    task_id: str
    buckets: int
    version: int
    suppressed: str | None = None


@dataclass(frozen=True, slots=True)
class SortTask:
    """Stage 2 input: the folder holding the bucket parts and the bucket number."""

    index_dir: str
    bucket: int


def _read_suppressed(path: str | None) -> pa.Array | None:
    if path is None:
        return None
    return pq.read_table(path).column("key_hash").combine_chunks()


def index_rows(table: pa.Table, *, path: str, shard: str | None, version: int) -> pa.Table:
    """Attribute rows ``doc_id, label, start, end, key_hash`` (hex) as index rows."""
    needed = {"doc_id", "label", "start", "end", "key_hash"}
    missing = needed - set(table.column_names)
    if missing:
        msg = f"{path}: pii attribute rows lack {sorted(missing)}"
        raise StoreError(msg)
    mask = pc.and_(
        pc.is_valid(table.column("key_hash")),
        pc.is_in(table.column("label"), value_set=pa.array(IDENTIFIER_TYPES)),
    )
    table = table.filter(mask)
    if table.num_rows == 0:
        return INDEX_SCHEMA.empty_table()
    keys = hex_to_binary(table.column("key_hash"))
    n = table.num_rows
    rows = pa.table(
        {
            "key_hash": keys,
            "doc_id": table.column("doc_id").cast(pa.string()),
            "label": table.column("label").cast(pa.string()).dictionary_encode(),
            "start": table.column("start").cast(pa.int32()),
            "end": table.column("end").cast(pa.int32()),
            "version": pa.array(np.full(n, version, dtype=np.int32)),
            "shard": pa.array([shard] * n, pa.string()).dictionary_encode(),
        }
    )
    return rows.cast(INDEX_SCHEMA)


def write_parts(rows: pa.Table, task: ScatterTask) -> int:
    """Split rows (already in :data:`INDEX_SCHEMA`) by bucket and write one part each."""
    if rows.num_rows == 0:
        return 0
    buckets = bucket_of(rows.column("key_hash").combine_chunks(), task.buckets)
    order = np.argsort(buckets, kind="stable")
    rows = rows.take(pa.array(order))
    sorted_buckets = buckets[order]
    bounds = np.flatnonzero(np.diff(sorted_buckets)) + 1
    starts = np.concatenate(([0], bounds))
    ends = np.concatenate((bounds, [len(sorted_buckets)]))
    scatter_dir = Path(task.out_dir) / "_scatter"
    for lo, hi in zip(starts.tolist(), ends.tolist(), strict=True):
        bucket = int(sorted_buckets[lo])
        part_dir = scatter_dir / f"b{bucket:04x}"
        part_dir.mkdir(parents=True, exist_ok=True)
        # Parts are short-lived: uncompressed Arrow IPC costs far less than Parquet to
        # write and read back.
        tmp = part_dir / f"{task.task_id}.arrow.tmp"
        with pa.OSFile(str(tmp), "wb") as sink, pa.ipc.new_file(sink, INDEX_SCHEMA) as writer:
            writer.write_table(rows.slice(lo, hi - lo))
        tmp.replace(part_dir / f"{task.task_id}.arrow")
    return int(rows.num_rows)


def scatter_file(task: ScatterTask) -> int:
    """Stage 1 task: attribute files in, bucket parts out; returns the rows written."""
    tables = []
    for path, shard in task.inputs:
        try:
            table = pq.read_table(path, columns=["doc_id", "label", "start", "end", "key_hash"])
        except (OSError, pa.ArrowInvalid) as exc:
            msg = f"{path}: cannot read pii attribute rows: {exc}"
            raise StoreError(msg) from None
        tables.append(index_rows(table, path=path, shard=shard, version=task.version))
    if not tables:
        return 0
    rows = pa.concat_tables(tables).unify_dictionaries()
    suppressed = _read_suppressed(task.suppressed)
    if suppressed is not None and len(suppressed):
        rows = rows.filter(pc.invert(pc.is_in(rows.column("key_hash"), value_set=suppressed)))
    return write_parts(rows, task)


def sort_bucket(task: SortTask) -> int:
    """Stage 2 task: concatenate one bucket's parts, sort by key hash, write it; returns rows."""
    index_dir = Path(task.index_dir)
    part_dir = index_dir / "_scatter" / f"b{task.bucket:04x}"
    parts = sorted(part_dir.glob("*.arrow")) if part_dir.exists() else []
    if parts:
        tables = []
        for part in parts:
            with pa.memory_map(str(part)) as source:
                tables.append(pa.ipc.open_file(source).read_all())
        table = pa.concat_tables(tables).unify_dictionaries()
        # One sort key: the order of a key's rows does not matter to a lookup.
        table = table.take(pc.sort_indices(table.column("key_hash")))
    else:
        table = INDEX_SCHEMA.empty_table()
    out = bucket_file(index_dir, task.bucket)
    tmp = out.with_suffix(".parquet.tmp")
    pq.write_table(
        table.combine_chunks(),
        tmp,
        compression="zstd",
        row_group_size=_ROW_GROUP,
        write_statistics=["key_hash"],
    )
    tmp.replace(out)
    if part_dir.exists():
        shutil.rmtree(part_dir)
    return int(table.num_rows)
