"""FR_NIR: the French social security number (NIR), 13 digits and its 2-digit key (PII-01).

Layout: sex (1, 2; 3, 4, 7, 8 for provisional numbers), year, month (01-12, or 20-42 / 50-99
when unknown), department (01-99, 2A, 2B for Corsica), commune, order, key = 97 - N mod 97.
"""

from __future__ import annotations

import re
from typing import ClassVar

from moisson.pii.checksums import nir_valid
from moisson.pii.detectors.base import RegexDetector

__all__ = ("FrNirDetector",)

_NIR = re.compile(
    r"[1-478](?<![\w.-][1-478])[\s.]?\d{2}[\s.]?(?:0[1-9]|1[0-2]|[2-4]\d|[5-9]\d)[\s.]?(?:\d{2}|2[ABab])"
    r"[\s.]?\d{3}[\s.]?\d{3}[\s.]?\d{2}(?![\w]|[.-]\d)"
)


class FrNirDetector(RegexDetector):
    """NIR with a valid key; without a key a number cannot be told from a look-alike."""

    name = "fr_nir_key_v1"
    label = "FR_NIR"
    PATTERNS = (_NIR,)
    CONTEXT: ClassVar[tuple[str, ...]] = (
        "sécurité sociale", "securite sociale", "nir", "insee", "numéro de sécu", "n° sécu",
        "carte vitale", "ssn",
    )  # fmt: skip
    SCORE = 0.9
    TRIGGER = "digits"
    MIN_DIGITS = 13  # "1 82 07 2A 051 234 72": 13 digits with Corsica's letters, else 15

    def validate(self, value: str) -> bool:
        return nir_valid(value.replace(" ", "").replace(".", ""))
