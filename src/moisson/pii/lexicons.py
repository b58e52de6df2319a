"""Name and context lexicons shipped with the package (PII-01, fast tier).

Lists are plain text files under ``moisson/pii/data`` (whitespace- or line-separated, ``#``
comments) so that a deployment can review them. Lookups use accent- and case-folded forms.
"""

from __future__ import annotations

import unicodedata
from functools import cache, lru_cache
from importlib import resources

__all__ = (
    "first_names",
    "fold",
    "non_name_words",
    "stop_names",
    "street_words",
)


def fold(token: str) -> str:
    """Accent- and case-folded form of a short token."""
    if token.isascii():
        # NFKD leaves ASCII as it is, with no combining mark, and ASCII casefolds as it
        # lowers: the same result without the Unicode work (PII-04: first pass, new names).
        return token.lower()
    return _fold_unicode(token)


@lru_cache(maxsize=65536)
def _fold_unicode(token: str) -> str:
    """:func:`fold` beyond ASCII (cached: names repeat)."""
    decomposed = unicodedata.normalize("NFKD", token)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _read(name: str) -> str:
    return resources.files("moisson.pii").joinpath("data", name).read_text("utf-8")


def _words(name: str) -> frozenset[str]:
    words: set[str] = set()
    for line in _read(name).splitlines():
        if not line.startswith("#"):
            words.update(fold(w) for w in line.split())
    return frozenset(words)


@cache
def first_names() -> frozenset[str]:
    """Folded French and English first names."""
    return _words("first_names_fr.txt") | _words("first_names_en.txt")


@cache
def non_name_words() -> frozenset[str]:
    """Folded capitalised words that are never part of a person's name."""
    return _words("non_name_words.txt")


@cache
def street_words() -> frozenset[str]:
    """Folded words after which a name belongs to a street or institution."""
    return _words("street_words.txt")


@cache
def stop_names() -> frozenset[str]:
    """Folded full names of historic figures, brands and characters (not personal data)."""
    names: set[str] = set()
    for line in _read("stop_names.txt").splitlines():
        if line.strip() and not line.startswith("#"):
            names.add(" ".join(fold(w) for w in line.replace("'", " ").split()))
    return frozenset(names)
