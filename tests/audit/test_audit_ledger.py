"""The audit result on the model version, and the possible-breach entry (MOD-01, RGT-01, RGT-07)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from moisson.audit.ledger_link import record_audit
from moisson.ledger import Ledger
from moisson.workspace import Workspace

pytestmark = pytest.mark.slow


def test_status_recorded_on_model_and_breach_flagged(trained: Any, workspace: Workspace) -> None:
    outcome = trained.canary_audit
    with Ledger.open(workspace) as ledger:
        model = ledger.register_model(
            "tiny", path=str(trained.canary_model), base_model=None, trained_on=[("demo", 1)]
        )
        assert model.audit_status == "undetermined"  # the default before any audit (MOD-01)
    now = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
    record = record_audit(
        workspace,
        model.id,
        outcome.report,
        outcome.out_dir / "report.json",
        people=trained.corpus.people,
        now=now,
    )
    assert record.audit_status == "personal_data"
    with Ledger.open(workspace) as ledger:
        stored = next(m for m in ledger.models_trained_on("demo") if m.id == model.id)
        assert stored.audit_status == "personal_data"
        assert stored.audit_report == str(outcome.out_dir / "report.json")
        entries = ledger.audit_entries()
        ledger.verify()
    actions = [e.action for e in entries]
    assert "audit.run" in actions
    breach = next(e for e in entries if e.action == "audit.possible_breach")
    assert breach.subject == f"model:{model.id}"
    assert breach.details["assess_by"] == (now + timedelta(hours=72)).isoformat()
    assert breach.details["people"] == len(outcome.report["extraction"]["confirmed"])
    dumped = json.dumps([e.details for e in entries])
    for person in trained.corpus.people:  # keyed hashes only, never identifiers in clear
        assert person.email not in dumped and person.phone not in dumped
        assert person.name not in dumped
    extracted = next(
        p for p in trained.corpus.people if p.id in outcome.report["extraction"]["confirmed"]
    )
    expected = workspace.keyed_hash(extracted.email.lower(), purpose="person")
    assert expected in breach.details["person_key_hashes"]


def test_clean_model_has_no_breach_entry(trained: Any, workspace: Workspace) -> None:
    outcome = trained.clean_audit
    with Ledger.open(workspace) as ledger:
        model = ledger.register_model(
            "clean", path=str(trained.clean_model), base_model=None, trained_on=[("demo", 2)]
        )
    record_audit(
        workspace,
        model.id,
        outcome.report,
        outcome.out_dir / "report.json",
        people=trained.corpus.people,
    )
    with Ledger.open(workspace) as ledger:
        assert ledger.get_model(model.id).audit_status == outcome.report["status"]
        assert not [e for e in ledger.audit_entries() if e.action == "audit.possible_breach"]
