"""Turning one structured record (a JSONL object, a Parquet or Hugging Face row) into a Document.

The three tabular formats share the same field rules, so a dataset exported from one and
re-ingested from another gives the same documents (same ``doc_id``, style.md §8).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from hashlib import sha256
from typing import Any

from moisson.store.document import Document, content_hash

__all__ = ("FieldMap", "MalformedRecord", "document_from_record", "new_document")


class MalformedRecord(Exception):
    """Internal: the record breaks a field rule; the message is the reason."""


class FieldMap:
    """Names of the text, id and URL fields of a source (``--text-field`` etc.)."""

    __slots__ = ("id_field", "text_field", "url_field")

    def __init__(self, text_field: str = "text", id_field: str = "id", url_field: str = "url"):
        self.text_field = text_field
        self.id_field = id_field
        self.url_field = url_field


# Absolute URLs with a plain ASCII host, no port, user or IP literal: the overwhelming case.
# For them the canonical form is computed without urllib (3 urlsplit calls a document in
# Document.new were half the JSONL reading time); anything else goes through Document.new.
# tests/sources/test_sources_fields.py checks both paths give the same document.
_SIMPLE_URL = re.compile(
    r"([A-Za-z][A-Za-z0-9+.-]*)://([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*)(/[^#\s]*)?(?:#\S*)?"
)


def new_document(
    text: str,
    *,
    url: str | None,
    source_id: str | None,
    fetched_at: datetime | None = None,
    lang: str | None = None,
    licence: str | None = None,
    http_headers: list[tuple[str, str]] | None = None,
    html_meta: list[tuple[str, str]] | None = None,
    source_file: str | None = None,
    source_offset: int | None = None,
) -> Document:
    """Same result as :meth:`Document.new`, faster for simple URLs (see ``_SIMPLE_URL``)."""
    match = _SIMPLE_URL.fullmatch(url) if url else None
    path = match.group(3) if match is not None else None
    if match is None or (path is not None and path[-1] == "?"):
        return Document.new(
            text,
            url=url,
            source_id=source_id,
            fetched_at=fetched_at,
            lang=lang,
            licence=licence,
            http_headers=http_headers or [],
            html_meta=html_meta or [],
            source_file=source_file,
            source_offset=source_offset,
        )
    scheme, host = match.group(1, 2)
    host = host.lower()
    # make_doc_id's key for a URL (moisson.store.document), without re-parsing the URL.
    key = f"url:{scheme.lower()}://{host}{path or '/'}\n{content_hash(text)}"
    return Document(
        doc_id=sha256(key.encode()).hexdigest()[:32],
        text=text,
        url=url,
        domain=host,
        source_id=source_id,
        fetched_at=fetched_at,
        lang=lang,
        http_headers=http_headers or [],
        html_meta=html_meta or [],
        licence=licence,
        source_file=source_file,
        source_offset=source_offset,
    )


def _parse_date(value: Any) -> datetime | None:
    """The date in UTC, or ``None`` when it is not a valid date (the record is kept)."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str) and value:
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00", 1))
        except ValueError:
            return None
    else:
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    if not parsed.utcoffset():
        return parsed  # already UTC (the common case: "Z", Arrow UTC timestamps)
    # The store keeps UTC: "0001-01-01T00:00:00+14:00" is year 0 there, and accepting it
    # made every later read of the dataset fail with OverflowError. Such a date is invalid.
    try:
        return parsed.astimezone(UTC)
    except (OverflowError, ValueError):
        return None


def _pairs(value: Any, second: str) -> list[tuple[str, str]]:
    """Header or meta pairs kept by an earlier moisson export (list of dicts or of pairs)."""
    if not isinstance(value, list):
        return []
    pairs: list[tuple[str, str]] = []
    for item in value:
        if isinstance(item, Mapping):
            name, content = item.get("name"), item.get(second)
        elif isinstance(item, list | tuple) and len(item) == 2:
            name, content = item
        else:
            continue
        if isinstance(name, str) and isinstance(content, str):
            pairs.append((name, content))
    return pairs


def _string(value: Any) -> str | None:
    return value if type(value) is str and value else None


def document_from_record(
    record: Any, fields: FieldMap, *, source_file: str, source_offset: int
) -> Document:
    """Build the document of one record; raise :class:`MalformedRecord` with the reason.

    Besides the text, id and URL fields, ``fetched_at``/``date``/``timestamp``,
    ``lang``/``language``, ``licence``/``license`` and moisson's own ``http_headers`` and
    ``html_meta`` are picked up when present, so an exported dataset re-ingests unchanged.
    This runs once per record: it is written for speed (plain ``get``, no helper loops).
    """
    if type(record) is not dict and not isinstance(record, Mapping):
        msg = f"expected a JSON object, got {type(record).__name__}"
        raise MalformedRecord(msg)
    get = record.get
    text = get(fields.text_field)
    if type(text) is not str:
        if text is None:
            msg = f"missing text field {fields.text_field!r}"
        else:
            msg = f"text field {fields.text_field!r} is a {type(text).__name__}, not a string"
        raise MalformedRecord(msg)
    if not text or text.isspace():
        msg = f"empty text field {fields.text_field!r}"
        raise MalformedRecord(msg)
    raw_id = get(fields.id_field)
    if raw_id is None or type(raw_id) is str:
        source_id = raw_id
    else:
        source_id = None if isinstance(raw_id, dict | list) else str(raw_id)
    fetched = get("fetched_at")
    if fetched is None:
        fetched = get("date")
        if fetched is None:
            fetched = get("timestamp")
    lang = get("lang")
    if type(lang) is not str or not lang:
        lang = _string(get("language"))
    licence = get("licence")
    if type(licence) is not str or not licence:
        licence = _string(get("license"))
    url = get(fields.url_field)
    try:
        return new_document(
            text,
            url=url if type(url) is str and url else None,
            source_id=source_id,
            fetched_at=None if fetched is None else _parse_date(fetched),
            lang=lang,
            licence=licence,
            http_headers=_pairs(get("http_headers"), "value") if "http_headers" in record else None,
            html_meta=_pairs(get("html_meta"), "content") if "html_meta" in record else None,
            source_file=source_file,
            source_offset=source_offset,
        )
    except ValueError as exc:  # urllib refuses the URL (bad port, unbalanced brackets)
        msg = f"invalid URL in field {fields.url_field!r}: {exc}"
        raise MalformedRecord(msg) from exc
