"""Loading a causal language model and scoring text with it, within a query budget (MOD-02..04).

Every test of the audit reduces to two primitives: per-token log-probabilities of given texts
(:func:`score_texts`) and continuations of prompts (:func:`generate`). Both count *queries*
(one scored or generated sequence = one query) against the stated budget (MOD-03).

Canary candidates share their prefix: :func:`score_continuations` runs the prefix once and
reuses its key-value cache (``past_key_values``) for every candidate, so ranking a secret
among a thousand candidates costs the candidate tokens only.

The model runs on CPU by default and on the GPU when one is present (MOD-04).
"""

from __future__ import annotations

import copy
import functools
import inspect
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import torch

from moisson.errors import AuditError

__all__ = (
    "LanguageModel",
    "QueryBudget",
    "TokenScores",
    "default_device",
    "generate",
    "generate_ids",
    "load_model",
    "sample_tokens",
    "score_continuations",
    "score_ids",
    "score_texts",
)

FloatArray = npt.NDArray[np.float64]


def default_device() -> str:
    """``cuda`` when a GPU is visible, else ``cpu`` (MOD-04)."""
    return "cuda" if torch.cuda.is_available() else "cpu"


@dataclass
class QueryBudget:
    """Queries allowed and used; exceeding the budget stops the audit (MOD-03)."""

    limit: int
    used: int = 0
    by_test: dict[str, int] = field(default_factory=dict)

    def spend(self, count: int, test: str) -> None:
        if self.used + count > self.limit:
            msg = (
                f"query budget exhausted: {test} needs {count} more queries, "
                f"{self.limit - self.used} of {self.limit} left"
            )
            raise AuditError(msg)
        self.used += count
        self.by_test[test] = self.by_test.get(test, 0) + count

    @property
    def left(self) -> int:
        return self.limit - self.used


@dataclass
class LanguageModel:
    """A loaded causal LM with its tokenizer and the device it runs on."""

    model: Any
    tokenizer: Any
    device: torch.device
    path: str
    bos_id: int
    pad_id: int
    max_length: int
    batch_size: int = 16

    def encode(self, text: str) -> list[int]:
        return list(self.tokenizer(text, add_special_tokens=False)["input_ids"])

    def encode_many(self, texts: Sequence[str]) -> list[list[int]]:
        """Token ids of many texts in one call to the (fast, batched) tokenizer."""
        if not texts:
            return []
        return [
            list(ids) for ids in self.tokenizer(list(texts), add_special_tokens=False)["input_ids"]
        ]

    def decode(self, ids: Sequence[int]) -> str:
        return str(self.tokenizer.decode(list(ids), skip_special_tokens=True))


def load_model(path: Path, *, device: str | None = None, batch_size: int = 16) -> LanguageModel:
    """Load a Hugging Face causal LM and its tokenizer from a local folder (no download)."""
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call]
    if not (path / "config.json").is_file():
        msg = f"{path}: not a Hugging Face model folder (no config.json)"
        raise AuditError(msg)
    try:
        tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
        model: Any = AutoModelForCausalLM.from_pretrained(path, local_files_only=True)
    except (OSError, ValueError, KeyError) as exc:
        msg = f"{path}: cannot load model or tokenizer: {exc}"
        raise AuditError(msg) from None
    target = torch.device(device or default_device())
    model.to(target)
    model.eval()
    bos = tokenizer.bos_token_id
    if bos is None:
        bos = tokenizer.eos_token_id
    if bos is None:
        msg = f"{path}: tokenizer has neither a BOS nor an EOS token to start sequences with"
        raise AuditError(msg)
    pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else bos
    max_length = int(getattr(model.config, "n_positions", 0) or 0) or int(
        getattr(model.config, "max_position_embeddings", 1024)
    )
    logging.getLogger(__name__).debug("loaded %s on %s", path, target)
    return LanguageModel(
        model=model,
        tokenizer=tokenizer,
        device=target,
        path=str(path),
        bos_id=int(bos),
        pad_id=int(pad),
        max_length=max_length,
        batch_size=batch_size,
    )


@functools.cache
def _cache_keyword(model_type: Any) -> str:
    params = inspect.signature(model_type.forward).parameters
    return "cache" if "cache" in params else "past_key_values"


