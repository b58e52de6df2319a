"""HTML helpers shared by the WARC reader, the crawler and the opt-out engine.

:func:`extract_html_meta` reads only the ``<head>`` with regular expressions (no DOM), so it
costs microseconds and never fails on broken markup: the opt-out engine (SCR-05/06/13) needs
``<meta name="robots">``, ``tdm-reservation`` and ``tdm-policy`` (TDMRep, W3C CG report §3.2.2)
for every page, including pages whose body is garbage. :func:`html_to_text` is trafilatura in
its fast mode (no fallback extractors), which keeps the main text and drops boilerplate.
"""

from __future__ import annotations

import codecs
import html as html_lib
import logging
import re
from functools import cache
from itertools import islice
from types import ModuleType

__all__ = (
    "HEAD_SCAN_CHARS",
    "MAX_TABLE_CELLS",
    "decode_payload",
    "decoded_payload",
    "extract_html_meta",
    "has_many_table_cells",
    "html_to_text",
    "sniff_meta_charset",
    "text_codec",
    "without_surrogates",
)

HEAD_SCAN_CHARS = 256 * 1024
"""Past this many characters without ``</head>`` the rest is body: stop looking for metas."""

_HEAD_END = re.compile(r"</head\s*>|<body[\s>]", re.IGNORECASE)
# Comments, scripts and styles, each up to its closer or the end of the text. Written as
# "unrolled loops" (no lazy ``.*?``): 10x faster on heads full of inline JavaScript.
_SKIPPED = re.compile(
    r"<!--[^-]*(?:-(?!->)[^-]*)*(?:-->)?"
    r"|<script\b[^<]*(?:<(?!/script\s*>)[^<]*)*(?:</script\s*>)?"
    r"|<style\b[^<]*(?:<(?!/style\s*>)[^<]*)*(?:</style\s*>)?",
    re.IGNORECASE,
)
_META = re.compile(r"<meta\b([^<>]*)>", re.IGNORECASE)  # [^<>]: linear on unclosed tags
_ATTR = re.compile(r"""([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?""")
_KEY_ATTRS = ("name", "http-equiv", "property")
# [^<>]: one scan per unclosed "<meta", not one to the end of the window (linear, as _META).
_CHARSET = re.compile(rb"""<meta[^<>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I)

# Codecs that Python calls text encodings but are not charsets a page can be written in: idna
# and undefined raise on any input (even with errors="replace"), punycode, utf-7 and the escape
# codecs turn page bytes into lone surrogates ("+2AA-", "\ud800") that crash the PII stage and
# the Parquet writer later. A page declaring one falls back to the next candidate (Bad input
# gets a clear error and loses nothing: one hostile charset must not end the WARC file).
_NOT_CHARSETS = frozenset(
    {"idna", "punycode", "undefined", "utf-7", "unicode-escape", "raw-unicode-escape"}
)
_SURROGATE = re.compile("[\ud800-\udfff]")

# trafilatura's handle_table costs O(cells of one row) per cell (lxml len() of the row being
# built), so one row of n cells is O(n^2): 16,000 one-letter cells took 0.75 s, 64,000 took
# 12.4 s (640 KB of markup). Past this many <td>/<th> in the page the tables are left out of
# the text; 5,000 cells in a single row extract in about 0.15 s. Counted on the raw markup
# (cells inside comments or attributes count too): over-counting can only drop the tables.
MAX_TABLE_CELLS = 5000
"""More ``<td>``/``<th>`` than this in a page: :func:`html_to_text` leaves tables out."""
_TABLE_CELL = re.compile(r"<t[dh]\b", re.IGNORECASE)


def text_codec(name: str | None) -> str | None:
    """Python's name for the charset ``name`` when it is a real text encoding, else None.

    Unknown names, bytes-to-bytes codecs (base64, zlib, rot13) and the codecs of
    ``_NOT_CHARSETS`` give None, so callers fall back to their next candidate.
    """
    if not name:
        return None
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError):  # unknown, or a name with a NUL in it
        return None
    if not info._is_text_encoding or info.name in _NOT_CHARSETS:
        return None
    return info.name


def without_surrogates(text: str) -> str:
    """``text`` with lone surrogates replaced by U+FFFD (they cannot be written as UTF-8)."""
    if text.isascii() or _SURROGATE.search(text) is None:
        return text
    return _SURROGATE.sub("\ufffd", text)


def _decode(payload: bytes, charset: str | None, errors: str) -> str | None:
    codec = text_codec(charset)
    if codec is None:
        return None
    try:
        return without_surrogates(payload.decode(codec, errors))
    except UnicodeError:  # strict UTF-8 refusing the bytes, or a codec failing on them
        return None


def decode_payload(payload: bytes, charset: str | None) -> str:
    """Text of a payload: declared charset, else UTF-8, else the ``<meta>`` charset, else cp1252.

    A declared charset that is unknown or not a text encoding (``idna``, ``utf-7``...) is
    ignored; the result never holds lone surrogates.
    """
    return decoded_payload(payload, charset)[0]


def decoded_payload(payload: bytes, charset: str | None) -> tuple[str, str]:
    """:func:`decode_payload`'s text, and the codec that gave it."""
    for candidate, errors in ((charset, "replace"), ("utf-8", "strict")):
        text = _decode(payload, candidate, errors)
        if text is not None:
            return text, text_codec(candidate) or "utf-8"
    meta = sniff_meta_charset(payload)
    text = _decode(payload, meta, "replace")
    if text is not None:
        return text, text_codec(meta) or "cp1252"
    return payload.decode("cp1252", "replace"), "cp1252"


def has_many_table_cells(html: str) -> bool:
    """More than :data:`MAX_TABLE_CELLS` ``<td>``/``<th>`` tags in the markup."""
    cells = islice(_TABLE_CELL.finditer(html), MAX_TABLE_CELLS + 1)
    return sum(1 for _ in cells) > MAX_TABLE_CELLS


@cache
def _trafilatura() -> ModuleType:
    """Imported on first use: the opt-out engine imports this module for the metas only."""
    import trafilatura

    # trafilatura logs every page it finds no text in at ERROR level; an empty page is an
    # ordinary, counted outcome here (skipped/empty_text), not an error to log.
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    return trafilatura


def _attributes(raw: str) -> dict[str, str]:
    attributes: dict[str, str] = {}
    for match in _ATTR.finditer(raw):
        name = match.group(1).lower()
        value = match.group(2)
        if value is None:
            value = match.group(3)
        if value is None:
            value = match.group(4) or ""
        attributes.setdefault(name, value)
    return attributes


def extract_html_meta(html: str | bytes) -> list[tuple[str, str]]:
    """``(name, content)`` of each ``<meta>`` of the head, in order; names lower-cased.

    The name is the ``name``, ``http-equiv`` or ``property`` attribute; metas without a name or
    a ``content`` (``<meta charset>``) are left out. Comments, scripts and styles are ignored,
    so a commented-out ``<meta name="robots">`` does not count.
    """
    if isinstance(html, bytes | bytearray):
        html = bytes(html[:HEAD_SCAN_CHARS]).decode("utf-8", "replace")
    else:
        html = html[:HEAD_SCAN_CHARS]
    head = _SKIPPED.sub(" ", html)
    end = _HEAD_END.search(head)
    if end is not None:
        head = head[: end.start()]
    metas: list[tuple[str, str]] = []
    for match in _META.finditer(head):
        attributes = _attributes(match.group(1))
        content = attributes.get("content")
        if content is None:
            continue
        key = next((attributes[a] for a in _KEY_ATTRS if attributes.get(a)), None)
        if key is None:
            continue
        metas.append((html_lib.unescape(key).strip().lower(), html_lib.unescape(content).strip()))
    return metas


def sniff_meta_charset(payload: bytes) -> str | None:
    """Charset declared by ``<meta charset>`` or ``http-equiv`` in the first 4 KiB, if any."""
    match = _CHARSET.search(payload[:4096])
    return match.group(1).decode("ascii").lower() if match else None


def html_to_text(html: str, *, url: str | None = None) -> str:
    """Main text of a page (trafilatura fast mode, tables kept, comments dropped); ``""`` if none.

    Never raises on malformed markup: a page trafilatura cannot handle has no text. A page with
    more than :data:`MAX_TABLE_CELLS` table cells is extracted without its tables (trafilatura
    is quadratic in the cells of a row).
    """
    if not html or html.isspace():
        return ""
    try:
        text = _trafilatura().extract(
            html,
            url=url,
            fast=True,
            include_comments=False,
            include_tables=not has_many_table_cells(html),
            deduplicate=False,
        )
    except Exception:  # trafilatura/lxml raise many types on hostile markup; no text is the answer
        return ""
    return text or ""
