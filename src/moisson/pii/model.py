"""The model tier: NER for PERSON where accuracy matters more than speed (PII-04, issue 4 item 2).

:class:`EntityModel` is the plug-in seam: anything that returns ``(start, end, label, score)``
for a text. Shipped: :class:`SpacyNer` (French model from the package index, any English
spaCy model the user installed) and :class:`TransformersTokenClassifier` (a local Hugging Face
token-classification model; nothing is downloaded). Their cost is reported by ``bench/pii.py``.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from moisson.errors import ConfigError, MissingDependencyError

__all__ = (
    "EntityModel",
    "SpacyNer",
    "TransformersTokenClassifier",
    "installed_spacy_model",
    "load_entity_model",
)

_SPACY_CANDIDATES: dict[str, tuple[str, ...]] = {
    "fr": ("fr_core_news_lg", "fr_core_news_md", "fr_core_news_sm"),
    "en": ("en_core_web_trf", "en_core_web_lg", "en_core_web_md", "en_core_web_sm"),
}
# Entity labels of spaCy and common token-classification models, mapped to moisson labels.
_LABEL_MAP = {"PER": "PERSON", "PERSON": "PERSON", "B-PER": "PERSON", "I-PER": "PERSON"}


@runtime_checkable
class EntityModel(Protocol):
    """A model that finds PERSON (or other) entities; ``name`` is versioned."""

    name: str

    def entities(self, text: str, lang: str) -> Iterable[tuple[int, int, str, float]]:
        """``(start, end, label, score)`` with moisson label names."""
        ...


def installed_spacy_model(lang: str) -> str | None:
    """The best spaCy pipeline installed for ``lang``, or None."""
    for name in _SPACY_CANDIDATES.get(lang, ()):
        if importlib.util.find_spec(name) is not None:
            return name
    return None


class SpacyNer:
    """spaCy NER; English falls back to the French model when no English model is installed.

    The French model still finds most people's names in English text (names are capitalised
    tokens in both), which is better than nothing; install ``en_core_web_sm`` for English.
    """

    name = "spacy_ner_v1"

    def __init__(self, models: Mapping[str, str] | None = None) -> None:
        if importlib.util.find_spec("spacy") is None:
            msg = "spacy"
            raise MissingDependencyError(msg, "ner")
        chosen = dict(models or {})
        for lang in _SPACY_CANDIDATES:
            if lang not in chosen:
                found = installed_spacy_model(lang) or installed_spacy_model("fr")
                if found is not None:
                    chosen[lang] = found
        if not chosen:
            msg = "fr_core_news_sm"
            raise MissingDependencyError(msg, "ner")
        self.models = chosen
        self._loaded: dict[str, Any] = {}

    def _nlp(self, lang: str) -> Any:
        name = self.models.get(lang) or next(iter(self.models.values()))
        if name not in self._loaded:
            import spacy

            try:
                self._loaded[name] = spacy.load(name, exclude=["parser", "lemmatizer"])
            except OSError as exc:
                msg = f"spaCy model '{name}' cannot be loaded: {exc}"
                raise ConfigError(msg, key="pii.model") from None
        return self._loaded[name]

    def entities(self, text: str, lang: str) -> list[tuple[int, int, str, float]]:
        doc = self._nlp(lang)(text)
        out: list[tuple[int, int, str, float]] = []
        for ent in doc.ents:
            label = _LABEL_MAP.get(ent.label_)
            # A person's name is proper nouns only: "Numéro SIRET" or "Plomberie Dupuis",
            # which small models tag PER, hold common nouns.
            if label is not None and all(t.pos_ in ("PROPN", "") for t in ent):
                out.append((ent.start_char, ent.end_char, label, 0.7))
        return out


class TransformersTokenClassifier:
    """A local Hugging Face token-classification model (aggregated entities).

    Only a folder on disk is accepted, never a hub name: nothing is downloaded at run time.
    """

    def __init__(self, model_path: str | Path, *, min_score: float = 0.5) -> None:
        folder = Path(model_path)
        if not (folder / "config.json").is_file():
            msg = f"{folder}: not a Hugging Face model folder (no config.json)"
            raise ConfigError(msg, key="pii.model", path=str(folder))
        if importlib.util.find_spec("transformers") is None:
            msg = "transformers"
            raise MissingDependencyError(msg, "audit")
        from transformers import pipeline
        from transformers.utils import logging as hf_logging

        hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call]
        hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
        self.name = f"hf_token_classifier_v1:{folder.resolve().name}"
        try:
            self._pipe = pipeline(
                "token-classification", model=str(folder), aggregation_strategy="simple"
            )
        except (OSError, ValueError, KeyError) as exc:
            msg = f"{folder}: cannot load a token-classification model: {exc}"
            raise ConfigError(msg, key="pii.model", path=str(folder)) from None
        self.min_score = min_score

    def entities(self, text: str, lang: str) -> list[tuple[int, int, str, float]]:
        out: list[tuple[int, int, str, float]] = []
        for ent in self._pipe(text):
            label = _LABEL_MAP.get(str(ent.get("entity_group", "")))
            score = float(ent.get("score", 0.0))
            if label is not None and score >= self.min_score:
                out.append((int(ent["start"]), int(ent["end"]), label, score))
        return out


def load_entity_model(spec: str) -> EntityModel:
    """The model named by ``pii.model`` or ``--model``: a folder holding a Hugging Face
    token-classification model, or the name of an installed spaCy pipeline (used for every
    language)."""
    if Path(spec).is_dir():
        return TransformersTokenClassifier(spec)
    if importlib.util.find_spec(spec) is None:
        msg = f"pii.model '{spec}': neither a model folder nor an installed spaCy pipeline"
        raise ConfigError(msg, key="pii.model")
    return SpacyNer({lang: spec for lang in _SPACY_CANDIDATES})
