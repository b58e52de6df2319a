"""Regression guard on the labelled evaluation set (issue 4 acceptance, fast tier).

The set is built by ``bench/data/pii_eval/generate.py``; ``bench/pii.py`` reports the full
comparison. Here: fast-tier overlap micro-F1, checksummed labels and clean-document flags.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from moisson.pii import PiiAnalyzer

EVAL = Path(__file__).resolve().parents[2] / "bench" / "data" / "pii_eval" / "eval.jsonl"


@pytest.fixture(scope="module")
def outcome() -> tuple[dict[str, Counter[str]], float]:
    docs = [json.loads(line) for line in EVAL.read_text(encoding="utf-8").splitlines()]
    analyzer = PiiAnalyzer(tier="fast")
    counts: dict[str, Counter[str]] = {}
    clean = flagged = 0
    for doc in docs:
        pred = [(s.start, s.end, s.label) for s in analyzer.analyze(doc["text"]).spans]
        gold = [(g["start"], g["end"], g["label"]) for g in doc["spans"]]
        if not gold:
            clean += 1
            flagged += bool(pred)
        used: set[int] = set()
        for ps, pe, pl in pred:
            match = next(
                (
                    i
                    for i, (gs, ge, gl) in enumerate(gold)
                    if i not in used and gl == pl and gs < pe and ps < ge
                ),
                None,
            )
            counts.setdefault(pl, Counter())["tp" if match is not None else "fp"] += 1
            if match is not None:
                used.add(match)
        for i, (_s, _e, gl) in enumerate(gold):
            if i not in used:
                counts.setdefault(gl, Counter())["fn"] += 1
    return counts, flagged / clean


def f1(c: Counter[str]) -> float:
    return 2 * c["tp"] / (2 * c["tp"] + c["fp"] + c["fn"]) if c["tp"] else 0.0


def test_fast_tier_overlap_micro_f1(outcome: tuple[dict[str, Counter[str]], float]) -> None:
    counts, _ = outcome
    total: Counter[str] = Counter()
    for c in counts.values():
        total.update(c)
    assert f1(total) >= 0.85


@pytest.mark.parametrize("label", ["EMAIL", "IBAN", "FR_NIR", "FR_SIREN"])
def test_checksummed_labels(outcome: tuple[dict[str, Counter[str]], float], label: str) -> None:
    assert f1(outcome[0][label]) >= 0.97
