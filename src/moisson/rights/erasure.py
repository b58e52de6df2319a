"""Erasure, objection, rectification and restriction in the data and at model level (RGT-05).

For each affected dataset: a new version derived from the latest one without the person's
documents (``erasure_mode = "drop"``) or with their spans redacted (``"redact"``; the marker
keeps the text length so every other offset stays valid); the person index of that version
derived from the previous one; the person's hashes on the suppression list so later crawls,
ingests and builds skip them; every model version trained on a version holding their data
marked, unless its audit concluded it is anonymous (RGT-01).
"""

from __future__ import annotations

import shutil
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from moisson.errors import DatasetNotFoundError
from moisson.ledger import Ledger
from moisson.persons.index import PersonIndex, build_person_index, derive_person_index
from moisson.rights.find import FindResult
from moisson.rights.identifiers import HashedIdentifier
from moisson.rights.suppression import SuppressionList
from moisson.store import DatasetStore, DatasetVersion, Document, ShardInfo, StagedShard
from moisson.store.shards import attribute_path
from moisson.workspace import Workspace

__all__ = (
    "DatasetErasure",
    "ModelAction",
    "apply_to_data",
    "derive_affected_shards",
    "redact",
    "redaction_marker",
)

_MARK = "[REDACTED]"


def redaction_marker(length: int) -> str:
    """A marker exactly ``length`` characters long (offsets of other spans do not move)."""
    if length >= len(_MARK):
        return _MARK.ljust(length)
    return "█" * length


