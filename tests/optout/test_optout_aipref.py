"""Content-Usage (RFC 9651 dictionary) and Content-Signal parsing (A-01..A-15)."""

from __future__ import annotations

import pytest

from moisson.optout._aipref import (
    SfParseError,
    decision_for_purpose,
    parse_content_signal,
    parse_usage_dictionary,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("train-ai=n", {"train-ai": "n"}),
        ("train-ai=y, search=n", {"train-ai": "y", "search": "n"}),
        ("train-ai=n;exp=2027", {"train-ai": "n"}),  # A-05 parameters ignored
        ("train-ai;allow=n, train-ai=y", {"train-ai": "y"}),  # last duplicate wins
        ('train-ai="n"', {"train-ai": "other"}),  # A-04 string
        ("train-ai=?0", {"train-ai": "other"}),  # A-04 boolean
        ("train-ai=no", {"train-ai": "other"}),  # A-04 other token
        ("train-ai=(n y)", {"train-ai": "other"}),
        ("", {}),
    ],
)
def test_usage_dictionary(value: str, expected: dict[str, str]) -> None:
    assert parse_usage_dictionary(value) == expected


@pytest.mark.parametrize(
    "value", ["Train-AI=n", "train-ai=n,", "train-ai=n search=y", '"x"=n', 'train-ai="n']
)
def test_parse_failures(value: str) -> None:
    """A-03: a parse failure makes every preference unknown."""
    with pytest.raises(SfParseError):
        parse_usage_dictionary(value)


def test_legacy_labels_map_conservatively() -> None:
    """A-06."""
    assert decision_for_purpose({"all": "n"}, "search") == ("disallow", ["all"])
    assert decision_for_purpose({"train-genai": "n"}, "train-ai") == ("disallow", ["train-genai"])
    assert decision_for_purpose({"train-genai": "n"}, "search") == ("unknown", [])
    assert decision_for_purpose({"unknown-label": "n"}, "train-ai") == ("unknown", [])


def test_content_signal_lenient_parsing() -> None:
    """A-15."""
    value = parse_content_signal(" Search = YES ,ai-train=NO, use=reference, ai_train=no")
    assert value.prefs == {"search": True, "ai-train": False}
    assert value.use == "reference"
    assert value.unknown_keys == ("ai_train",)
