"""ROC metrics of the membership attacks (MOD-02), checked against scikit-learn."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score  # type: ignore[import-untyped]
from sklearn.metrics import roc_curve as sk_roc_curve

from moisson.audit.metrics import roc_auc, roc_curve, tpr_at_fpr


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_auc_matches_scikit_learn_with_ties(seed: int) -> None:
    rng = np.random.default_rng(seed)
    pos = rng.integers(0, 20, 300).astype(float) + 1.5
    neg = rng.integers(0, 20, 500).astype(float)
    labels = np.r_[np.ones(pos.size), np.zeros(neg.size)]
    assert roc_auc(pos, neg) == pytest.approx(roc_auc_score(labels, np.r_[pos, neg]))


def test_curve_matches_scikit_learn() -> None:
    rng = np.random.default_rng(3)
    pos, neg = rng.normal(1, 1, 200), rng.normal(0, 1, 400)
    ours = roc_curve(pos, neg)
    fpr, tpr, _ = sk_roc_curve(
        np.r_[np.ones(200), np.zeros(400)], np.r_[pos, neg], drop_intermediate=False
    )
    np.testing.assert_allclose(ours.fpr, fpr)
    np.testing.assert_allclose(ours.tpr, tpr)


def test_chance_and_perfect_separation() -> None:
    rng = np.random.default_rng(4)
    same = rng.normal(size=4000)
    assert roc_auc(same[:2000], same[2000:]) == pytest.approx(0.5, abs=0.03)
    assert roc_auc([5.0, 6.0], [1.0, 2.0]) == 1.0
    assert roc_auc([1.0], [2.0]) == 0.0


def test_tpr_at_low_fpr_is_resolution_limited() -> None:
    neg = np.arange(100, dtype=float)  # FPR steps of 1%
    pos = np.array([150.0, 98.5, 97.5, 50.0])
    # Above every negative: only the first positive; at 1% FPR (one negative) one more.
    assert tpr_at_fpr(pos, neg, 0.001) == 0.25
    assert tpr_at_fpr(pos, neg, 0.01) == 0.5
    assert tpr_at_fpr(pos, neg, 1.0) == 1.0
