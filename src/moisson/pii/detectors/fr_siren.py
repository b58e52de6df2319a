"""FR_SIREN: French company number, 9 digits, Luhn-checked, near a context word (PII-01).

A sole trader's SIREN identifies a person, hence a personal-data label. Nine Luhn-valid digits
are common by chance, so a context word (SIREN, RCS, immatriculée...) is required.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

from moisson.pii._types import Span
from moisson.pii.checksums import siren_valid
from moisson.pii.detectors.base import RegexDetector

__all__ = ("FrSirenDetector",)

_SIREN = re.compile(r"\d(?<![\w.,-]\d)\d{2}([ .]?)\d{3}\1\d{3}(?![\w]|[.,-]?\d|\s\d)")


class FrSirenDetector(RegexDetector):
    """SIREN numbers with a valid checksum and a context word before them."""

    name = "fr_siren_luhn_v1"
    label = "FR_SIREN"
    CONTEXT: ClassVar[tuple[str, ...]] = (
        "siren", "rcs", "r.c.s", "immatricul", "registre du commerce", "entreprise n",
        "numéro d'entreprise", "company number",
    )  # fmt: skip
    CONTEXT_WINDOW = 60
    GATE = tuple(word.lower() for word in CONTEXT)
    TRIGGER = "digits"
    MIN_DIGITS = 9

    def detect(
        self, text: str, lang: str, start: int = 0, end: int | None = None
    ) -> Iterator[Span]:
        stop = len(text) if end is None else end
        for match in _SIREN.finditer(text, start, stop):
            digits = match.group().replace(" ", "").replace(".", "")
            if siren_valid(digits) and self.has_context(text, match.start()):
                yield Span(match.start(), match.end(), self.label, 0.95, self.name)
