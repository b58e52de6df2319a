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

# ``redact`` is also a submodule: imported here, after the submodule, so that the name is the
# function whatever imports ``moisson.pii.redact`` later (tests/test_lazy_packages.py).
from moisson.pii.redact import Pseudonymiser, Redaction, redact

if TYPE_CHECKING:
    from moisson.pii.analyzer import PiiAnalyzer, Tier
    from moisson.pii.step import PiiMinimiser

# Imported on first use (moisson/_lazy.py): the pipeline step brings the store (pyarrow,
# numpy), which detecting personal data in a text does not need, and no command should pay
# for the detectors before it runs.
__getattr__ = lazy_attributes(
    __name__,
    {
        "PiiAnalyzer": "moisson.pii.analyzer",
        "Tier": "moisson.pii.analyzer",
        "PiiMinimiser": "moisson.pii.step",
    },
    globals(),
)

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
