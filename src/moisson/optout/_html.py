"""``<meta name=... content=...>`` pairs of raw HTML, wherever they sit (X-12).

Conservative reading: a meta robots tag in ``<body>`` is honoured too. That is why this does not
reuse ``moisson.sources.html.extract_html_meta``, which reads the ``<head>`` only: a refusal
placed in the body (or injected there by a CMS) must still count for training.

libxml2 gives up at a nesting depth of 256 (a fatal "Excessive depth" error), and lxml refuses a
``str`` that carries an XML encoding declaration: either way the tree lacks the meta tags that
follow, and a refusal would be lost (fail-open). Then a flat scan of every ``<meta ...>`` tag,
linear and depth-free, adds what the tree missed (optout-signals.md §11.3: an unreadable signal
never allows).
"""

from __future__ import annotations

import html as html_lib
import importlib
import re
from collections import Counter
from typing import Any

__all__ = ("extract_meta",)

# ``[^<>]*`` stops at the next tag: each byte is read once, however hostile the page.
_META_TAG = re.compile(r"<meta(?=[\s/>])([^<>]*)>", re.I)
_ATTRIBUTE = re.compile(
    r"""([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'<>`]+)))?""",
)


def _flat_meta(html: str | bytes) -> list[tuple[str, str]]:
    """``(name, content)`` of every ``<meta>`` tag, read without building a tree."""
    text = html.decode("utf-8", "replace") if isinstance(html, bytes) else html
    out: list[tuple[str, str]] = []
    for tag in _META_TAG.finditer(text):
        attributes: dict[str, str] = {}
        for m in _ATTRIBUTE.finditer(tag.group(1)):
            key = m.group(1).lower()
            if key not in attributes:  # the first of repeated attributes wins (HTML §13.2.5.33)
                value = next((v for v in m.group(2, 3, 4) if v is not None), "")
                attributes[key] = html_lib.unescape(value)
        if "name" in attributes and "content" in attributes:
            out.append((attributes["name"], attributes["content"]))
    return out


def extract_meta(html: str | bytes) -> list[tuple[str, str]]:
    """All ``(name, content)`` pairs of ``<meta>`` elements that have both attributes."""
    etree: Any = importlib.import_module("lxml.etree")
    lxml_html: Any = importlib.import_module("lxml.html")

    if not html or (isinstance(html, bytes | str) and not html.strip()):
        return []
    parser = lxml_html.HTMLParser()
    try:
        root = lxml_html.fromstring(html, parser=parser)
    except (ValueError, etree.ParserError):
        # No tree at all: a str with an XML encoding declaration, or one libxml2 could not
        # read ("Document is empty" for a lone surrogate before the tags).
        return _flat_meta(html)
    out: list[tuple[str, str]] = []
    for meta in root.iter("meta"):
        name = meta.get("name")
        content = meta.get("content")
        if name is not None and content is not None:
            out.append((name, content))
    if any(error.level_name == "FATAL" for error in parser.error_log):
        # The parse stopped early (depth limit): keep the tree's pairs, add the ones it missed.
        missing = Counter(_flat_meta(html))
        missing.subtract(out)
        out.extend(pair for pair, count in missing.items() for _ in range(count) if count > 0)
    return out
