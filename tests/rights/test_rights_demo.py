"""The demo hook runs one access and one erasure end to end on the embedded corpus."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console

from moisson.demo.runner import DEMO_POLICY, ingest_stage
from moisson.demo.stage import DemoContext
from moisson.rights.demo import demo_stage
from moisson.workspace import Workspace


@pytest.mark.slow
def test_demo_stage_shows_access_and_erasure(tmp_path: Path) -> None:
    ws = Workspace.init(tmp_path / "ws", policy_text=DEMO_POLICY)
    ctx = DemoContext(workspace=ws, out_dir=tmp_path, console=Console(stderr=True, quiet=True))
    ingest_stage(ctx)
    report = demo_stage(ctx)
    assert report.ok, report.summary
    assert report.summary["access_documents"] > 0
    assert report.summary["after_erasure"] == "not_found"
    assert ctx.state["dataset_version"] == report.summary["new_version"]
    assert "Access (request" in report.html and "Erasure (request" in report.html
    assert "@" not in report.html.replace("&#x27;", "")  # people appear as hash prefixes only
