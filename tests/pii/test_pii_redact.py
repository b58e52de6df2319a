"""Masking and pseudonymisation of spans (PII-03) and the keyword pass (PII-04)."""

from __future__ import annotations

import pytest

from moisson.pii import PiiAnalyzer, Pseudonymiser, redact
from moisson.pii._keywords import KeywordIndex
from moisson.pipeline.step import TaskContext


@pytest.fixture
def pseudonymiser(tmp_path) -> Pseudonymiser:  # type: ignore[no-untyped-def]
    ctx = TaskContext(task_id="t", workspace_root=tmp_path, secret=b"k" * 32)
    return Pseudonymiser(ctx.keyed_hash)


@pytest.mark.parametrize(
    ("label", "first", "second", "other"),
    [
        ("PHONE", "06 12 34 56 78", "+33 6 12 34 56 78", "06 12 34 56 79"),
        ("EMAIL", "Jean.Dupont@Exemple.fr", "jean.dupont@exemple.fr", "jean.dupond@exemple.fr"),
        ("PERSON", "DUPONT Jean", "Jean Dupont", "Jean Durand"),
        (
            "IBAN",
            "FR76 3000 6000 0112 3456 7890 189",
            "FR7630006000011234567890189",
            "GB82 WEST 1234 5698 7654 32",
        ),
        ("FR_SIRET", "443 061 841 00047", "44306184100047", "552 100 554 00011"),
    ],
)
def test_surface_variants_share_a_token(
    pseudonymiser: Pseudonymiser, label: str, first: str, second: str, other: str
) -> None:
    assert pseudonymiser.token(label, first) == pseudonymiser.token(label, second)
    assert pseudonymiser.token(label, first) != pseudonymiser.token(label, other)


def test_redact_mixed_actions(pseudonymiser: Pseudonymiser) -> None:
    text = "Jean Dupont : jean@exemple.fr ou 06 12 34 56 78."
    spans = PiiAnalyzer().analyze(text, lang="fr").spans
    actions = {"PERSON": "pseudonymise", "EMAIL": "mask", "PHONE": "keep"}
    out, rows = redact(text, spans, actions, pseudonymiser=pseudonymiser)
    person = pseudonymiser.token("PERSON", "Jean Dupont")
    assert out == f"{person} : [EMAIL] ou 06 12 34 56 78."
    assert [r.action for r in rows] == ["pseudonymise", "mask", "keep"]
    assert all(out[r.start : r.end] == (r.token or "06 12 34 56 78") for r in rows)


def test_pseudonymise_without_secret_is_refused() -> None:
    text = "jean@exemple.fr"
    spans = PiiAnalyzer().analyze(text, lang="fr").spans
    with pytest.raises(ValueError, match="secret"):
        redact(text, spans, {"EMAIL": "pseudonymise"})


def test_keyword_fallback_finds_the_same_hits() -> None:
    groups = {"a": ("rue ", "né le"), "b": ("diab", "rue ")}
    text = "au 12 rue des lilas, né le 3, diabétique, rue "
    fast = KeywordIndex(groups)
    slow = KeywordIndex(groups)
    slow._automaton = None  # the pure-Python path used without ahocorasick-rs
    assert {k: sorted(v) for k, v in fast.find(text).items()} == {
        k: sorted(v) for k, v in slow.find(text).items()
    }
    assert sorted(fast.find(text)["b"]) == [(6, 10), (30, 34), (42, 46)]
