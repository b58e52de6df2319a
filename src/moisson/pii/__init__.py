"""Personal-data detection and minimisation (pillar 2: PII-01 to PII-05, SCR-09, SCR-10).

::

    from moisson.pii import PiiAnalyzer
    result = PiiAnalyzer(tier="fast").analyze("Écrire à jean.dupont@exemple.fr")
    result.spans[0].label   # 'EMAIL'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from moisson._lazy import lazy_attributes
from moisson.pii._types import (
    IDENTIFIER_LABELS,
    LABELS,
    SENSITIVE_CATEGORIES,
    AnalysisResult,
    SensitiveHit,
    Span,
)
from moisson.pii.analyzer import PiiAnalyzer, Tier
from moisson.pii.redact import Pseudonymiser, Redaction, redact

if TYPE_CHECKING:
    from moisson.pii.step import PiiMinimiser

# The pipeline step brings the store (pyarrow, numpy): imported on first use, so that detecting
# personal data in a text does not load them.
__getattr__ = lazy_attributes(__name__, {"PiiMinimiser": "moisson.pii.step"}, globals())

__all__ = (
    "IDENTIFIER_LABELS",
    "LABELS",
    "SENSITIVE_CATEGORIES",
    "AnalysisResult",
    "PiiAnalyzer",
    "PiiMinimiser",
    "Pseudonymiser",
    "Redaction",
    "SensitiveHit",
    "Span",
    "Tier",
    "redact",
)
