"""Audit throughput against plain forward passes on the same model and data (MOD-04).

Two workloads, each timed side by side in this one process, best of ``--repeat`` runs:

1. membership scoring: ``moisson.audit.scoring.score_texts`` + every attack score (loss, zlib,
   Min-K%, Min-K%++) versus a plain ``model(input_ids)`` forward over the same batches;
   the audit must add at most 20% (tokens scored per second);
2. canary ranking: ``score_continuations`` (the prefix runs once, its key-value cache is
   shared by every candidate) versus a plain forward over each full prefix+candidate+suffix.

Usage: ``python bench/audit.py [--quick] [--model PATH]`` (default: trains a tiny GPT-2 first).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import torch

from moisson.audit.canaries import make_canaries, sample_secret
from moisson.audit.membership import attack_scores
from moisson.audit.scoring import (
    LanguageModel,
    QueryBudget,
    load_model,
    score_continuations,
    score_texts,
)
from moisson.audit.synthetic import make_corpus
from moisson.audit.train import TinyModelConfig, train_tiny_causal_lm


def _timed_pair(
    plain: Callable[[], object], audit: Callable[[], object], repeat: int
) -> tuple[tuple[float, float], tuple[float, float], float]:
    """Best (wall, CPU) seconds of each and the median of the paired wall-time ratios
    (audit / plain of the same round), after a warm-up, runs interleaved (ABAB...).

    Interleaving spreads any load from other processes evenly over both sides; the median
    of paired ratios is the figure least moved by a burst of load during one run.
    """
    plain()
    audit()
    results: list[list[tuple[float, float]]] = [[], []]
    for _ in range(repeat):
        for side, fn in enumerate((plain, audit)):
            w, c = time.perf_counter(), time.process_time()
            fn()
            results[side].append((time.perf_counter() - w, time.process_time() - c))
    best = [min(r, key=lambda x: x[0]) for r in results]
    ratios = [a[0] / p[0] for p, a in zip(results[0], results[1], strict=True)]
    return best[0], best[1], statistics.median(ratios)


def _widen_vocabulary(model_dir: Path, vocab: int) -> None:
    """Give the model a ``vocab``-sized output layer (rows beyond the tokenizer are never
    targets): what a real vocabulary costs per token, without training a real tokenizer."""
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(model_dir, local_files_only=True)
    model.resize_token_embeddings(vocab)
    model.save_pretrained(model_dir)


@torch.inference_mode()
def _plain_forward(lm: LanguageModel, sequences: list[list[int]]) -> None:
    order = sorted(range(len(sequences)), key=lambda i: len(sequences[i]))
    for start in range(0, len(order), lm.batch_size):
        idx = order[start : start + lm.batch_size]
        width = max(len(sequences[i]) for i in idx)
        padded = [sequences[i] + [lm.pad_id] * (width - len(sequences[i])) for i in idx]
        batch = torch.tensor(padded, dtype=torch.long, device=lm.device)
        lm.model(input_ids=batch, use_cache=False).logits[0, 0, 0].item()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--model", type=Path)
    parser.add_argument("--repeat", type=int, default=11)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--layers", type=int, default=2, help="of the tiny model trained here")
    parser.add_argument("--dim", type=int, default=128, help="of the tiny model trained here")
    parser.add_argument(
        "--vocab", type=int, default=0, help="widen the trained model's output layer to this"
    )
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    texts_n = 200 if args.quick else 800
    candidates = 256 if args.quick else 1000
    canaries_n = 2 if args.quick else 6
    corpus = make_corpus(texts_n, held_out=0, seed=3)
    texts = [r.text for r in corpus.members if r.id.startswith("doc-")]
    with tempfile.TemporaryDirectory() as tmp:
        model_dir = args.model
        if model_dir is None:
            model_dir = Path(tmp) / "model"
            train_tiny_causal_lm(
                texts,
                model_dir,
                steps=20,
                seed=0,
                config=TinyModelConfig(
                    n_positions=128, batch_size=8, n_layer=args.layers, n_embd=args.dim
                ),
            )
            if args.vocab:
                _widen_vocabulary(model_dir, args.vocab)
        lm = load_model(model_dir, batch_size=16)
        budget = QueryBudget(10**12)

        sequences = [[lm.bos_id, *ids][: lm.max_length] for ids in lm.encode_many(texts)]
        member_tokens = sum(len(s) for s in sequences)

        def plain_membership() -> None:
            # Same starting point as the audit: texts, tokenised in one batched call.
            tokenised = [[lm.bos_id, *ids][: lm.max_length] for ids in lm.encode_many(texts)]
            _plain_forward(lm, tokenised)

        def audit_membership() -> None:
            scores = score_texts(lm, texts, budget, test="bench")
            attack_scores(texts, scores)

        plain_m, audit_m, ratio_m = _timed_pair(plain_membership, audit_membership, args.repeat)

        rng = random.Random(0)
        canaries = make_canaries(1, [0] * canaries_n, ["fr", "en"], seed=0)
        jobs = []
        for c in canaries:
            conts = [c.secret + c.suffix] + [
                sample_secret(c.pattern, rng) + c.suffix for _ in range(candidates)
            ]
            full = [[lm.bos_id, *lm.encode(c.prefix.rstrip() + " " + x.lstrip())] for x in conts]
            jobs.append((c.prefix, conts, full))
        canary_tokens = sum(len(s) for _, _, full in jobs for s in full)

        def audit_canaries() -> None:
            for prefix, conts, _ in jobs:
                score_continuations(lm, prefix, conts, budget, test="bench")

        def plain_canaries() -> None:
            for _, _, full in jobs:
                _plain_forward(lm, full)

        plain_c, audit_c, _ratio_c = _timed_pair(plain_canaries, audit_canaries, args.repeat)

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    print(
        f"# bench/audit.py {'--quick ' if args.quick else ''}| nproc {os.cpu_count()} | {cpu} "
        f"| torch {torch.__version__} | threads {args.threads} | device {lm.device}"
    )
    print(
        f"# model {args.model or f'tiny GPT-2 ({args.layers}x{args.dim}, ctx 128)'}, "
        f"vocabulary {lm.model.config.vocab_size}; "
        f"{len(texts)} texts ({member_tokens} tokens); {canaries_n} canaries x "
        f"{candidates + 1} candidates ({canary_tokens} tokens); best of {args.repeat}"
    )
    print("| workload | method | wall s | CPU s | tokens/s (wall) | vs plain forward |")
    print("|---|---|---:|---:|---:|---:|")
    rows = [
        ("membership", "tokenise + plain forward (logits)", plain_m, member_tokens, plain_m),
        ("membership", "moisson audit: scores + 4 attacks", audit_m, member_tokens, plain_m),
        ("canaries", "plain forward, full sequences", plain_c, canary_tokens, plain_c),
        ("canaries", "moisson audit: shared-prefix KV cache", audit_c, canary_tokens, plain_c),
    ]
    for workload, method, (wall, cpu_s), tokens, (base_wall, _) in rows:
        print(
            f"| {workload} | {method} | {wall:.2f} | {cpu_s:.2f} | {tokens / wall:,.0f} "
            f"| {100 * (wall / base_wall - 1):+.1f}% |"
        )
    overhead = audit_m[0] / plain_m[0] - 1
    paired = ratio_m - 1
    verdict = "OK" if max(overhead, paired) <= 0.20 else "OVER"
    print(
        f"\nmembership overhead over the forward passes it needs: {100 * overhead:+.1f}% "
        f"(best of each side), {100 * paired:+.1f}% (median of {args.repeat} paired rounds); "
        f"target <= +20% on both: {verdict}"
    )


if __name__ == "__main__":
    main()
