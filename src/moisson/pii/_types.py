"""Value objects of PII detection: spans, special-category hits, analysis results (PII-01/02).

Offsets are Python string offsets (code points), so ``text[span.start:span.end]`` is the
detected value. ``detector`` names are versioned (style.md rule 12) so every attribute file
says which detector version produced a row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from moisson.pii.language import detect_language

__all__ = (
    "IDENTIFIER_LABELS",
    "LABELS",
    "SENSITIVE_CATEGORIES",
    "AnalysisResult",
    "SensitiveHit",
    "Span",
)

# PII-01: the label names, exactly as the command line and the attribute files write them.
LABELS: tuple[str, ...] = (
    "EMAIL",
    "PHONE",
    "PERSON",
    "ADDRESS",
    "IBAN",
    "CREDIT_CARD",
    "FR_NIR",
    "FR_SIRET",
    "FR_SIREN",
    "IP_ADDRESS",
    "DATE_OF_BIRTH",
)

# Labels whose values identify a person and are hashed for the person index (RGT-02).
IDENTIFIER_LABELS: frozenset[str] = frozenset(
    {"EMAIL", "PHONE", "PERSON", "IBAN", "FR_NIR", "CREDIT_CARD"}
)

# PII-02: GDPR art. 9 special categories, plus art. 10 criminal data.
SENSITIVE_CATEGORIES: tuple[str, ...] = (
    "HEALTH",
    "RELIGION",
    "POLITICS",
    "SEXUAL_ORIENTATION",
    "ETHNIC_ORIGIN",
    "TRADE_UNION",
    "BIOMETRIC_GENETIC",
    "CRIMINAL",
)


@dataclass(frozen=True, slots=True)
class Span:
    """One detected personal-data value: ``text[start:end]`` is labelled ``label``."""

    start: int
    end: int
    label: str
    score: float
    detector: str

    def to_dict(self) -> dict[str, Any]:
        """The JSON form written by ``moisson pii detect``."""
        return {
            "start": self.start,
            "end": self.end,
            "label": self.label,
            "score": round(self.score, 4),
        }


@dataclass(frozen=True, slots=True)
class SensitiveHit:
    """Evidence that a document says something of a special category about a person."""

    category: str
    start: int
    end: int
    detector: str

    def to_dict(self) -> dict[str, Any]:
        return {"category": self.category, "start": self.start, "end": self.end}


@dataclass(frozen=True, slots=True)
class AnalysisResult:
    """Everything found in one text, spans sorted by offset and never overlapping.

    ``lang`` is the language given or detected; the fast tier detects it only when a rule
    needs it (PII-04), else on first access to ``lang``.
    """

    spans: tuple[Span, ...]
    sensitive: tuple[SensitiveHit, ...]
    known_lang: str = field(default="", repr=False)
    text: str = field(default="", repr=False, compare=False)

    @property
    def lang(self) -> str:
        """Two-letter language code of the analysed text."""
        if self.known_lang:
            return self.known_lang
        return detect_language(self.text)

    def to_dict(self) -> dict[str, Any]:
        return {
            "spans": [s.to_dict() for s in self.spans],
            "sensitive": [h.to_dict() for h in self.sensitive],
        }
