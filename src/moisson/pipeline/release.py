"""Release of a dataset version for training after its objection window (SCR-08b).

The EDPB expects a reasonable period between collection and training during which people can
object unconditionally. A version is released only once ``collection.objection_window_days``
have passed since it was created; objections received meanwhile (register and local domain
objections, people on the suppression list) are applied first, in a new version if they remove
anything, and the release is recorded in the ledger.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from moisson.errors import ObjectionWindowError
from moisson.store import DatasetStore, DatasetVersion
from moisson.workspace import Workspace

if TYPE_CHECKING:
    from moisson.optout import LocalOptoutList

__all__ = ("ReleaseResult", "release_version")


@dataclass(frozen=True)
class ReleaseResult:
    released: DatasetVersion
    removed_by_domain: int
    removed_by_person: int


def _objections(workspace: Workspace) -> tuple[LocalOptoutList | None, frozenset[str]]:
    domains: LocalOptoutList | None = None
    people: frozenset[str] = frozenset()
    try:
        from moisson.optout import LocalOptoutList

        domains = LocalOptoutList.load(workspace)
    except ImportError:  # opt-out pillar not installed
        pass
    try:
        from moisson.rights.suppression import SuppressionList

        people = frozenset(SuppressionList(workspace).hashes())
    except ImportError:
        pass
    return domains, people


def release_version(
    workspace: Workspace, dataset: str, *, version: int | None = None, now: datetime | None = None
) -> ReleaseResult:
    store = DatasetStore(workspace)
    base = store.get(dataset, version)
    now = now or datetime.now(UTC)
    window = timedelta(days=workspace.policy.collection.objection_window_days)
    until = base.created_at + window
    if now < until:
        msg = (
            f"dataset '{dataset}' v{base.version} is in its objection window until "
            f"{until.isoformat(timespec='minutes')} (collection.objection_window_days = {window.days})"
        )
        raise ObjectionWindowError(msg, until=until.isoformat())
    domains, people = _objections(workspace)
    by_person: set[str] = set()
    if people:
        for row in store.iter_attributes(dataset, "pii", base.version):
            if row.get("key_hash") in people:
                by_person.add(str(row["doc_id"]))
    by_domain: set[str] = set()
    if domains is not None and len(domains):
        for doc in store.iter_documents(dataset, base.version):
            if doc.url and domains.match_url(doc.url):
                by_domain.add(doc.doc_id)
    removed = by_domain | by_person
    released = base
    if removed:
        released = store.derive_version(
            dataset,
            lambda doc: None if doc.doc_id in removed else doc,
            reason="objections received during the objection window (SCR-08b)",
            version=base.version,
        )
    store.mark_released(dataset, released.version, now)
    return ReleaseResult(
        store.get(dataset, released.version), len(by_domain), len(by_person - by_domain)
    )
