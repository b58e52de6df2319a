"""Language identification of a text prefix with py3langid (the language filter, SCR-02)."""

from __future__ import annotations

from functools import cache
from typing import Any

__all__ = ("LANGUAGE_PREFIX_CHARS", "detect_language")

LANGUAGE_PREFIX_CHARS = 2000
"""Only this many characters are classified: enough for a stable guess, constant cost."""


@cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> tuple[str | None, float]:
    """ISO 639-1 code and probability (0..1) of the text's language; ``(None, 0.0)`` if empty."""
    sample = text[:LANGUAGE_PREFIX_CHARS]
    if not sample.strip():
        return None, 0.0
    lang, probability = _identifier().classify(sample)
    return str(lang), float(probability)
