"""``moisson crawl`` end to end, and the add-on inside a user's own Scrapy project.

Each crawl runs in a child process: Twisted's reactor starts once per process.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from moisson.demo.sites import DemoSiteServer, DemoWeb
from moisson.ledger import Ledger
from moisson.store import DatasetStore
from moisson.workspace import Workspace

pytestmark = pytest.mark.slow

_CLI = "from moisson.cli.app import main; main()"

PAST_WINDOW_POLICY = """\
name = "window-test"
[collection]
period_start = 2020-01-01
period_end = 2020-12-31
"""


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _CLI, *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
        check=False,
    )


def test_cli_crawl_stores_a_version_and_lists_refusals(
    tmp_path: Path, demo_server: DemoSiteServer, demo_web: DemoWeb
) -> None:
    ws = Workspace.init(tmp_path / "ws")
    seeds = tmp_path / "seeds.txt"
    hosts = ["tech-news.example", "jsmith-home.example"]
    seeds.write_text("\n".join(demo_server.url_for(h) for h in hosts) + "\n", encoding="utf-8")
    resolve = [arg for h in hosts for arg in ("--resolve", f"{h}=127.0.0.1")]
    proc = _cli(
        "crawl",
        "--seeds",
        str(seeds),
        "--dataset",
        "web",
        "-w",
        str(ws.root),
        *resolve,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Refused, by reason" in proc.stdout
    assert "x-robots-tag 5" in proc.stdout  # the five opinion pages (bot-scoped incl.)
    version = DatasetStore(ws).latest("web")
    expected = [t for t in demo_web.documents() if t.host in hosts and t.refusal is None]
    assert version.document_count == len(expected)
    with Ledger.open(ws) as ledger:
        (run,) = ledger.runs("crawl")
    assert run.stats["optout/refused/ai-txt"] == 4
    assert run.stats["optout/refused/robots-txt"] == 4  # Google-Extended on /archive/


def test_cli_bad_seed_file_is_a_clear_error(tmp_path: Path) -> None:
    ws = Workspace.init(tmp_path / "ws")
    bad = tmp_path / "seeds.txt"
    bad.write_text("not a url\n", encoding="utf-8")
    proc = _cli("crawl", "--seeds", str(bad), "--dataset", "web", "-w", str(ws.root), cwd=tmp_path)
    assert proc.returncode != 0
    message = " ".join(proc.stderr.split())  # rich wraps long lines
    assert "seeds.txt:1: 'not a url' is not an http(s) URL" in message.replace("/ ", "/")
    assert "Traceback" not in proc.stderr


USER_PROJECT = textwrap.dedent(
    """
    import json, sys
    import scrapy
    from scrapy.crawler import CrawlerProcess
    from moisson.crawl import page_item

    class ShopSpider(scrapy.Spider):
        name = "shop"
        start_urls = sys.argv[2].split(",")

        def parse(self, response):
            yield page_item(response)

    process = CrawlerProcess({
        "ADDONS": {"moisson.crawl.addon.MoissonAddon": 0},
        "TWISTED_DNS_RESOLVER": "moisson.crawl.resolver.MappedResolver",
        "MOISSON_RESOLVE": sys.argv[3].split(","),
        "MOISSON_WORKSPACE": sys.argv[1],
        "MOISSON_DATASET": "shop",
        "LOG_LEVEL": "ERROR",
    })
    crawler = process.create_crawler(ShopSpider)
    process.crawl(crawler)
    process.start()
    stats = {k: v for k, v in crawler.stats.get_stats().items() if isinstance(v, int)}
    print(json.dumps(stats))
    """
)


def _user_project(ws: Workspace, urls: list[str], hosts: list[str], tmp: Path) -> dict[str, Any]:
    script = tmp / "project.py"
    script.write_text(USER_PROJECT, encoding="utf-8")
    resolve = ",".join(f"{h}=127.0.0.1" for h in hosts)
    proc = subprocess.run(
        [sys.executable, str(script), str(ws.root), ",".join(urls), resolve],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    stats: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return stats


def test_addon_in_a_user_project_gates_and_stores(
    tmp_path: Path, demo_server: DemoSiteServer
) -> None:
    ws = Workspace.init(tmp_path / "ws")
    host = "boulangerie-martin.example"
    urls = [
        demo_server.url_for(host, "/produits/01.html"),
        demo_server.url_for(host, "/recettes/01.html"),  # GPTBot disallowed: AI token counts
        demo_server.url_for(host, "/espace-client/"),  # login wall (SCR-04)
    ]
    stats = _user_project(ws, urls, [host], tmp_path)
    assert stats["optout/refused/robots-txt"] == 1
    assert stats["crawl/refused/login"] == 1
    docs = list(DatasetStore(ws).iter_documents("shop"))
    assert [d.url for d in docs] == [urls[0]]


def test_collection_window_refuses_everything_outside_it(
    tmp_path: Path, demo_server: DemoSiteServer
) -> None:
    ws = Workspace.init(tmp_path / "ws", policy_text=PAST_WINDOW_POLICY)
    host = "carnet-voyage.example"
    urls = [demo_server.url_for(host, "/"), demo_server.url_for(host, "/trips/01.html")]
    stats = _user_project(ws, urls, [host], tmp_path)
    assert stats["crawl/refused/window"] == 2
    assert DatasetStore(ws).latest("shop").document_count == 0
