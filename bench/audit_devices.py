"""The same audit on the CPU and on a GPU: do both reach the same figures? (MOD-02, MOD-04)

Trains the tiny GPT-2 of ``tests/audit/conftest.py`` (canaries planted 0 to 64 times, people
whose contact lines repeat), audits it once with ``device="cpu"`` and once with
``device="cuda"``, and prints both results and their differences: canary exposures and ranks,
membership AUCs, mean attack scores, people extracted (exact and near), regurgitation rates
and the status. Needs a CUDA device; the numbers are recorded in docs/benchmarks/audit.md.

Usage: ``python bench/audit_devices.py [--out DIR]``
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch

from moisson.audit.canaries import make_canaries, training_lines
from moisson.audit.runner import AuditConfig, AuditOutcome, run_audit
from moisson.audit.synthetic import make_corpus
from moisson.audit.train import TinyModelConfig, train_tiny_causal_lm


def _summary(outcome: AuditOutcome, seconds: float) -> dict[str, Any]:
    people = outcome.people
    return {
        "seconds": round(seconds, 1),
        "device": outcome.report["config"]["device"],
        "status": str(outcome.decision.status),
        "exposure_bits": [round(c.exposure_bits, 3) for c in outcome.canaries],
        "ranks": [c.rank for c in outcome.canaries],
        "auc": {a.attack: round(a.auc, 4) for a in outcome.membership},
        "mean_scores": {k: float(np.mean(v)) for k, v in outcome.member_scores.items()},
        "people_exact": sorted(f"{p.id}:{v}" for p in people for v in p.exact),
        "people_near": sorted(f"{p.id}:{v}" for p in people for v in p.near),
        "regurgitation": None
        if outcome.regurgitation is None
        else [outcome.regurgitation.member_rate, outcome.regurgitation.non_member_rate],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="also write the comparison there as JSON")
    args = parser.parse_args()
    if not torch.cuda.is_available():
        parser.error("no CUDA device: this comparison needs one")
    print(f"torch {torch.__version__}, {torch.cuda.get_device_name(0)}")
    root = Path(tempfile.mkdtemp(prefix="moisson-audit-devices-"))
    corpus = make_corpus(2000, held_out=300, seed=11)
    canaries = make_canaries(2, [0, 1, 4, 16, 64], ["fr", "en"], seed=12)
    texts = [r.text for r in corpus.members]
    texts += [line["text"] for line in training_lines(canaries, seed=13)]
    random.Random(14).shuffle(texts)
    config = TinyModelConfig(n_positions=64, batch_size=16)
    train_tiny_causal_lm(texts, root / "model", steps=250, seed=0, config=config)
    members = [r for r in corpus.members if r.id.startswith("doc-")][:300]
    results: dict[str, dict[str, Any]] = {}
    for device in ("cpu", "cuda"):
        audit = AuditConfig(
            seed=0, candidates=128, canary_samples=4, people_samples=8, excerpts=64, device=device
        )
        start = time.perf_counter()
        outcome = run_audit(
            root / "model",
            members=members,
            non_members=corpus.non_members,
            canaries=canaries,
            people=corpus.people,
            out_dir=root / f"audit-{device}",
            config=audit,
        )
        results[device] = _summary(outcome, time.perf_counter() - start)
        print(device, json.dumps(results[device]))
    cpu, gpu = results["cpu"], results["cuda"]
    diff = {
        "same_status": cpu["status"] == gpu["status"],
        "max_exposure_bits_diff": max(
            abs(a - b) for a, b in zip(cpu["exposure_bits"], gpu["exposure_bits"], strict=True)
        ),
        "ranks_differing": sum(a != b for a, b in zip(cpu["ranks"], gpu["ranks"], strict=True)),
        "max_auc_diff": max(abs(cpu["auc"][k] - gpu["auc"][k]) for k in cpu["auc"]),
        "max_mean_score_relative_diff": max(
            abs(cpu["mean_scores"][k] - gpu["mean_scores"][k]) / abs(cpu["mean_scores"][k])
            for k in cpu["mean_scores"]
        ),
        "same_people_extracted": cpu["people_exact"] == gpu["people_exact"]
        and cpu["people_near"] == gpu["people_near"],
        "max_regurgitation_relative_diff": max(
            abs(a - b) / max(abs(a), 1e-300)
            for a, b in zip(cpu["regurgitation"] or [], gpu["regurgitation"] or [], strict=True)
        )
        if cpu["regurgitation"]
        else 0.0,
    }
    print("difference", json.dumps(diff))
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        report = {"cpu": cpu, "cuda": gpu, "difference": diff}
        (args.out / "audit_devices.json").write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
