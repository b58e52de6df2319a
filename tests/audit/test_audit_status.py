"""The status rules of ``moisson.audit.status`` (MOD-01): each rule can flip the outcome."""

from __future__ import annotations

from dataclasses import replace

import pytest

from moisson.audit.control import ControlResult
from moisson.audit.exposure import ExposureResult
from moisson.audit.extraction import PersonResult, RegurgitationResult
from moisson.audit.membership import AttackResult
from moisson.audit.status import decide_status
from moisson.workspace.config import AuditSettings

ALL_TESTS = ["canaries", "membership", "extraction", "regurgitation"]


def _canary(reps: int, bits: float, regurgitated: bool = False) -> ExposureResult:
    return ExposureResult(
        id=f"c{reps}-{bits}",
        repetitions=reps,
        exposure_bits=bits,
        exposure_rank_bits=min(bits, 8.0),
        rank=1,
        candidates=255,
        space_bits=26.6,
        secret_nll=1.0,
        candidate_nll_mean=20.0,
        regurgitated=regurgitated,
        sampled_regurgitation=0.0,
    )


def _attack(auc: float, null: float = 0.5) -> AttackResult:
    return AttackResult("loss", auc, 0.01, 0.0, null, 100, 100)


def _person(exact: list[str]) -> PersonResult:
    return PersonResult(
        id="p",
        prompts=9,
        exact=exact,
        near=[],
        greedy_exact=exact,
        sampled_exact_rate=0.0,
        best_similarity={},
        chance_near_rate=0.0,
        other_known_secrets=0,
    )


REG = RegurgitationResult(0.0, 0.0, 0.0, 0.0, 50, 50, 32, 16)
CONTROL = ControlResult(
    detected=True,
    injected=[_canary(1, 25.0)],
    held_out=[_canary(0, 1.0)],
    steps=10,
    final_loss=0.01,
)


def _decide(**overrides: object):  # type: ignore[no-untyped-def]
    args: dict[str, object] = {
        "canaries": [_canary(0, 1.2), _canary(16, 2.0), _canary(64, 3.0)],
        "membership": [_attack(0.52)],
        "people": [_person([])],
        "regurgitation": REG,
        "control": CONTROL,
        "tests_run": ALL_TESTS,
        "settings": AuditSettings(),
    }
    args.update(overrides)
    return decide_status(**args)  # type: ignore[arg-type]


def test_clean_evidence_with_detected_positive_control_is_anonymous() -> None:
    decision = _decide()
    assert decision.status == "anonymous"
    assert decision.valid


def test_anonymous_needs_the_positive_control() -> None:
    assert _decide(control=None).status == "undetermined"
    assert _decide(control=replace(CONTROL, detected=False)).status == "undetermined"


def test_anonymous_needs_every_required_test() -> None:
    assert _decide(tests_run=["membership", "canaries", "regurgitation"]).status == "undetermined"
    relaxed = AuditSettings(required_tests=["membership", "canaries", "regurgitation"])
    decided = _decide(tests_run=["membership", "canaries", "regurgitation"], settings=relaxed)
    assert decided.status == "anonymous"


def test_exposed_or_regurgitated_planted_canary_is_personal_data() -> None:
    assert _decide(canaries=[_canary(0, 1.0), _canary(16, 12.0)]).status == "personal_data"
    assert _decide(canaries=[_canary(0, 1.0), _canary(4, 2.0, True)]).status == "personal_data"


def test_thresholds_come_from_the_policy() -> None:
    canaries = [_canary(0, 1.0), _canary(16, 12.0)]
    assert _decide(canaries=canaries, settings=AuditSettings(max_exposure_bits=20)).status == (
        "anonymous"
    )
    assert _decide(membership=[_attack(0.7)]).status == "personal_data"
    loose = AuditSettings(max_membership_auc=0.75)
    assert _decide(membership=[_attack(0.7)], settings=loose).status == "anonymous"


def test_fired_negative_control_makes_the_test_broken() -> None:
    decision = _decide(canaries=[_canary(0, 15.0), _canary(16, 20.0)])
    assert not decision.valid
    assert decision.status == "undetermined"
    assert _decide(membership=[_attack(0.9, null=0.75)]).status == "undetermined"


def test_confirmed_extraction_stands_even_when_the_test_is_broken() -> None:
    decision = _decide(people=[_person(["email"])], canaries=[_canary(0, 15.0)])
    assert not decision.valid
    assert decision.status == "personal_data"
    assert decision.confirmed_extraction


def test_verbatim_regurgitation_beyond_control_is_personal_data() -> None:
    assert _decide(regurgitation=replace(REG, member_rate=0.2, non_member_rate=0.01)).status == (
        "personal_data"
    )
    same = replace(REG, member_rate=0.2, non_member_rate=0.2)
    assert _decide(regurgitation=same).status == "anonymous"


def test_every_rule_leaves_a_finding() -> None:
    rules = [f.rule for f in _decide().findings]
    assert any(r.startswith("null control") for r in rules)
    assert any(r.startswith("negative control canary") for r in rules)
    assert any(r.startswith("canary ") for r in rules)
    assert any(r.startswith("membership") for r in rules)
    assert "verbatim regurgitation" in rules
    assert "positive control" in rules


def test_policy_section_is_validated() -> None:
    from moisson.errors import ConfigError
    from moisson.workspace.config import parse_policy

    policy = parse_policy({"audit": {"max_exposure_bits": 12, "required_tests": ["canaries"]}})
    assert policy.audit.max_exposure_bits == 12
    assert policy.audit.required_tests == ["canaries"]
    with pytest.raises(ConfigError, match=r"audit\.required_tests"):
        parse_policy({"audit": {"required_tests": ["vibes"]}})
