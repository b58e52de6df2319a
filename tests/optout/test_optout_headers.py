"""C-10: the same decisions whatever container the headers come in (SCR-05)."""

from __future__ import annotations

import io
from http.client import HTTPMessage
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from requests.structures import CaseInsensitiveDict
from scrapy.http.headers import Headers as ScrapyHeaders
from warcio.statusandheaders import StatusAndHeaders

from moisson.optout import OptoutEngine, normalise_headers

PAIRS = [
    ("Content-Type", "text/html"),
    ("X-Robots-Tag", "noindex"),
    ("X-Robots-Tag", "noai"),
    ("TDM-Reservation", "1"),
    ("Content-Usage", "train-ai=n"),
]


def _http_message() -> HTTPMessage:
    msg = HTTPMessage()
    for k, v in PAIRS:
        msg[k] = v  # email.message appends: duplicates are kept
    return msg


def _fastwarc_headers() -> Any:
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    http = "HTTP/1.1 200 OK\r\n" + "".join(f"{k}: {v}\r\n" for k, v in PAIRS) + "\r\nbody"
    payload = http.encode()
    record = (
        b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://example.org/\r\n"
        b"Content-Type: application/http; msgtype=response\r\n"
        + f"Content-Length: {len(payload)}\r\n\r\n".encode()
        + payload
        + b"\r\n\r\n"
    )
    for rec in ArchiveIterator(
        io.BytesIO(record), record_types=WarcRecordType.response, parse_http=True
    ):
        return rec.http_headers
    raise AssertionError("no record")


CONTAINERS = {
    "list": lambda: list(PAIRS),
    "dict-lower": lambda: {
        "x-robots-tag": ["noindex", "noai"],
        "tdm-reservation": "1",
        "content-usage": "train-ai=n",
    },
    "http.client": _http_message,
    "requests": lambda: CaseInsensitiveDict(
        {"X-Robots-Tag": "noindex, noai", "TDM-Reservation": "1", "Content-Usage": "train-ai=n"}
    ),
    "httpx": lambda: httpx.Headers(PAIRS),
    "scrapy": lambda: ScrapyHeaders(
        {"X-Robots-Tag": ["noindex", "noai"], "TDM-Reservation": "1", "Content-Usage": "train-ai=n"}
    ),
    "warcio": lambda: StatusAndHeaders("200 OK", list(PAIRS), protocol="HTTP/1.1"),
    "fastwarc": _fastwarc_headers,
}


@pytest.mark.parametrize("name", sorted(CONTAINERS))
def test_every_container_gives_the_same_decisions(name: str) -> None:
    engine = OptoutEngine(["moisson-bot"])
    headers = CONTAINERS[name]()
    verdict = engine.evaluate_response("https://example.org/a", headers)
    by_family = {s.family: s.decision for s in verdict.signals}
    assert by_family == {
        "x-robots-tag": "disallow",
        "content-usage": "disallow",
        "tdmrep": "disallow",
    }
    names = [k for k, _ in normalise_headers(headers)]
    assert all(k == k.lower() for k in names)


def test_repeated_lines_are_kept_in_order() -> None:
    assert [v for k, v in normalise_headers(_http_message()) if k == "x-robots-tag"] == [
        "noindex",
        "noai",
    ]
    assert [v for k, v in normalise_headers(httpx.Headers(PAIRS)) if k == "x-robots-tag"] == [
        "noindex",
        "noai",
    ]


def test_bytes_values_are_decoded() -> None:
    assert normalise_headers([(b"X-Robots-Tag", b"noai")]) == [("x-robots-tag", "noai")]


def test_none_is_empty() -> None:
    assert normalise_headers(None) == []


_NAMES = st.sampled_from(
    ["X-Robots-Tag", "x-robots-tag", "Content-Usage", "TDM-Reservation", "tdm-policy", "Server"]
)
_VALUES = st.sampled_from(
    [
        "noai",
        "noindex",
        "NoImageAI",
        "otherbot: noai",
        "moisson-bot: noml",
        "train-ai=n",
        "train-ai=y",
        "1",
        "0",
        "01",
        "x",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_NAMES, _VALUES), max_size=6))
def test_container_invariance_property(pairs: list[tuple[str, str]]) -> None:
    """C-10 as a property: list, httpx, HTTPMessage and warcio give identical verdicts."""
    engine = OptoutEngine(["moisson-bot"])
    msg = HTTPMessage()
    for k, v in pairs:
        msg[k] = v
    containers = [
        pairs,
        httpx.Headers(pairs),
        msg,
        StatusAndHeaders("200 OK", list(pairs), protocol="HTTP/1.1"),
    ]
    verdicts = [engine.evaluate_response("https://e.org/", c).to_json() for c in containers]
    for verdict in verdicts:
        for signal in verdict["signals"]:
            signal["evidence"].pop("time", None)
    assert all(v == verdicts[0] for v in verdicts[1:])
