"""FR_SIRET: French establishment number, 14 digits (SIREN + NIC), Luhn-checked (PII-01).

Fourteen Luhn-valid digits occur by chance in one number out of ten, so an unbroken run needs
a context word (SIRET, RCS...); the printed ``123 456 789 00012`` grouping is enough alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

from moisson.pii._types import Span
from moisson.pii.checksums import siret_valid
from moisson.pii.detectors.base import RegexDetector

__all__ = ("FrSiretDetector",)

_SIRET = re.compile(r"\d(?<![\w.,-]\d)\d{2}([ .]?)\d{3}\1\d{3}\1?\d{5}(?![\w]|[.,-]\d)")


class FrSiretDetector(RegexDetector):
    """SIRET numbers with a valid checksum, grouped or near a context word."""

    name = "fr_siret_luhn_v1"
    label = "FR_SIRET"
    CONTEXT: ClassVar[tuple[str, ...]] = (
        "siret", "siren", "rcs", "r.c.s", "immatricul", "établissement", "etablissement",
        "entreprise", "société", "company",
    )  # fmt: skip
    CONTEXT_WINDOW = 60
    TRIGGER = "digits"
    MIN_DIGITS = 14

    def detect(
        self, text: str, lang: str, start: int = 0, end: int | None = None
    ) -> Iterator[Span]:
        stop = len(text) if end is None else end
        for match in _SIRET.finditer(text, start, stop):
            value = match.group()
            digits = value.replace(" ", "").replace(".", "")
            if not siret_valid(digits):
                continue
            context = self.has_context(text, match.start())
            if not context and not match.group(1):
                continue
            yield Span(match.start(), match.end(), self.label, 0.95 if context else 0.7, self.name)
