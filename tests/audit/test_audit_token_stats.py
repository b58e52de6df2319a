"""The per-token statistics of the audit against a float64 reference (MOD-02, MOD-04).

``_token_stats`` computes log p(target), the mean and spread of log p over the vocabulary and
the argmax flag from one softmax and two dot products, with fallbacks for masked (-inf)
logits and for targets whose probability underflows; each case is checked here.
"""

from __future__ import annotations

import pytest
import torch

from moisson.audit.scoring import _batch_stats
from moisson.errors import AuditError


def _reference(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    logp = torch.log_softmax(logits.double(), dim=-1)
    p = logp.exp()
    finite = torch.where(p > 0, logp, torch.zeros_like(logp))
    mu = (p * finite).sum(-1)
    second = (p * finite * finite).sum(-1)
    chosen = logp.gather(-1, targets.unsqueeze(-1)).squeeze(-1)
    top = (chosen >= logp.amax(-1)).double()
    return torch.stack([chosen, mu, (second - mu.square()).sqrt(), top])


@pytest.mark.parametrize("case", ["plain", "offset", "masked", "underflow", "wide"])
def test_statistics_match_a_float64_log_softmax(case: str) -> None:
    generator = torch.Generator().manual_seed(0)
    # wide: 40 positions of 70,000 logits are three chunks of 2^20 elements
    vocab, positions = (70_000, 20) if case == "wide" else (5_000, 5)
    logits = torch.randn(2, positions, vocab, generator=generator) * 4
    targets = torch.randint(0, vocab, (2, positions), generator=generator)
    if case == "offset":
        logits += 60
    if case == "masked":
        logits[0, 1, 7] = -float("inf")
        logits[1, 2, targets[1, 2]] = logits[1, 2].max() + 1
    if case == "underflow":
        logits[1, 3, targets[1, 3]] = -200.0
    expected = _reference(logits, targets)
    got = _batch_stats(logits.clone(), targets, torch.empty(1 << 20)).double()
    assert got.shape == expected.shape
    assert torch.isfinite(got).all()
    assert torch.allclose(got[0], expected[0], atol=1e-4)
    assert torch.allclose(got[1], expected[1], atol=1e-3)
    assert torch.allclose(got[2], expected[2], rtol=1e-3, atol=1e-3)
    assert torch.equal(got[3], expected[3])
    if case == "underflow":
        assert got[0, 1, 3] < -150  # not -inf: log-sum-exp taken directly


def test_broken_logits_are_an_audit_error() -> None:
    logits = torch.zeros(1, 2, 10)
    logits[0, 0, 3] = float("nan")
    with pytest.raises(AuditError, match="NaN"):
        _batch_stats(logits, torch.zeros(1, 2, dtype=torch.long))
