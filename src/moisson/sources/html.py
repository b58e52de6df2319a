"""HTML helpers shared by the WARC reader, the crawler and the opt-out engine.

:func:`extract_html_meta` reads only the ``<head>`` with regular expressions (no DOM), so it
costs microseconds and never fails on broken markup: the opt-out engine (SCR-05/06/13) needs
``<meta name="robots">``, ``tdm-reservation`` and ``tdm-policy`` (TDMRep, W3C CG report §3.2.2)
for every page, including pages whose body is garbage. :func:`html_to_text` is trafilatura in
its fast mode (no fallback extractors), which keeps the main text and drops boilerplate.
"""

from __future__ import annotations

import html as html_lib
import logging
import re
from functools import cache
from types import ModuleType

__all__ = ("HEAD_SCAN_CHARS", "extract_html_meta", "html_to_text", "sniff_meta_charset")

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
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I)


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

    Never raises on malformed markup: a page trafilatura cannot handle has no text.
    """
    if not html or html.isspace():
        return ""
    try:
        text = _trafilatura().extract(
            html,
            url=url,
            fast=True,
            include_comments=False,
            include_tables=True,
            deduplicate=False,
        )
    except Exception:  # trafilatura/lxml raise many types on hostile markup; no text is the answer
        return ""
    return text or ""
