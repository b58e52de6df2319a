"""The demo hook reports counts per label and never a clear value (issue 4 acceptance)."""

from __future__ import annotations

from pathlib import Path

from moisson.demo.stage import DemoContext
from moisson.pii.demo import demo_stage, sample_documents
from moisson.workspace import Workspace


def test_demo_stage_reports_found_and_actions(tmp_path: Path) -> None:
    policy = '[pii]\ndefault_action = "pseudonymise"\nactions = { CREDIT_CARD = "drop" }\n'
    ws = Workspace.init(tmp_path / "ws", policy_text=policy)
    ctx = DemoContext(workspace=ws, out_dir=tmp_path)
    report = demo_stage(ctx)
    summary = report.summary
    assert summary["documents"] == len(sample_documents())
    assert summary["dropped"] == 1  # the card document
    assert summary["pii/EMAIL"] >= 1 and summary["pii/action/pseudonymise"] >= 1
    assert "EMAIL" in report.html and "Documents dropped: label/CREDIT_CARD: 1" in report.html
    for clear in ("camille.lefebvre@exemple.fr", "Camille Lefebvre", "4012 8888 8888 1881"):
        assert clear not in report.html
    assert len(ctx.state["pii_documents"]) == summary["kept"]
