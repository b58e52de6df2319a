"""Shared fixtures: the demo web served on loopback and one full crawl of it (in a subprocess)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from moisson.crawl.runner import CrawlResult, run_crawl_subprocess
from moisson.demo.sites import DemoSiteServer, DemoWeb
from moisson.workspace import Workspace

# Small backoff so the 503 robots.txt retries do not slow the tests down.
FAST_RETRY = {"MOISSON_RETRY_BACKOFF_BASE": 0.05}


@dataclass
class DemoCrawl:
    web: DemoWeb
    server: DemoSiteServer
    workspace: Workspace
    result: CrawlResult


@pytest.fixture(scope="session")
def demo_web() -> DemoWeb:
    return DemoWeb.generate()


@pytest.fixture(scope="session")
def demo_server(demo_web: DemoWeb) -> Iterator[DemoSiteServer]:
    with DemoSiteServer(demo_web) as server:
        yield server


@pytest.fixture(scope="session")
def demo_crawl(demo_web: DemoWeb, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoCrawl]:
    """One crawl of every demo site with the full gate and the store (a fresh server, so its
    request counters belong to this crawl only)."""
    root: Path = tmp_path_factory.mktemp("crawl-ws") / "ws"
    workspace = Workspace.init(root)
    with DemoSiteServer(demo_web) as server:
        result = run_crawl_subprocess(
            server.seeds(),
            workspace=root,
            dataset="demo-crawl",
            resolve=server.resolve_map(),
            extra_settings=FAST_RETRY,
            timeout=300,
        )
        yield DemoCrawl(demo_web, server, workspace, result)
