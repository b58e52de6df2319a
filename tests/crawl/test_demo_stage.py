"""The crawler's demo stage: serves the demo sites, crawls them, reports refusals by reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from moisson.crawl.demo import demo_stage
from moisson.demo.stage import DemoContext
from moisson.store import DatasetStore
from moisson.workspace import Workspace

pytestmark = pytest.mark.slow


def test_demo_stage_crawls_and_reports(tmp_path: Path) -> None:
    ws = Workspace.init(tmp_path / "ws")
    ctx = DemoContext(workspace=ws, out_dir=tmp_path / "out")
    report = demo_stage(ctx)
    assert report.ok
    assert ctx.state["crawl_dataset"] == "demo-crawl"
    version = DatasetStore(ws).latest("demo-crawl")
    assert report.summary["documents kept"] == version.document_count > 0
    for reason in ("login", "captcha", "category", "optout", "type"):
        assert report.summary[f"refused: {reason}"] >= 1
    assert "<caption>Pages refused by the crawler, and why</caption>" in report.html
    assert "http://forum-jardinage.example/membres/" in report.html  # port stripped
