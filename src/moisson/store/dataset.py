"""Dataset versions: immutable manifests over content-addressed shards (ledger-backed).

A version never changes once committed. Erasure, re-checks and other derivations produce a new
version whose manifest reuses every unchanged shard of its parent, so a version costs only the
shards it rewrites. ``content_hash`` is a multiset hash of the ``(doc_id, content_hash)`` pairs
(the sum of their SHA-256 values modulo 2^256): the same however documents are sharded or
ordered, and computed per shard once, so a derived version only hashes the shards it rewrites.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow.compute as pc
import pyarrow.parquet as pq
from sqlalchemy import func, select

from moisson.errors import DatasetNotFoundError, LedgerError, MoissonError, StoreError
from moisson.ledger import Ledger
from moisson.ledger.models import DatasetVersionRow, aware
from moisson.store.document import Document
from moisson.store.shards import (
    attribute_path,
    file_sha256,
    iter_shard,
    publish_file,
    read_attribute_rows,
    shard_path,
    write_attribute_file,
    write_shard_file,
)
from moisson.workspace import Workspace

__all__ = ("DatasetStore", "DatasetVersion", "ShardInfo", "StagedShard")

SHARD_DOCUMENTS = 50_000


@dataclass(frozen=True)
class ShardInfo:
    hash: str
    documents: int
    bytes: int
    attributes: tuple[str, ...] = ()
    digest: str = ""  # multiset hash of the shard's (doc_id, content_hash) pairs


@dataclass(frozen=True)
class StagedShard:
    """A shard written by a pipeline task, not yet published, with its attribute files."""

    path: Path
    attributes: dict[str, Path] = field(default_factory=dict)


@dataclass(frozen=True)
class DatasetVersion:
    name: str
    version: int
    parent: int | None
    reason: str
    document_count: int
    bytes: int
    content_hash: str
    shards: list[str]
    created_at: datetime
    run_id: int | None
    shard_info: tuple[ShardInfo, ...] = ()
    removed: tuple[str, ...] = ()
    released_at: datetime | None = None


_SHA256_HEX = re.compile(r"[0-9a-f]{64}")
# What SQLAlchemy raises when a stored value no longer decodes to its column type (the JSON
# shard list, a timestamp): only an edit of the ledger outside moisson leaves such a value.
_UNDECODABLE = (ValueError, TypeError, OverflowError)


def _corrupt(name: str, version: int | None, reason: str) -> LedgerError:
    which = f"dataset '{name}'" + (f" v{version}" if version is not None else "")
    msg = (
        f"ledger record of {which} is corrupt: {reason}; "
        "the dataset_versions table was changed outside moisson"
    )
    return LedgerError(msg)


def _shard_infos(row: DatasetVersionRow) -> tuple[ShardInfo, ...]:
    """The shard list of a version row, checked: a hash outside [0-9a-f]{64} would name a
    file outside the store, a missing key would be a KeyError deep in a command."""
    entries = row.shards.get("shards") if isinstance(row.shards, dict) else None
    if not isinstance(entries, list):
        raise _corrupt(row.name, row.version, "'shards' holds no shard list")
    infos: list[ShardInfo] = []
    for index, entry in enumerate(entries):
        ok = (
            isinstance(entry, dict)
            and isinstance(entry.get("hash"), str)
            and _SHA256_HEX.fullmatch(entry["hash"]) is not None
            and type(entry.get("documents")) is int
            and type(entry.get("bytes")) is int
            and isinstance(entry.get("attributes", []), list)
            and all(isinstance(a, str) for a in entry.get("attributes", []))
            and isinstance(entry.get("digest", ""), str)
        )
        if not ok:
            # The entry itself is not quoted: whoever edited the row chose it.
            reason = f"shard entry {index} is malformed (needs hash, documents, bytes)"
            raise _corrupt(row.name, row.version, reason)
        infos.append(
            ShardInfo(
                entry["hash"],
                entry["documents"],
                entry["bytes"],
                tuple(entry.get("attributes", ())),
                entry.get("digest", ""),
            )
        )
    return tuple(infos)


def _version_from_row(row: DatasetVersionRow, removed: tuple[str, ...] = ()) -> DatasetVersion:
    infos = _shard_infos(row)
    return DatasetVersion(
        name=row.name,
        version=row.version,
        parent=row.parent_version,
        reason=row.reason,
        document_count=row.document_count,
        bytes=row.bytes,
        content_hash=row.content_hash,
        shards=[i.hash for i in infos],
        created_at=aware(row.created_at),
        run_id=row.run_id,
        shard_info=infos,
        removed=removed,
        released_at=aware(row.released_at) if row.released_at else None,
    )


class DatasetStore:
    """Read and write dataset versions of a workspace."""

    def __init__(self, workspace: Workspace, ledger: Ledger | None = None) -> None:
        self.workspace = workspace
        self.root = workspace.root
        self._ledger = ledger

    @property
    def ledger(self) -> Ledger:
        if self._ledger is None:
            self._ledger = Ledger.open(self.workspace)
        return self._ledger

    # -- reading -------------------------------------------------------------------------
    def datasets(self) -> list[str]:
        with self.ledger.session() as s:
            return list(
                s.execute(
                    select(DatasetVersionRow.name).distinct().order_by(DatasetVersionRow.name)
                ).scalars()
            )

    def versions(self, name: str) -> list[DatasetVersion]:
        try:
            with self.ledger.session() as s:
                rows = s.execute(
                    select(DatasetVersionRow)
                    .where(DatasetVersionRow.name == name)
                    .order_by(DatasetVersionRow.version)
                ).scalars()
                return [_version_from_row(r) for r in rows]
        except _UNDECODABLE as exc:
            if isinstance(exc, MoissonError):  # ConfigError is a ValueError too
                raise
            raise self._undecodable(name, exc) from None

    def get(self, name: str, version: int | None = None) -> DatasetVersion:
        try:
            with self.ledger.session() as s:
                q = select(DatasetVersionRow).where(DatasetVersionRow.name == name)
                if version is None:
                    q = q.order_by(DatasetVersionRow.version.desc()).limit(1)
                else:
                    q = q.where(DatasetVersionRow.version == version)
                row = s.execute(q).scalar()
                if row is None:
                    what = f"dataset '{name}'" + (
                        f" version {version}" if version is not None else ""
                    )
                    msg = f"no {what} in {self.root}"
                    raise DatasetNotFoundError(msg)
                return _version_from_row(row)
        except _UNDECODABLE as exc:
            if isinstance(exc, MoissonError):  # ConfigError is a ValueError too
                raise
            raise self._undecodable(name, exc) from None

    def _undecodable(self, name: str, exc: BaseException) -> LedgerError:
        """Name the first version of ``name`` whose row no longer decodes (one row at a time)."""
        with self.ledger.session() as s:
            pairs = s.execute(
                select(DatasetVersionRow.id, DatasetVersionRow.version)
                .where(DatasetVersionRow.name == name)
                .order_by(DatasetVersionRow.version)
            ).all()
        for row_id, number in pairs:
            try:
                with self.ledger.session() as s:
                    s.execute(
                        select(DatasetVersionRow).where(DatasetVersionRow.id == row_id)
                    ).scalar()
            except _UNDECODABLE as bad:
                kind = type(bad).__name__  # not its message: it may quote the edited value
                return _corrupt(name, number, f"a stored value cannot be decoded ({kind})")
        return _corrupt(name, None, f"a stored value cannot be decoded ({type(exc).__name__})")

    def latest(self, name: str) -> DatasetVersion:
        return self.get(name)

    def shard_file(self, digest: str) -> Path:
        path = shard_path(self.root, digest)
        if not path.exists():
            msg = f"shard {digest} listed in a manifest is missing from {path.parent}"
            raise StoreError(msg)
        return path

    def iter_documents(self, name: str, version: int | None = None) -> Iterator[Document]:
        for digest in self.get(name, version).shards:
            yield from iter_shard(self.shard_file(digest))

    def iter_shard_documents(self, digest: str) -> Iterator[Document]:
        yield from iter_shard(self.shard_file(digest))

    def iter_attributes(
        self, name: str, attribute: str, version: int | None = None
    ) -> Iterator[dict[str, Any]]:
        for digest in self.get(name, version).shards:
            yield from read_attribute_rows(attribute_path(self.root, attribute, digest))

    # -- writing -------------------------------------------------------------------------
    def staging_dir(self) -> Path:
        path = self.root / "runs" / "staging"
        path.mkdir(parents=True, exist_ok=True)
        return path

    def create_version(
        self,
        name: str,
        docs: Iterable[Document],
        *,
        reason: str,
        parent: int | None = None,
        run_id: int | None = None,
        attributes: dict[str, list[dict[str, Any]]] | None = None,
    ) -> DatasetVersion:
        """Write ``docs`` as new shards and commit them as the next version of ``name``."""
        by_doc: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
        for attr, rows in (attributes or {}).items():
            for row in rows:
                by_doc[row["doc_id"]][attr].append(row)
        staged: list[StagedShard] = []
        tmpdir = Path(tempfile.mkdtemp(dir=self.staging_dir()))
        buffer: list[Document] = []

        def flush() -> None:
            path = tmpdir / f"part-{len(staged):05d}.parquet"
            _, _, ids = write_shard_file(path, buffer)
            attr_files: dict[str, Path] = {}
            per_attr: dict[str, list[dict[str, Any]]] = defaultdict(list)
            for doc_id in ids:
                for attr, rows in by_doc.get(doc_id, {}).items():
                    per_attr[attr].extend(rows)
            for attr, rows in per_attr.items():
                apath = tmpdir / f"part-{len(staged):05d}.{attr}.parquet"
                write_attribute_file(apath, rows)
                attr_files[attr] = apath
            staged.append(StagedShard(path, attr_files))
            buffer.clear()

        for doc in docs:
            buffer.append(doc)
            if len(buffer) >= SHARD_DOCUMENTS:
                flush()
        if buffer or not staged:
            flush()
        version = self.commit_staged(name, staged, reason=reason, parent=parent, run_id=run_id)
        shutil.rmtree(tmpdir, ignore_errors=True)
        return version

    def commit_staged(
        self,
        name: str,
        staged: list[StagedShard],
        *,
        reason: str,
        parent: int | None = None,
        run_id: int | None = None,
        reuse: list[ShardInfo] | None = None,
        removed: tuple[str, ...] = (),
    ) -> DatasetVersion:
        """Publish staged shards (content-addressed) and record the version in the ledger."""
        infos: list[ShardInfo] = list(reuse or [])
        for item in staged:
            meta = pq.read_metadata(item.path)
            if meta.num_rows == 0:  # an empty shard adds nothing to the version
                item.path.unlink()
                for apath in item.attributes.values():
                    apath.unlink(missing_ok=True)
                continue
            digest = file_sha256(item.path)
            nbytes = _text_bytes(item.path)
            publish_file(item.path, shard_path(self.root, digest))
            for attr, apath in item.attributes.items():
                publish_file(apath, attribute_path(self.root, attr, digest))
            infos.append(
                ShardInfo(
                    digest,
                    meta.num_rows,
                    nbytes,
                    tuple(sorted(item.attributes)),
                    _shard_digest(self.root, digest),
                )
            )
        infos = [
            i if i.digest else replace(i, digest=_shard_digest(self.root, i.hash)) for i in infos
        ]
        content = _combine(i.digest for i in infos)
        with self.ledger.session() as s:
            current = s.execute(
                select(func.max(DatasetVersionRow.version)).where(DatasetVersionRow.name == name)
            ).scalar()
            number = (current or 0) + 1
            row = DatasetVersionRow(
                name=name,
                version=number,
                parent_version=parent if parent is not None else current,
                reason=reason,
                document_count=sum(i.documents for i in infos),
                bytes=sum(i.bytes for i in infos),
                content_hash=content,
                shards={
                    "shards": [
                        {
                            "hash": i.hash,
                            "documents": i.documents,
                            "bytes": i.bytes,
                            "attributes": list(i.attributes),
                            "digest": i.digest,
                        }
                        for i in infos
                    ]
                },
                run_id=run_id,
            )
            s.add(row)
            s.flush()
            version = _version_from_row(row, removed)
        self._write_manifest(version)
        for item in staged:
            item.path.unlink(missing_ok=True)
            for apath in item.attributes.values():
                apath.unlink(missing_ok=True)
        self.ledger.append_audit(
            "dataset.version",
            subject=f"dataset:{name}:v{version.version}",
            details={
                "reason": reason,
                "documents": version.document_count,
                "content_hash": version.content_hash,
                "parent": version.parent,
                "removed": len(removed),
            },
        )
        return version

    def derive_version(
        self,
        name: str,
        transform: Callable[[Document], Document | None],
        *,
        reason: str,
        version: int | None = None,
    ) -> DatasetVersion:
        """New version from ``version`` (default: latest) where ``transform`` keeps, changes or
        removes (returns None) each document. Unchanged shards are reused as they are.
        """
        base = self.get(name, version)
        reuse: list[ShardInfo] = []
        staged: list[StagedShard] = []
        removed: list[str] = []
        removed_hashes: list[str] = []
        tmpdir = Path(tempfile.mkdtemp(dir=self.staging_dir()))
        for info in base.shard_info:
            out: list[Document] = []
            changed = False
            dropped_here: set[str] = set()
            for doc in iter_shard(self.shard_file(info.hash)):
                before = (doc.text, json.dumps(doc.signals, sort_keys=True))
                result = transform(doc)
                if result is None:
                    changed = True
                    removed.append(doc.doc_id)
                    removed_hashes.append(doc.content_hash)
                    dropped_here.add(doc.doc_id)
                    continue
                if (result.text, json.dumps(result.signals, sort_keys=True)) != before:
                    changed = True
                out.append(result)
            if not changed:
                reuse.append(info)
                continue
            path = tmpdir / f"part-{len(staged):05d}.parquet"
            write_shard_file(path, out)
            attr_files: dict[str, Path] = {}
            for attr in info.attributes:
                rows = [
                    r
                    for r in read_attribute_rows(attribute_path(self.root, attr, info.hash))
                    if r["doc_id"] not in dropped_here
                ]
                apath = tmpdir / f"part-{len(staged):05d}.{attr}.parquet"
                write_attribute_file(apath, rows)
                attr_files[attr] = apath
            staged.append(StagedShard(path, attr_files))
        derived = self.commit_staged(
            name, staged, reason=reason, parent=base.version, reuse=reuse, removed=tuple(removed)
        )
        shutil.rmtree(tmpdir, ignore_errors=True)
        self.write_deletion_log(derived, zip(removed, removed_hashes, strict=True))
        return derived

    def deletion_log_path(self, name: str, version: int) -> Path:
        """Where the deletion log of a derived version lies (it may not exist)."""
        return self.root / "datasets" / name / f"v{version}.deletions.jsonl"

    def deletions(self, name: str, version: int) -> list[dict[str, str]]:
        """The documents a derived version left out of its parent: ``doc_id``, ``content_hash``,
        ``rule``, ``deleted_at`` (SCR-03)."""
        path = self.deletion_log_path(name, version)
        if not path.is_file():
            return []
        return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line]

    def write_deletion_log(self, version: DatasetVersion, rows: Iterable[tuple[str, str]]) -> None:
        """SCR-03: a content hash, the rule and the time for each ``(doc_id, content_hash)``
        left out of ``version``'s parent, never the content (the rule is the version's reason,
        e.g. an opt-out re-check or an erasure). Derivations that commit their own staged
        shards call it too."""
        lines = [
            json.dumps(
                {
                    "doc_id": doc_id,
                    "content_hash": chash,
                    "rule": version.reason,
                    "deleted_at": version.created_at.isoformat(),
                },
                sort_keys=True,
            )
            for doc_id, chash in rows
        ]
        if lines:
            path = self.deletion_log_path(version.name, version.version)
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    def mark_released(self, name: str, version: int, at: datetime) -> None:
        """Record the end of the objection window for a version (SCR-08b)."""
        with self.ledger.session() as s:
            row = s.execute(
                select(DatasetVersionRow).where(
                    DatasetVersionRow.name == name, DatasetVersionRow.version == version
                )
            ).scalar_one()
            row.released_at = at
        self.ledger.append_audit(
            "dataset.release", subject=f"dataset:{name}:v{version}", details={}
        )

    # -- internals -----------------------------------------------------------------------
    def _write_manifest(self, version: DatasetVersion) -> None:
        folder = self.root / "datasets" / version.name
        folder.mkdir(parents=True, exist_ok=True)
        manifest = {
            "name": version.name,
            "version": version.version,
            "parent": version.parent,
            "reason": version.reason,
            "document_count": version.document_count,
            "bytes": version.bytes,
            "content_hash": version.content_hash,
            "created_at": version.created_at.isoformat(),
            "run_id": version.run_id,
            "shards": [
                {
                    "hash": i.hash,
                    "documents": i.documents,
                    "bytes": i.bytes,
                    "attributes": list(i.attributes),
                    "digest": i.digest,
                }
                for i in version.shard_info
            ],
        }
        (folder / f"v{version.version}.json").write_text(
            json.dumps(manifest, indent=2) + "\n", encoding="utf-8"
        )


_MOD = 1 << 256


def _shard_digest(root: Path, shard: str) -> str:
    """Sum of SHA-256(doc_id:content_hash) over the shard, modulo 2^256, hex."""
    table = pq.read_table(shard_path(root, shard), columns=["doc_id", "content_hash"])
    total = 0
    sha = hashlib.sha256
    for doc_id, chash in zip(
        table.column("doc_id").to_pylist(), table.column("content_hash").to_pylist(), strict=True
    ):
        total += int.from_bytes(sha(f"{doc_id}:{chash}".encode()).digest(), "big")
    return f"{total % _MOD:064x}"


def _combine(digests: Iterable[str]) -> str:
    total = sum(int(d, 16) for d in digests) % _MOD
    return hashlib.sha256(f"{total:064x}".encode()).hexdigest()


def _text_bytes(path: Path) -> int:
    table = pq.read_table(path, columns=["text"])
    lengths = pc.binary_length(table.column("text"))
    return int(pc.sum(lengths).as_py() or 0)
