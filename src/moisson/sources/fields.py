"""Turning one structured record (a JSONL object, a Parquet or Hugging Face row) into a Document.

The three tabular formats share the same field rules, so a dataset exported from one and
re-ingested from another gives the same documents (same ``doc_id``, style.md §8).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from moisson.store.document import Document

__all__ = ("FieldMap", "MalformedRecord", "document_from_record")

_DATE_FIELDS = ("fetched_at", "date", "timestamp")
_LANG_FIELDS = ("lang", "language")
_LICENCE_FIELDS = ("licence", "license")


class MalformedRecord(Exception):  # noqa: N818 - internal signal, turned into a RecordError
    """Internal: the record breaks a field rule; the message is the reason."""


class FieldMap:
    """Names of the text, id and URL fields of a source (``--text-field`` etc.)."""

    __slots__ = ("id_field", "text_field", "url_field")

    def __init__(self, text_field: str = "text", id_field: str = "id", url_field: str = "url"):
        self.text_field = text_field
        self.id_field = id_field
        self.url_field = url_field


def _parse_date(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, str) and value:
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00", 1))
        except ValueError:
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return None


def _first_str(record: Mapping[str, Any], names: tuple[str, ...]) -> str | None:
    for name in names:
        value = record.get(name)
        if isinstance(value, str) and value:
            return value
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


def document_from_record(
    record: Any, fields: FieldMap, *, source_file: str, source_offset: int
) -> Document:
    """Build the document of one record; raise :class:`MalformedRecord` with the reason."""
    if not isinstance(record, Mapping):
        msg = f"expected a JSON object, got {type(record).__name__}"
        raise MalformedRecord(msg)
    text = record.get(fields.text_field)
    if text is None:
        msg = f"missing text field {fields.text_field!r}"
        raise MalformedRecord(msg)
    if not isinstance(text, str):
        msg = f"text field {fields.text_field!r} is a {type(text).__name__}, not a string"
        raise MalformedRecord(msg)
    if not text.strip():
        msg = f"empty text field {fields.text_field!r}"
        raise MalformedRecord(msg)
    raw_id = record.get(fields.id_field)
    source_id = None if raw_id is None or isinstance(raw_id, dict | list) else str(raw_id)
    url = record.get(fields.url_field)
    return Document.new(
        text,
        url=url if isinstance(url, str) and url else None,
        source_id=source_id,
        fetched_at=_parse_date(next((record[k] for k in _DATE_FIELDS if k in record), None)),
        lang=_first_str(record, _LANG_FIELDS),
        licence=_first_str(record, _LICENCE_FIELDS),
        http_headers=_pairs(record.get("http_headers"), "value"),
        html_meta=_pairs(record.get("html_meta"), "content"),
        source_file=source_file,
        source_offset=source_offset,
    )
