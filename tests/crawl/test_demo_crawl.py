"""Crawl the demo sites on loopback and check every refusal against the ground truth.

SCR-04 (login, CAPTCHA), SCR-05/06/13 (every opt-out family, redirect hops, 5xx robots.txt),
SCR-07 (categories), SCR-11 (user agent), SCR-12 (per-domain counters), content-type limits.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

from moisson.demo.sites import REFUSAL_FAMILIES, PageTruth
from moisson.ledger import Ledger
from moisson.store import DatasetStore

pytestmark = pytest.mark.slow
DemoCrawl = Any  # tests/crawl/conftest.py::DemoCrawl


def _expected(truth_reason: str) -> tuple[str, frozenset[str]]:
    """Crawler reason and opt-out families expected for a ground-truth refusal."""
    families = REFUSAL_FAMILIES[truth_reason]
    return ("optout" if families else truth_reason), families


def _plain(url: str) -> str:
    parts = urlsplit(url)
    return f"http://{parts.hostname}{parts.path}"


def test_kept_documents_are_exactly_the_allowed_pages(demo_crawl: Any) -> None:
    store = DatasetStore(demo_crawl.workspace)
    docs = list(store.iter_documents("demo-crawl"))
    kept = {_plain(d.url or "") for d in docs}
    allowed = {t.url for t in demo_crawl.web.documents() if t.refusal is None}
    assert kept == allowed
    assert demo_crawl.result.documents == len(allowed)


def test_every_refusal_has_the_reason_of_the_ground_truth(demo_crawl: Any) -> None:
    web = demo_crawl.web
    assert demo_crawl.result.refusals
    for refusal in demo_crawl.result.refusals:
        truth: PageTruth = web.truth_for(refusal.url)
        if truth.redirect_to is not None:  # refused on the redirect hop
            assert refusal.redirect_to is not None
            truth = web.truth_for(truth.redirect_to)
        assert truth.refusal is not None, refusal
        reason, families = _expected(truth.refusal)
        assert refusal.reason == reason, refusal
        assert set(refusal.families) & families if families else not refusal.families, refusal


def test_every_page_to_refuse_was_refused_or_never_reachable(demo_crawl: Any) -> None:
    refused = {_plain(r.url) for r in demo_crawl.result.refusals}
    hops = {
        demo_crawl.web.truth_for(r.redirect_to).url
        for r in demo_crawl.result.refusals
        if r.redirect_to
    }
    for truth in demo_crawl.web.documents():
        if truth.refusal is None:
            continue
        home = f"http://{truth.host}/"
        # Site-wide refusals stop at the home page: the other pages are never discovered.
        assert truth.url in refused or truth.url in hops or home in refused, truth.url


def test_site_files_fetched_once_per_origin_and_never_for_excluded_sites(
    demo_crawl: Any,
) -> None:
    hits = demo_crawl.server.hits
    for host, site in demo_crawl.web.sites.items():
        robots = hits[(host, "/robots.txt")]
        if site.category is not None:
            assert robots == 0, host  # SCR-07: nothing at all is requested
        elif site.pages.get("/robots.txt") and site.pages["/robots.txt"].status >= 500:
            assert robots == 3, host  # 1 try + 2 retries with backoff, then fail closed
            # backoff 0.05 s then 0.1 s (MOISSON_RETRY_BACKOFF_BASE = 0.05, doubling)
            assert demo_crawl.result.stats["moisson/retry/backoff_ms"] == 150
        else:
            assert robots == 1, host
            assert hits[(host, "/.well-known/tdmrep.json")] == 1
            assert hits[(host, "/ai.txt")] == 1


def test_refused_sites_are_not_crawled_beyond_their_home(demo_crawl: Any) -> None:
    hits = demo_crawl.server.hits
    for host in ("london-bookshop.example", "atelier-poterie.example"):
        pages = [p for (h, p), n in hits.items() if h == host and n and not _site_file(p)]
        assert pages == [], host


def _site_file(path: str) -> bool:
    return path in ("/robots.txt", "/.well-known/tdmrep.json", "/ai.txt", "/.well-known/ai.txt")


def test_header_refusals_stop_before_the_body(demo_crawl: Any) -> None:
    stats = demo_crawl.result.stats
    header_refusals = [r for r in demo_crawl.result.refusals if r.stage == "headers"]
    assert header_refusals
    assert stats["moisson/headers/stopped_before_body"] >= len(
        [r for r in header_refusals if r.reason == "optout"]
    )


def test_documents_carry_headers_meta_and_signal_snapshot(demo_crawl: Any) -> None:
    store = DatasetStore(demo_crawl.workspace)
    by_url = {_plain(d.url or ""): d for d in store.iter_documents("demo-crawl")}
    moved = by_url["http://daily-chronicle.example/moved/clean-target.html"]
    hops = moved.signals["optout"]["redirect_hops"]
    assert [h["status"] for h in hops] == [301]
    assert moved.signals["optout"]["final"]["decision"] in ("allow", "unknown")
    lifted = by_url["http://mairie-villeneuve.example/deliberations/ouverte.html"]
    assert ("tdm-reservation", "0") in lifted.html_meta  # TDMRep T-09: meta 0 lifts the file's 1
    assert lifted.signals["optout"]["site"]["decision"] == "disallow"
    other = by_url["http://tech-news.example/opinion/other-bot.html"]
    assert ("X-Robots-Tag", "otherbot: noai, noimageai") in other.http_headers


def test_ledger_run_has_domain_counters_and_refusals(demo_crawl: Any) -> None:
    with Ledger.open(demo_crawl.workspace) as ledger:
        runs = ledger.runs("crawl")
    assert len(runs) == 1
    run = runs[0]
    assert run.status == "completed"
    assert run.policy_hash == demo_crawl.workspace.policy.policy_hash()
    stats = run.stats
    allowed = [t for t in demo_crawl.web.documents() if t.refusal is None]
    for host in {t.host for t in allowed}:
        assert stats[f"domain_docs/{host}"] == sum(t.host == host for t in allowed)
        assert stats[f"domain_bytes/{host}"] > 0
    assert stats["crawl/refused/category"] == 2
    assert stats["crawl/refused/login"] == 1
    assert stats["crawl/refused/captcha"] == 1
    assert stats["optout/refused/x-robots-tag"] == 6
    assert stats["optout/refused/meta-robots"] == 4
    assert stats["optout/refused/ai-txt"] == 4


def test_user_agent_links_to_the_public_notice(demo_crawl: Any) -> None:
    assert demo_crawl.workspace.policy.crawler.notice_url in (
        demo_crawl.workspace.policy.crawler.user_agent
    )
