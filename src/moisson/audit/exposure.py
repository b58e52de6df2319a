"""Canary exposure in bits (Carlini et al., "The Secret Sharer", USENIX Security 2019; MOD-02).

exposure = log2 |R| - log2 rank(secret), where R is the space of secrets of the canary's
pattern and the rank orders secrets by the model's log-perplexity of prefix+secret+suffix.
The rank among ``K`` random same-format candidates estimates the rank in R, so the *rank*
estimate is ``log2((K + 1) / rank)`` and cannot exceed log2(K + 1). Beyond that, the
*extrapolated* estimate fits a skew-normal distribution to the candidates' log-perplexities and
reads the secret's tail probability: exposure = -log2 P(candidate <= secret), from the
log-CDF for numerical range, capped at log2 |R| (no secret can be more exposed than the space
is large). Chance level: about 1 bit (a random secret ranks in the middle).
"""

from __future__ import annotations

import math
import random
import warnings
from dataclasses import dataclass

import numpy as np
from scipy import stats  # type: ignore[import-untyped]

from moisson.audit.canaries import Canary, sample_secret
from moisson.audit.scoring import LanguageModel, QueryBudget, generate, score_continuations

__all__ = ("ExposureResult", "canary_exposure", "exposure_from_scores")


@dataclass(frozen=True)
class ExposureResult:
    """Exposure of one canary, with the evidence behind it."""

    id: str
    repetitions: int
    exposure_bits: float
    exposure_rank_bits: float
    rank: int
    candidates: int
    space_bits: float
    secret_nll: float
    candidate_nll_mean: float
    regurgitated: bool
    sampled_regurgitation: float


def exposure_from_scores(
    secret_nll: float, candidate_nll: np.ndarray, space_bits: float
) -> tuple[float, float, int]:
    """(extrapolated exposure, rank exposure, rank) from negative log-likelihoods."""
    rank = 1 + int((candidate_nll < secret_nll).sum())
    rank_bits = math.log2((candidate_nll.size + 1) / rank)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # optimiser chatter on near-degenerate samples
        shape, loc, scale = stats.skewnorm.fit(candidate_nll)
    log_cdf = float(stats.skewnorm.logcdf(secret_nll, shape, loc, scale))
    if not math.isfinite(log_cdf):
        log_cdf = -math.inf if log_cdf < 0 else 0.0
    extrapolated = min(space_bits, max(0.0, -log_cdf / math.log(2)))
    return extrapolated, min(rank_bits, space_bits), rank


def canary_exposure(
    lm: LanguageModel,
    canary: Canary,
    budget: QueryBudget,
    *,
    candidates: int,
    samples: int,
    seed: int,
) -> ExposureResult:
    """Rank the canary's secret among random candidates, and try to extract it by decoding."""
    rng = random.Random(f"{seed}:{canary.id}")
    pool: set[str] = set()
    tries = 0
    while len(pool) < candidates and tries < candidates * 20:
        draw = sample_secret(canary.pattern, rng)
        if draw != canary.secret:
            pool.add(draw)
        tries += 1
    others = sorted(pool)
    texts = [canary.secret + canary.suffix] + [c + canary.suffix for c in others]
    nll = score_continuations(lm, canary.prefix, texts, budget, test="canaries")
    bits, rank_bits, rank = exposure_from_scores(float(nll[0]), nll[1:], canary.space_bits)
    max_new = len(lm.encode(canary.secret)) + 4
    outputs = generate(
        lm,
        canary.prefix,
        budget,
        test="canaries",
        max_new_tokens=max_new,
        samples=samples,
        seed=seed,
    )
    hits = sum(canary.secret in s for s in outputs[1:])
    return ExposureResult(
        id=canary.id,
        repetitions=canary.repetitions,
        exposure_bits=bits,
        exposure_rank_bits=rank_bits,
        rank=rank,
        candidates=len(others),
        space_bits=canary.space_bits,
        secret_nll=float(nll[0]),
        candidate_nll_mean=float(nll[1:].mean()),
        regurgitated=canary.secret in outputs[0],
        sampled_regurgitation=hits / samples if samples else 0.0,
    )
