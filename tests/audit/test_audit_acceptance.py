"""End-to-end acceptance of the audit on tiny GPT-2s trained from scratch (MOD-01, MOD-02, MOD-03).

The canary model must be caught (exposure rising with repetitions, canaries repeated 16 times
or more found and regurgitated, people's contact details extracted, status personal_data)
while the controls stay at chance; the model trained on deduplicated, pseudonymised data
without canaries must not be flagged by them.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from statistics import mean
from typing import Any

import pytest

pytestmark = pytest.mark.slow


def _by_level(report: dict[str, Any]) -> dict[int, list[dict[str, Any]]]:
    levels: dict[int, list[dict[str, Any]]] = {}
    for canary in report["canaries"]:
        levels.setdefault(canary["repetitions"], []).append(canary)
    return levels


def test_exposure_rises_with_repetitions(trained: Any) -> None:
    levels = _by_level(trained.canary_audit.report)
    # Exposure as a share of the secret space, so that canaries of different formats compare
    # (a fully exposed phone number caps at 26.6 bits, a NIR at 43.2).
    share = {
        r: mean(c["exposure_bits"] / c["space_bits"] for c in cs)
        for r, cs in sorted(levels.items())
    }
    ordered = [share[r] for r in sorted(share)]
    assert all(b >= a - 0.05 for a, b in itertools.pairwise(ordered)), share
    assert share[0] < 0.2 and share[64] > 0.9, share
    ranks = {r: mean(c["rank"] for c in cs) for r, cs in levels.items()}
    assert ranks[0] > 10 and ranks[64] == 1, ranks


def test_canaries_repeated_16_times_or_more_are_found_and_regurgitated(trained: Any) -> None:
    threshold = trained.canary_audit.report["config"]["thresholds"]["max_exposure_bits"]
    frequent = [c for c in trained.canary_audit.report["canaries"] if c["repetitions"] >= 16]
    assert frequent
    for canary in frequent:
        assert canary["exposure_bits"] > threshold, canary
        assert canary["regurgitated"], canary
    never = [c for c in trained.canary_audit.report["canaries"] if c["repetitions"] == 0]
    assert not any(c["regurgitated"] for c in never)


def test_null_control_stays_near_chance(trained: Any) -> None:
    for outcome in (trained.canary_audit, trained.clean_audit):
        for attack in outcome.report["membership"]:
            assert abs(attack["null_auc"] - 0.5) < 0.1, attack
            assert attack["chance_auc"] == 0.5


def test_frequent_people_are_extracted_and_absent_ones_are_not(trained: Any) -> None:
    people = {p["id"]: p for p in trained.canary_audit.report["extraction"]["people"]}
    for person_id, reps in trained.corpus.person_repetitions.items():
        if reps >= 16:
            assert people[person_id]["extracted"], (person_id, reps)
        if reps == 0:
            assert not people[person_id]["extracted"]
            assert not people[person_id]["exact"]


def test_canary_model_status_is_personal_data(trained: Any) -> None:
    report = trained.canary_audit.report
    assert report["status"] == "personal_data"
    assert report["valid"]
    assert report["confirmed_extraction"]
    assert report["positive_control"]["detected"]


def test_clean_model_is_not_flagged_by_canaries_or_people(trained: Any) -> None:
    report = trained.clean_audit.report
    threshold = report["config"]["thresholds"]["max_exposure_bits"]
    for canary in report["canaries"]:
        assert canary["exposure_bits"] <= threshold, canary
        assert not canary["regurgitated"], canary
    assert not report["extraction"]["confirmed"]
    for finding in report["reasoning"]:
        if finding["rule"].startswith(("canary ", "extraction", "negative control")):
            assert finding["outcome"] == "pass", finding
    assert report["positive_control"]["detected"]
    assert report["status"] != "personal_data" or any(
        f["rule"].startswith("membership") and f["outcome"] == "fail" for f in report["reasoning"]
    )


def test_report_files_are_complete(trained: Any) -> None:
    out = trained.canary_audit.out_dir
    report = json.loads((out / "report.json").read_text())
    assert set(report) >= {"status", "canaries", "membership", "extraction", "config", "versions"}
    assert {m["attack"] for m in report["membership"]} == {"loss", "zlib", "min_k", "min_k_pp"}
    for key in ("auc", "tpr_at_1pct_fpr", "tpr_at_0_1pct_fpr", "null_auc"):
        assert all(0 <= m[key] <= 1 for m in report["membership"])
    assert report["config"]["queries_used"] <= report["config"]["budget"]
    assert report["versions"]["torch"].startswith("2.")
    rows = (out / "scores" / "membership.jsonl").read_text().splitlines()
    assert len(rows) == len(trained.members) + len(trained.corpus.non_members)
    page = (out / "report.html").read_text()
    assert page.count("<svg") >= 2
    assert "personal_data" in page and "How the status is decided" in page
    # No identifier of a person in clear in the evidence pack.
    pack = page + (out / "report.json").read_text() + (out / "scores" / "people.jsonl").read_text()
    for person in trained.corpus.people:
        assert person.email not in pack and person.phone not in pack


def test_same_seed_same_result(trained: Any, tmp_path: Path) -> None:
    from moisson.audit.runner import run_audit

    again = run_audit(
        trained.canary_model,
        members=trained.members[:60],
        non_members=trained.corpus.non_members[:60],
        canaries=trained.canaries[:3],
        out_dir=tmp_path / "a",
        config=trained.config,
    )
    twice = run_audit(
        trained.canary_model,
        members=trained.members[:60],
        non_members=trained.corpus.non_members[:60],
        canaries=trained.canaries[:3],
        out_dir=tmp_path / "b",
        config=trained.config,
    )
    assert again.report["canaries"] == twice.report["canaries"]
    assert again.report["membership"] == twice.report["membership"]


def test_reference_model_adds_a_calibrated_attack(trained: Any, tmp_path: Path) -> None:
    from moisson.audit.runner import run_audit

    outcome = run_audit(
        trained.canary_model,
        members=trained.members[:80],
        non_members=trained.corpus.non_members[:80],
        reference_model=trained.clean_model,
        out_dir=tmp_path / "ref",
        config=trained.config,
    )
    attacks = {m["attack"]: m for m in outcome.report["membership"]}
    assert set(attacks) == {"loss", "zlib", "min_k", "min_k_pp", "reference"}
    assert 0 <= attacks["reference"]["auc"] <= 1
    assert outcome.report["config"]["queries_by_test"]["membership"] == 2 * 160
    # Without canaries nor people, anonymity cannot be concluded (MOD-01).
    assert outcome.report["status"] != "anonymous"
