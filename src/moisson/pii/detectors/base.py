r"""The detector seam: one class a label, with its patterns, context words and validator.

Shape borrowed from Presidio recognizers (style.md rule 11): ``PATTERNS`` find candidates,
``validate`` rejects look-alikes (checksums, reserved ranges), ``CONTEXT`` words nearby raise
the score.

Web scale (PII-04) needs each pattern to run on little text: a detector declares how it is
triggered. ``TRIGGER = "keywords"``: it runs only in windows (``WINDOW`` characters before and
after) around its lower-case ``KEYWORDS``, all found in one Aho-Corasick pass by the analyzer.
``TRIGGER = "digits"``: it runs only around runs of digits holding at least ``MIN_DIGITS``
digits, found by one scan. ``TRIGGER = "always"``: it scans the whole text itself, cheaply.
A detector that needs a context word declares it in ``GATE``: without one in the text, the
analyzer does not run it at all.

Patterns open with a character class, and a look-behind that must see the character before
the match comes right after it (``\d(?<![\w.]\d)`` rather than ``(?<![\w.])\d``): the regex
engine then skips straight to the candidates instead of trying the look-behind at every
character. tests/pii/test_pii_fast_paths.py checks each rewrite against the original.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterator
from functools import lru_cache
from typing import ClassVar, Literal

from moisson.pii._text import lower_agrees
from moisson.pii._types import Span

__all__ = ("Detector", "RegexDetector", "context_before", "words_pattern")


def words_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """One case-insensitive alternation of context words, longest first."""
    ordered = sorted(words, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in ordered), re.IGNORECASE)


@lru_cache(maxsize=64)
def _lowered_words(words: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(word.lower() for word in words)


def context_before(text: str, start: int, window: int) -> str:
    """The ``window`` characters before ``start``."""
    return text[max(0, start - window) : start]


class Detector(ABC):
    """Finds the values of one label in a text."""

    name: ClassVar[str]
    label: ClassVar[str]
    TRIGGER: ClassVar[Literal["keywords", "digits", "always"]] = "always"
    KEYWORDS: ClassVar[tuple[str, ...]] = ()
    WINDOW: ClassVar[tuple[int, int]] = (0, 0)
    MIN_DIGITS: ClassVar[int] = 0
    # Lower-case words of which one must be in the text for the detector to find anything
    # (its required context): the analyzer's keyword pass checks them, the detector is not run.
    GATE: ClassVar[tuple[str, ...]] = ()

    def applies(self, text: str) -> bool:
        """Cheap pre-scan: False when the text cannot hold a match."""
        return True

    def keep_hit(self, text: str, start: int, end: int) -> bool:
        """Whether a keyword hit at ``text[start:end]`` opens a window (default: always)."""
        return True

    @abstractmethod
    def detect(
        self, text: str, lang: str, start: int = 0, end: int | None = None
    ) -> Iterator[Span]:
        """Yield the spans found in ``text[start:end]`` (``lang`` is a two-letter code, or
        ``""`` when not known yet: a detector that needs it calls ``detect_language``).

        Patterns see the characters before ``start`` (look-behinds) but not after ``end``.
        """


class RegexDetector(Detector):
    """Patterns, then a validator, then a context boost."""

    PATTERNS: ClassVar[tuple[re.Pattern[str], ...]] = ()
    CONTEXT: ClassVar[tuple[str, ...]] = ()
    SCORE: ClassVar[float] = 0.6
    CONTEXT_SCORE: ClassVar[float] = 0.95
    CONTEXT_WINDOW: ClassVar[int] = 50
    _context_re: ClassVar[re.Pattern[str] | None] = None

    def validate(self, value: str) -> bool:
        """True when ``value`` is a real identifier, not a look-alike."""
        return True

    def has_context(self, text: str, start: int) -> bool:
        cls = type(self)
        if not cls.CONTEXT:
            return False
        segment = context_before(text, start, cls.CONTEXT_WINDOW)
        if lower_agrees(segment):
            # Substring tests cost a third of the regex search (PII-04); on the rare text
            # where they could disagree with it ("ſ", "İ"), the regex decides, as before.
            lowered = segment.lower()
            return any(word in lowered for word in _lowered_words(cls.CONTEXT))
        if cls._context_re is None:
            cls._context_re = words_pattern(cls.CONTEXT)
        return cls._context_re.search(segment) is not None

    def detect(
        self, text: str, lang: str, start: int = 0, end: int | None = None
    ) -> Iterator[Span]:
        stop = len(text) if end is None else end
        for pattern in self.PATTERNS:
            for match in pattern.finditer(text, start, stop):
                value = match.group()
                if not self.validate(value):
                    continue
                score = self.CONTEXT_SCORE if self.has_context(text, match.start()) else self.SCORE
                yield Span(match.start(), match.end(), self.label, score, self.name)
