"""One audit run: every test within the query budget, then the status and the evidence (MOD-01..04).

Output folder::

    report.json                status, per-test results, config, versions (the evidence pack)
    report.html                ROC curves, exposure versus repetitions, reasoning (self-contained)
    scores/membership.jsonl    raw per-sample attack scores, members and non-members
    scores/canaries.jsonl      per-canary ranks and log-likelihoods
    scores/people.jsonl        per-person match flags (identifier types, never values)

The run is reproducible: every random draw is seeded from ``config.seed`` and the config,
thresholds, library versions and a hash of the model files are recorded (MOD-03).
"""

from __future__ import annotations

import hashlib
import json
import platform
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from moisson.audit.canaries import Canary
from moisson.audit.control import ControlResult, injected_control
from moisson.audit.exposure import ExposureResult, canary_exposure
from moisson.audit.extraction import (
    PersonResult,
    RegurgitationResult,
    extract_person,
    regurgitation_rate,
)
from moisson.audit.membership import AttackResult, attack_scores, evaluate_attack
from moisson.audit.records import Person, TextRecord
from moisson.audit.scoring import LanguageModel, QueryBudget, load_model, score_texts
from moisson.audit.status import StatusDecision, decide_status
from moisson.errors import AuditError
from moisson.workspace.config import AuditSettings

__all__ = ("AuditConfig", "AuditOutcome", "plan_queries", "run_audit")

MIN_CANDIDATES = 100
_CONTROL_CANARIES = 4


@dataclass(frozen=True)
class AuditConfig:
    """Everything that decides what the audit does; recorded in the report (MOD-03)."""

    seed: int = 0
    budget: int = 20_000
    candidates: int = 1000
    canary_samples: int = 8
    people_samples: int = 16
    max_new_tokens: int = 32
    excerpts: int = 256
    min_k: float = 0.2
    batch_size: int = 16
    device: str | None = None
    settings: AuditSettings = field(default_factory=AuditSettings)


@dataclass
class AuditOutcome:
    report: dict[str, Any]
    decision: StatusDecision
    canaries: list[ExposureResult]
    membership: list[AttackResult]
    people: list[PersonResult]
    regurgitation: RegurgitationResult | None
    control: ControlResult | None
    member_scores: dict[str, np.ndarray]
    non_member_scores: dict[str, np.ndarray]
    out_dir: Path


def plan_queries(
    config: AuditConfig,
    *,
    members: int,
    non_members: int,
    canaries: int,
    people: int,
    reference: bool,
    candidates: int,
) -> dict[str, int]:
    """Queries each test will use (one scored or generated sequence = one query)."""
    per_canary = 1 + candidates + 1 + config.canary_samples
    plan = {
        "membership": (members + non_members) * (2 if reference else 1),
        "canaries": canaries * per_canary,
        "positive_control": (
            _CONTROL_CANARIES * (candidates + 2)
            if config.settings.positive_control == "injected"
            else 0
        ),
        "extraction": people * (1 + config.people_samples),
        "regurgitation": min(config.excerpts, members) + min(config.excerpts, non_members),
    }
    return plan


