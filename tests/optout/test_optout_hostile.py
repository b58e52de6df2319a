"""Hostile site files, pages and media: bounded time and memory, clear errors, fail closed.

Every case here is input a website (or a stored corpus of crawled URLs) controls. Growth tests
time ``4n`` against ``n`` (best of 3, CPU time) and accept a ratio under 9: linear work gives
about 4, the quadratic code these tests guard against gave about 16.
"""

from __future__ import annotations

import io
import threading
import time
import tracemalloc
import zipfile
import zlib
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, cast

import pytest
import zstandard
from fixture_server import FixtureServer, Resp

from moisson.errors import ConfigError
from moisson.optout import HttpxFetcher, LocalOptoutList, OptoutEngine
from moisson.optout._fetch import FetchResult
from moisson.optout._html import extract_meta
from moisson.optout._media import c2pa_signal, decode_cbor, iptc_signal
from moisson.optout._robots import parse_robots
from moisson.optout._sitefiles import SiteFileCache, fetch_snapshot
from moisson.optout._tdmrep import tdm_from_epub
from moisson.optout._urls import origin_of

try:  # brotli comes with the crawl extra (Scrapy): the fetcher decodes br only when it is there
    import brotli
except ImportError:  # pragma: no cover
    brotli = None

if TYPE_CHECKING:
    from moisson.workspace import Workspace


def _best(run: Callable[[Any], object], setup: Callable[[int], Any], n: int) -> float:
    times = []
    for _ in range(3):
        data = setup(n)
        started = time.process_time()
        run(data)
        times.append(time.process_time() - started)
    return min(times)


def _ratio(setup: Callable[[int], Any], run: Callable[[Any], object], n: int) -> float:
    """CPU time of ``4n`` over ``n``; a 1 ms floor keeps timer noise out of tiny timings."""
    small = _best(run, setup, n)
    large = _best(run, setup, 4 * n)
    return large / max(small, 1e-3)


class _Fixed:
    """A fetcher answering ``bodies[path suffix]`` with 200, anything else 404."""

    def __init__(self, bodies: dict[str, bytes]) -> None:
        self.bodies = bodies
        self.calls = 0

    def fetch(self, url: str) -> FetchResult:
        self.calls += 1
        for suffix, body in self.bodies.items():
            if url.endswith(suffix):
                return FetchResult(url, 200, [("content-type", "text/plain")], body, url)
        return FetchResult(url, 404, [], b"", url)


# ------------------------------------------------------------ 1. robots.txt group merging
TOKENS = ("GPTBot", "CCBot")


def test_many_star_groups_are_merged_in_linear_time() -> None:
    """RFC 9309 §2.2.1: groups of one user-agent merge; 20,000 ``*`` groups must stay cheap."""

    def setup(n: int) -> Any:
        return parse_robots(b"User-agent: *\nDisallow: /x\n" * n)

    assert _ratio(setup, lambda rf: rf.plan(TOKENS), 2000) < 9


def test_tokens_without_a_group_share_one_merged_star_group() -> None:
    rf = parse_robots(b"User-agent: *\nDisallow: /a\n\nUser-agent: *\nDisallow: /b\n")
    assert rf.group_for("GPTBot") is rf.group_for("CCBot") is rf.group_for("*")
    assert [r.pattern for r in rf.group_for("GPTBot").rules] == ["/a", "/b"]  # type: ignore[union-attr]
    assert not rf.check("GPTBot", "/b/x")[0] and rf.check("GPTBot", "/c")[0]


# ------------------------------------------------------------ 2. ai.txt content sniffing
def test_ai_txt_sniff_is_linear_on_blank_lines() -> None:
    """Spawning ai.txt sniffing (§6.2) over 64 KiB of blank lines used to take 12 s."""

    def run(body: bytes) -> None:
        fetch_snapshot(_Fixed({"/ai.txt": body}), ("https", "s.test", 443))

    assert _ratio(lambda n: b"x" + b"\n" * n, run, 4096) < 9


def test_ai_txt_sniff_still_finds_an_indented_user_agent_line() -> None:
    snap = fetch_snapshot(
        _Fixed({"/ai.txt": b"# ai.txt\n\n \tUser-Agent : *\nDisallow: /\n"}),
        ("https", "s.test", 443),
    )
    assert snap.aitxt.fmt == "spawning"
    assert not snap.aitxt.parsed.check("GPTBot", "/x")[0]


