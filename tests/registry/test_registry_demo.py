"""The register's demo stage: publish, object, sync; the crawl's opt-out list covers the site."""

from __future__ import annotations

from pathlib import Path

from moisson.demo.stage import DemoContext
from moisson.optout import LocalOptoutList
from moisson.registry.demo import DEFAULT_OBJECTION_DOMAIN, demo_stage
from moisson.workspace import Workspace


def test_demo_stage(workspace: Workspace, tmp_path: Path) -> None:
    ctx = DemoContext(workspace=workspace, out_dir=tmp_path / "demo")
    ctx.out_dir.mkdir()
    report = demo_stage(ctx)
    assert report.ok, report.summary
    assert report.summary["listed_for_crawl"] is True
    assert ctx.state["objection_domain"] == DEFAULT_OBJECTION_DOMAIN
    assert LocalOptoutList.load(workspace).match_url(
        f"http://{DEFAULT_OBJECTION_DOMAIN}/trips/01.html"
    )
    assert DEFAULT_OBJECTION_DOMAIN in report.html
