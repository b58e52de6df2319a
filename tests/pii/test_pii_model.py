"""The model tier: the entity-model seam and spaCy's French model (PII-04)."""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterable

import pytest

from moisson.pii import PiiAnalyzer
from moisson.pii.model import EntityModel


class CapitalPairModel:
    """A tiny real entity model: any two capitalised words are a PERSON."""

    name = "capital_pairs_v1"

    def entities(self, text: str, lang: str) -> Iterable[tuple[int, int, str, float]]:
        for m in re.finditer(r"[A-Z][a-z]+ [A-Z][a-z]+", text):
            yield m.start(), m.end(), "PERSON", 0.6


def test_plugin_model_adds_persons_and_stop_lists_still_apply() -> None:
    model = CapitalPairModel()
    assert isinstance(model, EntityModel)
    analyzer = PiiAnalyzer(tier="full", model=model)
    text = "Kwabena Mensah spoke about Victor Hugo."
    spans = analyzer.analyze(text, lang="en").spans
    assert [(text[s.start : s.end], s.detector) for s in spans] == [
        ("Kwabena Mensah", "capital_pairs_v1")
    ]
    assert PiiAnalyzer(tier="fast").analyze(text, lang="en").spans == ()


@pytest.mark.slow
@pytest.mark.skipif(
    importlib.util.find_spec("fr_core_news_sm") is None, reason="needs fr_core_news_sm"
)
def test_spacy_full_tier_finds_names_outside_the_lexicon() -> None:
    text = "Hier, Wojciech Brzęczyszczykiewicz a présenté le projet au conseil municipal de Rennes."
    fast = PiiAnalyzer(tier="fast").analyze(text, lang="fr")
    full = PiiAnalyzer(tier="full").analyze(text, lang="fr")
    assert not [s for s in fast.spans if s.label == "PERSON"]
    persons = [text[s.start : s.end] for s in full.spans if s.label == "PERSON"]
    assert persons == ["Wojciech Brzęczyszczykiewicz"]