# ------------------------------------------------------------ 3. IPTC plus:DataMining
def test_iptc_scan_is_linear_on_repeated_unfinished_elements() -> None:
    unit = b"plus:DataMining><rdf:"

    def run(data: bytes) -> None:
        iptc_signal(data, "train-ai", {})

    assert _ratio(lambda n: unit * (n // len(unit)), run, 20_000) < 9


def test_iptc_element_form_with_bag_and_indentation_still_refuses() -> None:
    xmp = (
        b"<plus:DataMining>\n      <rdf:Bag>\n        <rdf:li xml:lang='x'>"
        b"http://ns.useplus.org/ldf/vocab/DMI-PROHIBITED-AIMLTRAINING</rdf:li>"
    )
    signal = iptc_signal(xmp, "train-ai", {})
    assert signal is not None and signal.decision == "disallow"


# ------------------------------------------------------------ 4. C2PA / CAWG CBOR
def _c2pa(cbor: bytes, length: int | None = None) -> bytes:
    box = len(cbor) + 8 if length is None else length
    return b"\xff\xd8JUMBc2pa.training-mining\x00" + box.to_bytes(4, "big") + b"cbor" + cbor


def test_c2pa_labels_with_huge_lengths_are_linear() -> None:
    """A length of 0xFFFFFFFF items from every label used to decode to the end of the file."""
    unit = b"c2pa.training-mining\xff\xff\xff\xffcbor\x9a\xff\xff\xff\xff" + b"\x00" * 27

    def run(data: bytes) -> None:
        c2pa_signal(data, "train-ai", {})

    assert _ratio(lambda n: b"\xff\xd8" + unit * (n // len(unit)), run, 8000) < 9


@pytest.mark.parametrize(
    "cbor",
    [
        b"\xa1\x67entries\xfb\x00\x00",  # truncated float
        b"\xa1\x81\x01\x01",  # map with an array key
        b"\xa1\xa0\x01",  # map with a map key
        b"\xa1\x67entries\x7a\xff\xff\xff\xff",  # text longer than the file
        b"\x9b" + b"\xff" * 8,  # 2**64 - 1 items
    ],
)
def test_malformed_c2pa_assertion_is_an_error_signal_not_a_crash(cbor: bytes) -> None:
    signal = c2pa_signal(_c2pa(cbor), "train-ai", {})
    assert signal is not None and signal.decision == "error"
    verdict = OptoutEngine().evaluate_content("https://s.test/i.jpg", _c2pa(cbor), "image/jpeg")
    assert verdict.decision == "unknown"


def test_cbor_item_count_is_capped() -> None:
    with pytest.raises(ValueError, match="CBOR items"):
        decode_cbor(b"\x99\x4e\x20" + b"\x00" * 20_000)  # an array of 20,000 zeros


def test_c2pa_refusal_with_a_length_past_the_end_is_still_read() -> None:
    entries = b"\xa1\x67entries\xa1\x70cawg.ai_training\xa1\x63use\x6anotAllowed"  # {"use": ...}
    signal = c2pa_signal(_c2pa(entries, length=0xFFFFFFFF), "train-ai", {})
    assert signal is not None and signal.decision == "disallow"


# ------------------------------------------------------------ 5. EPUB (TDMRep T-14)
OPF = (
    b'<package xmlns="http://www.idpf.org/2007/opf"><metadata>'
    b'<meta name="tdm:reservation" content="1"/></metadata></package>'
)


def _zip(opf: bytes = OPF, method: int = zipfile.ZIP_DEFLATED) -> bytearray:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        z.writestr("OEBPS/content.opf", opf)
    return bytearray(buf.getvalue())


def _damaged() -> Iterator[tuple[str, bytes]]:
    b = _zip()
    b[b.find(b"content.opf") + len(b"content.opf") + 5] ^= 0xFF
    yield "corrupt deflate stream", bytes(b)
    b = _zip(method=zipfile.ZIP_STORED)
    b[b.find(b"<package") + 3] ^= 0x01
    yield "bad CRC", bytes(b)
    b = _zip()
    b[6] |= 1
    b[b.find(b"PK\x01\x02") + 8] |= 1
    yield "encrypted entry", bytes(b)
    b = _zip()
    b[8] = 99
    b[b.find(b"PK\x01\x02") + 10] = 99
    yield "unknown compression method", bytes(b)
    b = _zip()
    cd = b.find(b"PK\x01\x02")
    b[cd + 42 : cd + 46] = (2**31).to_bytes(4, "little")
    yield "bad local-header offset", bytes(b)


@pytest.mark.parametrize(("name", "data"), list(_damaged()))
def test_damaged_epub_records_a_parse_error(name: str, data: bytes) -> None:
    layer = tdm_from_epub(data)
    assert layer is not None and layer.reservation is None
    assert layer.error and "content.opf" in layer.error, name
    verdict = OptoutEngine().evaluate_content("https://s.test/b.epub", data, "application/epub+zip")
    assert verdict.decision == "unknown"


def test_epub_bomb_is_read_within_a_bounded_size() -> None:
    """A 64 MiB package document (64 kB compressed) is read up to 1 MiB, refusal included."""
    data = bytes(_zip(OPF[:-20] + b" " * (64 << 20) + OPF[-20:]))
    assert len(data) < 512 * 1024
    tracemalloc.start()
    try:
        layer = tdm_from_epub(data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 << 20
    assert layer is not None and layer.reservation == 1
    assert layer.extra["truncated_at_bytes"] == 1 << 20


# ------------------------------------------------------------ 6. unreadable URLs
BAD_URLS = ["http://h.test:99999/a", "http://h.test:abc/a", "http://[::1/a", "http://[zz]/a"]


@pytest.mark.parametrize("url", BAD_URLS)
def test_unreadable_url_gives_an_error_verdict_that_names_it(url: str) -> None:
    engine = OptoutEngine(fetcher=_Fixed({}))
    for verdict in (engine.evaluate(url, headers={}), engine.evaluate_site(url)):
        assert verdict.decision == "disallow"
        (signal,) = verdict.signals
        assert signal.family == "url" and signal.evidence["url"] == url
        assert signal.evidence["error"].startswith("invalid URL")
    lenient = OptoutEngine(fetcher=_Fixed({}), fail_closed=False)
    assert lenient.evaluate(url).signals[0].decision == "error"
    assert lenient.evaluate(url).decision == "unknown"


@pytest.mark.parametrize("url", ["http://[::1/a", "http://[zz]/a"])
def test_unreadable_url_with_only_a_local_list(url: str) -> None:
    engine = OptoutEngine(local_list=LocalOptoutList(["blocked.test"]))
    verdict = engine.evaluate(url, headers={}, site_files=False)
    assert verdict.decision == "disallow" and verdict.signals[0].family == "url"


def test_valid_urls_are_unaffected() -> None:
    engine = OptoutEngine(fetcher=_Fixed({"/robots.txt": b"User-agent: *\nDisallow: /p\n"}))
    assert engine.evaluate("https://h.test:8443/p/x").decision == "disallow"
    assert engine.evaluate("http://[::1]:8080/q").decision == "allow"
    assert origin_of("http://[::1]:8080/q") == ("http", "::1", 8080)


# ------------------------------------------------------------ 7. the local opt-out list
def _workspace(tmp_path: Path, content: bytes) -> Workspace:
    (tmp_path / "optout").mkdir()
    (tmp_path / "optout" / "domains.txt").write_bytes(content)
    policy = SimpleNamespace(optout=SimpleNamespace(optout_domains=[]))
    return cast("Workspace", SimpleNamespace(root=tmp_path, policy=policy))


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"example.org\n# ok\n\xff-bad.example\n", "line 3: not UTF-8"),
        (b"example.org\nhttp://[bad/\n", "line 2: 'http://[bad/' is not a domain"),
    ],
)
def test_malformed_local_list_names_file_and_line(
    tmp_path: Path, content: bytes, reason: str
) -> None:
    with pytest.raises(ConfigError, match=r"domains\.txt") as caught:
        LocalOptoutList.load(_workspace(tmp_path, content))
    assert reason in str(caught.value)
    assert caught.value.path is not None and caught.value.path.endswith("domains.txt")


def test_well_formed_local_list_loads(tmp_path: Path) -> None:
    listed = LocalOptoutList.load(
        _workspace(tmp_path, b"example.org # a comment\nM\xc3\xbcnchen.de\n")
    )
    assert listed.domains == {"example.org", "xn--mnchen-3ya.de"}


# ------------------------------------------------------------ 8. meta tags past depth 256
DEEP = b"<html><head><title>t</title></head><body>" + b"<div>" * 300


def test_meta_refusal_after_deep_nesting_is_still_seen() -> None:
    """X-12: a refusal anywhere counts; libxml2 stops building the tree at depth 256."""
    html = DEEP + b'<meta name="robots" content="noai">'
    assert extract_meta(html) == [("robots", "noai")]
    assert OptoutEngine().evaluate_page("https://s.test/p", html=html).decision == "disallow"


def test_meta_pairs_of_a_deep_page_are_not_doubled() -> None:
    html = b'<html><head><meta name="robots" content="index"></head><body>' + b"<div>" * 300
    html += b"<meta name=robots content='noai, noimageai'><meta name=x content=&quot;q>"
    assert extract_meta(html) == [
        ("robots", "index"),
        ("robots", "noai, noimageai"),
        ("x", '"q'),
    ]


def test_meta_flat_scan_is_linear() -> None:
    meta = b'<meta name="robots" content="noai">'
    assert _ratio(lambda n: DEEP + meta * n, extract_meta, 5000) < 9


def test_xhtml_string_with_encoding_declaration_keeps_its_meta() -> None:
    page = '<?xml version="1.0" encoding="utf-8"?><html><head><meta name="robots" content="noai"/></head></html>'
    assert extract_meta(page) == [("robots", "noai")]


def test_commented_meta_of_a_normal_page_is_still_ignored() -> None:
    page = b"<html><head><!-- <meta name=robots content=noai> --></head><body>x</body></html>"
    assert extract_meta(page) == []


# ------------------------------------------------------------ 9. HTTP body: codings, deadline
def _gzip(data: bytes) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, 31)
    return c.compress(data) + c.flush()


ROBOTS_TEXT = b"User-agent: *\nDisallow: /private\n" * 3000
CODED: dict[str, tuple[str, bytes]] = {
    "/gzip": ("gzip", _gzip(ROBOTS_TEXT)),
    "/deflate": ("deflate", zlib.compress(ROBOTS_TEXT)),
    "/raw-deflate": ("deflate", zlib.compress(ROBOTS_TEXT)[2:-4]),  # no zlib wrapper
    "/identity": ("identity", ROBOTS_TEXT),
    "/zstd": ("zstd", zstandard.compress(ROBOTS_TEXT)),
    "/compress": ("compress", ROBOTS_TEXT),  # not supported: kept as sent, as httpx does
    "/bomb": ("gzip, gzip", _gzip(_gzip(b"\0" * (64 << 20)))),
    "/zstd-bomb": ("zstd", zstandard.compress(b"\0" * (64 << 20))),
    "/corrupt": ("gzip", b"\x1f\x8b\x08\x00garbage-garbage"),
    "/robots.txt": ("identity", b"User-agent: *\nDisallow: /a\nDisallow: /bbbbbbbbbbbb\n"),
}
if brotli is not None:
    CODED["/br"] = ("br", brotli.compress(ROBOTS_TEXT))
    CODED["/br-gzip"] = ("br, gzip", _gzip(brotli.compress(ROBOTS_TEXT)))
    CODED["/br-bomb"] = ("br", brotli.compress(b"\0" * (64 << 20), quality=5))
BOMBS = [p for p in ("/bomb", "/br-bomb", "/zstd-bomb") if p in CODED]
DECODED = [
    p
    for p in ("/gzip", "/deflate", "/raw-deflate", "/identity", "/br", "/zstd", "/br-gzip")
    if p in CODED
] + ["/compress"]


@pytest.fixture(scope="module")
def coded() -> Iterator[tuple[FixtureServer, HttpxFetcher]]:
    with FixtureServer() as server:
        for path, (coding, body) in CODED.items():
            headers = (("Content-Type", "text/plain"), ("Content-Encoding", coding))
            server.add("z.test", path, Resp(200, headers, body))
        fetcher = HttpxFetcher(timeout=5, resolve={"z.test": "127.0.0.1"})
        yield server, fetcher
        fetcher.close()


@pytest.mark.parametrize("path", BOMBS)
def test_compressed_bomb_is_inflated_only_up_to_the_cap(
    coded: tuple[FixtureServer, HttpxFetcher], path: str
) -> None:
    """980 bytes of ``gzip, gzip`` used to become a 512 MiB body; 64 MiB bombs here."""
    server, _ = coded
    assert len(CODED[path][1]) < 64 * 1024
    fetcher = HttpxFetcher(timeout=5, resolve={"z.test": "127.0.0.1"}, max_bytes=1 << 20)
    tracemalloc.start()
    try:
        result = fetcher.fetch(server.url("z.test", path))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        fetcher.close()
    assert result.status == 200 and len(result.body) == 1 << 20 and result.truncated
    assert peak < 16 << 20


@pytest.mark.parametrize("path", DECODED)
def test_supported_codings_decode_as_before(
    coded: tuple[FixtureServer, HttpxFetcher], path: str
) -> None:
    server, fetcher = coded
    result = fetcher.fetch(server.url("z.test", path))
    assert result.status == 200 and result.body == ROBOTS_TEXT and not result.truncated


def test_corrupt_gzip_is_no_response(coded: tuple[FixtureServer, HttpxFetcher]) -> None:
    server, fetcher = coded
    result = fetcher.fetch(server.url("z.test", "/corrupt"))
    assert result.status is None and result.error and "DecodingError" in result.error


def test_cut_body_drops_its_partial_last_line(coded: tuple[FixtureServer, HttpxFetcher]) -> None:
    """R-09: a body cut at the fetch cap is parsed up to its last complete line."""
    server, _ = coded
    fetcher = HttpxFetcher(timeout=5, resolve={"z.test": "127.0.0.1"}, max_bytes=40)
    snap = fetch_snapshot(fetcher, ("http", "z.test", server.port))
    parsed = snap.robots.parsed
    assert parsed.truncated and [r.pattern for r in parsed.groups[0].rules] == ["/a"]


class _Trickle(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "8")
        self.end_headers()
        for _ in range(8):
            self.wfile.write(b"#")
            self.wfile.flush()
            time.sleep(0.4)

    def log_message(self, format: str, *args: Any) -> None:
        return


def test_timeout_bounds_the_whole_fetch_not_each_read() -> None:
    """A robots.txt trickled byte by byte is unreachable after ``timeout`` (RFC 9309 §2.3.1.4)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Trickle)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        started = time.perf_counter()
        result = HttpxFetcher(timeout=1.0).fetch(
            f"http://127.0.0.1:{server.server_address[1]}/robots.txt"
        )
        elapsed = time.perf_counter() - started
    finally:
        server.shutdown()
        server.server_close()
    assert result.status is None and result.error and result.error.startswith("timeout")
    assert elapsed < 2.0


class _HeaderTrickle(BaseHTTPRequestHandler):
    """Sends its status line, then one header line every 0.2 s: each read is quick."""

    def do_GET(self) -> None:
        self.wfile.write(b"HTTP/1.1 200 OK\r\n")
        for i in range(40):
            self.wfile.write(b"X-Slow-%d: 1\r\n" % i)
            self.wfile.flush()
            time.sleep(0.2)
        self.wfile.write(b"Content-Length: 2\r\n\r\nok")

    def log_message(self, format: str, *args: Any) -> None:
        return


@pytest.mark.parametrize("second_request", [False, True])
def test_timeout_bounds_headers_trickled_line_by_line(second_request: bool) -> None:
    """Headers trickled for 8 s end a 1-second fetch after 1 s, on a new connection or on one
    kept alive from an earlier request to the same site."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _HeaderTrickle)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/robots.txt"
    fetcher = HttpxFetcher(timeout=1.0)
    try:
        if second_request:
            fetcher.fetch(url)
        started = time.perf_counter()
        result = fetcher.fetch(url)
        elapsed = time.perf_counter() - started
    finally:
        fetcher.close()
        server.shutdown()
        server.server_close()
    assert result.status is None
    assert result.error == "timeout: no complete response within 1.0 s"
    assert elapsed < 1.6


def test_fetches_after_a_timeout_use_their_own_deadline(
    coded: tuple[FixtureServer, HttpxFetcher],
) -> None:
    """The deadline belongs to one fetch: the next one on the same fetcher has the full time."""
    server, _ = coded
    fetcher = HttpxFetcher(timeout=1.0, resolve={"z.test": "127.0.0.1"})
    slow = ThreadingHTTPServer(("127.0.0.1", 0), _HeaderTrickle)
    slow.daemon_threads = True
    threading.Thread(target=slow.serve_forever, daemon=True).start()
    try:
        assert fetcher.fetch(f"http://127.0.0.1:{slow.server_address[1]}/").status is None
        result = fetcher.fetch(f"http://z.test:{server.port}/robots.txt")
    finally:
        fetcher.close()
        slow.shutdown()
        slow.server_close()
    assert result.status == 200 and result.error is None


# ------------------------------------------------------------ 10. the site-file cache
def test_site_file_cache_is_bounded_and_least_recently_used_goes_first() -> None:
    body = b"User-agent: *\n" + b"Disallow: /private/x\n" * 5000  # ~100 kB
    cache = SiteFileCache(max_bytes=1 << 20)
    fetcher = _Fixed({"/robots.txt": body})
    first = ("https", "s0.test", 443)
    for n in range(50):
        cache.get(("https", f"s{n}.test", 443), fetcher, agent_mode="google")
        cache.get(first, fetcher, agent_mode="google")  # kept warm
    assert len(cache) <= 10
    assert cache.peek(first) is not None
    assert cache.peek(("https", "s1.test", 443)) is None
    before = cache.fetches
    cache.get(("https", "s1.test", 443), fetcher, agent_mode="google")
    assert cache.fetches == before + 1  # dropped, so fetched again
