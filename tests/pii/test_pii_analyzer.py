"""The analyzer: overlaps, language, special categories, JSON shape, public API (PII-01/02)."""

from __future__ import annotations

import itertools
import json
import types
from pathlib import Path

import pytest

import moisson.pii
from moisson.pii import LABELS, SENSITIVE_CATEGORIES, PiiAnalyzer


@pytest.fixture(scope="module")
def analyzer() -> PiiAnalyzer:
    return PiiAnalyzer(tier="fast")


def test_public_api_is_exactly_all() -> None:
    # Every name of __all__ resolves (the pipeline step on first use), and nothing else
    # public is defined: only the helpers of the module's own header are left out.
    for name in moisson.pii.__all__:
        getattr(moisson.pii, name)
    public = {
        name
        for name, value in vars(moisson.pii).items()
        if not name.startswith("_")
        and not isinstance(value, types.ModuleType)
        and name not in {"annotations", "TYPE_CHECKING", "lazy_attributes"}
    }
    assert public == set(moisson.pii.__all__)


def test_siret_wins_over_siren_and_phone(analyzer: PiiAnalyzer) -> None:
    text = "Société X, SIRET 443 061 841 00047."
    result = analyzer.analyze(text, lang="fr")
    assert [(text[s.start : s.end], s.label) for s in result.spans] == [
        ("443 061 841 00047", "FR_SIRET")
    ]


def test_spans_never_overlap(analyzer: PiiAnalyzer) -> None:
    text = (
        "Jean Dupont, 12 rue des Lilas, 75011 Paris, jean.dupont@exemple.fr, "
        "06 12 34 56 78, IBAN FR76 3000 6000 0112 3456 7890 189, né le 3 mars 1979."
    )
    spans = analyzer.analyze(text).spans
    assert {s.label for s in spans} == {
        "PERSON",
        "ADDRESS",
        "EMAIL",
        "PHONE",
        "IBAN",
        "DATE_OF_BIRTH",
    }
    for left, right in itertools.pairwise(spans):
        assert left.end <= right.start


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Bonjour, je vous écris pour la vente de la maison et des meubles.", "fr"),
        ("Hello, I am writing to you about the sale of the house and the furniture.", "en"),
    ],
)
def test_language_is_detected(analyzer: PiiAnalyzer, text: str, lang: str) -> None:
    assert analyzer.analyze(text).lang == lang


@pytest.mark.parametrize(
    ("text", "categories"),
    [
        # about a person: flagged
        ("M. Martin est diabétique depuis 2010.", ["HEALTH"]),
        ("Elle est syndiquée à la CGT.", ["TRADE_UNION"]),
        ("He was convicted of fraud in 2019.", ["CRIMINAL"]),
        ("My brother is gay and came out last year.", ["SEXUAL_ORIENTATION"]),
        ("Il s'est converti à l'islam en 2015.", ["RELIGION"]),
        # generic: not about a person
        ("Le secteur de la santé recrute 40 000 infirmiers.", []),
        ("The old Catholic church building was restored.", []),
        ("The health sector is hiring nurses.", []),
        ("Cancer research funding rose by 8%.", []),
    ],
)
def test_special_categories_need_a_person(
    analyzer: PiiAnalyzer, text: str, categories: list[str]
) -> None:
    hits = analyzer.analyze(text).sensitive
    assert [h.category for h in hits] == categories
    for hit in hits:
        assert hit.category in SENSITIVE_CATEGORIES
        assert 0 <= hit.start < hit.end <= len(text)


def test_to_dict_is_the_cli_json_shape(analyzer: PiiAnalyzer) -> None:
    text = "Écrire à jean@exemple.fr ; M. Martin est diabétique."
    data = json.loads(json.dumps(analyzer.analyze(text).to_dict()))
    assert set(data) == {"spans", "sensitive"}
    span = data["spans"][0]
    assert set(span) == {"start", "end", "label", "score"}
    assert text[span["start"] : span["end"]] == "jean@exemple.fr"
    assert all(s["label"] in LABELS for s in data["spans"])
    assert data["sensitive"][0]["category"] == "HEALTH"


def test_labels_subset(analyzer: PiiAnalyzer) -> None:
    only_email = PiiAnalyzer(labels=["EMAIL"])
    text = "Jean Dupont, jean@exemple.fr, 06 12 34 56 78"
    assert [s.label for s in only_email.analyze(text).spans] == ["EMAIL"]


def test_windows_lose_nothing_against_full_scans(analyzer: PiiAnalyzer) -> None:
    """The keyword and digit-run windows (PII-04) find what whole-text scans find."""
    from moisson.pii.analyzer import _resolve
    from moisson.pii.sensitive import SensitiveDetector

    path = Path(__file__).resolve().parents[2] / "bench" / "data" / "pii_eval" / "eval.jsonl"
    originals = [json.loads(line)["text"] for line in path.read_text("utf-8").splitlines()]
    # French typography puts no-break spaces inside numbers; sloppy pages double the blanks.
    variants = [t.replace(" ", blank) for t in originals[::4] for blank in ("\u00a0", "  ")]
    for text in originals + variants:
        result = analyzer.analyze(text, lang="fr")
        full = _resolve(s for d in analyzer.detectors for s in d.detect(text, "fr"))
        assert result.spans == full, text
        persons = [s for s in full if s.label == "PERSON"]
        assert result.sensitive == tuple(SensitiveDetector().detect(text, persons)), text


@pytest.mark.parametrize(
    ("text", "label", "value"),
    [
        (
            "Appelez le 06\u00a012\u00a034\u00a056\u00a078 demain.",
            "PHONE",
            "06\u00a012\u00a034\u00a056\u00a078",
        ),
        ("Marie Curie, née  le 7 novembre 1967 à Lyon.", "DATE_OF_BIRTH", "7 novembre 1967"),
        ("Né\u00a0le 03/02/1985 à Lille.", "DATE_OF_BIRTH", "03/02/1985"),
    ],
)
def test_blanks_other_than_one_space(
    analyzer: PiiAnalyzer, text: str, label: str, value: str
) -> None:
    """Regression: no-break and doubled spaces hid phones and birth cues from the windows."""
    found = [(s.label, text[s.start : s.end]) for s in analyzer.analyze(text).spans]
    assert (label, value) in found


def test_an_empty_detector_list_means_no_rule_detector() -> None:
    text = "Écrire à jean.dupont@exemple.fr ou au 06 12 34 56 78."
    assert {s.label for s in PiiAnalyzer(tier="fast").analyze(text).spans} == {"EMAIL", "PHONE"}
    assert PiiAnalyzer(tier="fast", detectors=[]).analyze(text).spans == ()
