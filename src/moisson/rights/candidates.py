"""Cheap candidate identifiers in text, for the suppression filter and the output filter.

Regexes only (emails, phone numbers, capitalised name pairs): each candidate is normalised
(:mod:`moisson.persons.normalise`) and keyed-hashed, then compared with a set of hashes. The
name pattern over-generates on purpose: a false candidate costs one HMAC, never a false match,
because only hashes of suppressed people can match (RGT-05, RGT-06).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from moisson.persons.normalise import normalise_email, normalise_name, normalise_phone

__all__ = ("Candidate", "iter_candidates")

_EMAIL = re.compile(r"[\w.+'-]{1,64}@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<![\w+])(?:\+|00)?\d[\d .\-/()]{7,17}\d(?!\w)")
_CACHE = 65_536


@lru_cache(maxsize=_CACHE)
def _email_key(text: str) -> str | None:
    return normalise_email(text)


@lru_cache(maxsize=_CACHE)
def _phone_key(text: str) -> str | None:
    digits = sum(c.isdigit() for c in text)
    if not 9 <= digits <= 15:  # E.164 numbers have at most 15 digits; national ones 9 or more
        return None
    return normalise_phone(text)


@lru_cache(maxsize=_CACHE)
def _name_key(text: str) -> str | None:
    return normalise_name(text)


def _emails(text: str) -> Iterator[Candidate]:
    """Emails around each ``@`` only: ``str.find`` is much faster than a regex scan."""
    at = text.find("@")
    seen_end = -1
    while at != -1:
        lo = max(0, at - 65, seen_end)
        m = _EMAIL.search(text, lo, min(len(text), at + 256))
        if m is not None and m.start() <= at < m.end():
            key = _email_key(m.group())
            if key is not None:
                yield Candidate("EMAIL", m.start(), m.end(), key)
            seen_end = m.end()
        at = text.find("@", max(at + 1, seen_end))


_UPPER = r"[A-ZÀ-ÖØ-Þ]"
# A word of a name is at most 64 characters. Unbounded, the pattern re-read a hyphenated run
# to its end from each of its capitals ("A-A-A-..."): 20 kB took 2.6 s, time in the square of
# the length, on model outputs and corpus text that anyone can shape.
_WORD = rf"{_UPPER}[\w'’-]{{0,63}}"
_NAME = re.compile(rf"\b{_WORD}(?:[ \t]+{_WORD}){{1,3}}\b")


@dataclass(frozen=True, slots=True)
class Candidate:
    label: str
    start: int
    end: int
    canonical: str


def _name_keys(text: str, start: int) -> Iterator[Candidate]:
    """Every run of two or three consecutive capitalised words in a capitalised sequence."""
    words = [(m.start() + start, m.end() + start, m.group()) for m in re.finditer(r"\S+", text)]
    for size in (2, 3):
        for i in range(len(words) - size + 1):
            chunk = words[i : i + size]
            key = _name_key(" ".join(w for _, _, w in chunk))
            if key is not None:
                yield Candidate("PERSON", chunk[0][0], chunk[-1][1], key)


def iter_candidates(text: str) -> Iterator[Candidate]:
    """Email, phone and name candidates of ``text`` with their canonical keys."""
    if "@" in text:
        yield from _emails(text)
    for m in _PHONE.finditer(text):
        key = _phone_key(m.group())
        if key is not None:
            yield Candidate("PHONE", m.start(), m.end(), key)
    for m in _NAME.finditer(text):
        yield from _name_keys(m.group(), m.start())
