"""Exposure arithmetic (MOD-02): rank estimate, skew-normal extrapolation, cap at the space."""

from __future__ import annotations

import math

import numpy as np
import pytest

from moisson.audit.exposure import exposure_from_scores


def test_secret_in_the_middle_has_about_one_bit() -> None:
    rng = np.random.default_rng(0)
    candidates = rng.normal(50, 5, 999)
    bits, rank_bits, rank = exposure_from_scores(50.0, candidates, 30.0)
    assert 400 < rank < 600
    assert rank_bits == pytest.approx(1.0, abs=0.3)
    assert bits == pytest.approx(1.0, abs=0.3)


def test_best_secret_extrapolates_beyond_rank_and_is_capped() -> None:
    rng = np.random.default_rng(1)
    candidates = rng.normal(50, 5, 999)
    bits, rank_bits, rank = exposure_from_scores(20.0, candidates, 80.0)
    assert rank == 1
    assert rank_bits == pytest.approx(math.log2(1000))
    assert bits > rank_bits  # six sigma below: far beyond what 999 candidates can show
    capped, _, _ = exposure_from_scores(0.5, candidates, 26.6)
    assert capped == pytest.approx(26.6)


def test_worst_secret_has_no_exposure() -> None:
    candidates = np.random.default_rng(2).normal(50, 5, 500)
    bits, rank_bits, _ = exposure_from_scores(90.0, candidates, 30.0)
    assert bits == pytest.approx(0.0, abs=1e-6)
    assert rank_bits == pytest.approx(0.0, abs=1e-2)
