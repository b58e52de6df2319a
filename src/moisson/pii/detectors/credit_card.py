"""CREDIT_CARD: payment card numbers (ISO/IEC 7812), Luhn-checked, any one separator (PII-01).

Groups must look like a printed card (4-4-4-4, 4-4-4-4-3, 4-6-5, 4-6-4) or be one digit run;
the issuer prefix must be a known network. Invalid Luhn look-alikes are never reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

from moisson.pii._types import Span
from moisson.pii.checksums import luhn_valid
from moisson.pii.detectors.base import RegexDetector

__all__ = ("CreditCardDetector",)

_CANDIDATE = re.compile(
    r"\d(?<![\w.,-]\d)(?:\d{12,18}"
    r"|\d{3}([ .-])\d{4}\1\d{4}\1\d{4}(?:\1\d{3})?"
    r"|\d{3}([ .-])\d{6}\2\d{4,5})(?![\w]|[.,-]\d)"
)
# Issuer prefixes (ISO/IEC 7812 IIN ranges) and the lengths each network issues.
_NETWORKS: tuple[tuple[re.Pattern[str], frozenset[int]], ...] = (
    (re.compile(r"4"), frozenset({13, 16, 19})),  # Visa (and CB co-badged)
    (re.compile(r"5[1-5]|2(?:2[2-9]|[3-6]\d|7[01]|720)"), frozenset({16})),  # Mastercard
    (re.compile(r"3[47]"), frozenset({15})),  # American Express
    (re.compile(r"3(?:0[0-5]|[68])"), frozenset({14, 16, 19})),  # Diners Club
    (re.compile(r"6(?:011|5|4[4-9])"), frozenset({16, 19})),  # Discover
    (re.compile(r"35(?:2[89]|[3-8])"), frozenset({16, 19})),  # JCB
)


class CreditCardDetector(RegexDetector):
    """Card numbers with a valid Luhn digit and a known network prefix."""

    name = "credit_card_luhn_v1"
    label = "CREDIT_CARD"
    CONTEXT: ClassVar[tuple[str, ...]] = (
        "carte", "card", "visa", "mastercard", "amex", "cb", "paiement", "payment", "crédit",
        "credit",
    )  # fmt: skip
    SCORE = 0.85
    TRIGGER = "digits"
    MIN_DIGITS = 13

    def validate(self, value: str) -> bool:
        digits = value.replace(" ", "").replace("-", "").replace(".", "")
        lengths = next((n for p, n in _NETWORKS if p.match(digits)), None)
        return lengths is not None and len(digits) in lengths and luhn_valid(digits)

    def detect(
        self, text: str, lang: str, start: int = 0, end: int | None = None
    ) -> Iterator[Span]:
        stop = len(text) if end is None else end
        for match in _CANDIDATE.finditer(text, start, stop):
            if self.validate(match.group()):
                score = self.CONTEXT_SCORE if self.has_context(text, match.start()) else self.SCORE
                yield Span(match.start(), match.end(), self.label, score, self.name)
