"""The audit stage of ``moisson demo`` on a small dataset version (MOD-01, MOD-03)."""

from __future__ import annotations

from pathlib import Path

import pytest

from moisson.audit.demo import demo_stage
from moisson.audit.synthetic import make_corpus
from moisson.demo.stage import DemoContext
from moisson.ledger import Ledger
from moisson.store import DatasetStore
from moisson.store.document import Document
from moisson.workspace import Workspace

pytestmark = pytest.mark.slow


def test_demo_stage_trains_registers_audits_and_reports(
    workspace: Workspace, tmp_path: Path
) -> None:
    corpus = make_corpus(240, held_out=0, seed=5, person_repetitions=())
    docs = [Document.new(r.text, source_id=r.id) for r in corpus.members]
    version = DatasetStore(workspace).create_version("demo", docs, reason="test corpus")
    ctx = DemoContext(
        workspace=workspace,
        out_dir=tmp_path,
        quick=True,
        state={"dataset": "demo", "dataset_version": version.version},
    )
    report = demo_stage(ctx)
    assert report.ok
    assert report.summary["status"] == "personal_data"
    assert report.html.count("<svg") == 2 and "Status: personal_data" in report.html
    assert (tmp_path / "audit" / "report.html").is_file()
    with Ledger.open(workspace) as ledger:
        model = ledger.get_model(ctx.state["model_id"])
        assert model.trained_on == [("demo", version.version)]
        assert model.audit_status == "personal_data"
        actions = [e.action for e in ledger.audit_entries()]
    assert "audit.run" in actions and "audit.possible_breach" in actions
