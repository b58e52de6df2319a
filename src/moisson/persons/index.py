"""The person index of a dataset version: keyed hashes of identifiers -> documents (RGT-02).

Layout, under ``workspace/persons/<dataset>/v<version>/``::

    manifest.json        buckets, row count, build time (written last: the completion marker)
    b0000.parquet ...    one file a bucket, sorted by key hash, small row groups with stats

A lookup hashes the person's normalised identifiers, and for each key reads only the one
bucket file it falls in, pruned to the row groups whose min/max bracket the key. Nothing in
the index is an identifier in clear (HMAC-SHA256 with the workspace secret).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol, TypeVar

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from moisson.errors import DatasetNotFoundError, StoreError
from moisson.persons.buckets import (
    INDEX_SCHEMA,
    ScatterTask,
    SortTask,
    bucket_file,
    bucket_of_hex,
    scatter_file,
    sort_bucket,
)
from moisson.workspace import Workspace

__all__ = (
    "IndexManifest",
    "IndexMatch",
    "MapExecutor",
    "PersonIndex",
    "build_index_from_files",
    "build_person_index",
    "derive_person_index",
    "index_dir",
    "person_key",
)

PURPOSE = "person"
_T = TypeVar("_T")
_R = TypeVar("_R")


class MapExecutor(Protocol):
    """Anything with ``map(fn, items)``: a process pool, a Ray-backed executor, or none."""

    def map(self, fn: Callable[[_T], _R], items: Iterable[_T], /) -> Iterator[_R]: ...


def _run(executor: MapExecutor | None, fn: Callable[[_T], _R], items: Sequence[_T]) -> list[_R]:
    if executor is None:
        return [fn(item) for item in items]
    return list(executor.map(fn, items))


def person_key(workspace: Workspace, canonical: str) -> str:
    """Keyed hash of a normalised identifier, as the PII step stores it (purpose ``person``)."""
    return workspace.keyed_hash(canonical, purpose=PURPOSE)


def index_dir(workspace: Workspace, dataset: str, version: int) -> Path:
    return workspace.path("persons", dataset, f"v{version}")


@dataclass(frozen=True, slots=True)
class IndexManifest:
    dataset: str
    version: int
    buckets: int
    rows: int
    built_at: str
    derived_from: int | None = None

    def write(self, folder: Path) -> None:
        tmp = folder / "manifest.json.tmp"
        tmp.write_text(json.dumps(self.__dict__ if hasattr(self, "__dict__") else _asdict(self), indent=2))
        tmp.replace(folder / "manifest.json")

    @classmethod
    def read(cls, folder: Path) -> IndexManifest:
        path = folder / "manifest.json"
        try:
            data = json.loads(path.read_text())
            return cls(**data)
        except FileNotFoundError:
            msg = f"no person index at {folder}: build it with build_person_index"
            raise DatasetNotFoundError(msg) from None
        except (ValueError, TypeError) as exc:
            msg = f"{path}: corrupt person index manifest: {exc}"
            raise StoreError(msg) from None


def _asdict(manifest: IndexManifest) -> dict[str, Any]:
    return {name: getattr(manifest, name) for name in manifest.__slots__}


IndexManifest.write.__doc__ = "Write the manifest atomically (it marks the index complete)."


def _write_manifest(manifest: IndexManifest, folder: Path) -> None:
    tmp = folder / "manifest.json.tmp"
    tmp.write_text(json.dumps(_asdict(manifest), indent=2))
    tmp.replace(folder / "manifest.json")


@dataclass(frozen=True, slots=True)
class IndexMatch:
    """One mention of a person: which document, where, under which identifier type."""

    key_hash: str
    doc_id: str
    label: str
    start: int
    end: int
    version: int
    shard: str | None


def _suppressed_file(folder: Path, suppressed: Iterable[str]) -> str | None:
    hashes = sorted(set(suppressed))
    if not hashes:
        return None
    path = folder / "_suppressed.parquet"
    keys = pa.array([bytes.fromhex(h) for h in hashes], pa.binary(32))
    pq.write_table(pa.table({"key_hash": keys}), path)
    return str(path)


def build_index_from_files(
    out: Path,
    inputs: Sequence[tuple[str, str | None]],
    *,
    dataset: str,
    version: int,
    buckets: int = 256,
    executor: MapExecutor | None = None,
    suppressed: Iterable[str] = (),
) -> IndexManifest:
    """Build an index from ``(attribute_file, shard)`` pairs into folder ``out`` (replaced).

    Stage 1 runs one task a file, stage 2 one task a bucket, both through ``executor``.
    """
    if buckets < 1 or buckets > 65_536:
        msg = f"buckets must be between 1 and 65536, got {buckets}"
        raise ValueError(msg)
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        suppressed_path = _suppressed_file(work, suppressed)
        scatter = [
            ScatterTask(path, str(work), f"t{i:06d}", buckets, version, shard, suppressed_path)
            for i, (path, shard) in enumerate(inputs)
        ]
        _run(executor, scatter_file, scatter)
        counts = _run(executor, sort_bucket, [SortTask(str(work), b) for b in range(buckets)])
        shutil.rmtree(work / "_scatter", ignore_errors=True)
        (work / "_suppressed.parquet").unlink(missing_ok=True)
        manifest = IndexManifest(dataset, version, buckets, sum(counts), datetime.now(UTC).isoformat())
        _write_manifest(manifest, work)
        _swap_in(work, out)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return manifest


def _swap_in(work: Path, out: Path) -> None:
    old: Path | None = None
    if out.exists():
        old = out.with_name(f".{out.name}.old.{os.getpid()}")
        out.replace(old)
    work.replace(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _attribute_inputs(workspace: Workspace, dataset: str, version: int, tmp: Path) -> list[tuple[str, str | None]]:
    """Attribute files of a version, as ``(path, shard)``.

    Uses the store's per-shard sidecar files when it exposes them; otherwise streams
    ``iter_attributes`` into chunk files (same result, one extra pass).
    """
    from moisson.store import DatasetStore

    store = DatasetStore(workspace)
    per_shard = getattr(store, "attribute_files", None)
    if callable(per_shard):
        found = per_shard(dataset, "pii", version)
        return [(str(path), str(shard)) for shard, path in found]
    inputs: list[tuple[str, str | None]] = []
    chunk: list[dict[str, Any]] = []

    def flush() -> None:
        path = tmp / f"chunk{len(inputs):06d}.parquet"
        cols = ("doc_id", "label", "start", "end", "key_hash")
        table = pa.table({c: pa.array([r.get(c) for r in chunk]) for c in cols})
        pq.write_table(table, path)
        inputs.append((str(path), None))
        chunk.clear()

    for row in store.iter_attributes(dataset, "pii", version):
        chunk.append(row)
        if len(chunk) >= 200_000:
            flush()
    if chunk:
        flush()
    return inputs


def _load_suppressed(workspace: Workspace) -> list[str]:
    try:
        from moisson.rights.suppression import SuppressionList
    except ImportError:  # rights pillar absent: nothing suppressed
        return []
    return sorted(SuppressionList(workspace).hashes())


def build_person_index(
    workspace: Workspace,
    dataset: str,
    version: int,
    *,
    buckets: int = 256,
    executor: MapExecutor | None = None,
) -> IndexManifest:
    """Build (or rebuild) the person index of one dataset version from its ``pii`` rows.

    People on the suppression list are left out (RGT-05). Called by ingest after the version
    is committed, and by erasure for the version it derives.
    """
    tmp = Path(tempfile.mkdtemp(prefix="moisson-persons-"))
    try:
        inputs = _attribute_inputs(workspace, dataset, version, tmp)
        return build_index_from_files(
            index_dir(workspace, dataset, version),
            inputs,
            dataset=dataset,
            version=version,
            buckets=buckets,
            executor=executor,
            suppressed=_load_suppressed(workspace),
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


@dataclass(frozen=True, slots=True)
class DeriveTask:
    """One bucket of a derived index: which docs left, which spans were redacted."""

    src_dir: str
    dst_dir: str
    bucket: int
    version: int
    removed_path: str | None
    edits_path: str | None
    suppressed_path: str | None


def _shift(start: int, end: int, edits: list[tuple[int, int, int]]) -> tuple[int, int] | None:
    """New offsets of a span after replacements ``(start, end, new_length)``; None if hit."""
    delta = 0
    for e_start, e_end, new_len in edits:
        if e_start < end and start < e_end:
            return None
        if e_end <= start:
            delta += new_len - (e_end - e_start)
    return start + delta, end + delta


def derive_bucket(task: DeriveTask) -> int:
    """One bucket of version N+1 from version N: drop removed docs and suppressed keys, shift
    offsets in redacted docs. Cheap: no document is read."""
    table = pq.read_table(bucket_file(Path(task.src_dir), task.bucket), schema=INDEX_SCHEMA)
    keep = pa.array([True] * table.num_rows, pa.bool_())
    if task.removed_path is not None:
        removed = pq.read_table(task.removed_path).column("doc_id")
        keep = pc.and_(keep, pc.invert(pc.is_in(table.column("doc_id"), value_set=removed)))
    if task.suppressed_path is not None:
        suppressed = pq.read_table(task.suppressed_path).column("key_hash")
        keep = pc.and_(keep, pc.invert(pc.is_in(table.column("key_hash"), value_set=suppressed)))
    table = table.filter(keep)
    if task.edits_path is not None and table.num_rows:
        table = _apply_edits(table, json.loads(Path(task.edits_path).read_text()))
    table = table.set_column(
        table.schema.get_field_index("version"),
        "version",
        pa.array([task.version] * table.num_rows, pa.int32()),
    )
    out = bucket_file(Path(task.dst_dir), task.bucket)
    pq.write_table(table, out, compression="zstd", row_group_size=16_384, write_statistics=["key_hash"])
    return table.num_rows


def _apply_edits(table: pa.Table, edits: dict[str, list[list[int]]]) -> pa.Table:
    edited = pc.is_in(table.column("doc_id"), value_set=pa.array(list(edits), pa.string()))
    if not pc.any(edited).as_py():
        return table
    plain = table.filter(pc.invert(edited))
    moved = table.filter(edited).to_pylist()
    rows = []
    for row in moved:
        span = _shift(row["start"], row["end"], [(a, b, c) for a, b, c in edits[row["doc_id"]]])
        if span is not None:
            row["start"], row["end"] = span
            rows.append(row)
    fixed = pa.Table.from_pylist(rows, schema=INDEX_SCHEMA)
    return pa.concat_tables([plain, fixed]).sort_by([("key_hash", "ascending"), ("doc_id", "ascending")])


def derive_person_index(
    workspace: Workspace,
    dataset: str,
    from_version: int,
    to_version: int,
    *,
    removed_doc_ids: Iterable[str] = (),
    edits: dict[str, list[tuple[int, int, int]]] | None = None,
    suppressed: Iterable[str] = (),
    executor: MapExecutor | None = None,
) -> IndexManifest:
    """Index of version ``to_version`` derived from ``from_version`` after an erasure (RGT-05).

    One task a bucket; no document is re-read, so an erasure on tens of millions of
    documents costs one pass over the index files.
    """
    src = index_dir(workspace, dataset, from_version)
    manifest = IndexManifest.read(src)
    out = index_dir(workspace, dataset, to_version)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        removed_path = None
        removed = sorted(set(removed_doc_ids))
        if removed:
            removed_path = str(work / "_removed.parquet")
            pq.write_table(pa.table({"doc_id": pa.array(removed, pa.string())}), removed_path)
        edits_path = None
        if edits:
            edits_path = str(work / "_edits.json")
            Path(edits_path).write_text(json.dumps({k: [list(e) for e in v] for k, v in edits.items()}))
        suppressed_path = _suppressed_file(work, suppressed)
        tasks = [
            DeriveTask(str(src), str(work), b, to_version, removed_path, edits_path, suppressed_path)
            for b in range(manifest.buckets)
        ]
        counts = _run(executor, derive_bucket, tasks)
        for name in ("_removed.parquet", "_edits.json", "_suppressed.parquet"):
            (work / name).unlink(missing_ok=True)
        new = IndexManifest(
            dataset, to_version, manifest.buckets, sum(counts), datetime.now(UTC).isoformat(), from_version
        )
        _write_manifest(new, work)
        _swap_in(work, out)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return new


class PersonIndex:
    """Read side of one version's index. ``lookup`` opens one bucket file per key."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.manifest = IndexManifest.read(folder)

    @classmethod
    def open(cls, workspace: Workspace, dataset: str, version: int) -> PersonIndex:
        return cls(index_dir(workspace, dataset, version))

    @staticmethod
    def versions(workspace: Workspace, dataset: str) -> list[int]:
        """Versions of ``dataset`` that have a complete index."""
        root = workspace.path("persons", dataset)
        if not root.exists():
            return []
        found = []
        for child in root.iterdir():
            if child.name.startswith("v") and (child / "manifest.json").exists():
                found.append(int(child.name[1:]))
        return sorted(found)

    def lookup(self, key_hashes: Iterable[str]) -> list[IndexMatch]:
        """Every indexed mention of any of ``key_hashes`` (hex), grouped by bucket read."""
        by_bucket: dict[int, set[str]] = {}
        for key in key_hashes:
            by_bucket.setdefault(bucket_of_hex(key, self.manifest.buckets), set()).add(key)
        matches: list[IndexMatch] = []
        for bucket, keys in sorted(by_bucket.items()):
            values = pa.array([bytes.fromhex(k) for k in sorted(keys)], pa.binary(32))
            table = pq.read_table(
                bucket_file(self.folder, bucket),
                filters=pc.is_in(pc.field("key_hash"), value_set=values),
                schema=INDEX_SCHEMA,
            )
            for row in table.to_pylist():
                matches.append(
                    IndexMatch(
                        key_hash=row["key_hash"].hex(),
                        doc_id=row["doc_id"],
                        label=row["label"],
                        start=row["start"],
                        end=row["end"],
                        version=row["version"],
                        shard=row["shard"],
                    )
                )
        return matches
