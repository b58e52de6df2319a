"""The demo web: deterministic, checksums valid, served by Host header, packaged WARC fresh."""

from __future__ import annotations

import http.client
import json
from pathlib import Path

import pytest
from fastwarc.warc import ArchiveIterator, WarcRecordType

from moisson.demo.sites import (
    DemoSiteServer,
    DemoWeb,
    packaged_seeds_path,
    packaged_warc_path,
    synthetic_site,
    write_demo_warc,
)


@pytest.fixture(scope="module")
def web() -> DemoWeb:
    return DemoWeb.generate()


def _luhn_ok(number: str) -> bool:
    digits = [int(c) for c in number if c.isdigit()]
    checksum = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2:
            d *= 2
            d = d - 9 if d > 9 else d
        checksum += d
    return checksum % 10 == 0


def _iban_ok(iban: str) -> bool:
    compact = iban.replace(" ", "")
    moved = compact[4:] + compact[:4]
    numeric = "".join(str(int(c, 36)) for c in moved)
    return int(numeric) % 97 == 1


def _nir_ok(nir: str) -> bool:
    compact = nir.replace(" ", "")
    return 97 - int(compact[:13]) % 97 == int(compact[13:])


def test_generation_is_deterministic(web: DemoWeb) -> None:
    again = DemoWeb.generate()
    assert again.truth == web.truth
    assert [p.body for _, p in again.iter_resources()] == [p.body for _, p in web.iter_resources()]
    assert DemoWeb.generate(seed=1).truth != web.truth


def test_a_dozen_sites_and_a_few_hundred_pages(web: DemoWeb) -> None:
    assert len(web.sites) == 12
    assert all(host.endswith(".example") for host in web.hosts)
    assert 200 <= len(web.documents()) <= 400
    assert {t.lang for t in web.documents()} == {"fr", "en"}


def test_identifiers_have_valid_checksums(web: DemoWeb) -> None:
    mentions = [m for t in web.documents() for m in t.pii]
    by_label = {m.label for m in mentions}
    assert {"EMAIL", "PHONE", "IBAN", "CREDIT_CARD", "FR_NIR", "ADDRESS", "IP_ADDRESS"} <= by_label
    for m in mentions:
        if m.label == "IBAN":
            assert _iban_ok(m.value), m.value
        elif m.label == "CREDIT_CARD":
            assert _luhn_ok(m.value), m.value
        elif m.label == "FR_NIR":
            assert _nir_ok(m.value), m.value
    assert any("[at]" in m.value for m in mentions if m.label == "EMAIL")


def test_every_mention_is_in_its_page(web: DemoWeb) -> None:
    for truth in web.documents():
        page = web.page(truth.host, truth.path)
        assert page is not None
        body = page.body.decode("utf-8")
        for mention in truth.pii:
            assert mention.value in body or mention.value.replace("'", "&#x27;") in body


def test_every_refusal_reason_is_represented(web: DemoWeb) -> None:
    reasons = {t.refusal for t in web.documents()}
    assert reasons >= {
        "robots",
        "robots-unreachable",
        "x-robots-tag",
        "meta-robots",
        "tdmrep",
        "content-usage",
        "content-signal",
        "ai-txt",
        "login",
        "captcha",
        "category",
    }
    assert None in reasons


def test_server_chooses_site_by_host_header(web: DemoWeb) -> None:
    with DemoSiteServer(web) as server:
        assert server.resolve_map()["tech-news.example"] == "127.0.0.1"
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
        conn.request(
            "GET", "/opinion/03.html", headers={"Host": f"tech-news.example:{server.port}"}
        )
        resp = conn.getresponse()
        body = resp.read()
        assert resp.status == 200
        assert resp.msg.get_all("X-Robots-Tag") == ["noindex", "noai"]
        page = web.page("tech-news.example", "/opinion/03.html")
        assert page is not None
        assert body == page.body
        conn.request("GET", "/robots.txt", headers={"Host": "atelier-poterie.example"})
        resp = conn.getresponse()
        resp.read()
        assert resp.status == 503
        conn.request("GET", "/nowhere", headers={"Host": "tech-news.example"})
        resp = conn.getresponse()
        resp.read()
        assert resp.status == 404
        conn.close()


def test_packaged_warc_matches_generator(tmp_path: Path, web: DemoWeb) -> None:
    fresh = write_demo_warc(tmp_path / "demo.warc.gz", web)
    shipped = packaged_warc_path()
    assert shipped.stat().st_size < 2_000_000
    assert fresh.read_bytes() == shipped.read_bytes(), "run: python -m moisson.demo.sites"
    seeds = packaged_seeds_path().read_text(encoding="utf-8").split()
    assert seeds == web.seeds()


def test_warc_holds_every_resource_with_headers(web: DemoWeb) -> None:
    seen: dict[str, list[tuple[str, str]]] = {}
    with packaged_warc_path().open("rb") as stream:
        for record in ArchiveIterator(stream, record_types=WarcRecordType.response):
            url = record.headers["WARC-Target-URI"]
            seen[url] = [(k, v) for k, v in record.http_headers.items()]
    assert set(seen) == {url for url, _ in web.iter_resources()}
    robots = "http://asso-velo-lyon.example/robots.txt"
    assert robots in seen
    assert ("tdm-reservation", "1") in seen[
        "http://mairie-villeneuve.example/services/etat-civil.html"
    ]
    tdmrep = web.page("mairie-villeneuve.example", "/.well-known/tdmrep.json")
    assert tdmrep is not None
    assert json.loads(tdmrep.body)[0]["tdm-reservation"] == 1


def test_synthetic_site_has_requested_size() -> None:
    big = synthetic_site("big.example", 250, fanout=100)
    pages = big.sites["big.example"].pages
    articles = [p for p in pages if p.startswith("/a/")]
    assert len(articles) == 250
    assert len([p for p in pages if p.startswith("/index/")]) == 3
