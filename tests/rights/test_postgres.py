"""The rights tables and workflow on PostgreSQL (portable types; RGT-03, RGT-07)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rights_corpus import ingest, make_corpus

from moisson.ledger import Ledger
from moisson.rights.identifiers import SuppliedIdentifiers
from moisson.rights.requests import RequestDesk
from moisson.rights.suppression import SuppressionList
from moisson.workspace import Workspace


@pytest.mark.postgres
def test_erasure_workflow_on_postgres(
    tmp_path: Path, postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MOISSON_DATABASE_URL", postgres_url)
    ws = Workspace.init(tmp_path / "ws")
    corpus = make_corpus(ws, people=5, docs=30)
    ingest(ws, corpus)
    person = corpus.people[2]
    desk = RequestDesk(ws)
    view = desk.new("erasure", SuppliedIdentifiers(emails=[person.email]), dataset="corpus")
    desk.verify(view.id, method="email reply")
    closed = desk.close(view.id)
    assert closed.status == "completed"
    assert closed.outcome["datasets"][0]["removed_documents"] == len(
        corpus.truth[person.pid]["EMAIL"]
    )
    assert len(SuppressionList(ws).hashes()) == 1
    with Ledger.open(ws) as ledger:
        assert ledger.verify() > 0
