"""Fast ``<meta name=... content=...>`` extraction from raw HTML bytes (crawler hot path).

A full HTML parse of every page costs more than the rest of the gate together; meta tags only
need the tags themselves. Conservative reading (optout-signals.md X-12): tags are taken from
anywhere in the document, not only ``<head>``; attribute values are entity-decoded.
"""

from __future__ import annotations

import html
import re

__all__ = ("extract_meta_tags",)

_META = re.compile(rb"<meta\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(
    rb"""([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))"""
)
_SCAN_BYTES = 1 << 20


def extract_meta_tags(body: bytes, encoding: str = "utf-8") -> list[tuple[str, str]]:
    """``(name, content)`` of every ``<meta>`` with both attributes, in document order."""
    out: list[tuple[str, str]] = []
    for tag in _META.finditer(body, 0, _SCAN_BYTES):
        name = content = None
        for match in _ATTR.finditer(tag.group()):
            key = match.group(1).lower()
            if key not in (b"name", b"content"):
                continue
            raw = match.group(2) if match.group(2) is not None else match.group(3)
            if raw is None:
                raw = match.group(4)
            value = html.unescape(raw.decode(encoding, errors="replace"))
            if key == b"name":
                name = value
            else:
                content = value
        if name is not None and content is not None:
            out.append((name, content))
    return out
