"""Recording an audit on the model version in the ledger (MOD-01, RGT-01, RGT-07).

The status goes on the model version (``audit_status``, ``audit_report``), where the rights
pillar reads it (RGT-01: rights apply to a model unless it is audited anonymous) and the
documents pillar cites it. A *confirmed extraction* (a person's identifier emitted exactly) is
also logged as ``audit.possible_breach``: under GDPR Art. 33 a personal-data breach must be
notified to the supervisory authority within 72 hours of becoming aware of it, so the entry
carries the deadline by which the controller must have assessed it. People appear only as
keyed hashes of their normalised identifiers (``purpose="person"``, as in the person index).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from moisson.audit.records import Person
from moisson.ledger import Ledger, ModelVersionRecord
from moisson.persons.normalise import normalise_identifier
from moisson.workspace import Workspace

__all__ = ("BREACH_ASSESSMENT_HOURS", "person_key_hashes", "record_audit")

BREACH_ASSESSMENT_HOURS = 72  # GDPR Art. 33(1)

_LABELS = {"email": "EMAIL", "phone": "PHONE", "name": "PERSON"}


def person_key_hashes(workspace: Workspace, person: Person) -> list[str]:
    """Keyed hashes of a person's normalised identifiers (never the identifiers themselves)."""
    out = []
    for kind, value in person.identifiers().items():
        canonical = normalise_identifier(_LABELS[kind], value) or value.strip().casefold()
        out.append(workspace.keyed_hash(canonical, purpose="person"))
    return out


def _file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def record_audit(
    workspace: Workspace,
    model_id: int,
    report: dict[str, Any],
    report_path: Path,
    *,
    people: Sequence[Person] = (),
    now: datetime | None = None,
) -> ModelVersionRecord:
    """Set the model's audit status, log the audit, and flag a confirmed extraction."""
    at = now or datetime.now(UTC)
    summary: dict[str, Any] = {
        "status": report["status"],
        "valid": report["valid"],
        "report_sha256": _file_sha256(report_path),
        "model_sha256": report["config"]["model_sha256"],
        "queries_used": report["config"]["queries_used"],
        "tests_run": report["config"]["tests_run"],
        "canaries_flagged": sum(
            1
            for f in report["reasoning"]
            if f["rule"].startswith("canary ") and f["outcome"] == "fail"
        ),
        "max_membership_auc": max((m["auc"] for m in report["membership"]), default=None),
    }
    with Ledger.open(workspace) as ledger:
        record = ledger.set_model_status(
            model_id, audit_status=report["status"], audit_report=str(report_path)
        )
        ledger.append_audit("audit.run", subject=f"model:{model_id}", details=summary)
        confirmed = set(report["extraction"]["confirmed"])
        if confirmed:
            by_id = {p.id: p for p in people}
            hashes = sorted(
                h
                for pid in confirmed
                if pid in by_id
                for h in person_key_hashes(workspace, by_id[pid])
            )
            ledger.append_audit(
                "audit.possible_breach",
                subject=f"model:{model_id}",
                details={
                    "reason": "the model emitted identifiers of people from its training data",
                    "people": len(confirmed),
                    "person_key_hashes": hashes,
                    "identifier_types": sorted(
                        {
                            t
                            for p in report["extraction"]["people"]
                            if p["extracted"]
                            for t in p["exact"]
                        }
                    ),
                    "detected_at": at.isoformat(),
                    "assess_by": (at + timedelta(hours=BREACH_ASSESSMENT_HOURS)).isoformat(),
                    "rule": "GDPR Art. 33: assess and, if required, notify within 72 hours",
                    "report_sha256": summary["report_sha256"],
                },
            )
    return record