def redact(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with every span replaced by a same-length marker."""
    out = text
    for start, end in sorted(set(spans), reverse=True):
        out = out[:start] + redaction_marker(end - start) + out[end:]
    return out


def _rewrite_shard(
    path: Path, out: Path, spans: dict[str, list[tuple[int, int]]], mode: str
) -> tuple[list[tuple[str, str]], pa.Table]:
    """One shard without (``drop``) or with redacted (``redact``) documents; Arrow-vectorised,
    only the affected documents go through Python. Returns the removed ``(doc_id,
    content_hash)`` pairs and the table."""
    table = pq.read_table(path)
    hit = pc.is_in(table.column("doc_id"), value_set=pa.array(sorted(spans), pa.string()))
    kept = table.filter(pc.invert(hit))
    removed: list[tuple[str, str]] = []
    if mode == "drop":
        gone = table.filter(hit)
        removed = list(
            zip(
                gone.column("doc_id").to_pylist(),
                gone.column("content_hash").to_pylist(),
                strict=True,
            )
        )
    else:
        changed = []
        for row in table.filter(hit).to_pylist():
            doc = Document.from_row(row)
            doc.text = redact(doc.text, spans[doc.doc_id])
            changed.append(doc.to_row())
        kept = pa.concat_tables([kept, pa.Table.from_pylist(changed, schema=table.schema)])
    tmp = out.with_name(out.name + ".tmp")
    pq.write_table(kept, tmp, compression="zstd")
    tmp.replace(out)
    return removed, kept


def derive_affected_shards(
    store: DatasetStore,
    base: DatasetVersion,
    spans: dict[str, list[tuple[int, int]]],
    shards: set[str],
    *,
    mode: str,
    reason: str,
) -> DatasetVersion:
    """Like :meth:`DatasetStore.derive_version`, but only the shards the person index names
    are read and rewritten (vectorised); every other shard is reused as it is.

    The index records each mention's shard, so an erasure on tens of millions of documents
    rewrites a handful of shards instead of visiting every document (RGT-05 at scale).
    """
    reuse: list[ShardInfo] = []
    staged: list[StagedShard] = []
    removed: list[tuple[str, str]] = []
    tmpdir = Path(tempfile.mkdtemp(dir=store.staging_dir()))
    for info in base.shard_info:
        if info.hash not in shards:
            reuse.append(info)
            continue
        path = tmpdir / f"part-{len(staged):05d}.parquet"
        dropped, _ = _rewrite_shard(store.shard_file(info.hash), path, spans, mode)
        removed.extend(dropped)
        attr_files: dict[str, Path] = {}
        for attr in info.attributes:
            rows = pq.read_table(attribute_path(store.root, attr, info.hash))
            if dropped:
                gone = pa.array([doc_id for doc_id, _ in dropped], pa.string())
                rows = rows.filter(pc.invert(pc.is_in(rows.column("doc_id"), value_set=gone)))
            apath = tmpdir / f"part-{len(staged):05d}.{attr}.parquet"
            pq.write_table(rows, apath, compression="zstd")
            attr_files[attr] = apath
        staged.append(StagedShard(path, attr_files))
    version = store.commit_staged(
        base.name,
        staged,
        reason=reason,
        parent=base.version,
        reuse=reuse,
        removed=tuple(doc_id for doc_id, _ in removed),
    )
    shutil.rmtree(tmpdir, ignore_errors=True)
    store.write_deletion_log(version, removed)
    return version


def _keys_of(workspace: Workspace, shards: set[str | None], doc_ids: set[str]) -> set[str]:
    """Key hashes of every identifier in ``doc_ids``, from their shards' pii rows."""
    keys: set[str] = set()
    if not doc_ids:
        return keys
    wanted = pa.array(sorted(doc_ids), pa.string())
    for shard in shards:
        path = attribute_path(workspace.root, "pii", str(shard))
        if not path.exists():
            continue
        rows = pq.read_table(path, columns=["doc_id", "key_hash"])
        rows = rows.filter(pc.is_in(rows.column("doc_id"), value_set=wanted))
        keys.update(k for k in rows.column("key_hash").to_pylist() if k)
    return keys


@dataclass
class ModelAction:
    model_id: int
    name: str
    audit_status: str
    rights_status: str
    note: str

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class DatasetErasure:
    """What one request changed in one dataset (no identifier, only ids and counts)."""

    dataset: str
    mode: str
    from_version: int
    new_version: int | None
    removed_documents: int
    redacted_documents: int
    redacted_spans: int
    affected_versions: list[int]
    models: list[ModelAction] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        data = {k: v for k, v in self.__dict__.items() if k != "models"}
        data["models"] = [m.to_json() for m in self.models]
        return data


def _model_actions(
    workspace: Workspace,
    dataset: str,
    versions: set[int],
    *,
    kind: str,
    request_id: int,
    new_version: int | None,
    now: datetime,
) -> list[ModelAction]:
    policy = workspace.policy.rights
    due = (now + timedelta(days=policy.retraining_interval_days)).date().isoformat()
    actions: list[ModelAction] = []
    with Ledger.open(workspace) as ledger:
        for model in ledger.models_trained_on(dataset, versions):
            if model.audit_status == "anonymous":
                note = (
                    f"request {request_id}: the audit concluded this model is anonymous "
                    "(RGT-01, EDPB Opinion 28/2024): no action at model level"
                )
                actions.append(
                    ModelAction(model.id, model.name, model.audit_status, model.rights_status, note)
                )
                continue
            target = (
                f"dataset {dataset} v{new_version}"
                if new_version
                else f"a version of {dataset} without them"
            )
            if kind == "restriction":
                status = "output_filter"
                note = (
                    f"request {request_id}: output filter applied to this person's identifiers; "
                    f"their data must not be used for further training (art. 18)"
                )
            else:
                status = "retraining_due"
                note = (
                    f"request {request_id}: retraining due by {due} on {target}; output filter "
                    "applied meanwhile"
                )
            ledger.set_model_status(model.id, rights_status=status, rights_note=note)
            actions.append(ModelAction(model.id, model.name, model.audit_status, status, note))
    return actions


def apply_to_data(
    workspace: Workspace,
    result: FindResult,
    hashed: list[HashedIdentifier],
    *,
    kind: str,
    request_id: int,
    now: datetime,
) -> DatasetErasure:
    """Carry out an erasure-type request on one dataset, given where the person was found."""
    store = DatasetStore(workspace)
    latest = store.latest(result.dataset)
    mode = workspace.policy.rights.erasure_mode
    if kind == "rectification":
        mode = "redact"  # inaccurate spans are removed; the rest of the document stays
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for hit in result.documents:
        if hit.dataset_version == latest.version:
            spans[hit.doc_id].extend((m.start, m.end) for m in hit.matches)
    affected_versions = {h.dataset_version for h in result.documents}
    if kind in {"erasure", "objection", "restriction"}:
        SuppressionList(workspace).add(hashed, request_id=request_id)
    new_version: int | None = None
    removed = redacted = redacted_spans = 0
    if spans:

        def transform(doc: Document) -> Document | None:
            doc_spans = spans.get(doc.doc_id)
            if doc_spans is None:
                return doc
            if mode == "drop":
                return None
            doc.text = redact(doc.text, doc_spans)
            return doc

        reason = f"{kind} request {request_id}"
        shards = {h.shard for h in result.documents if h.dataset_version == latest.version}
        if None in shards:  # a hit without its shard: let the store visit every document
            derived = store.derive_version(
                result.dataset, transform, reason=reason, version=latest.version
            )
        else:
            derived = derive_affected_shards(
                store, latest, spans, {str(s) for s in shards}, mode=mode, reason=reason
            )
        new_version = derived.version
        removed = len(derived.removed)
        if mode == "redact":
            redacted = len(spans)
            redacted_spans = sum(len(set(v)) for v in spans.values())
        suppressed = {h.key_hash for h in hashed}
        touched = None if None in shards else _keys_of(workspace, shards, set(derived.removed))
        try:
            PersonIndex.open(workspace, result.dataset, latest.version)
            derive_person_index(
                workspace,
                result.dataset,
                latest.version,
                new_version,
                removed_doc_ids=derived.removed,
                suppressed=suppressed,
                touched_keys=touched,
            )
        except DatasetNotFoundError:
            build_person_index(workspace, result.dataset, new_version)
    models = _model_actions(
        workspace,
        result.dataset,
        affected_versions,
        kind=kind,
        request_id=request_id,
        new_version=new_version,
        now=now,
    )
    return DatasetErasure(
        result.dataset,
        mode,
        latest.version,
        new_version,
        removed,
        redacted,
        redacted_spans,
        sorted(affected_versions),
        models,
    )
