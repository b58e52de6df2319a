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
    "DeriveTask",
    "IndexManifest",
    "IndexMatch",
    "MapExecutor",
    "PersonIndex",
    "RayMap",
    "build_index_from_files",
    "build_person_index",
    "derive_bucket",
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


class RayMap:
    """``map`` over Ray remote tasks (``moisson[ray]``): the index build on a Ray cluster.

    Tasks read and write files by path, so every node must see the workspace folder
    (a shared filesystem), as for the ingest executors.
    """

    def __init__(self, address: str | None = None) -> None:
        from moisson.pipeline.executors import connect_ray

        self._ray = connect_ray(address)

    def map(self, fn: Callable[[_T], _R], items: Iterable[_T], /) -> Iterator[_R]:
        remote = self._ray.remote(num_cpus=1)(fn)
        refs = [remote.remote(item) for item in items]
        for ref in refs:
            result: _R = self._ray.get(ref)
            yield result


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


def _write_manifest(manifest: IndexManifest, folder: Path) -> None:
    """Written last and atomically: its presence marks the index complete."""
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
    files_per_task: int = 8,
) -> IndexManifest:
    """Build an index from ``(attribute_file, shard)`` pairs into folder ``out`` (replaced).

    Stage 1 runs one task per ``files_per_task`` files, stage 2 one task a bucket, both
    through ``executor``.
    """
    if buckets < 1 or buckets > 65_536:
        msg = f"buckets must be between 1 and 65536, got {buckets}"
        raise ValueError(msg)
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        suppressed_path = _suppressed_file(work, suppressed)
        groups = [
            tuple(inputs[i : i + files_per_task]) for i in range(0, len(inputs), files_per_task)
        ]
        scatter = [
            ScatterTask(group, str(work), f"t{i:06d}", buckets, version, suppressed_path)
            for i, group in enumerate(groups)
        ]
        _run(executor, scatter_file, scatter)
        counts = _run(executor, sort_bucket, [SortTask(str(work), b) for b in range(buckets)])
        shutil.rmtree(work / "_scatter", ignore_errors=True)
        (work / "_suppressed.parquet").unlink(missing_ok=True)
        manifest = IndexManifest(
            dataset, version, buckets, sum(counts), datetime.now(UTC).isoformat()
        )
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


def _attribute_inputs(
    workspace: Workspace, dataset: str, version: int
) -> list[tuple[str, str | None]]:
    """The ``pii`` sidecar file of every shard of a version, as ``(path, shard digest)``.

    One stage-1 task a shard: shards are already the unit the executors distribute.
    """
    from moisson.store import DatasetStore
    from moisson.store.shards import attribute_path

    info = DatasetStore(workspace).get(dataset, version)
    return [
        (str(attribute_path(workspace.root, "pii", s.hash)), s.hash)
        for s in info.shard_info
        if "pii" in s.attributes
    ]


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
    return build_index_from_files(
        index_dir(workspace, dataset, version),
        _attribute_inputs(workspace, dataset, version),
        dataset=dataset,
        version=version,
        buckets=buckets,
        executor=executor,
        suppressed=_load_suppressed(workspace),
    )


@dataclass(frozen=True, slots=True)
class DeriveTask:
    """One bucket of a derived index: which docs left, which keys are suppressed."""

    src_dir: str
    dst_dir: str
    bucket: int
    version: int
    removed_path: str | None
    suppressed_path: str | None


def derive_bucket(task: DeriveTask) -> int:
    """One bucket of version N+1 from version N: drop removed docs and suppressed keys.

    Redaction keeps text lengths (see :mod:`moisson.rights.erasure`), so other offsets stay
    valid and no document is read.
    """
    table = pq.read_table(bucket_file(Path(task.src_dir), task.bucket), schema=INDEX_SCHEMA)
    keep = pa.array([True] * table.num_rows, pa.bool_())
    if task.removed_path is not None:
        removed = pq.read_table(task.removed_path).column("doc_id")
        keep = pc.and_(keep, pc.invert(pc.is_in(table.column("doc_id"), value_set=removed)))
    if task.suppressed_path is not None:
        suppressed = pq.read_table(task.suppressed_path).column("key_hash")
        keep = pc.and_(keep, pc.invert(pc.is_in(table.column("key_hash"), value_set=suppressed)))
    table = table.filter(keep)
    table = table.set_column(
        table.schema.get_field_index("version"),
        "version",
        pa.array([task.version] * table.num_rows, pa.int32()),
    )
    out = bucket_file(Path(task.dst_dir), task.bucket)
    pq.write_table(
        table, out, compression="zstd", row_group_size=16_384, write_statistics=["key_hash"]
    )
    return int(table.num_rows)


