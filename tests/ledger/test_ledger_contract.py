"""One contract suite for the ledger, run against SQLite and a real PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from moisson.errors import TamperedLedgerError
from moisson.ledger import Ledger


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def ledger(request: pytest.FixtureRequest, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'ledger.sqlite'}"
    else:
        url = request.getfixturevalue("postgres_url")
    led = Ledger.open_url(url, lock_path=tmp_path / ".lock")
    yield led
    led.close()


def test_runs_record_policy_hash_and_stats(ledger: Ledger) -> None:
    run_id = ledger.start_run("ingest", policy_hash="a" * 64, params={"dataset": "d"})
    ledger.finish_run(run_id, status="completed", stats={"docs/out": 3})
    (run,) = ledger.runs("ingest")
    assert run.policy_hash == "a" * 64
    assert run.stats == {"docs/out": 3}
    assert run.status == "completed"
    assert run.finished_at is not None and run.finished_at.tzinfo is not None


def test_models_link_to_dataset_versions(ledger: Ledger) -> None:
    m1 = ledger.register_model(
        "tiny", path="/m1", base_model=None, trained_on=[("web", 1), ("web", 2)]
    )
    ledger.register_model("other", path="/m2", base_model="gpt2", trained_on=[("books", 1)])
    assert [m.id for m in ledger.models_trained_on("web", [2])] == [m1.id]
    assert ledger.models_trained_on("web", [3]) == []
    updated = ledger.set_model_status(
        m1.id, audit_status="personal_data", rights_status="retraining_due"
    )
    assert (updated.audit_status, updated.rights_status) == ("personal_data", "retraining_due")
    assert ledger.get_model(m1.id).trained_on == [("web", 1), ("web", 2)]


def test_audit_chain_verifies_and_detects_modification(ledger: Ledger) -> None:
    for i in range(5):
        ledger.append_audit("test.event", subject=f"s{i}", details={"i": i})
    assert ledger.verify() == 5
    with ledger.engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET subject = 'forged' WHERE id = 3"))
    with pytest.raises(TamperedLedgerError) as info:
        ledger.verify()
    assert info.value.entry_id == 3


def test_audit_chain_detects_deletion(ledger: Ledger) -> None:
    for i in range(4):
        ledger.append_audit("test.event", details={"i": i})
    with ledger.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE id = 2"))
    with pytest.raises(TamperedLedgerError) as info:
        ledger.verify()
    assert info.value.entry_id == 3


def test_head_hash_changes_with_each_entry(ledger: Ledger) -> None:
    first = ledger.head_hash()
    ledger.append_audit("x")
    assert ledger.head_hash() != first
