"""PHONE: French, UK and US numbers, national and international formats (PII-01).

Candidates come from format patterns; the ``phonenumbers`` library (Google libphonenumber
metadata) decides whether the number can exist, which rejects prices, years and version numbers.
``moisson.pii.numbering_plans`` replays its answer from the same metadata for the usual shapes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import ClassVar

import phonenumbers

from moisson.pii._text import lower_agrees
from moisson.pii._types import Span
from moisson.pii.detectors.base import RegexDetector
from moisson.pii.numbering_plans import is_valid_number

__all__ = ("PhoneDetector",)

# Each pattern opens with what its first character can be, then checks the character before
# it with a look-behind: the regex engine skips straight to candidates (see detectors/base.py).
_INTERNATIONAL = re.compile(
    r"(?:\+(?<![\w+]\+)|0(?<![\w+]0)0)"
    r"\s?[1-9]\d{0,2}[\s.-]?(?:\(0\)[\s.-]?)?\(?\d{1,4}\)?(?:[\s.-]?\d{2,4}){2,4}(?![\w]|[.-]\d)"
)
_FR = re.compile(r"0(?<![\w+.,/-]0)[1-9](?:[\s.-]?\d{2}){4}(?![\w]|[.,/-]\d)")
_UK = re.compile(r"0(?<![\w+.,/-]0)\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}(?![\w]|[.,/-]\d)")
# The first character is a country code "1", an opening bracket or the area code's first digit;
# the alternatives then go on from it, in the order the optional "1 " would be tried.
_US = re.compile(
    r"[\d(](?<![\w+.,/-][\d(])"
    r"(?:(?<=1)[\s.-](?:\(\d{3}\)\s?|\d{3}[\s.-])|(?<=\()\d{3}\)\s?|(?<=\d)\d{2}[\s.-])"
    r"\d{3}[\s.-]\d{4}(?![\w]|[.,/-]\d)"
)
_US_TAIL = re.compile(r"\d{3}[\s.-]\d{4}")
_PATTERNS: tuple[tuple[re.Pattern[str], str | None], ...] = (
    (_INTERNATIONAL, None),
    (_FR, "FR"),
    (_UK, "GB"),
    (_US, "US"),
)
# A number introduced as a reference is not a phone, even when the digits could be one.
_NOT_A_PHONE = re.compile(
    r"(?:r[ée]f[ée]rence|r[ée]f\.?|reference|ref\.?|commande|order|invoice|facture|tracking"
    r"|suivi|colis|client|customer|account|compte|lot|batch|n°|no\.|isbn|siret|siren)"
    r"[^\n\d]{0,12}$",
    re.IGNORECASE,
)


# A substring of each alternative of ``_NOT_A_PHONE``, lower case: one of them is in every match.
_REFERENCE_STEMS = ("ref", "réf", "commande", "order", "invoice", "facture", "tracking", "suivi",
                    "colis", "client", "customer", "account", "compte", "lot", "batch", "n°",
                    "no.", "isbn", "siret", "siren")  # fmt: skip
# The longest word of ``_NOT_A_PHONE`` (9 characters), its 12 following characters and the
# newline ``$`` may stand before: no match can start further back than this from the number.
_REFERENCE_REACH = 9 + 12 + 1


def _is_reference(text: str, first: int) -> bool:
    """Whether a reference word introduces the candidate starting at ``first``.

    Same answer as searching the 30 characters before it, on fewer start positions, and only
    when a reference word can be there: where ``lower()`` agrees with ``re.IGNORECASE``,
    a few substring tests cost less than the regex (PII-04).
    """
    low = max(0, first - 30, first - _REFERENCE_REACH)
    segment = text[low:first]
    if lower_agrees(segment):
        lowered = segment.lower()
        if not any(stem in lowered for stem in _REFERENCE_STEMS):
            return False
    return _NOT_A_PHONE.search(text, low, first) is not None


@lru_cache(maxsize=8192)
def _valid(value: str, region: str | None) -> bool:
    if value.startswith("00"):
        value = "+" + value[2:]
    # The library's metadata, compiled, answers for the plain shapes in a few µs; its
    # parser (20 to 35 µs a number) only sees the others (PII-04).
    known = is_valid_number(value, region)
    if known is not None:
        return known
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        return False
    return bool(phonenumbers.is_valid_number(number))


class PhoneDetector(RegexDetector):
    """Phone numbers that libphonenumber says are valid for their region."""

    name = "phone_regex_v1"
    label = "PHONE"
    CONTEXT: ClassVar[tuple[str, ...]] = (
        "tél", "tel", "téléphone", "portable", "mobile", "phone", "call", "appeler",
        "appelez", "joindre", "fax", "cell", "ring",
    )  # fmt: skip
    SCORE = 0.75
    TRIGGER = "digits"
    MIN_DIGITS = 8

    def detect(
        self, text: str, lang: str, start: int = 0, end: int | None = None
    ) -> Iterator[Span]:
        stop = len(text) if end is None else end
        taken: list[tuple[int, int]] = []
        for pattern, region in _PATTERNS:
            # Cheap necessary conditions first (PII-04): an international number starts with
            # "+" or "00"; a US number ends with three digits, a separator and four digits.
            if region is None and "+" not in text[start:stop] and "00" not in text[start:stop]:
                continue
            if region == "US" and _US_TAIL.search(text, start, stop) is None:
                continue
            for match in pattern.finditer(text, start, stop):
                first, last = match.span()
                if any(s < last and first < e for s, e in taken):
                    continue
                if _is_reference(text, first):
                    continue
                if not _valid(match.group(), region):
                    continue
                taken.append((first, last))
                score = self.CONTEXT_SCORE if self.has_context(text, first) else self.SCORE
                yield Span(first, last, self.label, score, self.name)
