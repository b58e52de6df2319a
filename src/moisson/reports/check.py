"""``moisson docs check``: are the built documents still true to the workspace? (DOC-02)

A document is stale when the ledger head it was stamped with is no longer the ledger's head,
or when the facts it used have changed (for instance a questionnaire answer). A document
whose required facts are missing is not fit to publish. Both make the check fail.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from moisson.reports.build import default_out_dir, load_manifest
from moisson.reports.collect import collect_facts
from moisson.reports.documents import get_spec
from moisson.reports.i18n import Lang
from moisson.reports.render import render_document
from moisson.workspace import Workspace

__all__ = ("Problem", "check_documents")


@dataclass(frozen=True)
class Problem:
    document: str  # "<lang>/<slug>"
    kind: Literal["not_built", "file_missing", "stale", "missing_fact"]
    detail: str

    def __str__(self) -> str:
        return f"{self.document}: {self.kind.replace('_', ' ')}: {self.detail}"


def check_documents(workspace: Workspace, out_dir: Path | None = None) -> list[Problem]:
    """Every problem found; an empty list means the documents are current and complete."""
    out = out_dir or default_out_dir(workspace)
    entries = load_manifest(out)["documents"]
    if not entries:
        return [Problem("*", "not_built", f"no documents in {out}: run 'moisson docs build'")]
    facts = collect_facts(workspace)
    problems: list[Problem] = []
    for key, entry in sorted(entries.items()):
        for rel in entry["files"]:
            if not (out / rel).exists():
                problems.append(Problem(key, "file_missing", f"{rel} was built but is gone"))
        lang: Lang = entry["lang"]
        doc = render_document(get_spec(entry["slug"]), facts, lang)
        if entry["ledger_head"] != facts.ledger_head:
            problems.append(
                Problem(
                    key,
                    "stale",
                    f"built at ledger head {entry['ledger_head'][:12]}, ledger is now at {facts.ledger_head[:12]}",
                )
            )
        elif entry["facts_digest"] != doc.digest:
            problems.append(Problem(key, "stale", "facts it used have changed since it was built"))
        for gap in doc.missing_required:
            problems.append(Problem(key, "missing_fact", f"{gap.name} (run: {gap.command})"))
    return problems
