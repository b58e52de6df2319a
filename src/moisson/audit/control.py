"""The positive control: proof that the audit can detect memorisation in *this* model (MOD-01).

A test that finds nothing is only evidence if it would have found something. Planted canaries
cannot serve as that proof: a model trained without them (or one that genuinely does not
memorise) shows nothing either way. So the audit makes its own known positive: it fine-tunes a
throwaway copy of the audited model for a few steps on fresh control canaries (half of them
injected, half held out) and runs the same exposure test on the copy. The control passes when
every injected canary is detected and no held-out one is. This checks the whole instrument on
the model's own tokenizer and architecture: loading, tokenisation of prefixes and secrets,
candidate drawing, scoring with a shared key-value cache, the skew-normal tail.

The copy lives in memory only and is discarded; the audited model is never modified.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, replace
from typing import Any

import torch

from moisson.audit.canaries import Canary, make_canaries
from moisson.audit.exposure import ExposureResult, canary_exposure
from moisson.audit.scoring import LanguageModel, QueryBudget

__all__ = ("ControlResult", "injected_control")


@dataclass(frozen=True)
class ControlResult:
    detected: bool
    injected: list[ExposureResult]
    held_out: list[ExposureResult]
    steps: int
    final_loss: float


def _fine_tuned_copy(
    lm: LanguageModel, canaries: list[Canary], *, steps: int, learning_rate: float, seed: int
) -> tuple[LanguageModel, float, int]:
    torch.manual_seed(seed)
    model: Any = copy.deepcopy(lm.model)
    model.eval()  # no dropout: the copy must be reproducible
    rows = [[lm.bos_id, *lm.encode(c.text)] for c in canaries]
    width = max(len(r) for r in rows)
    batch = torch.full((len(rows), width), lm.pad_id, dtype=torch.long)
    mask = torch.zeros((len(rows), width - 1))
    for i, row in enumerate(rows):
        batch[i, : len(row)] = torch.tensor(row)
        mask[i, : len(row) - 1] = 1.0
    batch, mask = batch.to(lm.device), mask.to(lm.device)
    optimiser = torch.optim.AdamW(model.parameters(), lr=learning_rate, weight_decay=0.0)
    loss_value = float("nan")
    done = 0
    with torch.enable_grad():
        for _ in range(steps):
            logits = model(input_ids=batch, use_cache=False).logits[:, :-1].float()
            nll = torch.nn.functional.cross_entropy(
                logits.reshape(-1, logits.shape[-1]), batch[:, 1:].reshape(-1), reduction="none"
            )
            loss = (nll * mask.reshape(-1)).sum() / mask.sum()
            optimiser.zero_grad(set_to_none=True)
            loss.backward()  # type: ignore[no-untyped-call]
            optimiser.step()
            loss_value = float(loss.detach())
            done += 1
            if loss_value < 0.1:  # memorised: more steps add nothing
                break
    model.eval()
    return replace(lm, model=model), loss_value, done


def injected_control(
    lm: LanguageModel,
    budget: QueryBudget,
    *,
    langs: tuple[str, ...],
    candidates: int,
    max_exposure_bits: float,
    steps: int,
    learning_rate: float,
    seed: int,
) -> ControlResult:
    """Fine-tune a copy on two fresh canaries, hold two out, and test all four."""
    fresh = make_canaries(2, [1, 0], langs, seed=seed + 7919)
    fresh = [replace(c, id=f"control-{c.id}") for c in fresh]
    injected = [c for c in fresh if c.repetitions > 0]
    held_out = [c for c in fresh if c.repetitions == 0]
    tuned, loss, done = _fine_tuned_copy(
        lm, injected, steps=steps, learning_rate=learning_rate, seed=seed
    )
    try:
        found = [
            canary_exposure(tuned, c, budget, candidates=candidates, samples=0, seed=seed)
            for c in injected
        ]
        absent = [
            canary_exposure(tuned, c, budget, candidates=candidates, samples=0, seed=seed)
            for c in held_out
        ]
    finally:
        del tuned
    detected = all(r.exposure_bits > max_exposure_bits for r in found) and all(
        r.exposure_bits <= max_exposure_bits and not r.regurgitated for r in absent
    )
    return ControlResult(
        detected=detected, injected=found, held_out=absent, steps=done, final_loss=loss
    )
