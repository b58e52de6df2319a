"""Retroactive re-check of a stored corpus (SCR-05/06/13; optout-signals.md §2.5, §11.6).

Apertus re-filtered FineWeb with a later robots.txt; here every family that a stored document
kept is re-evaluated: the recorded response headers and page meta, and with ``live`` today's
site files. Refused documents are removed from a new dataset version, and the report says
which family removed which document.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from moisson.optout._engine import OptoutEngine
from moisson.optout.gate import pii_hashes
from moisson.store.document import Document

if TYPE_CHECKING:
    from moisson.workspace import Workspace

__all__ = ("RecheckReport", "Removal", "recheck_document", "recheck_documents")


@dataclass(frozen=True, slots=True)
class Removal:
    """One removed document: its id, URL, the refusing families and their evidence."""

    doc_id: str
    url: str | None
    families: tuple[str, ...]
    evidence: list[dict[str, Any]]

    @property
    def reason(self) -> str:
        return "optout:" + ",".join(self.families)

    def to_json(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "url": self.url,
            "families": list(self.families),
            "evidence": self.evidence,
        }


@dataclass
class RecheckReport:
    """Counts of a re-check run, by family (a document refused by two families counts twice)."""

    checked: int = 0
    kept: int = 0
    removed: list[Removal] = field(default_factory=list)
    by_family: Counter[str] = field(default_factory=Counter)

    def to_json(self) -> dict[str, Any]:
        return {
            "checked": self.checked,
            "kept": self.kept,
            "removed": len(self.removed),
            "by_family": dict(sorted(self.by_family.items())),
            "removals": [r.to_json() for r in self.removed],
        }


def recheck_document(
    doc: Document, engine: OptoutEngine, *, live: bool, purpose: str = "train-ai"
) -> Removal | None:
    """None when the document stays; else the removal with the refusing evidence."""
    verdict = engine.evaluate(
        doc.url or "",
        headers=doc.http_headers,
        html_meta=doc.html_meta,
        purpose=purpose,
        site_files=live and bool(doc.url),
        identifier_hashes=pii_hashes(doc),
    )
    if verdict.decision != "disallow":
        return None
    refusing = [s for s in verdict.signals if s.decision == "disallow"]
    return Removal(
        doc.doc_id, doc.url, tuple(verdict.refusing_families), [s.to_json() for s in refusing]
    )


def recheck_documents(
    docs: Iterable[Document], engine: OptoutEngine, live: bool, *, purpose: str = "train-ai"
) -> tuple[list[Document], RecheckReport]:
    """Pure re-check over documents: the kept ones and the report of removals."""
    kept: list[Document] = []
    report = RecheckReport()
    for doc in docs:
        report.checked += 1
        removal = recheck_document(doc, engine, live=live, purpose=purpose)
        if removal is None:
            kept.append(doc)
            report.kept += 1
        else:
            report.removed.append(removal)
            report.by_family.update(removal.families)
    return kept, report


@dataclass(frozen=True, slots=True)
class RecheckResult:
    """A re-check of a stored dataset: the new version, the report and where it was written."""

    dataset: str
    base_version: int
    new_version: int
    report: RecheckReport
    report_path: str


def recheck_dataset(
    workspace: Workspace,
    name: str,
    *,
    live: bool = False,
    version: int | None = None,
    purpose: str = "train-ai",
    engine: OptoutEngine | None = None,
) -> RecheckResult:
    """Re-evaluate a stored dataset and write a version without the refused documents.

    The report (JSON, under ``reports/``) lists each removed document id, URL and the refusing
    families with their evidence; the run and its counts go to the ledger (SCR-03, RGT-07).
    """
    import json

    from moisson.ledger import Ledger
    from moisson.optout.gate import engine_for_workspace
    from moisson.store import DatasetStore

    if engine is None:
        engine = engine_for_workspace(workspace.root, live=live)
    report = RecheckReport()
    with Ledger.open(workspace) as ledger:
        store = DatasetStore(workspace, ledger)
        base = store.get(name, version)
        params = {"dataset": name, "version": base.version, "live": live, "purpose": purpose}
        run_id = ledger.start_run(
            "optout-recheck", policy_hash=workspace.policy.policy_hash(), params=params
        )

        def transform(doc: Document) -> Document | None:
            report.checked += 1
            removal = recheck_document(doc, engine, live=live, purpose=purpose)
            if removal is None:
                report.kept += 1
                return doc
            report.removed.append(removal)
            report.by_family.update(removal.families)
            return None

        try:
            new = store.derive_version(
                name,
                transform,
                reason=f"optout recheck ({'live' if live else 'recorded'} signals)",
                version=base.version,
            )
        except BaseException:
            ledger.finish_run(run_id, status="failed", stats={"docs/in": report.checked})
            raise
        stats = {"docs/in": report.checked, "docs/out": report.kept, "dropped": len(report.removed)}
        stats.update({f"optout/refused/{f}": n for f, n in report.by_family.items()})
        ledger.finish_run(run_id, status="succeeded", stats=stats)
        path = workspace.root / "reports" / f"optout-recheck-{name}-v{new.version}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "dataset": name,
            "base_version": base.version,
            "new_version": new.version,
            "live": live,
            "purpose": purpose,
            **report.to_json(),
        }
        path.write_text(json.dumps(payload, indent=2, sort_keys=True), encoding="utf-8")
        ledger.append_audit(
            "optout.recheck",
            subject=f"dataset:{name}@{new.version}",
            details={
                "base_version": base.version,
                "removed": len(report.removed),
                "by_family": dict(report.by_family),
            },
        )
    return RecheckResult(name, base.version, new.version, report, str(path))