def _forward(lm: LanguageModel, ids: torch.Tensor, cache: Any = None) -> tuple[torch.Tensor, Any]:
    """One forward pass returning (logits, cache), whatever the transformers version calls it.

    transformers 5 renamed ``past_key_values`` to ``cache``; both names are supported.
    """
    model_type: Any = type(lm.model)
    key = _cache_keyword(model_type)
    kwargs: dict[str, Any] = {"input_ids": ids, "use_cache": True}
    if cache is not None:
        kwargs[key] = cache
    out = lm.model(**kwargs)
    new_cache = getattr(out, "cache", None)
    if new_cache is None:
        new_cache = out.past_key_values
    return out.logits, new_cache


@dataclass(frozen=True)
class TokenScores:
    """Per-token results of one forward pass over a text (after the BOS token).

    ``logprob[t]`` is log p(x_t | x_<t); ``mu`` and ``sigma`` are the mean and standard
    deviation of log p(z | x_<t) over the vocabulary, which Min-K%++ needs; ``top[t]`` says
    whether x_t is the most likely token (what greedy decoding would emit).
    """

    logprob: FloatArray
    mu: FloatArray
    sigma: FloatArray
    top: npt.NDArray[np.bool_]

    @property
    def loss(self) -> float:
        return float(-self.logprob.mean()) if self.logprob.size else 0.0


# Elements of the logits that the vocabulary-wide passes work on at a time: about 4 MB of
# float32, which stays in cache from one pass to the next. Measured on 2 cores with a
# 32,000-token vocabulary: whole batches cost 6.6x more, 256 k elements 1.2x more (MOD-04).
_STATS_CHUNK = 1 << 20
# On a GPU the same passes cost kernel launches and host round trips rather than cache misses:
# with a 32,000-token vocabulary, 4 MB chunks meant 18 chunks a batch of 16 texts, and an
# H100 took 3.3 times as long for the membership scores as for the forward they need. There
# a batch goes in one chunk of up to 256 MB (docs/benchmarks/audit.md, GPU section).
_STATS_CHUNK_GPU = 1 << 26


def _stats_chunk(device: torch.device) -> int:
    """Logits the vocabulary-wide passes take at a time on ``device``."""
    return _STATS_CHUNK if device.type == "cpu" else _STATS_CHUNK_GPU


def _token_stats(
    logits: torch.Tensor, targets: torch.Tensor, workspace: torch.Tensor | None = None
) -> torch.Tensor:
    """``[log p(target), mean of log p, std of log p, target is argmax]`` per position, for
    ``(positions, vocab)`` logits.

    With ``p = softmax(z)`` over the logits ``z``: ``log p(target) = log(p[target])`` and
    ``log-sum-exp = z[target] - log p(target)``; the mean of ``log p`` under ``p`` is
    ``E[z] - lse`` and its variance is the variance of ``z`` (a shift does not change it),
    ``E[z^2] - E[z]^2``. One fused softmax and two dot products: on small models these
    vocabulary-wide passes cost as much as the last layer itself (MOD-04). The softmax goes
    into ``workspace`` when given: reusing one buffer avoids the page faults of allocating a
    fresh one for every chunk.
    """
    z = logits.float()
    if workspace is not None and workspace.numel() >= z.numel() and workspace.dtype == z.dtype:
        probs = torch.softmax(z, dim=-1, out=workspace[: z.numel()].view(z.shape))
    else:
        probs = torch.softmax(z, dim=-1)
    index = targets.unsqueeze(-1)
    target_z = z.gather(-1, index).squeeze(-1)
    chosen = probs.gather(-1, index).squeeze(-1).log_()
    mean_z = torch.linalg.vecdot(probs, z)
    mean_z2 = torch.linalg.vecdot(probs.mul_(z), z)
    if not bool(torch.isfinite(mean_z2).all()):
        # A masked token (logit -inf) gives 0 * inf: clamp, then score again. Checked on the
        # results, not the logits, so that models without masked tokens pay nothing.
        finite = z.clamp(min=torch.finfo(z.dtype).min / 4)
        if not bool(finite.isfinite().all()):
            msg = "the model returned NaN or +inf logits: its weights are broken"
            raise AuditError(msg)
        return _token_stats(finite, targets, workspace)
    if bool(torch.isfinite(chosen).all()):
        lse = target_z - chosen
    else:  # a target so unlikely that its probability underflowed: log-sum-exp directly
        lse = torch.logsumexp(z, dim=-1)
        chosen = target_z - lse
    sigma = (mean_z2 - mean_z.square()).clamp_min_(1e-12).sqrt_()
    top = (target_z >= z.amax(-1)).to(z.dtype)
    return torch.stack([chosen, mean_z - lse, sigma, top])


