"""The suppression list and the pipeline filter that honours it (SCR-08, RGT-05).

A person who objected or had their data erased is on the list as keyed hashes of their
normalised identifiers. Every later crawl, ingest and build drops documents that mention
them: :class:`SuppressionFilter` reads the hashes the PII step put in ``doc.meta["pii"]``, and
when no PII step ran it finds candidates itself (:mod:`moisson.rights.candidates`).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import select

from moisson.ledger import Ledger
from moisson.pipeline.step import Filter, TaskContext
from moisson.rights.candidates import iter_candidates
from moisson.rights.identifiers import HashedIdentifier
from moisson.rights.tables import SuppressionRow
from moisson.store.document import Document
from moisson.workspace import Workspace

__all__ = ("SuppressionFilter", "SuppressionList")


class SuppressionList:
    """Keyed hashes of suppressed people's identifiers, in the workspace ledger."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace

    def hashes(self) -> set[str]:
        with Ledger.open(self.workspace) as ledger, ledger.session() as s:
            return set(s.execute(select(SuppressionRow.key_hash)).scalars())

    def add(self, identifiers: Iterable[HashedIdentifier], *, request_id: int | None) -> int:
        """Add hashes (idempotent); return how many were new. Audited without the hashes' values."""
        items = list(identifiers)
        with Ledger.open(self.workspace) as ledger:
            with ledger.session() as s:
                present = set(s.execute(select(SuppressionRow.key_hash)).scalars())
                new = [i for i in items if i.key_hash not in present]
                for item in {i.key_hash: i for i in new}.values():
                    s.add(
                        SuppressionRow(
                            key_hash=item.key_hash, label=item.label, request_id=request_id
                        )
                    )
            ledger.append_audit(
                "rights.suppression.add",
                subject=f"rights-request:{request_id}" if request_id else "",
                details={"added": len(new), "labels": sorted({i.label for i in new})},
            )
        return len(new)


class SuppressionFilter(Filter):
    """Drop collected documents that mention a suppressed person (reason ``suppressed``).

    Picklable: holds the workspace root; the hashes are loaded in :meth:`setup`.
    """

    name = "suppression"

    def __init__(self, workspace: Workspace) -> None:
        self.root = Path(workspace.root)
        self._hashes: frozenset[str] | None = None

    def setup(self, ctx: TaskContext) -> None:
        self._hashes = frozenset(SuppressionList(Workspace.open(self.root)).hashes())

    def __getstate__(self) -> dict[str, object]:
        return {"root": self.root, "_hashes": None}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.root = Path(str(state["root"]))
        self._hashes = None

    def keep(self, doc: Document, ctx: TaskContext) -> tuple[bool, str | None]:
        if self._hashes is None:
            self.setup(ctx)
        hashes = self._hashes or frozenset()
        if not hashes:
            return True, None
        detections = doc.meta.get("pii")
        labels: set[str] = set()
        if detections is not None:
            if any(d.get("key_hash") in hashes for d in detections):
                return False, "suppressed"
            labels = {str(d.get("label")) for d in detections}
        # No PII step ran, or it labels no names (fast tier): look for candidates ourselves.
        for cand in iter_candidates(doc.text):
            if cand.label in labels:
                continue
            if ctx.keyed_hash(cand.canonical, purpose="person") in hashes:
                return False, "suppressed"
        return True, None
