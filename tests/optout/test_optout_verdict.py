"""The cross-family combination rule (optout-signals.md §11.3, SCR-05)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from moisson.optout import Signal, Verdict, combine

_DECISIONS = st.sampled_from(["allow", "disallow", "unknown", "error"])


@given(st.lists(_DECISIONS, max_size=8))
def test_any_refusal_wins_then_any_allow(decisions: list[str]) -> None:
    signals = [Signal(f"f{i}", d, {}) for i, d in enumerate(decisions)]  # type: ignore[arg-type]
    expected = (
        "disallow" if "disallow" in decisions else "allow" if "allow" in decisions else "unknown"
    )
    assert combine(signals) == expected
    verdict = Verdict.of("https://e.org/", signals, "train-ai")
    assert verdict.to_json()["decision"] == expected
    assert verdict.refusing_families == [s.family for s in signals if s.decision == "disallow"]


def test_error_never_allows() -> None:
    assert combine([Signal("robots-txt", "error", {})]) == "unknown"
