"""ROC analysis of attack scores, computed with numpy (MOD-02).

Convention everywhere in the audit: a *higher* score means "more likely a member". AUC 0.5 is
chance; TPR at a low FPR is what matters for privacy (Carlini et al., "Membership Inference
Attacks From First Principles", IEEE S&P 2022): an attack that is right on a few records with
near certainty leaks even when its AUC looks harmless.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ("RocCurve", "roc_auc", "roc_curve", "tpr_at_fpr")

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class RocCurve:
    fpr: FloatArray
    tpr: FloatArray


def _as_array(values: Sequence[float] | FloatArray) -> FloatArray:
    return np.asarray(values, dtype=np.float64)


def roc_auc(
    positives: Sequence[float] | FloatArray, negatives: Sequence[float] | FloatArray
) -> float:
    """Probability that a random positive outscores a random negative (ties count half)."""
    pos, neg = _as_array(positives), _as_array(negatives)
    if pos.size == 0 or neg.size == 0:
        return float("nan")
    ranks = _midranks(np.concatenate([pos, neg]))
    pos_rank_sum = ranks[: pos.size].sum()
    return float((pos_rank_sum - pos.size * (pos.size + 1) / 2) / (pos.size * neg.size))


def _midranks(values: FloatArray) -> FloatArray:
    order = np.argsort(values, kind="mergesort")
    sorted_vals = values[order]
    ranks = np.empty(values.size, dtype=np.float64)
    i = 0
    while i < values.size:
        j = i
        while j + 1 < values.size and sorted_vals[j + 1] == sorted_vals[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def roc_curve(
    positives: Sequence[float] | FloatArray, negatives: Sequence[float] | FloatArray
) -> RocCurve:
    """(FPR, TPR) points for every threshold, from (0, 0) to (1, 1)."""
    pos, neg = _as_array(positives), _as_array(negatives)
    scores = np.concatenate([pos, neg])
    labels = np.concatenate([np.ones(pos.size), np.zeros(neg.size)])
    order = np.argsort(-scores, kind="mergesort")
    scores, labels = scores[order], labels[order]
    distinct = np.where(np.diff(scores))[0]
    cut = np.r_[distinct, scores.size - 1]
    tp = np.cumsum(labels)[cut]
    fp = np.cumsum(1 - labels)[cut]
    tpr = np.r_[0.0, tp / max(pos.size, 1)]
    fpr = np.r_[0.0, fp / max(neg.size, 1)]
    return RocCurve(fpr=fpr, tpr=tpr)


def tpr_at_fpr(
    positives: Sequence[float] | FloatArray, negatives: Sequence[float] | FloatArray, fpr: float
) -> float:
    """Highest TPR reachable with a false-positive rate at most ``fpr``.

    With ``n`` negatives the smallest non-zero FPR is ``1/n``: below that, this is the TPR at
    FPR 0 (threshold above every negative), which the report states as the resolution.
    """
    curve = roc_curve(positives, negatives)
    ok = curve.fpr <= fpr + 1e-12
    return float(curve.tpr[ok].max()) if ok.any() else 0.0
