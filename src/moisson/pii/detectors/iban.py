"""IBAN: ISO 13616 account numbers, checked by country length and mod 97 (PII-01)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

from moisson.pii._types import Span
from moisson.pii.checksums import IBAN_LENGTHS, iban_valid
from moisson.pii.detectors.base import RegexDetector

__all__ = ("IbanDetector",)

_CANDIDATE = re.compile(r"[A-Z](?<![A-Za-z0-9][A-Z])[A-Z]\d{2}(?:[ -]?[A-Z0-9]){11,30}")


class IbanDetector(RegexDetector):
    """IBANs, grouped by four or not; the candidate is cut at the country's length."""

    name = "iban_mod97_v1"
    label = "IBAN"
    CONTEXT: ClassVar[tuple[str, ...]] = ("iban", "rib", "bic", "virement", "compte", "account")
    TRIGGER = "digits"
    MIN_DIGITS = 8

    def detect(
        self, text: str, lang: str, start: int = 0, end: int | None = None
    ) -> Iterator[Span]:
        stop = len(text) if end is None else end
        for match in _CANDIDATE.finditer(text, start, stop):
            length = IBAN_LENGTHS.get(match.group()[:2])
            if length is None:
                continue
            # Walk the match until ``length`` alphanumerics are read: a following word
            # ("FR76 ... 189 BIC") must not be swallowed.
            count, last = 0, match.start()
            for last in range(match.start(), match.end()):
                if text[last].isalnum():
                    count += 1
                    if count == length:
                        break
            if count != length:
                continue
            last += 1
            if last < len(text) and text[last].isalnum():
                continue  # longer than the country's IBAN: not one
            compact = text[match.start() : last].replace(" ", "").replace("-", "")
            if iban_valid(compact):
                yield Span(match.start(), last, self.label, 0.99, self.name)
