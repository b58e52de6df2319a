"""DATE_OF_BIRTH: dates the text presents as a birth date, and only those (PII-01).

A date is reported when a birth cue precedes it closely ("né le", "date de naissance",
"born on", "DOB"); other dates (publication, events, prices' dates) are not personal data here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from moisson.pii._types import Span
from moisson.pii.detectors.base import Detector

__all__ = ("DateOfBirthDetector",)

_MONTHS_FR = "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre"
_MONTHS_EN = "january|february|march|april|may|june|july|august|september|october|november|december|jan\\.?|feb\\.?|mar\\.?|apr\\.?|jun\\.?|jul\\.?|aug\\.?|sept?\\.?|oct\\.?|nov\\.?|dec\\.?"
_DATE = (
    r"(?:\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)?\d{2}"
    r"|(?:19|20)\d{2}-\d{2}-\d{2}"
    rf"|(?:1er|\d{{1,2}})\s+(?:{_MONTHS_FR})\s+\d{{4}}"
    rf"|(?:{_MONTHS_EN})\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS_EN})\s*,?\s+\d{{4}})"
)
_CUE = (
    r"(?:\bnée?(?:\(e\))?\s+(?:le|à)\b|date\s+de\s+naissance|\bborn|date\s+of\s+birth|birth\s*date"
    r"|\bd\.?o\.?b\b\.?|naissance)"
)
_DOB = re.compile(rf"{_CUE}[^.\n\d]{{0,40}}?(?<!\w)({_DATE})(?!\w)", re.IGNORECASE)
# Every cue starts with n, d or b (in either case; no other character matches them under
# re.IGNORECASE): the cue pattern is tried only there, not at each character (PII-04).
_CUE_INITIAL = re.compile(r"[nNdDbB]")
# What must follow "né" for the birth cue of ``_CUE`` to be there.
_BORN_REST = re.compile(r"e?(?:\(e\))?\s+(?:le|à)\b", re.IGNORECASE)
_YEAR = re.compile(r"(?:1[89]|20)\d\d$")
_OLDEST_LIVING_BIRTH_YEAR = 1900


def _matches(text: str, start: int, stop: int) -> Iterator[re.Match[str]]:
    """The matches ``_DOB.finditer(text, start, stop)`` gives, in the same order."""
    position = start
    while (initial := _CUE_INITIAL.search(text, position, stop)) is not None:
        match = _DOB.match(text, initial.start(), stop)
        if match is None:
            position = initial.start() + 1
        else:
            yield match
            position = match.end()


class DateOfBirthDetector(Detector):
    """Birth dates after a birth cue."""

    name = "date_of_birth_cue_v1"
    label = "DATE_OF_BIRTH"
    TRIGGER = "keywords"
    # "né" alone, not "né le": any blank may follow it ("né  le", "né\u00a0le"); keep_hit
    # checks the rest of the cue.
    KEYWORDS = ("né", "naissance", "born", "birth", "dob", "d.o.b")
    WINDOW = (24, 110)

    def keep_hit(self, text: str, start: int, end: int) -> bool:
        if end - start != 2 or text[start : start + 1] not in "nN":
            return True
        return (start == 0 or not text[start - 1].isalnum()) and (
            _BORN_REST.match(text, end) is not None
        )

    def detect(
        self, text: str, lang: str, start: int = 0, end: int | None = None
    ) -> Iterator[Span]:
        stop = len(text) if end is None else end
        for match in _matches(text, start, stop):
            year = _YEAR.search(match.group(1))
            if year is not None and int(year.group()) < _OLDEST_LIVING_BIRTH_YEAR:
                continue  # a historic birth date: nobody born then is alive (GDPR recital 27)
            yield Span(match.start(1), match.end(1), self.label, 0.9, self.name)
