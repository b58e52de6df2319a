"""A tiny causal language model trained from scratch, for audits that must be able to fail (MOD-02).

The acceptance test of the audit needs a model whose training data we know exactly, with
canaries planted at known repetition counts (MOD-03). Nothing is downloaded: a byte-level BPE
tokenizer is trained on the texts themselves and a GPT-2 of a few hundred thousand parameters
is initialised at random, trained, and saved with ``save_pretrained`` so that the audit loads it
from a local path like any Hugging Face model. Training is seeded and deterministic on CPU.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import torch
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
from transformers import GPT2Config, GPT2LMHeadModel, PreTrainedTokenizerFast
from transformers.utils import logging as hf_logging

from moisson.errors import AuditError

__all__ = ("TinyModelConfig", "TrainingSummary", "train_tiny_causal_lm", "train_tokenizer")

BOS = "<|endoftext|>"


@dataclass(frozen=True)
class TinyModelConfig:
    """Size of the tiny GPT-2: small enough to train in a minute on two cores."""

    vocab_size: int = 2000
    n_layer: int = 2
    n_embd: int = 128
    n_head: int = 4
    n_positions: int = 128
    batch_size: int = 32
    learning_rate: float = 3e-3


@dataclass(frozen=True)
class TrainingSummary:
    """What was trained, recorded next to the weights for reproducibility (MOD-03)."""

    path: str
    steps: int
    seed: int
    documents: int
    tokens_per_step: int
    final_loss: float
    config: dict[str, object]


def train_tokenizer(texts: Sequence[str], vocab_size: int) -> PreTrainedTokenizerFast:
    """Byte-level BPE trained on ``texts`` (GPT-2's scheme, no download)."""
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=[BOS],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator(texts, trainer=trainer)
    return PreTrainedTokenizerFast(  # type: ignore[no-untyped-call]
        tokenizer_object=tok, bos_token=BOS, eos_token=BOS, unk_token=BOS, pad_token=BOS
    )


def _packed_windows(ids: list[list[int]], bos: int, length: int) -> torch.Tensor:
    """Documents joined by BOS and cut into windows (GPT-2 style packing)."""
    stream: list[int] = []
    for doc in ids:
        stream.append(bos)
        stream.extend(doc)
    stream.append(bos)
    usable = (len(stream) - 1) // length * length
    if usable == 0:
        stream = stream + [bos] * (length + 1 - len(stream))
        usable = length
    return torch.tensor(stream[: usable + 1], dtype=torch.long)


def train_tiny_causal_lm(
    texts: Sequence[str],
    out_dir: Path,
    *,
    steps: int,
    seed: int = 0,
    config: TinyModelConfig | None = None,
) -> TrainingSummary:
    """Train a GPT-2 from random init on ``texts`` and save model + tokenizer to ``out_dir``.

    Deterministic for a given seed, texts order and thread count (``torch.manual_seed``,
    deterministic algorithms, a seeded window order).
    """
    if not texts:
        msg = "train_tiny_causal_lm: no training texts"
        raise AuditError(msg)
    if steps < 1:
        msg = f"train_tiny_causal_lm: steps must be >= 1, got {steps}"
        raise AuditError(msg)
    cfg = config or TinyModelConfig()
    random.seed(seed)
    torch.manual_seed(seed)
    deterministic = torch.are_deterministic_algorithms_enabled()
    torch.use_deterministic_algorithms(True, warn_only=True)
    try:
        tokenizer = train_tokenizer(texts, cfg.vocab_size)
        bos = int(tokenizer.bos_token_id)
        encoded = [list(e) for e in tokenizer(list(texts), add_special_tokens=False)["input_ids"]]
        stream = _packed_windows(encoded, bos, cfg.n_positions)
        n_windows = (len(stream) - 1) // cfg.n_positions
        model_config = GPT2Config(
            vocab_size=len(tokenizer),
            n_positions=cfg.n_positions,
            n_embd=cfg.n_embd,
            n_layer=cfg.n_layer,
            n_head=cfg.n_head,
            bos_token_id=bos,
            eos_token_id=bos,
            resid_pdrop=0.0,
            embd_pdrop=0.0,
            attn_pdrop=0.0,
        )
        model: Any = GPT2LMHeadModel(model_config)
        model.train()
        optimiser = torch.optim.AdamW(model.parameters(), lr=cfg.learning_rate, weight_decay=0.0)
        schedule = torch.optim.lr_scheduler.LambdaLR(
            optimiser, lambda s: min(1.0, (s + 1) / 20) * max(0.1, 1 - s / steps)
        )
        generator = torch.Generator().manual_seed(seed)
        order = torch.randperm(n_windows, generator=generator)
        loss_value = float("nan")
        cursor = 0
        for _ in range(steps):
            if cursor + cfg.batch_size > n_windows:
                order = torch.randperm(n_windows, generator=generator)
                cursor = 0
            picks = order[cursor : cursor + cfg.batch_size]
            cursor += cfg.batch_size
            starts = picks * cfg.n_positions
            batch = torch.stack([stream[s : s + cfg.n_positions + 1] for s in starts.tolist()])
            logits = model(input_ids=batch[:, :-1]).logits
            loss = torch.nn.functional.cross_entropy(
                logits.reshape(-1, logits.shape[-1]), batch[:, 1:].reshape(-1)
            )
            optimiser.zero_grad(set_to_none=True)
            loss.backward()  # type: ignore[no-untyped-call]
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            schedule.step()
            loss_value = float(loss.detach())
    finally:
        torch.use_deterministic_algorithms(deterministic)
    out_dir.mkdir(parents=True, exist_ok=True)
    hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    model.eval()
    model.save_pretrained(out_dir)
    tokenizer.save_pretrained(out_dir)
    return TrainingSummary(
        path=str(out_dir),
        steps=steps,
        seed=seed,
        documents=len(texts),
        tokens_per_step=cfg.batch_size * cfg.n_positions,
        final_loss=loss_value,
        config=asdict(cfg),
    )