def derive_person_index(
    workspace: Workspace,
    dataset: str,
    from_version: int,
    to_version: int,
    *,
    removed_doc_ids: Iterable[str] = (),
    suppressed: Iterable[str] = (),
    touched_keys: Iterable[str] | None = None,
    executor: MapExecutor | None = None,
) -> IndexManifest:
    """Index of version ``to_version`` derived from ``from_version`` after an erasure (RGT-05).

    No document is re-read. With ``touched_keys`` (every key hash of the removed documents),
    only the buckets of those keys and of ``suppressed`` are rewritten, one task each; the
    others are hard-linked from the previous version, so an erasure costs what it touches.
    Without it, every bucket is rewritten.
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
        suppressed = sorted(set(suppressed))
        suppressed_path = _suppressed_file(work, suppressed)
        if touched_keys is None:
            rewrite = set(range(manifest.buckets))
        else:
            keys = {*touched_keys, *suppressed}
            rewrite = {bucket_of_hex(k, manifest.buckets) for k in keys}
        tasks = [
            DeriveTask(str(src), str(work), b, to_version, removed_path, suppressed_path)
            for b in sorted(rewrite)
        ]
        counts = _run(executor, derive_bucket, tasks)
        for b in range(manifest.buckets):
            if b not in rewrite:
                counts.append(_link(bucket_file(src, b), bucket_file(work, b)))
        for name in ("_removed.parquet", "_suppressed.parquet"):
            (work / name).unlink(missing_ok=True)
        new = IndexManifest(
            dataset,
            to_version,
            manifest.buckets,
            sum(counts),
            datetime.now(UTC).isoformat(),
            from_version,
        )
        _write_manifest(new, work)
        _swap_in(work, out)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return new


def _link(src: Path, dst: Path) -> int:
    """Share an unchanged bucket file between versions; return its row count."""
    try:
        os.link(src, dst)
    except OSError:  # another filesystem, or no hard links
        shutil.copyfile(src, dst)
    return int(pq.read_metadata(dst).num_rows)


def _read_keys(path: Path, keys: list[bytes]) -> pa.Table:
    """Rows of ``keys`` in one sorted bucket file, reading only the row groups whose key
    range (Parquet statistics) can hold them."""
    try:
        pf = pq.ParquetFile(path)
    except (OSError, pa.ArrowInvalid) as exc:
        msg = f"{path}: unreadable person index bucket ({exc}): rebuild with 'moisson rights index'"
        raise StoreError(msg) from None
    meta = pf.metadata
    column = pf.schema_arrow.get_field_index("key_hash")
    groups = []
    for i in range(meta.num_row_groups):
        stats = meta.row_group(i).column(column).statistics
        if stats is None or not stats.has_min_max or any(stats.min <= k <= stats.max for k in keys):
            groups.append(i)
    if not groups:
        return INDEX_SCHEMA.empty_table()
    table = pf.read_row_groups(groups)
    values = pa.array(keys, pa.binary(32))
    return table.filter(pc.is_in(table.column("key_hash"), value_set=values))


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
            table = _read_keys(
                bucket_file(self.folder, bucket), sorted(bytes.fromhex(k) for k in keys)
            )
            for row in table.to_pylist():
                matches.append(
                    IndexMatch(
                        key_hash=row["key_hash"].hex(),
                        doc_id=row["doc_id"],
                        label=row["label"],
                        start=row["start"],
                        end=row["end"],
                        # linked bucket files keep the version they were built for
                        version=self.manifest.version,
                        shard=row["shard"],
                    )
                )
        return matches
