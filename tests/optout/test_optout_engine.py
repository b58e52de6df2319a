"""Engine behaviour beyond the fixture catalogue: caching, IDNA, purposes, evidence."""

from __future__ import annotations

import threading

import idna
import pytest
from fixture_server import FixtureServer, Resp
from hypothesis import given, settings
from hypothesis import strategies as st

from moisson.errors import OptoutError
from moisson.optout import HttpxFetcher, LocalOptoutList, OptoutEngine, Verdict
from moisson.optout._urls import origin_of, path_of


def test_site_files_are_fetched_once_per_origin_under_concurrency() -> None:
    """§2.4 / issue: fetched once however many pages are checked (and threads ask)."""
    with FixtureServer() as server:
        server.add("a.test", "/robots.txt", Resp(200, body=b"User-agent: *\nDisallow: /private\n"))
        engine = OptoutEngine(
            ["moisson-bot"], HttpxFetcher(timeout=2, resolve={"a.test": "127.0.0.1"})
        )
        results: list[Verdict] = []

        def work(i: int) -> None:
            results.append(
                engine.evaluate_site(server.url("a.test", f"/private/{i}" if i % 2 else f"/p/{i}"))
            )

        threads = [threading.Thread(target=work, args=(i,)) for i in range(40)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        robots_hits = [p for h, p in server.hits if p == "/robots.txt"]
        assert len(robots_hits) == 1
        assert sum(v.decision == "disallow" for v in results) == 20
        assert engine.cache.fetches == 1


def test_cache_expires_and_records_the_new_version() -> None:
    """R-30: a file changed within the TTL is re-fetched after it; the hash says which copy."""
    with FixtureServer() as server:
        server.add("b.test", "/robots.txt", Resp(200, body=b"User-agent: *\nAllow: /\n"))
        engine = OptoutEngine(
            ["moisson-bot"],
            HttpxFetcher(timeout=2, resolve={"b.test": "127.0.0.1"}),
            cache_ttl_seconds=3600,
        )
        url = server.url("b.test", "/x")
        first = engine.evaluate_site(url)
        server.add("b.test", "/robots.txt", Resp(200, body=b"User-agent: *\nDisallow: /\n"))
        assert engine.evaluate_site(url).decision == "allow"  # cached copy, within TTL
        snap = engine.snapshot(url)
        assert snap is not None
        snap.fetched_at -= 3601  # the copy is now older than the TTL
        second = engine.evaluate_site(url)
        assert (first.decision, second.decision) == ("allow", "disallow")
        sha = [
            s.evidence["sha256"]
            for v in (first, second)
            for s in v.signals
            if s.family == "robots-txt"
        ]
        assert sha[0] != sha[1]


def test_ttl_over_24h_is_refused() -> None:
    with pytest.raises(OptoutError, match="24 h"):
        OptoutEngine(["x"], cache_ttl_seconds=90000)


def test_unknown_purpose_is_refused() -> None:
    with pytest.raises(OptoutError, match="purpose"):
        OptoutEngine(["x"]).evaluate("https://e.org/", purpose="marketing", site_files=False)


def test_idna_and_unicode_hosts_share_an_origin() -> None:
    """C-12."""
    assert origin_of("https://münchen.de/a") == origin_of("https://XN--MNCHEN-3YA.DE/b")
    assert origin_of("http://e.org/") != origin_of("https://e.org/")
    assert origin_of("http://e.org:8080/") != origin_of("http://e.org/")


def test_local_list_covers_subdomains_and_unicode() -> None:
    local = LocalOptoutList(["münchen.de", "Example.ORG"], ["AB" * 32])
    assert local.match_url("https://www.xn--mnchen-3ya.de/x") == "xn--mnchen-3ya.de"
    assert local.match_url("https://a.b.example.org/") == "example.org"
    assert local.match_url("https://notexample.org/") is None
    assert local.match_identifiers(["cd" * 32, "ab" * 32]) == "ab" * 32
    engine = OptoutEngine(["moisson-bot"], local_list=local)
    verdict = engine.evaluate(
        "https://shop.example.org/p", site_files=False, headers=[("content-usage", "train-ai=y")]
    )
    assert verdict.decision == "disallow"
    assert verdict.refusing_families == ["local-list"]
    by_hash = engine.evaluate("https://other.org/", site_files=False, identifier_hashes=["ab" * 32])
    assert by_hash.decision == "disallow"


def test_local_list_load_reads_policy_and_files(workspace) -> None:  # type: ignore[no-untyped-def]
    folder = workspace.root / "optout"
    folder.mkdir()
    (folder / "domains.txt").write_text("# objections\nblog.example\n", encoding="utf-8")
    (folder / "register-domains.txt").write_text("register.example\n", encoding="utf-8")
    local = LocalOptoutList.load(workspace)
    assert local.match_host("www.blog.example") == "blog.example"
    assert local.match_host("register.example") == "register.example"


def test_fail_open_mode_records_an_error() -> None:
    with FixtureServer() as server:
        server.add("c.test", "/robots.txt", Resp(503))
        engine = OptoutEngine(
            ["moisson-bot"],
            HttpxFetcher(timeout=2, resolve={"c.test": "127.0.0.1"}),
            fail_closed=False,
        )
        verdict = engine.evaluate_site(server.url("c.test", "/x"))
        robots = next(s for s in verdict.signals if s.family == "robots-txt")
        assert robots.decision == "error"
        assert verdict.decision == "unknown"


def test_purposes_stay_separate() -> None:
    engine = OptoutEngine(["moisson-bot"])
    headers = [("Content-Usage", "search=n, train-ai=y")]
    assert engine.evaluate("https://e.org/", headers=headers, site_files=False).decision == "allow"
    assert (
        engine.evaluate(
            "https://e.org/", headers=headers, site_files=False, purpose="search"
        ).decision
        == "disallow"
    )
    noai = [("X-Robots-Tag", "noai")]
    assert (
        engine.evaluate("https://e.org/", headers=noai, site_files=False, purpose="search").decision
        == "unknown"
    )


def test_no_fetcher_and_no_cache_is_reported_not_guessed() -> None:
    verdict = OptoutEngine(["moisson-bot"]).evaluate_site("https://e.org/")
    assert verdict.decision == "unknown"
    assert verdict.signals[0].family == "site-files"


def test_evidence_of_a_robots_refusal() -> None:
    """C-11: URL, family, raw rule, line, time and hash of the fetched file."""
    with FixtureServer() as server:
        server.add("d.test", "/robots.txt", Resp(200, body=b"User-agent: GPTBot\n\nDisallow: /\n"))
        engine = OptoutEngine(
            ["moisson-bot", "GPTBot"], HttpxFetcher(timeout=2, resolve={"d.test": "127.0.0.1"})
        )
        verdict = engine.evaluate_site(server.url("d.test", "/a"))
    signal = next(s for s in verdict.signals if s.family == "robots-txt")
    assert signal.decision == "disallow"
    ev = signal.evidence
    assert ev["token"] == "GPTBot" and ev["line"] == 3 and ev["rule"] == "Disallow: /"
    assert len(ev["sha256"]) == 64 and ev["fetched_at"].startswith("20")
    assert ev["url"].endswith("/robots.txt")
    first = verdict.to_json()["signals"][0]
    assert first["family"] == "robots-txt"
    assert first["evidence"]["spec"] == "RFC 9309"


def test_path_normal_form() -> None:
    assert path_of("https://e.org") == "/"
    assert path_of("https://e.org/%7ejoe?q=a b") == "/~joe?q=a%20b"
    assert path_of("https://e.org/a*b$") == "/a%2Ab%24"


def test_unreachable_robots_is_retried_before_the_ttl() -> None:
    """R-02: disallow while unreachable, but retry (after 5 minutes), never cache it for 24 h."""
    with FixtureServer() as server:
        server.add("e.test", "/robots.txt", Resp(503))
        engine = OptoutEngine(
            ["moisson-bot"], HttpxFetcher(timeout=2, resolve={"e.test": "127.0.0.1"})
        )
        url = server.url("e.test", "/x")
        assert engine.evaluate_site(url).decision == "disallow"
        server.add("e.test", "/robots.txt", Resp(200, body=b"User-agent: *\nAllow: /\n"))
        assert engine.evaluate_site(url).decision == "disallow"  # within the retry delay
        snap = engine.snapshot(url)
        assert snap is not None
        snap.fetched_at -= engine.cache.error_ttl_seconds + 1
        assert engine.evaluate_site(url).decision == "allow"
        assert engine.cache.fetches == 2


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="abcdeéüöçßツ-", min_size=1, max_size=12))
def test_unicode_and_punycode_hosts_decide_alike(label: str) -> None:
    """C-12 as a property: the Unicode and the xn-- spelling give one origin and one decision."""
    try:
        ascii_host = idna.encode(f"{label}.de", uts46=True).decode("ascii")
    except idna.IDNAError:
        return
    unicode_url, ascii_url = f"https://{label}.de/p", f"https://{ascii_host.upper()}/p"
    assert origin_of(unicode_url) == origin_of(ascii_url)
    engine = OptoutEngine(["moisson-bot"], local_list=LocalOptoutList([f"{label}.de"]))
    assert engine.evaluate(unicode_url, site_files=False).decision == "disallow"
    assert engine.evaluate(ascii_url, site_files=False).decision == "disallow"
