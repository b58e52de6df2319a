"""``<meta name=... content=...>`` pairs of raw HTML, wherever they sit (X-12).

Conservative reading: a meta robots tag in ``<body>`` is honoured too. That is why this does not
reuse ``moisson.sources.html.extract_html_meta``, which reads the ``<head>`` only: a refusal
placed in the body (or injected there by a CMS) must still count for training.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ("extract_meta",)


def extract_meta(html: str | bytes) -> list[tuple[str, str]]:
    """All ``(name, content)`` pairs of ``<meta>`` elements that have both attributes."""
    etree: Any = importlib.import_module("lxml.etree")
    lxml_html: Any = importlib.import_module("lxml.html")

    if not html or (isinstance(html, bytes | str) and not html.strip()):
        return []
    try:
        root = lxml_html.fromstring(html)
    except (etree.ParserError, ValueError):
        return []
    out: list[tuple[str, str]] = []
    for meta in root.iter("meta"):
        name = meta.get("name")
        content = meta.get("content")
        if name is not None and content is not None:
            out.append((name, content))
    return out
