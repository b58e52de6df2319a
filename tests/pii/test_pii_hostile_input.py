"""The fast tier stays linear in the length of hostile or odd text (PII-04, brief: bad input).

A web page in capitals, a table of surnames or a list of titles once made the name detector
re-read the whole capitalised run from each of its words, and the special-category check
compare every hit with every person: 100,000 capitals took a minute. Four times the text must
cost about four times the time, not sixteen. This checks growth, not speed: speed is measured
by ``bench/pii.py``.
"""

from __future__ import annotations

import pytest

from cpu_growth import best_cpu_seconds
from moisson.pii import PiiAnalyzer

_HOSTILE = {
    "one capitalised word": "A",
    "surnames in capitals": "DUPONT ",
    "titles": "Dr ",
    "people and special categories": "Jean Dupont est malade et catholique. ",
    "capitalised particles": "De La ",
    "digits and blanks": "1 ",
    "at signs": "@",
}


def _cost(analyzer: PiiAnalyzer, text: str) -> float:
    return best_cpu_seconds(lambda: analyzer.analyze(text))


@pytest.mark.parametrize("unit", list(_HOSTILE.values()), ids=list(_HOSTILE))
def test_time_grows_linearly(unit: str) -> None:
    analyzer = PiiAnalyzer(tier="fast")
    small = unit * (8_000 // len(unit))
    large = unit * (32_000 // len(unit))
    analyzer.analyze(small)  # one-time set-up out of the measure
    ratio = _cost(analyzer, large) / max(_cost(analyzer, small), 1e-4)
    assert ratio < 9, f"4 times the text took {ratio:.1f} times as long"


def test_capitalised_runs_still_yield_their_names() -> None:
    """Reading a long run in pieces loses no name in it, wherever the name sits."""
    analyzer = PiiAnalyzer(tier="fast", labels=["PERSON"], sensitive=False)
    filler = "Rapport Annuel Du Conseil Municipal De La Ville Et Des Services Techniques"
    for words_before in range(14):
        head = " ".join(filler.split()[:words_before])
        text = f"{head} Jean Dupont Et Associés".strip()
        found = [text[s.start : s.end] for s in analyzer.analyze(text, "fr").spans]
        assert "Jean Dupont" in found, (words_before, found)


def test_lone_surrogates_are_analysed_like_replacement_characters() -> None:
    """A JSON "\\ud800" or a UTF-7 page yields lone surrogates, which the keyword pass (Rust)
    refused with a UnicodeEncodeError; they now read as U+FFFD, offsets unchanged."""
    analyzer = PiiAnalyzer(tier="fast")
    text = "Jean Dupont \ud800 tél 06 12 34 56 78, née le 3 mai 1980 \udfff, catholique."
    clean = text.replace("\ud800", "\ufffd").replace("\udfff", "\ufffd")
    found, expected = analyzer.analyze(text, "fr"), analyzer.analyze(clean, "fr")
    assert found.spans == expected.spans and found.sensitive == expected.sensitive
    assert {s.label for s in found.spans} == {"PERSON", "PHONE", "DATE_OF_BIRTH"}
