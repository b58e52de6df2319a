"""WARC reader (ISO 28500; plain, gzip or zstd): HTTP responses to documents, headers kept.

Each ``response`` record with a 2xx HTML or plain-text payload becomes a document whose
``http_headers`` are the response headers exactly as archived: in order, repeated names kept,
preceded by the pseudo-header ``(":status", "200")`` (the HTTP/2 convention, RFC 9113 §8.3.2).
The opt-out engine re-reads them later (``X-Robots-Tag``, ``tdm-reservation``: SCR-05/06/13),
which is what datatrove's reader throws away. ``source_offset`` is the byte offset of the record
in the (compressed) file, so ``dd``/``warcio extract`` can fetch it again.

Skipped records are counted in :attr:`SourceReader.stats` (``skipped/status``,
``skipped/non_html``, ``skipped/empty_text``, ``skipped/too_large``, ``skipped/encoding``).
A record cut short by the end of the file is reported to ``on_error`` at its offset.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from typing import Any

from fastwarc.warc import ArchiveIterator, WarcRecordType

from moisson.errors import InputError
from moisson.sources.base import OnError, SourceReader, raise_record_error
from moisson.sources.fields import new_document
from moisson.sources.html import decode_payload, extract_html_meta, html_to_text
from moisson.store.document import Document

__all__ = ("HTML_TYPES", "TEXT_TYPES", "WarcReader", "decode_payload")

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
TEXT_TYPES = frozenset({"text/plain"})
_SNIFF_HTML = (b"<!doctype html", b"<html", b"<head", b"<body")


class _BadEncoding(Exception):
    pass


# RFC 9112 §7.1: chunk-size = 1*HEXDIG, then optional blanks before an extension. int()
# alone also took "-a9", a negative size that sent the reader back into the payload for ever.
_CHUNK_SIZE = re.compile(rb"[0-9A-Fa-f]{1,16}[ \t]*")


def _dechunk(payload: bytes) -> bytes:
    """Remove HTTP/1.1 chunked framing (RFC 9112 §7.1); stops at the last chunk."""
    out = bytearray()
    position = 0
    while True:
        line_end = payload.find(b"\r\n", position)
        if line_end < 0:
            msg = "chunked payload without chunk size line"
            raise _BadEncoding(msg)
        field = payload[position:line_end].split(b";", 1)[0]
        if _CHUNK_SIZE.fullmatch(field) is None:
            msg = "bad chunk size"
            raise _BadEncoding(msg)
        size = int(field, 16)
        if size == 0:
            return bytes(out)
        start = line_end + 2
        out += payload[start : start + size]
        position = start + size + 2


class _TooLarge(Exception):
    pass


def _inflate(payload: bytes, wbits: int, limit: int) -> bytes:
    """``zlib.decompress`` that stops past ``limit`` bytes: a few kB of a gzip bomb would
    otherwise inflate to gigabytes in memory."""
    inflater = zlib.decompressobj(wbits)
    out = inflater.decompress(payload, limit + 1)
    if len(out) > limit:
        msg = f"decompresses to more than {limit} bytes"
        raise _TooLarge(msg)
    if not inflater.eof:  # as zlib.decompress: a cut stream is an error, not a short text
        msg = "incomplete or truncated stream"
        raise zlib.error(msg)
    return out


def _unencode(payload: bytes, headers: list[tuple[str, str]], limit: int) -> bytes:
    """Undo Transfer-Encoding: chunked and Content-Encoding gzip/deflate when archived raw;
    :class:`_TooLarge` when the decoded payload would exceed ``limit`` bytes."""
    for name, value in headers:
        lname, lvalue = name.lower(), value.strip().lower()
        if lname == "transfer-encoding" and "chunked" in lvalue:
            payload = _dechunk(payload)
        elif lname == "content-encoding" and lvalue in ("gzip", "x-gzip", "deflate"):
            try:
                wbits = 47 if lvalue != "deflate" else 15
                payload = _inflate(payload, wbits, limit)
            except zlib.error:
                try:
                    payload = _inflate(payload, -15, limit)
                except zlib.error as exc:
                    msg = f"bad {lvalue} payload"
                    raise _BadEncoding(msg) from exc
        elif lname == "content-encoding" and lvalue not in ("", "identity"):
            msg = f"unsupported content encoding {lvalue!r}"
            raise _BadEncoding(msg)
    return payload


def _content_kind(record: Any, payload_head: bytes) -> str | None:
    """``"html"``, ``"text"`` or ``None`` (skip) from the HTTP type, else from the bytes."""
    mime = record.http_content_type
    if not mime:
        mime = (record.headers.get("WARC-Identified-Payload-Type") or "").split(";")[0]
    mime = mime.strip().lower()
    if mime in HTML_TYPES:
        return "html"
    if mime in TEXT_TYPES:
        return "text"
    if not mime:
        start = payload_head.lstrip()[:32].lower()
        if start.startswith(_SNIFF_HTML):
            return "html"
    return None


class WarcReader(SourceReader):
    """Reads ``.warc``, ``.warc.gz`` and ``.warc.zst`` files with FastWARC."""

    format = "warc"

    def read(self, on_error: OnError = raise_record_error) -> Iterator[Document]:
        source_file = str(self.path)
        try:
            stream = self.path.open("rb")
        except OSError as exc:
            msg = f"{self.path}: cannot read: {exc.strerror or exc}"
            raise InputError(msg, path=source_file) from exc
        with stream:
            records = ArchiveIterator(
                stream,
                record_types=WarcRecordType.response,
                parse_http=True,
                auto_decode="none",
            )
            last_offset: int | None = None
            while True:
                try:
                    record = next(records)
                except StopIteration:
                    return
                except OSError as exc:
                    if last_offset is None:
                        msg = f"{self.path}: not a readable WARC file: {exc}"
                        raise InputError(msg, path=source_file) from exc
                    self.stats["records"] += 1
                    reason = f"unreadable WARC data after the record at this offset: {exc}"
                    self.report_malformed(on_error, reason, f"offset {last_offset}", None)
                    return
                last_offset = record.stream_pos
                self.stats["records"] += 1
                doc = self._document(record, on_error)
                if doc is not None:
                    yield doc

    def _document(self, record: Any, on_error: OnError) -> Document | None:
        offset = record.stream_pos
        location = f"offset {offset}"
        http = record.http_headers
        if "Content-Length" not in record.headers:
            self.report_malformed(on_error, "WARC record headers are incomplete", location, None)
            return None
        declared = record.headers.get("Content-Length").strip()
        if not (declared.isascii() and declared.isdigit() and len(declared) <= 18):
            # FastWARC reads "-5", "abc" or a 23-digit length as 0 and the HTTP block as empty:
            # name the real fault rather than the status line it then cannot find.
            reason = f"invalid WARC Content-Length {declared[:40]!r}"
            self.report_malformed(on_error, reason, location, None)
            return None
        if not record.is_http or http is None:  # dns: lookups and other non-HTTP responses
            self._skip(record, record.content_length, "not_http", on_error, location)
            return None
        expected = record.content_length
        status = http.status_code
        if status is None:
            # FastWARC leaves the code unset when the HTTP status line is not "HTTP/x.y NNN"
            # (garbage, a 20-digit code): a malformed record named by its offset, not a TypeError
            # that ends the file (Errors name the file, record and reason).
            raw = record.reader.read() if expected <= self.max_record_bytes else None
            reason = "unparseable HTTP status line in the response record"
            self.report_malformed(on_error, reason, location, raw)
            return None
        if not 200 <= status < 300:
            self._skip(record, expected, "status", on_error, location)
            return None
        if expected > self.max_record_bytes:
            self._skip(record, expected, "too_large", on_error, location)
            return None
        payload: bytes = record.reader.read()
        if len(payload) < expected:
            reason = (
                f"record cut short: {len(payload)} of {expected} payload bytes (truncated file?)"
            )
            self.report_malformed(on_error, reason, location, payload)
            return None
        kind = _content_kind(record, payload[:256])
        if kind is None:
            self.stats["skipped/non_html"] += 1
            return None
        headers: list[tuple[str, str]] = [(":status", str(status)), *http.items()]
        try:
            payload = _unencode(payload, headers, self.max_record_bytes)
        except _BadEncoding:
            self.stats["skipped/encoding"] += 1
            return None
        except _TooLarge:
            self.stats["skipped/too_large"] += 1
            return None
        content = decode_payload(payload, record.http_charset)
        url = (record.headers.get("WARC-Target-URI") or "").strip().strip("<>") or None
        if kind == "html":
            html_meta = extract_html_meta(content)
            text = html_to_text(content, url=url)
        else:
            html_meta, text = [], content
        if not text.strip():
            self.stats["skipped/empty_text"] += 1
            return None
        try:
            fetched_at = record.record_date
        except ValueError as exc:  # FastWARC parses "0000-01-01" then datetime refuses year 0
            self.report_malformed(on_error, f"invalid WARC-Date: {exc}", location, payload)
            return None
        try:
            doc = new_document(
                text,
                url=url,
                source_id=record.record_id,
                fetched_at=fetched_at,
                http_headers=headers,
                html_meta=html_meta,
                source_file=str(self.path),
                source_offset=offset,
            )
        except ValueError as exc:  # urllib refuses the target URI (bad port, brackets)
            # The URI stays out of the message (it may carry identifiers, ?email=...): the
            # error names the offset, and the payload goes to quarantine with it.
            self.report_malformed(on_error, f"invalid WARC-Target-URI: {exc}", location, payload)
            return None
        self.stats["documents"] += 1
        return doc

    def _skip(
        self, record: Any, expected: int, reason: str, on_error: OnError, location: str
    ) -> None:
        consumed = record.reader.consume()
        if consumed < expected:
            message = f"record cut short: {consumed} of {expected} payload bytes (truncated file?)"
            self.report_malformed(on_error, message, location, None)
            return
        self.stats[f"skipped/{reason}"] += 1
