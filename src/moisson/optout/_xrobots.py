"""X-Robots-Tag and ``<meta name="robots">``: ``noai``, ``noimageai``, ``noml``, bot scopes.

Google's robots meta syntax (optout-signals.md §3): names and values are case-insensitive
(X-03, X-09); several header lines combine (X-04); ``bot: directives`` scopes what follows on
the line to one crawler (X-05, X-06); values containing colons (``unavailable_after: ...``,
``max-image-preview:large``) are directives, not scopes (X-01, X-02). The most restrictive
applicable directive wins. ``noimageai`` refuses images, including the images of a page that
carries it (X-11, C-07). Bing ``noarchive``/``nocache`` and ``noindex`` only refuse training in
conservative mode (X-14, §3.2).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from moisson.optout._verdict import Signal

__all__ = ("DirectiveHit", "parse_robots_directives", "robots_directive_signal")

_VALUED = frozenset(
    {
        "unavailable_after",
        "max-snippet",
        "max-image-preview",
        "max-video-preview",
        "indexifembedded",
    }
)
_SCOPE = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*:\s*(.*)$", re.S)
_SPLIT = re.compile(r"[\s;]+")

_AI_PURPOSES = ("train-ai", "ai-input", "tdm-research")


@dataclass(frozen=True, slots=True)
class DirectiveHit:
    """One directive with the scope it applies to (None: every crawler)."""

    scope: str | None
    directive: str
    raw: str


def parse_robots_directives(value: str, *, scope: str | None = None) -> list[DirectiveHit]:
    """Split one header line (or meta content) into scoped, lower-case directives."""
    hits: list[DirectiveHit] = []
    current = scope
    for item in value.split(","):
        m = _SCOPE.match(item)
        if m and m.group(1).lower() not in _VALUED and scope is None:
            current = m.group(1).lower()
            item = m.group(2)
        for word in _SPLIT.split(item.strip()):
            if word:
                hits.append(DirectiveHit(current, word.lower().rstrip(":"), value))
    return hits


def _refuses(directive: str, purpose: str, *, image: bool, conservative: bool) -> bool:
    if directive == "noai":
        return purpose in _AI_PURPOSES
    if directive == "noimageai":
        return image and purpose in _AI_PURPOSES
    if directive == "noml":
        return purpose in ("train-ai", "tdm-research")
    if directive in ("noarchive", "nocache"):
        return conservative and purpose in ("train-ai", "ai-input")
    if directive in ("noindex", "none"):
        return purpose == "search" or (conservative and purpose in _AI_PURPOSES)
    if directive == "noimageindex":
        return image and (purpose == "search" or (conservative and purpose in _AI_PURPOSES))
    return False


def robots_directive_signal(
    family: str,
    hits: Iterable[DirectiveHit],
    *,
    tokens: frozenset[str],
    purpose: str,
    image: bool,
    conservative: bool,
    evidence: dict[str, object],
) -> Signal:
    """Disallow if any directive that applies to one of ``tokens`` refuses ``purpose``."""
    applicable: list[DirectiveHit] = []
    for hit in hits:
        if hit.scope is not None and hit.scope not in tokens:
            continue
        applicable.append(hit)
        if _refuses(hit.directive, purpose, image=image, conservative=conservative):
            evidence.update(
                directive=hit.directive, scope=hit.scope or "*", raw=hit.raw, image=image
            )
            return Signal(family, "disallow", evidence)
    evidence["directives"] = sorted({h.directive for h in applicable})
    return Signal(family, "unknown", evidence)
