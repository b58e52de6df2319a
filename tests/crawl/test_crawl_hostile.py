"""Hostile pages on the crawler's hot path: linear scans, charsets that are not charsets.

The meta gate and the access-barrier check run on the reactor for every response, so a page
built to make a regex re-read it from each of its tags stalls the whole crawl: four times the
page must cost about four times the time, not sixteen (time of 4n vs n, best of three). A
site-declared charset such as ``idna`` must not cost the page (Bad input gets a clear error
and loses nothing). Real Scrapy responses and the real pipeline functions, no stand-ins.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from scrapy.http import HtmlResponse, Request

from cpu_growth import best_cpu_seconds
from moisson.crawl.items import PageItem, page_item
from moisson.crawl.metatags import extract_meta_tags
from moisson.crawl.middlewares.access import detect_barrier
from moisson.crawl.pipeline import page_to_document
from moisson.crawl.spider import SeedSpider

_KIB = 1024


def _ratio(make: Callable[[int], bytes], work: Callable[[bytes], object], size: int) -> float:
    small, large = make(size), make(4 * size)
    work(small)  # imports and caches out of the measure
    return best_cpu_seconds(lambda: work(large)) / max(best_cpu_seconds(lambda: work(small)), 1e-4)


_META_SHAPES: dict[str, Callable[[int], bytes]] = {
    # 64 KiB took 392 ms, 256 KiB 6.5 s: rb"<meta\b[^>]*>" re-read to the end from each one.
    "unclosed metas": lambda n: b"<meta " * (n // 6),
    # 64 KiB took 27.6 s: the attribute regex re-read the name from each of its letters.
    "one long attribute name": lambda n: b"<meta " + b"a" * n + b">",
    "dashed attribute name": lambda n: b"<meta " + b"a-" * (n // 2) + b">",
    "unclosed quotes": lambda n: b"<meta " + b'a="' * (n // 3) + b">",
    "many attributes": lambda n: b"<meta " + b"a=b " * (n // 4) + b">",
}


@pytest.mark.parametrize("make", list(_META_SHAPES.values()), ids=list(_META_SHAPES))
def test_meta_tag_scan_time_grows_linearly(make: Callable[[int], bytes]) -> None:
    ratio = _ratio(make, extract_meta_tags, 64 * _KIB)
    assert ratio < 9, f"4 times the page took {ratio:.1f} times as long"


_BARRIER_SHAPES: dict[str, Callable[[int], bytes]] = {
    # 256 KiB took 23 s: rb"<input[^>]+type" re-read to the end from each "<input".
    "unclosed inputs": lambda n: b"password " + b"<input " * (n // 7),
    # 256 KiB took 30.7 s: rb"<script.*?</script>" re-read to the end from each "<script".
    "unclosed scripts": lambda n: b'<input type="password">' + b"<script>" * (n // 8),
    "unclosed styles": lambda n: b'<input type="password">' + b"<style>" * (n // 7),
    "unclosed tags": lambda n: b'<input type="password">' + b"<" * n,
}


@pytest.mark.parametrize("make", list(_BARRIER_SHAPES.values()), ids=list(_BARRIER_SHAPES))
def test_access_barrier_check_time_grows_linearly(make: Callable[[int], bytes]) -> None:
    ratio = _ratio(make, lambda body: detect_barrier(200, body), 64 * _KIB)
    assert ratio < 9, f"4 times the page took {ratio:.1f} times as long"


def test_access_barrier_reads_tags_as_before() -> None:
    """Same answers as the former regexes: a ``<`` inside an attribute does not end the tag,
    an unclosed script is a tag and the text after it counts."""
    assert detect_barrier(200, b'<form><input data-x="a<b" type="password"></form>') == (
        "login",
        "password form on a page of 0 bytes of text",
    )
    assert detect_barrier(200, b'<input type="password"><script>' + b"mot " * 500) is None
    assert detect_barrier(200, b'<input type="password"><script>x</script>' + b"y" * 10) == (
        "login",
        "password form on a page of 10 bytes of text",
    )


def test_meta_tags_keep_a_less_than_sign_in_a_value() -> None:
    body = b'<meta name="description" content="a < b"><meta name=robots content=noai>'
    assert extract_meta_tags(body) == [("description", "a < b"), ("robots", "noai")]


def _page(body: bytes, charset: str) -> PageItem:
    url = "https://example.org/p"
    response = HtmlResponse(
        url,
        request=Request(url),
        body=body,
        headers={"Content-Type": f"text/html; charset={charset}"},
    )
    item = page_item(response)
    item.encoding = charset  # as the site declared it (Scrapy maps some names, e.g. utf-7)
    return item


_TEXT = b"Bonjour, ceci est un texte en francais assez long pour passer le filtre. " * 6
_HOSTILE_PAGE = (
    b'<html><head><meta name="robots" content="index"></head><body><article><p>'
    + _TEXT
    + b" +2AA- \\ud800 \xe9</p></article></body></html>"
)
_NOT_CHARSETS = ["idna", "punycode", "undefined", "utf-7", "unicode_escape", "raw_unicode_escape"]


@pytest.mark.parametrize("charset", _NOT_CHARSETS)
def test_non_text_charset_falls_back_in_meta_tags_and_documents(charset: str) -> None:
    """``idna`` raised UnicodeError even with errors="replace"; ``utf-7`` and the escape codecs
    made lone surrogates that PII and the Parquet writer crash on."""
    item = _page(_HOSTILE_PAGE, charset)
    assert extract_meta_tags(item.body, charset) == [("robots", "index")]
    doc = page_to_document(item)
    assert doc is not None
    doc.text.encode("utf-8")  # no lone surrogate
    assert _TEXT.decode().strip() in doc.text


def test_declared_text_charset_is_still_used() -> None:
    body = "<html><body><article><p>" + "Été à Besançon, près du Doubs. " * 10 + "</p>"
    item = _page((body + "</article></body></html>").encode("iso-8859-1"), "iso-8859-1")
    doc = page_to_document(item)
    assert doc is not None
    assert "Été à Besançon" in doc.text


def _table_page(cells: int) -> PageItem:
    markup = "<html><body><table><tr>" + "<td>x</td>" * cells + "</tr></table></body></html>"
    return _page(markup.encode(), "utf-8")


@pytest.mark.slow  # about 3 s; with fewer cells the old code's ratio stays under 9
def test_crawled_table_extraction_time_grows_linearly_with_the_cells_of_a_row() -> None:
    """trafilatura reads the row built so far for each cell: 64,000 cells in one row took
    13.1 s in page_to_document. Past MAX_TABLE_CELLS the tables are left out, not the text."""
    small, large = _table_page(16_000), _table_page(64_000)
    ratio = best_cpu_seconds(lambda: page_to_document(large)) / max(
        best_cpu_seconds(lambda: page_to_document(small)), 1e-4
    )
    assert ratio < 9, f"4 times the cells took {ratio:.1f} times as long"
    doc = page_to_document(small)
    assert doc is not None and doc.text.count("x") == 16_000


_LINKED_PAGE = "<html><body><p>Été</p><a href='/a'>a</a> <a href='/b?q=1'>b</a></body></html>"


@pytest.mark.parametrize(
    ("charset", "body"),
    [
        ("idna", _LINKED_PAGE.encode("utf-8")),
        ("undefined", _LINKED_PAGE.encode("utf-8")),
        ("punycode", _LINKED_PAGE.encode("utf-8")),
        ("rot13", _LINKED_PAGE.encode("utf-8")),
        ("base64", _LINKED_PAGE.encode("utf-8")),
        ("zlib", _LINKED_PAGE.encode("utf-8")),
        ("idna", _LINKED_PAGE.encode("cp1252")),  # not UTF-8 either: windows-1252
        ("utf-8-sig", _LINKED_PAGE.encode("utf-8")),
        ("iso-8859-1", _LINKED_PAGE.encode("latin-1")),
        (None, _LINKED_PAGE.encode("utf-8")),
    ],
)
def test_spider_follows_the_links_of_a_page_whatever_charset_it_declares(
    charset: str | None, body: bytes
) -> None:
    """The page is kept and its links followed: a hostile charset cost both links before."""
    content_type = f"text/html; charset={charset}" if charset else "text/html"
    url = "http://site.test/page"
    response = HtmlResponse(url, body=body, headers={"Content-Type": content_type})
    response.request = Request(url)
    out = list(SeedSpider(seeds=[url]).parse(response))
    assert isinstance(out[0], PageItem)
    assert [r.url for r in out[1:] if isinstance(r, Request)] == [
        "http://site.test/a",
        "http://site.test/b?q=1",
    ]
