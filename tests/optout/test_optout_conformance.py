"""The conformance catalogue (optout-signals.md §12): every fixture must pass (SCR-05/06/13)."""

from __future__ import annotations

import time

import pytest
from fixture_server import FixtureServer
from optout_cases import CASES, Case
from optout_runner import run_moisson


def test_catalogue_has_at_least_90_fixtures() -> None:
    assert len(CASES) >= 90
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case(case: Case, case_server: FixtureServer) -> None:
    started = time.perf_counter()
    verdict = run_moisson(case, case_server)
    elapsed = time.perf_counter() - started
    assert verdict.decision == case.expected, verdict.to_json()
    by_family: dict[str, str] = {}
    for signal in verdict.signals:
        by_family.setdefault(signal.family, signal.decision)
        if signal.decision == "disallow":
            by_family[signal.family] = "disallow"
    for family, expected in case.families.items():
        assert by_family.get(family) == expected, (family, verdict.to_json())
    if verdict.decision == "disallow":
        # C-11: every refusal carries a URL and what decided it.
        refusing = [s for s in verdict.signals if s.decision == "disallow"]
        assert all(s.evidence.get("url") for s in refusing)
    assert elapsed < 5, f"{case.id} took {elapsed:.1f}s"


def test_head_preflight_skips_the_get(case_server: FixtureServer) -> None:
    """T-17: the HEAD refusal is final for an image, so the body is never downloaded."""
    case = next(c for c in CASES if c.id == "T-17")
    verdict = run_moisson(case, case_server)
    assert verdict.decision == "disallow"
    tdm = next(s for s in verdict.signals if s.family == "tdmrep")
    assert tdm.evidence["method"] == "HEAD"
    assert (case.host, "/big.jpg") in case_server.head_hits
    assert (case.host, "/big.jpg") not in case_server.hits


def test_tdm_policy_type_is_recorded(case_server: FixtureServer) -> None:
    """T-12: the policy is fetched once and its type recorded; the reservation stands."""
    case = next(c for c in CASES if c.id == "T-12")
    verdict = run_moisson(case, case_server)
    tdm = next(s for s in verdict.signals if s.family == "tdmrep")
    assert tdm.decision == "disallow"
    assert tdm.evidence["tdm_policy_fetch"]["kind"] == "machine-readable"
