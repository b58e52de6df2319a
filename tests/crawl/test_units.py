"""Unit checks of the crawler's parts: resolver map, categories, access barriers, seeds."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from moisson.crawl.middlewares.access import detect_barrier
from moisson.crawl.resolver import MappedResolver, parse_resolve
from moisson.crawl.runner import read_seeds
from moisson.crawl.sitecategories import CategoryMatcher, bundled_categories
from moisson.errors import ConfigError, InputError


def test_parse_resolve_accepts_dicts_lists_and_strings() -> None:
    assert parse_resolve({"A.Example.": "127.0.0.1"}) == {"a.example": "127.0.0.1"}
    assert parse_resolve(["a.example=127.0.0.1", "b.example=::1"]) == {
        "a.example": "127.0.0.1",
        "b.example": "::1",
    }
    assert parse_resolve("a.example=10.0.0.1,b.example=10.0.0.2")["b.example"] == "10.0.0.2"
    assert parse_resolve(None) == {}
    with pytest.raises(ConfigError, match="expected HOST=IP"):
        parse_resolve(["a.example"])


def test_mapped_resolver_answers_mapped_names_without_dns() -> None:
    resolver = MappedResolver(None, 0, 1.0, {"shop.example": "127.0.0.1"})
    answers: list[str] = []
    resolver.getHostByName("SHOP.example").addCallback(answers.append)
    assert answers == ["127.0.0.1"]


def test_categories_match_subdomains_and_user_domains() -> None:
    assert {"health", "religion", "politics", "sexuality", "adult", "minors"} <= set(
        bundled_categories()
    )
    matcher = CategoryMatcher.from_policy(["health", "religion"], ["my-forum.example"])
    assert matcher.match("forum.doctissimo.fr") == "health"
    assert matcher.match("paroisse-saint-michel.example") == "religion"
    assert matcher.match("www.my-forum.example") == "user-list"
    assert matcher.match("doctissimo.fr.evil.example") is None
    assert matcher.match("tech-news.example") is None
    with pytest.raises(ConfigError, match="no bundled list 'gambling'"):
        CategoryMatcher.from_policy(["gambling"], [])


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (401, b"", "login"),
        (403, b'<div class="g-recaptcha" data-sitekey="x"></div>', "captcha"),
        (200, b'<script src="https://hcaptcha.com/1/api.js"></script>', "captcha"),
        (503, b'<div class="cf-turnstile"></div>', "captcha"),
        (200, b'<form><input type="password" name="pw"></form>', "login"),
        (200, b"<p>" + b"Long article text. " * 200 + b"</p><input type='password'>", None),
        (200, b"<p>A page that mentions the word captcha in passing.</p>", None),
        (200, b"<p>Plain page.</p>", None),
    ],
)
def test_access_barriers(status: int, body: bytes, expected: str | None) -> None:
    found = detect_barrier(status, body)
    assert (found[0] if found else None) == expected


def test_read_seeds_names_file_and_line(tmp_path: Path) -> None:
    good = tmp_path / "seeds.txt"
    good.write_text("# demo\nhttp://a.example/\n\nhttps://b.example/x  # note\n", encoding="utf-8")
    assert read_seeds(str(good)) == ["http://a.example/", "https://b.example/x"]
    assert read_seeds("http://c.example/") == ["http://c.example/"]
    bad = tmp_path / "bad.txt"
    bad.write_text("http://a.example/\nftp://b.example/\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.txt:2: 'ftp://b\.example/' is not an http"):
        read_seeds(str(bad))
    with pytest.raises(InputError, match="no such seed file"):
        read_seeds(str(tmp_path / "missing.txt"))
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing\n", encoding="utf-8")
    with pytest.raises(InputError, match="no seed URL"):
        read_seeds(str(empty))


class _ReferenceMeta(HTMLParser):
    """The stdlib HTML parser's view of the meta tags (a full tokeniser, as reference)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pairs: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "meta":
            found = dict(attrs)
            name, content = found.get("name"), found.get("content")
            if name is not None and content is not None:
                self.pairs.append((name, content))

    handle_startendtag = handle_starttag


def test_meta_tags_match_a_full_html_parse_on_every_demo_page() -> None:
    from moisson.crawl.metatags import extract_meta_tags
    from moisson.demo.sites import DemoWeb

    web = DemoWeb.generate()
    checked = 0
    for _, page in web.iter_resources():
        if "html" not in page.content_type or not page.body:
            continue
        reference = _ReferenceMeta()
        reference.feed(page.body.decode("utf-8"))
        assert extract_meta_tags(page.body) == reference.pairs
        checked += 1
    assert checked > 200


def test_meta_tags_edge_cases() -> None:
    from moisson.crawl.metatags import extract_meta_tags

    body = (
        b"<html><head><META NAME='ROBOTS' CONTENT='NOAI'>"
        b'<meta content="1" name="tdm-reservation"/>'
        b"<meta name=robots content=noml>"
        b'<meta charset="utf-8"><meta property="og:title" content="x">'
        b'</head><body><meta name="robots" content="noai &amp; noimageai"></body></html>'
    )
    assert extract_meta_tags(body) == [
        ("ROBOTS", "NOAI"),
        ("tdm-reservation", "1"),
        ("robots", "noml"),
        ("robots", "noai & noimageai"),
    ]
