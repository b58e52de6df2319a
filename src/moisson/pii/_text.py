"""Shared cheap views of a text, computed once per analysed text (PII-04)."""

from __future__ import annotations

from functools import lru_cache

__all__ = ("CASE_TRAPS", "lower_agrees", "lowered")

# The only characters that ``re.IGNORECASE`` matches to a character of our lower-case word
# lists (ASCII letters and digits, accented French letters, "°", punctuation) while
# ``str.lower()`` maps them elsewhere: dotted and dotless I and the long s. Found by testing
# every Unicode character (tests/pii/test_pii_fast_paths.py re-checks the Basic Multilingual Plane).
CASE_TRAPS = ("İ", "ı", "ſ")


def lower_agrees(segment: str) -> bool:
    """Whether a lower-case word is in ``segment.lower()`` exactly when a case-insensitive
    regex search finds it in ``segment``: substring tests then replace the slower regex."""
    return "İ" not in segment and "ı" not in segment and "ſ" not in segment


@lru_cache(maxsize=8)
def lowered(text: str) -> str:
    """``text.lower()``, cached: several detectors pre-scan the same lower-cased text."""
    return text.lower()