def _choose_candidates(config: AuditConfig, **sizes: Any) -> tuple[int, dict[str, int]]:
    candidates = config.candidates
    while True:
        plan = plan_queries(config, candidates=candidates, **sizes)
        if sum(plan.values()) <= config.budget:
            return candidates, plan
        if candidates <= MIN_CANDIDATES:
            need = sum(plan.values())
            msg = (
                f"query budget {config.budget} is too small: this audit needs at least {need} "
                f"queries ({', '.join(f'{k} {v}' for k, v in plan.items())}); raise --budget "
                "or give fewer members, canaries or samples"
            )
            raise AuditError(msg)
        candidates = max(MIN_CANDIDATES, candidates // 2)


def _model_digest(path: Path) -> str:
    digest = hashlib.sha256()
    for file in sorted(p for p in path.rglob("*") if p.is_file()):
        digest.update(file.relative_to(path).as_posix().encode())
        with file.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for dist in ("moisson", "torch", "transformers", "tokenizers", "numpy", "scipy"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "not installed"
    return out


def _membership(
    lm: LanguageModel,
    ref: LanguageModel | None,
    members: Sequence[TextRecord],
    non_members: Sequence[TextRecord],
    budget: QueryBudget,
    config: AuditConfig,
) -> tuple[list[AttackResult], dict[str, np.ndarray], dict[str, np.ndarray]]:
    def scores_of(records: Sequence[TextRecord]) -> dict[str, np.ndarray]:
        texts = [r.text for r in records]
        target = score_texts(lm, texts, budget, test="membership")
        reference = score_texts(ref, texts, budget, test="membership") if ref else None
        return attack_scores(texts, target, min_k=config.min_k, reference=reference)

    m, n = scores_of(members), scores_of(non_members)
    results = [evaluate_attack(name, m[name], n[name], config.seed) for name in m]
    return results, m, n


def _write_jsonl(path: Path, rows: Sequence[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def run_audit(
    model_path: Path,
    *,
    members: Sequence[TextRecord],
    non_members: Sequence[TextRecord],
    out_dir: Path,
    canaries: Sequence[Canary] = (),
    people: Sequence[Person] = (),
    reference_model: Path | None = None,
    config: AuditConfig | None = None,
) -> AuditOutcome:
    """Run every test the inputs allow, decide the status, write the report folder."""
    cfg = config or AuditConfig()
    if len(non_members) < 4:
        msg = "at least 4 non-members are needed (the null control splits them in two)"
        raise AuditError(msg)
    candidates, plan = _choose_candidates(
        cfg,
        members=len(members),
        non_members=len(non_members),
        canaries=len(canaries),
        people=len(people),
        reference=reference_model is not None,
    )
    budget = QueryBudget(cfg.budget)
    lm = load_model(model_path, device=cfg.device, batch_size=cfg.batch_size)
    ref = (
        load_model(reference_model, device=cfg.device, batch_size=cfg.batch_size)
        if reference_model
        else None
    )
    tests_run = ["membership"]
    attacks, m_scores, n_scores = _membership(lm, ref, members, non_members, budget, cfg)
    exposures = [
        canary_exposure(
            lm, c, budget, candidates=candidates, samples=cfg.canary_samples, seed=cfg.seed
        )
        for c in canaries
    ]
    if any(c.repetitions == 0 for c in canaries) and any(c.repetitions > 0 for c in canaries):
        tests_run.append("canaries")  # planted canaries and their negative control
    secrets = [(p.id, k, v) for p in people for k, v in p.identifiers().items() if k != "name"]
    canary_secrets = [("canary", "code", c.secret) for c in canaries]
    person_results = [
        extract_person(
            lm,
            p,
            budget,
            samples=cfg.people_samples,
            max_new_tokens=cfg.max_new_tokens,
            seed=cfg.seed,
            other_secrets=[(k, v) for owner, k, v in secrets + canary_secrets if owner != p.id],
        )
        for p in people
    ]
    if people:
        tests_run.append("extraction")
    regurgitation = regurgitation_rate(
        lm,
        members,
        non_members,
        budget,
        excerpts=cfg.excerpts,
        seed=cfg.seed,
    )
    if regurgitation.member_excerpts:
        tests_run.append("regurgitation")
    control = None
    if cfg.settings.positive_control == "injected":
        control = injected_control(
            lm,
            budget,
            langs=("fr", "en"),
            candidates=candidates,
            max_exposure_bits=cfg.settings.max_exposure_bits,
            steps=cfg.settings.positive_control_steps,
            learning_rate=cfg.settings.positive_control_learning_rate,
            seed=cfg.seed,
        )
    decision = decide_status(
        canaries=exposures,
        membership=attacks,
        people=person_results,
        regurgitation=regurgitation,
        control=control,
        tests_run=tests_run,
        settings=cfg.settings,
    )
    config_record = {
        **{k: v for k, v in asdict(cfg).items() if k != "settings"},
        "thresholds": cfg.settings.model_dump(mode="json"),
        "candidates_used": candidates,
        "device": str(lm.device),
        "model": str(model_path),
        "model_sha256": _model_digest(model_path),
        "reference_model": str(reference_model) if reference_model else None,
        "inputs": {
            "members": len(members),
            "non_members": len(non_members),
            "canaries": len(canaries),
            "people": len(people),
        },
        "query_plan": plan,
        "queries_used": budget.used,
        "queries_by_test": budget.by_test,
        "tests_run": tests_run,
    }
    report: dict[str, Any] = {
        "status": decision.status,
        "valid": decision.valid,
        "confirmed_extraction": decision.confirmed_extraction,
        "reasoning": [asdict(f) for f in decision.findings],
        "canaries": [
            {
                "id": e.id,
                "repetitions": e.repetitions,
                "exposure_bits": round(e.exposure_bits, 3),
                "regurgitated": e.regurgitated,
                "exposure_rank_bits": round(e.exposure_rank_bits, 3),
                "rank": e.rank,
                "candidates": e.candidates,
                "space_bits": round(e.space_bits, 3),
                "sampled_regurgitation": e.sampled_regurgitation,
            }
            for e in exposures
        ],
        "canary_chance_bits": 1.0,
        "membership": [
            {
                **asdict(a),
                "chance_auc": 0.5,
                "direction": "higher score = member",
                "fpr_resolution": round(1 / a.non_members, 6),
            }
            for a in attacks
        ],
        "extraction": {
            "people": [{**asdict(p), "extracted": p.extracted} for p in person_results],
            "confirmed": [p.id for p in person_results if p.extracted],
            "regurgitation": asdict(regurgitation),
        },
        "positive_control": None
        if control is None
        else {
            "detected": control.detected,
            "steps": control.steps,
            "final_loss": round(control.final_loss, 4),
            "injected": [asdict(r) for r in control.injected],
            "held_out": [asdict(r) for r in control.held_out],
        },
        "config": config_record,
        "versions": _versions(),
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    _write_raw_scores(out_dir, members, non_members, m_scores, n_scores, exposures, person_results)
    (out_dir / "report.json").write_text(
        json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    outcome = AuditOutcome(
        report=report,
        decision=decision,
        canaries=exposures,
        membership=attacks,
        people=person_results,
        regurgitation=regurgitation,
        control=control,
        member_scores=m_scores,
        non_member_scores=n_scores,
        out_dir=out_dir,
    )
    from moisson.audit.report import render_html

    (out_dir / "report.html").write_text(render_html(outcome), encoding="utf-8")
    return outcome


def _write_raw_scores(
    out_dir: Path,
    members: Sequence[TextRecord],
    non_members: Sequence[TextRecord],
    m_scores: dict[str, np.ndarray],
    n_scores: dict[str, np.ndarray],
    exposures: Sequence[ExposureResult],
    people: Sequence[PersonResult],
) -> None:
    rows: list[dict[str, Any]] = []
    for label, records, scores in (
        ("member", members, m_scores),
        ("non_member", non_members, n_scores),
    ):
        for i, record in enumerate(records):
            rows.append(
                {"id": record.id, "set": label, **{k: float(v[i]) for k, v in scores.items()}}
            )
    _write_jsonl(out_dir / "scores" / "membership.jsonl", rows)
    _write_jsonl(out_dir / "scores" / "canaries.jsonl", [asdict(e) for e in exposures])
    _write_jsonl(out_dir / "scores" / "people.jsonl", [asdict(p) for p in people])
