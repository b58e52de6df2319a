"""JSON Lines reader (plain, gzip, zstd): one JSON object a line, located by line number.

Lines are read as bytes in 1 MiB chunks and parsed with ``orjson`` when it is installed
(``json`` otherwise): per line there is the parse and the document, nothing else. A line longer
than ``max_record_bytes`` is reported, never loaded whole (memory stays bounded).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from moisson.sources.base import RAW_CAP, OnError, SourceReader, raise_record_error
from moisson.sources.fields import FieldMap, MalformedRecord, document_from_record
from moisson.sources.streams import BrokenStream, decompressed_chunks
from moisson.store.document import Document

__all__ = ("JsonlReader", "json_loads")


def _pick_loads() -> Callable[[bytes], Any]:
    try:
        import orjson
    except ImportError:
        return json.loads
    loads: Callable[[bytes], Any] = orjson.loads
    return loads


json_loads = _pick_loads()


def _json_reason(line: bytes, exc: Exception) -> str:
    """Say why a line does not parse; invalid UTF-8 is named as such, with its byte position."""
    try:
        line.decode("utf-8")
    except UnicodeDecodeError as bad:
        return f"invalid UTF-8 at byte {bad.start} of the line"
    if isinstance(exc, RecursionError):
        return "invalid JSON: nested too deeply"
    return f"invalid JSON: {exc}"


class JsonlReader(SourceReader):
    """Reads ``.jsonl``, ``.jsonl.gz`` and ``.jsonl.zst``; ``source_offset`` is the 1-based line."""

    format = "jsonl"

    def read(self, on_error: OnError = raise_record_error) -> Iterator[Document]:
        fields = FieldMap(self.text_field, self.id_field, self.url_field)
        source_file = str(self.path)
        limit = self.max_record_bytes
        stats = self.stats
        loads = json_loads

        def parse(line: bytes, line_no: int) -> Document | None:
            if not line or line.isspace():
                stats["skipped/blank_line"] += 1
                return None
            stats["records"] += 1
            if len(line) > limit:
                self.report_malformed(
                    on_error,
                    f"record of {len(line)} bytes exceeds the limit of {limit} bytes",
                    f"line {line_no}",
                    line,
                )
                return None
            try:
                record = loads(line)
            except (ValueError, RecursionError) as exc:
                self.report_malformed(on_error, _json_reason(line, exc), f"line {line_no}", line)
                return None
            try:
                doc = document_from_record(
                    record, fields, source_file=source_file, source_offset=line_no
                )
            except MalformedRecord as exc:
                self.report_malformed(on_error, str(exc), f"line {line_no}", line)
                return None
            stats["documents"] += 1
            return doc

        build = document_from_record
        line_no = fast_docs = 0
        pending: list[bytes] = []
        pending_len = 0
        chunks = decompressed_chunks(self.path)
        try:
            for chunk in chunks:
                newline = chunk.find(b"\n")
                if newline < 0:
                    pending_len += len(chunk)
                    if len(pending) == 1 and len(pending[0]) >= RAW_CAP and pending_len > limit:
                        continue  # an oversized line: keep its start for the error, drop the rest
                    pending.append(chunk)
                    if pending_len > limit:
                        pending = [b"".join(pending)[:RAW_CAP]]
                    continue
                line_no += 1
                head = chunk[:newline]
                if pending_len + len(head) > limit:
                    self._oversize(on_error, line_no, pending_len + len(head), pending, head)
                else:
                    doc = parse(b"".join(pending) + head if pending else head, line_no)
                    if doc is not None:
                        yield doc
                lines = chunk[newline + 1 :].split(b"\n")
                tail = lines.pop()
                for line in lines:
                    line_no += 1
                    # Fast path for the good line; any failure re-runs `parse`, which names it.
                    try:
                        if len(line) > limit:
                            raise MalformedRecord
                        doc = build(
                            loads(line), fields, source_file=source_file, source_offset=line_no
                        )
                    except (ValueError, RecursionError, MalformedRecord):
                        slow = parse(line, line_no)
                        if slow is None:
                            continue
                        doc = slow
                    else:
                        fast_docs += 1
                    yield doc
                pending = [tail] if tail else []
                pending_len = len(tail)
        except BrokenStream as broken:
            stats["records"] += 1
            self.report_malformed(
                on_error,
                f"{broken.reason} after {broken.decompressed} decompressed bytes",
                f"line {line_no + 1}",
                b"".join(pending),
            )
            return
        finally:
            stats["records"] += fast_docs
            stats["documents"] += fast_docs
        if pending_len:
            line_no += 1
            if pending_len > limit:
                self._oversize(on_error, line_no, pending_len, pending, b"")
            else:
                doc = parse(b"".join(pending), line_no)
                if doc is not None:
                    yield doc

    def _oversize(
        self, on_error: OnError, line_no: int, size: int, pending: list[bytes], head: bytes
    ) -> None:
        self.stats["records"] += 1
        raw = b"".join(pending)[:RAW_CAP]
        if len(raw) < RAW_CAP:
            raw += head[: RAW_CAP - len(raw)]
        reason = f"record of {size} bytes exceeds the limit of {self.max_record_bytes} bytes"
        self.report_malformed(on_error, reason, f"line {line_no}", raw)
