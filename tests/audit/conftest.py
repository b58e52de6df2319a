"""Tiny GPT-2 models trained once per session: one with canaries, one on clean data (MOD-02).

Both are trained from random init with a tokenizer trained locally: no download. The first
sees the generated corpus with canaries planted at 0, 1, 4, 16 and 64 repetitions and people
whose contact lines appear 0 to 32 times; the second sees the deduplicated, pseudonymised
corpus without canaries (what a careful pipeline produces, PII-03).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import torch

from moisson.audit.canaries import Canary, make_canaries, training_lines
from moisson.audit.records import TextRecord
from moisson.audit.runner import AuditConfig, AuditOutcome, run_audit
from moisson.audit.synthetic import SyntheticCorpus, clean_variant, make_corpus
from moisson.audit.train import TinyModelConfig, train_tiny_causal_lm

STEPS = 250
TINY = TinyModelConfig(n_positions=64, batch_size=16)


def audit_config(seed: int = 0) -> AuditConfig:
    return AuditConfig(
        seed=seed, candidates=128, canary_samples=4, people_samples=8, excerpts=64, budget=20_000
    )


@dataclass
class Trained:
    corpus: SyntheticCorpus
    canaries: list[Canary]
    canary_model: Path
    clean_model: Path
    members: list[TextRecord]
    clean_members: list[TextRecord]
    canary_audit: AuditOutcome
    clean_audit: AuditOutcome
    config: AuditConfig


@pytest.fixture(scope="session")
def trained(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Trained]:
    # One thread: a model this small gains nothing from two, and loses a lot when the
    # cores are shared with other test processes (threads wait on each other).
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    root = tmp_path_factory.mktemp("audit-models")
    corpus = make_corpus(2000, held_out=300, seed=11)
    canaries = make_canaries(2, [0, 1, 4, 16, 64], ["fr", "en"], seed=12)
    texts = [r.text for r in corpus.members]
    texts += [line["text"] for line in training_lines(canaries, seed=13)]
    random.Random(14).shuffle(texts)
    train_tiny_causal_lm(texts, root / "canary-model", steps=STEPS, seed=0, config=TINY)
    clean_texts = clean_variant([r.text for r in corpus.members], corpus.people)
    train_tiny_causal_lm(clean_texts, root / "clean-model", steps=STEPS, seed=0, config=TINY)
    members = [r for r in corpus.members if r.id.startswith("doc-")][:300]
    clean_members = [TextRecord(f"clean-{i}", t) for i, t in enumerate(clean_texts)][:300]
    canary_audit = run_audit(
        root / "canary-model",
        members=members,
        non_members=corpus.non_members,
        canaries=canaries,
        people=corpus.people,
        out_dir=root / "canary-audit",
        config=audit_config(),
    )
    clean_audit = run_audit(
        root / "clean-model",
        members=clean_members,
        non_members=corpus.non_members,
        canaries=canaries,
        people=corpus.people,
        out_dir=root / "clean-audit",
        config=audit_config(),
    )
    yield Trained(
        corpus,
        canaries,
        root / "canary-model",
        root / "clean-model",
        members,
        clean_members,
        canary_audit,
        clean_audit,
        audit_config(),
    )
    torch.set_num_threads(threads)
