"""The document: the unit every stage reads and writes, and its Parquet schema.

``doc_id`` is derived from what identifies a document in the world (its canonical URL, or the
id the source gave it) plus the hash of its extracted text, never from the file or shard it sits
in: re-sharding must not change it, or erasure requests could not be replayed (style.md §8).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pyarrow as pa

__all__ = (
    "DOCUMENT_SCHEMA",
    "Document",
    "canonical_url",
    "content_hash",
    "make_doc_id",
)

DOCUMENT_SCHEMA = pa.schema(
    [
        pa.field("doc_id", pa.string(), nullable=False),
        pa.field("source_id", pa.string()),
        pa.field("url", pa.string()),
        pa.field("domain", pa.string()),
        pa.field("fetched_at", pa.timestamp("us", tz="UTC")),
        pa.field("lang", pa.string()),
        pa.field("text", pa.string(), nullable=False),
        pa.field("content_hash", pa.string(), nullable=False),
        # HTTP response headers as received (WARC or crawl), in order, repeated names kept:
        # opt-out re-checks need them (X-Robots-Tag, tdm-reservation, Content-Usage, ...).
        pa.field(
            "http_headers",
            pa.list_(pa.struct([("name", pa.string()), ("value", pa.string())])),
        ),
        # <meta name=... content=...> of the page head (robots, tdm-reservation, ...), kept so
        # the retroactive re-check works without the HTML.
        pa.field(
            "html_meta",
            pa.list_(pa.struct([("name", pa.string()), ("content", pa.string())])),
        ),
        pa.field("signals", pa.string()),  # JSON: opt-out evidence snapshot at collection time
        pa.field("licence", pa.string()),
        pa.field("source_file", pa.string()),
        pa.field("source_offset", pa.int64()),
    ],
    metadata={b"moisson.schema": b"document/1"},
)


def content_hash(text: str) -> str:
    """SHA-256 of the UTF-8 text, hex."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, drop the fragment and default ports, keep path and query."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().rstrip(".")
    with contextlib.suppress(UnicodeError):
        host = host.encode("idna").decode("ascii") if host else host
    port = parts.port
    scheme = parts.scheme.lower()
    default = {"http": 80, "https": 443}.get(scheme)
    netloc = host if port in (None, default) else f"{host}:{port}"
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))


def make_doc_id(*, url: str | None, source_id: str | None, raw_text_hash: str) -> str:
    """Stable id: hash of the canonical URL (or source id) and of the raw extracted text."""
    if url:
        key = "url:" + canonical_url(url)
    elif source_id:
        key = "id:" + source_id
    else:
        key = "anon:"
    return hashlib.sha256(f"{key}\n{raw_text_hash}".encode()).hexdigest()[:32]


@dataclass(slots=True)
class Document:
    """One document with its provenance. Stages may change ``text`` and ``signals``."""

    doc_id: str
    text: str
    url: str | None = None
    domain: str | None = None
    source_id: str | None = None
    fetched_at: datetime | None = None
    lang: str | None = None
    http_headers: list[tuple[str, str]] = field(default_factory=list)
    html_meta: list[tuple[str, str]] = field(default_factory=list)
    signals: dict[str, Any] = field(default_factory=dict)
    licence: str | None = None
    source_file: str | None = None
    source_offset: int | None = None
    # Results passed between steps of one run (e.g. PII detections for the suppression
    # filter); never written to shards: sidecar attribute files hold what must persist.
    meta: dict[str, Any] = field(default_factory=dict, compare=False)

    @classmethod
    def new(
        cls,
        text: str,
        *,
        url: str | None = None,
        source_id: str | None = None,
        **fields: Any,
    ) -> Document:
        """Build a document, deriving ``doc_id`` and ``domain`` from the URL and text."""
        doc_id = make_doc_id(url=url, source_id=source_id, raw_text_hash=content_hash(text))
        domain = fields.pop("domain", None)
        if domain is None and url:
            domain = (urlsplit(url).hostname or "").lower() or None
        return cls(doc_id=doc_id, text=text, url=url, source_id=source_id, domain=domain, **fields)

    @property
    def content_hash(self) -> str:
        return content_hash(self.text)

    def header_values(self, name: str) -> list[str]:
        """All values of a response header, case-insensitive, in order received."""
        lname = name.lower()
        return [v for k, v in self.http_headers if k.lower() == lname]

    def to_row(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "source_id": self.source_id,
            "url": self.url,
            "domain": self.domain,
            "fetched_at": self.fetched_at,
            "lang": self.lang,
            "text": self.text,
            "content_hash": self.content_hash,
            "http_headers": [{"name": k, "value": v} for k, v in self.http_headers],
            "html_meta": [{"name": k, "content": v} for k, v in self.html_meta],
            "signals": json.dumps(self.signals, sort_keys=True) if self.signals else None,
            "licence": self.licence,
            "source_file": self.source_file,
            "source_offset": self.source_offset,
        }

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Document:
        """Rebuild a document from a shard row; a malformed row raises KeyError or ValueError."""
        try:
            signals = json.loads(row["signals"]) if row.get("signals") else {}
        except json.JSONDecodeError as exc:
            msg = f"signals is not JSON: {exc}"
            raise ValueError(msg) from None
        if not isinstance(signals, dict):  # to_row only ever writes a JSON object
            msg = f"signals is a JSON {type(signals).__name__}, not an object"
            raise ValueError(msg)
        return cls(
            doc_id=row["doc_id"],
            text=row["text"],
            url=row.get("url"),
            domain=row.get("domain"),
            source_id=row.get("source_id"),
            fetched_at=row.get("fetched_at"),
            lang=row.get("lang"),
            http_headers=[(h["name"], h["value"]) for h in row.get("http_headers") or []],
            html_meta=[(m["name"], m["content"]) for m in row.get("html_meta") or []],
            signals=signals,
            licence=row.get("licence"),
            source_file=row.get("source_file"),
            source_offset=row.get("source_offset"),
        )
