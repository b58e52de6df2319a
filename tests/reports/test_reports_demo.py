"""The demo hook builds every document and returns the AI Act excerpt for the README."""

from __future__ import annotations

from pathlib import Path

import pytest
from reports_workspace import build_workspace

from moisson.demo.stage import DemoContext
from moisson.reports.demo import demo_stage
from moisson.reports.documents import DOCUMENTS
from moisson.reports.questionnaire import load_questionnaire


@pytest.mark.slow
def test_demo_stage_builds_everything(tmp_path: Path) -> None:
    ws = build_workspace(tmp_path / "ws")
    (ws.root / "docs" / "questionnaire.toml").unlink()  # the demo answers it itself
    ctx = DemoContext(workspace=ws, out_dir=tmp_path / "out")
    report = demo_stage(ctx)
    assert report.ok
    out = tmp_path / "out" / "documents"
    for spec in DOCUMENTS:
        for lang in ("fr", "en"):
            for ext in ("md", "html", "pdf"):
                assert (out / lang / f"{spec.slug}.{ext}").exists()
    assert report.summary["files"] == len(DOCUMENTS) * 2 * 3
    excerpt = ctx.state["ai_act_excerpt"]
    assert excerpt.startswith("### 2.3 Data crawled and scraped from online sources")
    assert "| 1 | site-00.example | 20 MB | 100 |" in excerpt
    assert (out / "ai-act-summary-excerpt.en.md").read_text(encoding="utf-8").strip() == excerpt
    assert load_questionnaire(ws).get("model.name") is not None
    # Left unanswered on purpose: shown as missing, and listed in the report.
    assert "dpo_opinion" not in report.summary["missing_required"]
    assert "**MISSING: dpo_opinion**" in (out / "en" / "legitimate-interest.md").read_text(
        encoding="utf-8"
    )