def _batch_stats(
    logits: torch.Tensor, targets: torch.Tensor, workspace: torch.Tensor | None = None
) -> torch.Tensor:
    """:func:`_token_stats` of ``(rows, positions, vocab)`` logits, shaped ``(4, rows,
    positions)``, computed on a few thousand positions at a time."""
    vocab = logits.shape[-1]
    flat, flat_targets = logits.reshape(-1, vocab), targets.reshape(-1)
    step = max(1, _stats_chunk(logits.device) // vocab)
    parts = [
        _token_stats(flat[r : r + step], flat_targets[r : r + step], workspace)
        for r in range(0, flat.shape[0], step)
    ]
    stats = parts[0] if len(parts) == 1 else torch.cat(parts, dim=1)
    return stats.view(4, *logits.shape[:-1])


def _stats_workspace(lm: LanguageModel) -> torch.Tensor:
    """One buffer for the softmax of every chunk of one scoring call."""
    head = lm.model.get_output_embeddings()
    vocab = int(head.weight.shape[0]) if head is not None else int(lm.model.config.vocab_size)
    positions = min(_stats_chunk(lm.device) // vocab, lm.batch_size * lm.max_length)
    size = max(1, positions) * vocab
    return torch.empty(size, dtype=torch.float32, device=lm.device)


def score_texts(
    lm: LanguageModel, texts: Sequence[str], budget: QueryBudget, *, test: str
) -> list[TokenScores]:
    """Per-token scores of each text (see :func:`score_ids`)."""
    return score_ids(lm, [[lm.bos_id, *ids] for ids in lm.encode_many(texts)], budget, test=test)


@torch.inference_mode()
def score_ids(
    lm: LanguageModel, sequences: Sequence[Sequence[int]], budget: QueryBudget, *, test: str
) -> list[TokenScores]:
    """Per-token scores of token sequences starting with BOS, batched by length.

    Right padding needs no attention mask with a causal model: a real token never attends to
    the padding after it, and the padded positions' outputs are dropped.
    """
    budget.spend(len(sequences), test)
    encoded = [list(seq)[: lm.max_length] for seq in sequences]
    order = sorted(range(len(encoded)), key=lambda i: len(encoded[i]))
    results: list[TokenScores | None] = [None] * len(encoded)
    workspace = _stats_workspace(lm)
    for start in range(0, len(order), lm.batch_size):
        idx = order[start : start + lm.batch_size]
        width = max(len(encoded[i]) for i in idx)
        padded = [encoded[i] + [lm.pad_id] * (width - len(encoded[i])) for i in idx]
        batch = torch.tensor(padded, dtype=torch.long, device=lm.device)
        logits = lm.model(input_ids=batch, use_cache=False).logits
        # Targets shifted by one; the last position gets a dummy target and is dropped after,
        # so that the logits are used as they are (contiguous, no copy).
        targets = torch.cat([batch[:, 1:], batch[:, :1]], dim=1)
        stats = _batch_stats(logits, targets, workspace)[:, :, :-1].double().cpu().numpy()
        chosen, mu, sigma, top = stats[0], stats[1], stats[2], stats[3] > 0.5
        for row, i in enumerate(idx):
            n = len(encoded[i]) - 1
            results[i] = TokenScores(chosen[row, :n], mu[row, :n], sigma[row, :n], top[row, :n])
    return [r for r in results if r is not None]


def _split_prefix(prefix: str) -> tuple[str, str]:
    """Move the prefix's trailing whitespace to the continuation.

    Byte-level BPE attaches a space to the word that follows it; tokenising ``"est"`` and
    ``" 06 12"`` apart then gives the same tokens as tokenising ``"est 06 12"`` whole.
    """
    core = prefix.rstrip()
    return core, prefix[len(core) :]


@torch.inference_mode()
def score_continuations(
    lm: LanguageModel,
    prefix: str,
    continuations: Sequence[str],
    budget: QueryBudget,
    *,
    test: str,
) -> FloatArray:
    """Total negative log-likelihood of each continuation after a shared prefix.

    The prefix is run once; its key-value cache is copied for each batch of continuations.
    """
    budget.spend(len(continuations), test)
    core, space = _split_prefix(prefix)
    prefix_ids = [lm.bos_id, *lm.encode(core)]
    conts = [lm.encode(space + c) for c in continuations]
    if len(prefix_ids) + max((len(c) for c in conts), default=0) > lm.max_length:
        msg = f"prefix and continuation longer than the model's context ({lm.max_length} tokens)"
        raise AuditError(msg)
    prefix_logits, cache = _forward(lm, torch.tensor([prefix_ids], device=lm.device))
    first_logp = torch.log_softmax(prefix_logits[0, -1].float(), dim=-1)
    nll = np.zeros(len(conts))
    for start in range(0, len(conts), lm.batch_size * 4):
        chunk = conts[start : start + lm.batch_size * 4]
        width = max(len(c) for c in chunk)
        batch = torch.full((len(chunk), width), lm.pad_id, dtype=torch.long)
        for row, ids in enumerate(chunk):
            batch[row, : len(ids)] = torch.tensor(ids)
        batch = batch.to(lm.device)
        shared = copy.deepcopy(cache)
        shared.batch_repeat_interleave(len(chunk))
        logits, _ = _forward(lm, batch, shared)
        logp = torch.log_softmax(logits[:, :-1].float(), dim=-1)
        later = logp.gather(-1, batch[:, 1:].unsqueeze(-1)).squeeze(-1)
        first = first_logp[batch[:, 0]]
        mask = torch.zeros_like(later)
        for row, ids in enumerate(chunk):
            mask[row, : len(ids) - 1] = 1.0
        totals = -(first + (later * mask).sum(-1))
        nll[start : start + len(chunk)] = totals.double().cpu().numpy()
    return nll


def sample_tokens(logits: torch.Tensor, uniforms: torch.Tensor) -> torch.Tensor:
    """One token a row of ``logits`` (temperature 1), by inverting its cumulative distribution
    at that row's uniform draw in [0, 1).

    ``torch.multinomial`` draws from the device's own generator, so a seed gives other samples
    on a GPU than on the CPU; here the draws are given, and only the arithmetic runs on the
    device (a draw lands on another token only within float rounding of a boundary).
    """
    cdf = torch.softmax(logits, dim=-1).cumsum(dim=-1)
    # ``cdf[:, -1]`` is 1 up to rounding: scaling the draw by it keeps every index in range.
    targets = (uniforms * cdf[:, -1]).unsqueeze(-1)
    drawn = torch.searchsorted(cdf, targets, right=True).squeeze(-1)
    return drawn.clamp_(max=logits.shape[-1] - 1)


@torch.inference_mode()
def generate_ids(
    lm: LanguageModel,
    prompt_ids: Sequence[int],
    budget: QueryBudget,
    *,
    test: str,
    max_new_tokens: int,
    samples: int,
    seed: int,
) -> list[list[int]]:
    """Token ids of the greedy continuation, then ``samples`` sampled ones (temperature 1).

    ``prompt_ids`` starts with BOS. The prompt runs once and its cache is shared by all rows,
    which decode together in one batch; a BOS token (document boundary) ends a continuation.
    """
    count = 1 + samples
    budget.spend(count, test)
    room = lm.max_length - len(prompt_ids)
    if room < 1:
        msg = f"prompt longer than the model's context ({lm.max_length} tokens)"
        raise AuditError(msg)
    steps = min(max_new_tokens, room)
    # The draws come from a CPU generator whatever the device: CUDA's generator gives another
    # stream for the same seed, and an audit must sample the same continuations on both.
    generator = torch.Generator().manual_seed(seed)
    prompt_logits, cache = _forward(lm, torch.tensor([list(prompt_ids)], device=lm.device))
    cache.batch_repeat_interleave(count)
    logits = prompt_logits[:, -1].float().expand(count, -1)
    tokens: list[torch.Tensor] = []
    for step in range(steps):
        nxt = logits.argmax(-1)
        if samples:
            uniforms = torch.rand(samples, generator=generator).to(lm.device)
            nxt = torch.cat([nxt[:1], sample_tokens(logits[1:], uniforms)])
        tokens.append(nxt)
        if step + 1 < steps:
            step_logits, cache = _forward(lm, nxt.unsqueeze(-1), cache)
            logits = step_logits[:, -1].float()
    rows: list[list[int]] = torch.stack(tokens, dim=1).cpu().tolist()
    return [row[: row.index(lm.bos_id)] if lm.bos_id in row else row for row in rows]


def generate(
    lm: LanguageModel,
    prompt: str,
    budget: QueryBudget,
    *,
    test: str,
    max_new_tokens: int,
    samples: int,
    seed: int,
) -> list[str]:
    """Decoded continuations of a text prompt: greedy first, then samples (:func:`generate_ids`)."""
    core, _ = _split_prefix(prompt)
    rows = generate_ids(
        lm,
        [lm.bos_id, *lm.encode(core)],
        budget,
        test=test,
        max_new_tokens=max_new_tokens,
        samples=samples,
        seed=seed,
    )
    return [lm.decode(row) for row in rows]
