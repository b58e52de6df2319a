"""Membership inference: was this text in the training set? (MOD-02)

Attacks, each a score where *higher means member*:

* ``loss``: minus the mean token negative log-likelihood (Yeom et al., 2018);
* ``zlib``: minus the total NLL divided by the zlib-compressed length, which discounts texts
  that are simply predictable (Carlini et al., "Extracting Training Data from LLMs", 2021);
* ``min_k``: mean log-probability of the k% least likely tokens (Shi et al., "Min-K% Prob",
  ICLR 2024);
* ``min_k_pp``: the same on tokens standardised by the mean and spread of log-probabilities
  over the vocabulary at that position (Zhang et al., "Min-K%++", 2024);
* ``reference``: the target's loss calibrated by a reference model's (``ref_loss - loss``),
  when a reference model is given (Carlini et al., S&P 2022; Mireshghallah et al., 2022).

Each is reported as ROC AUC (chance 0.5) and TPR at 1% and 0.1% FPR, next to a *null control*:
the same attack between two random halves of the non-members, which must stay near 0.5; if it
does not, members and non-members differ by something other than training (the test is
broken, see :mod:`moisson.audit.status`).
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from moisson.audit.metrics import roc_auc, tpr_at_fpr
from moisson.audit.scoring import TokenScores

__all__ = ("ATTACKS", "AttackResult", "attack_scores", "evaluate_attack", "null_split")

ATTACKS = ("loss", "zlib", "min_k", "min_k_pp")


def _lowest_means(rows: Sequence[np.ndarray], fraction: float) -> np.ndarray:
    """Mean of the ``fraction`` lowest values of each row (at least one; 0 for an empty row).

    All rows at once: padded with +inf, sorted along the row, then the first ``k`` of each
    averaged; sorting hundreds of short arrays one by one costs more in Python than in numpy.
    """
    if not rows:
        return np.zeros(0)
    lengths = np.array([row.size for row in rows])
    padded = np.full((len(rows), max(1, int(lengths.max()))), np.inf)
    for i, row in enumerate(rows):
        padded[i, : row.size] = row
    padded.sort(axis=1)
    k = np.maximum(1, np.round(lengths * fraction)).astype(int)  # rounds half to even, as round
    taken = np.arange(padded.shape[1]) < k[:, None]
    sums = np.where(taken, padded, 0.0).sum(axis=1)
    return np.where(lengths > 0, sums / k, 0.0)


def attack_scores(
    texts: Sequence[str],
    scores: Sequence[TokenScores],
    *,
    min_k: float = 0.2,
    reference: Sequence[TokenScores] | None = None,
) -> dict[str, np.ndarray]:
    """Scores of every attack for every text (higher = more likely a member)."""
    if len(texts) != len(scores):
        msg = f"{len(texts)} texts but {len(scores)} scores"
        raise ValueError(msg)
    totals = np.array([float(s.logprob.sum()) for s in scores])
    lengths = np.array([s.logprob.size for s in scores])
    losses = np.divide(-totals, lengths, out=np.zeros_like(totals), where=lengths > 0)
    compressed = np.array([len(zlib.compress(t.encode())) for t in texts])
    out = {
        "loss": -losses,
        "zlib": totals / compressed,
        "min_k": _lowest_means([s.logprob for s in scores], min_k),
        "min_k_pp": _lowest_means([(s.logprob - s.mu) / s.sigma for s in scores], min_k),
    }
    if reference is not None:
        out["reference"] = np.array(
            [r.loss - s.loss for s, r in zip(scores, reference, strict=True)]
        )
    return out


@dataclass(frozen=True)
class AttackResult:
    attack: str
    auc: float
    tpr_at_1pct_fpr: float
    tpr_at_0_1pct_fpr: float
    null_auc: float
    members: int
    non_members: int


def null_split(count: int, seed: int) -> tuple[list[int], list[int]]:
    """Two random halves of ``count`` non-member indices (the null control)."""
    idx = list(range(count))
    random.Random(f"null:{seed}").shuffle(idx)
    half = count // 2
    return idx[:half], idx[half : 2 * half]


def evaluate_attack(
    attack: str, member_scores: np.ndarray, non_member_scores: np.ndarray, seed: int
) -> AttackResult:
    first, second = null_split(non_member_scores.size, seed)
    return AttackResult(
        attack=attack,
        auc=roc_auc(member_scores, non_member_scores),
        tpr_at_1pct_fpr=tpr_at_fpr(member_scores, non_member_scores, 0.01),
        tpr_at_0_1pct_fpr=tpr_at_fpr(member_scores, non_member_scores, 0.001),
        null_auc=roc_auc(non_member_scores[first], non_member_scores[second]),
        members=int(member_scores.size),
        non_members=int(non_member_scores.size),
    )
