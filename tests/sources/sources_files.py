"""Helpers (not tests) for tests/sources: builders of real source files for the reader tests (WARC records written byte by byte)."""

from __future__ import annotations

import gzip
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Page:
    """One HTTP response to archive; ``headers`` are written in order, repeats kept."""

    url: str
    body: bytes
    status: int = 200
    reason: str = "OK"
    headers: Sequence[tuple[str, str]] = (("Content-Type", "text/html; charset=utf-8"),)
    record_id: str = ""
    date: str = "2024-05-06T07:08:09Z"
    warc_type: str = "response"
    extra_warc: Sequence[tuple[str, str]] = field(default_factory=tuple)
    http: bool = True  # False: a non-HTTP response (a dns: lookup), the body is the block


def warc_record(page: Page, number: int) -> bytes:
    if page.warc_type == "response" and not page.http:
        block = page.body
        content_type = "text/dns"
    elif page.warc_type == "response":
        head = f"HTTP/1.1 {page.status} {page.reason}\r\n" + "".join(
            f"{name}: {value}\r\n" for name, value in page.headers
        )
        block = head.encode("latin-1") + b"\r\n" + page.body
        content_type = "application/http; msgtype=response"
    else:
        block = page.body
        content_type = "application/warc-fields"
    record_id = page.record_id or f"<urn:uuid:00000000-0000-0000-0000-{number:012d}>"
    lines = [
        "WARC/1.1",
        f"WARC-Type: {page.warc_type}",
        f"WARC-Record-ID: {record_id}",
        f"WARC-Date: {page.date}",
        f"WARC-Target-URI: {page.url}",
        *(f"{name}: {value}" for name, value in page.extra_warc),
        f"Content-Type: {content_type}",
        f"Content-Length: {len(block)}",
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + block + b"\r\n\r\n"


def write_warc(path: Path, pages: Sequence[Page], *, compress: bool = True) -> list[int]:
    """Write the pages as a WARC file (one gzip member a record) and return record offsets."""
    offsets: list[int] = []
    with path.open("wb") as handle:
        for number, page in enumerate(pages):
            offsets.append(handle.tell())
            record = warc_record(page, number)
            handle.write(gzip.compress(record, mtime=0) if compress else record)
    return offsets


def html_page(title: str, paragraphs: Sequence[str], head_extra: str = "") -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!DOCTYPE html><html><head><title>{title}</title>{head_extra}</head>"
        f"<body><article><h1>{title}</h1>{body}</article></body></html>"
    ).encode()
