"""Shared cheap views of a text, computed once per analysed text (PII-04)."""

from __future__ import annotations

from functools import lru_cache

__all__ = ("lowered",)


@lru_cache(maxsize=8)
def lowered(text: str) -> str:
    """``text.lower()``, cached: several detectors pre-scan the same lower-cased text."""
    return text.lower()
