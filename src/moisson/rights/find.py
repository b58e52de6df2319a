"""Which documents and models hold a person's data (RGT-02, RGT-01, art. 11 GDPR).

The index answers for every identifier the detectors labelled. Free-text identifiers the
detectors could not label (a pseudonym, a profile URL) cannot be in an index built from
detections: they are found by a scan of the version's text (case-insensitive substring, with
Arrow's vectorised kernel as a prefilter). The scan reads every shard and is reported as
``"method": "scan"``; it runs only when such identifiers are supplied.

"Not found" differs from "cannot identify" (art. 11(2)): when nothing usable was supplied, or
only a name that matches documents from many unrelated sources (homonyms), the controller
cannot tell which documents are the person's, says so, and names what would help.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from moisson.errors import DatasetNotFoundError
from moisson.ledger import Ledger
from moisson.persons.index import IndexMatch, PersonIndex, build_person_index
from moisson.rights.identifiers import STRONG_LABELS, HashedIdentifier
from moisson.store import DatasetStore
from moisson.workspace import Workspace

__all__ = (
    "MAX_NAME_ONLY_SOURCES",
    "DocumentHit",
    "FindResult",
    "MatchSpan",
    "fill_metadata",
    "find_person",
    "models_for",
    "scan_free_text",
)

# A name alone that appears on more distinct domains than this is likely several people.
MAX_NAME_ONLY_SOURCES = 3
_WOULD_HELP = ["email address", "phone number", "profile URL or pseudonym used online"]


@dataclass(frozen=True, slots=True)
class MatchSpan:
    type: str
    start: int
    end: int
    key_hash: str = ""


@dataclass
class DocumentHit:
    doc_id: str
    dataset_version: int
    shard: str | None
    matches: list[MatchSpan] = field(default_factory=list)
    source_id: str | None = None
    url: str | None = None
    domain: str | None = None
    fetched_at: datetime | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "source_id": self.source_id,
            "url": self.url,
            "dataset_version": self.dataset_version,
            "matches": [{"type": m.type, "start": m.start, "end": m.end} for m in self.matches],
        }


@dataclass
class FindResult:
    """``status`` is ``found``, ``not_found`` or ``cannot_identify`` (art. 11)."""

    dataset: str
    status: str
    documents: list[DocumentHit]
    models: list[dict[str, Any]]
    explanation: str
    would_help: list[str] = field(default_factory=list)
    methods: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "documents": [d.to_json() for d in self.documents],
            "models": self.models,
            "status": self.status,
            "explanation": self.explanation,
            "would_help": self.would_help,
        }


def _index_for(workspace: Workspace, dataset: str, version: int) -> PersonIndex:
    try:
        return PersonIndex.open(workspace, dataset, version)
    except DatasetNotFoundError:  # version committed before the index step ran: build it now
        build_person_index(workspace, dataset, version)
        return PersonIndex.open(workspace, dataset, version)


def scan_free_text(
    workspace: Workspace, dataset: str, version: int, values: Iterable[str]
) -> list[tuple[str, str, int, int]]:
    """``(doc_id, shard, start, end)`` of every case-insensitive occurrence of ``values``."""
    values = [v for v in values if v]
    if not values:
        return []
    store = DatasetStore(workspace)
    pattern = re.compile("|".join(re.escape(v) for v in values), re.IGNORECASE)
    found: list[tuple[str, str, int, int]] = []
    for digest in store.get(dataset, version).shards:
        table = pq.read_table(store.shard_file(digest), columns=["doc_id", "text"])
        mask = pc.match_substring(table.column("text"), values[0], ignore_case=True)
        for value in values[1:]:
            mask = pc.or_(mask, pc.match_substring(table.column("text"), value, ignore_case=True))
        hits = table.filter(mask)
        for doc_id, text in zip(
            hits.column("doc_id").to_pylist(), hits.column("text").to_pylist(), strict=True
        ):
            found.extend((doc_id, digest, m.start(), m.end()) for m in pattern.finditer(text))
    return found


def fill_metadata(workspace: Workspace, hits: dict[tuple[int, str], DocumentHit]) -> None:
    """Source id, URL, domain and collection time of each hit, reading only its shard."""
    store = DatasetStore(workspace)
    by_shard: dict[str, set[str]] = defaultdict(set)
    for hit in hits.values():
        if hit.shard:
            by_shard[hit.shard].add(hit.doc_id)
    meta: dict[str, dict[str, Any]] = {}
    for shard, ids in by_shard.items():
        table = pq.read_table(
            store.shard_file(shard),
            columns=["doc_id", "source_id", "url", "domain", "fetched_at"],
            filters=pc.is_in(pc.field("doc_id"), value_set=pa.array(sorted(ids), pa.string())),
        )
        for row in table.to_pylist():
            meta[row["doc_id"]] = row
    for hit in hits.values():
        row = meta.get(hit.doc_id)
        if row is not None:
            hit.source_id, hit.url = row["source_id"], row["url"]
            hit.domain, hit.fetched_at = row["domain"], row["fetched_at"]


def models_for(workspace: Workspace, dataset: str, versions: set[int]) -> list[dict[str, Any]]:
    """Model versions trained on any of ``versions`` of ``dataset``, with their statuses."""
    if not versions:
        return []
    with Ledger.open(workspace) as ledger:
        models = ledger.models_trained_on(dataset, versions)
    return [
        {
            "model_id": m.id,
            "name": m.name,
            "trained_on": [[d, v] for d, v in m.trained_on],
            "audit_status": m.audit_status,
            "rights_status": m.rights_status,
            # RGT-01: rights reach a model unless its audit concluded it is anonymous.
            "rights_apply": m.audit_status != "anonymous",
        }
        for m in models
    ]


def find_person(
    workspace: Workspace,
    dataset: str,
    hashed: list[HashedIdentifier],
    *,
    version: int | None = None,
    free_text: Iterable[str] = (),
    unusable: Iterable[str] = (),
    max_name_only_sources: int = MAX_NAME_ONLY_SOURCES,
) -> FindResult:
    """Every document of ``version`` (all versions when None) mentioning the person."""
    store = DatasetStore(workspace)
    versions = [version] if version is not None else [v.version for v in store.versions(dataset)]
    if not versions:
        msg = f"no dataset '{dataset}' in {workspace.root}"
        raise DatasetNotFoundError(msg)
    store.get(dataset, versions[0])  # raises for an unknown version
    free = [t for t in free_text if t]
    if not hashed and not free:
        unusable_note = (
            f" ({', '.join(sorted(set(unusable)))} could not be read)" if unusable else ""
        )
        return FindResult(
            dataset,
            "cannot_identify",
            [],
            [],
            f"No identifier that can be matched was supplied{unusable_note} (art. 11(2) GDPR).",
            list(_WOULD_HELP),
        )
    keys = {h.key_hash: h.label for h in hashed}
    hits: dict[tuple[int, str], DocumentHit] = {}
    methods = ["index"] if keys else []
    for number in versions:
        matches: list[IndexMatch] = (
            _index_for(workspace, dataset, number).lookup(keys) if keys else []
        )
        for m in matches:
            hit = hits.setdefault((number, m.doc_id), DocumentHit(m.doc_id, number, m.shard))
            hit.matches.append(MatchSpan(m.label, m.start, m.end, m.key_hash))
        if free:
            for doc_id, shard, start, end in scan_free_text(workspace, dataset, number, free):
                hit = hits.setdefault((number, doc_id), DocumentHit(doc_id, number, shard))
                hit.matches.append(MatchSpan("IDENTIFIER", start, end))
    if free:
        methods.append("scan")
    for hit in hits.values():
        hit.matches = sorted(set(hit.matches), key=lambda s: (s.start, s.end, s.type))
    fill_metadata(workspace, hits)
    documents = sorted(hits.values(), key=lambda h: (h.dataset_version, h.doc_id))
    strong = any(h.label in STRONG_LABELS for h in hashed) or bool(free)
    if not documents:
        return FindResult(
            dataset,
            "not_found",
            [],
            [],
            "No document of the searched versions mentions these identifiers.",
            [] if strong else list(_WOULD_HELP),
            methods,
        )
    sources = {h.domain or h.source_id or h.doc_id for h in documents}
    if not strong and len(sources) > max_name_only_sources:
        return FindResult(
            dataset,
            "cannot_identify",
            [],
            [],
            f"The name alone matches documents from {len(sources)} unrelated sources: they may be "
            "about other people with the same name, so the controller cannot tell which are the "
            "requester's (art. 11(2) GDPR). Nothing is disclosed.",
            list(_WOULD_HELP),
            methods,
        )
    models = models_for(workspace, dataset, {h.dataset_version for h in documents})
    note = "" if strong else " (matched on name only: check the excerpts before replying)"
    return FindResult(
        dataset,
        "found",
        documents,
        models,
        f"{len(documents)} document(s) mention the person{note}.",
        [] if strong else list(_WOULD_HELP),
        methods,
    )
