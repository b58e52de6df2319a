"""Side-by-side PII benchmark: moisson (fast and full tiers), Presidio, scrubadub, datatrove.

Usage::

    .venv/bin/python bench/pii.py [--quick] [--out docs/benchmarks/pii.md]

Every tool runs on the same labelled set (``bench/data/pii_eval/eval.jsonl``, regenerate with
``bench/data/pii_eval/generate.py``) in its own child process, so that peak RSS is the tool's
own. Reported: precision / recall / F1 per label and micro overall, with exact and overlap
matching; MB/s per core (UTF-8 bytes over CPU time of the detection loop, one process), also for the
first pass alone (caches cold: every phone number new to libphonenumber) and on real prose;
the share of documents without personal data where something is flagged; peak RSS.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import logging
import multiprocessing as mp
import os
import platform
import resource
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT / "bench" / "data" / "pii_eval" / "eval.jsonl"
# Real web prose with few identifiers (the CNIL's published guidance, from the project's seed),
# for throughput on text sparser than the labelled set; skipped where the file is absent.
PROSE = sorted((ROOT.parent / "shared" / "seed").glob("*.txt"))
LABELS = ("EMAIL", "PHONE", "PERSON", "ADDRESS", "IBAN", "CREDIT_CARD", "FR_NIR", "FR_SIRET",
          "FR_SIREN", "IP_ADDRESS", "DATE_OF_BIRTH")  # fmt: skip
Pred = list[tuple[int, int, str]]

PRESIDIO_MAP = {"EMAIL_ADDRESS": "EMAIL", "PHONE_NUMBER": "PHONE", "PERSON": "PERSON",
                "LOCATION": "ADDRESS", "IBAN_CODE": "IBAN", "CREDIT_CARD": "CREDIT_CARD",
                "IP_ADDRESS": "IP_ADDRESS", "DATE_TIME": "DATE_OF_BIRTH"}  # fmt: skip
SCRUBADUB_MAP = {"email": "EMAIL", "phone": "PHONE", "credit_card": "CREDIT_CARD",
                 "name": "PERSON", "address": "ADDRESS"}  # fmt: skip


_WARM_UP = (
    "Jean Martin, né le 3 mai 1980, 4 rue Victor Hugo 69002 Lyon, tél. 04 72 10 30 30, "
    "+44 20 7946 0000, (212) 555-0100, jean.martin@exemple.org, 8.8.4.4, "
    "IBAN FR14 2004 1010 0505 0001 3M02 606, SIREN 552 100 554."
)


def load(quick: bool) -> list[dict[str, Any]]:
    docs = [json.loads(line) for line in EVAL.read_text(encoding="utf-8").splitlines() if line]
    return docs[::3] if quick else docs


# ----------------------------------------------------------------------------- tools
def moisson_tool(tier: str) -> Callable[[str, str], Pred]:
    sys.path.insert(0, str(ROOT / "src"))
    from moisson.pii import PiiAnalyzer

    analyzer = PiiAnalyzer(tier=tier)  # type: ignore[arg-type]

    def run(text: str, lang: str) -> Pred:
        # lang is deliberately not passed: moisson detects it per document.
        return [(s.start, s.end, s.label) for s in analyzer.analyze(text).spans]

    if tier == "full":
        analyzer.analyze("Jean Dupont habite à Lyon.")  # load the model outside the timing
    return run


def presidio_tool() -> Callable[[str, str], Pred]:
    logging.getLogger("tldextract").setLevel(logging.CRITICAL)
    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    # Only fr_core_news_sm is installed: it serves both languages. Presidio's predefined
    # recognizers are registered for "en" (it has none for French), so every document is
    # analysed with language="en" recognizers over the French spaCy pipeline.
    provider = NlpEngineProvider(nlp_configuration={
        "nlp_engine_name": "spacy",
        "models": [{"lang_code": "en", "model_name": "fr_core_news_sm"}],
    })  # fmt: skip
    registry = RecognizerRegistry(supported_languages=["en"])
    registry.load_predefined_recognizers(languages=["en"])
    engine = AnalyzerEngine(nlp_engine=provider.create_engine(), registry=registry,
                            supported_languages=["en"])  # fmt: skip
    engine.analyze("warm up 06 12 34 56 78", language="en")

    def run(text: str, lang: str) -> Pred:
        out: Pred = []
        for r in engine.analyze(text, language="en"):
            label = PRESIDIO_MAP.get(r.entity_type)
            if label:
                out.append((r.start, r.end, label))
        return out

    return run


def scrubadub_tool() -> Callable[[str, str], Pred]:
    logging.getLogger("tldextract").setLevel(logging.CRITICAL)
    scrubadub: Any = importlib.import_module("scrubadub")  # untyped package

    scrubbers = {"fr": scrubadub.Scrubber(locale="fr_FR"), "en": scrubadub.Scrubber(locale="en_GB")}

    def run(text: str, lang: str) -> Pred:
        out: Pred = []
        for filth in scrubbers.get(lang, scrubbers["en"]).iter_filth(text):
            label = SCRUBADUB_MAP.get(filth.type)
            if label:
                out.append((filth.beg, filth.end, label))
        return out

    return run


def datatrove_tool() -> Callable[[str, str], Pred]:
    pii_module: Any = importlib.import_module("datatrove.pipeline.formatters.pii")
    PIIFormatter = pii_module.PIIFormatter

    # PIIFormatter only rewrites text; its own two replacers give the spans it would replace.
    fmt = PIIFormatter()
    replacers = ((fmt.emails_replacer, "EMAIL"), (fmt.ip_replacer, "IP_ADDRESS"))

    def run(text: str, lang: str) -> Pred:
        out: Pred = []
        for replacer, label in replacers:
            for m in replacer.regex.finditer(text):
                if replacer.validator is None or replacer.validator(m.group(0)):
                    out.append((m.start(), m.end(), label))
        return out

    return run


TOOLS: dict[str, Callable[[], Callable[[str, str], Pred]]] = {
    "moisson fast": lambda: moisson_tool("fast"),
    "moisson full": lambda: moisson_tool("full"),
    "presidio": presidio_tool,
    "scrubadub": scrubadub_tool,
    "datatrove": datatrove_tool,
}


# ----------------------------------------------------------------------------- scoring
def score(
    gold: list[dict[str, Any]], preds: list[Pred], *, overlap: bool
) -> dict[str, Counter[str]]:
    counts: dict[str, Counter[str]] = {label: Counter() for label in LABELS}
    for doc, pred in zip(gold, preds, strict=True):
        golds = [(g["start"], g["end"], g["label"]) for g in doc["spans"]]
        used: set[int] = set()
        for ps, pe, pl in pred:
            hit = None
            for i, (gs, ge, gl) in enumerate(golds):
                if i in used or gl != pl:
                    continue
                if (gs == ps and ge == pe) or (overlap and gs < pe and ps < ge):
                    hit = i
                    break
            if pl not in counts:
                continue
            if hit is None:
                counts[pl]["fp"] += 1
            else:
                used.add(hit)
                counts[pl]["tp"] += 1
        for i, (_gs, _ge, gl) in enumerate(golds):
            if i not in used:
                counts[gl]["fn"] += 1
    return counts


def prf(c: Counter[str]) -> tuple[float, float, float]:
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
    r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def run_tool(name: str, quick: bool, queue: Any) -> None:
    """Child process: build the tool, time it, score it, report peak RSS."""
    docs = load(quick)
    tool = TOOLS[name]()
    # One-time set-up (libphonenumber's region metadata, lazy imports) outside the first pass,
    # with values that are not in the set: the first pass then sees every value for the first
    # time, as on a real corpus.
    tool(_WARM_UP, "fr")
    start = time.process_time()
    preds = [tool(d["text"], d["lang"]) for d in docs]  # warm caches, and the predictions
    cold_cpu = time.process_time() - start
    size = sum(len(d["text"].encode()) for d in docs)
    fast = name in ("moisson fast", "datatrove")
    rounds = 0
    cpu = 0.0
    budget = 3.0 if fast else 0.0
    while rounds == 0 or cpu < budget:
        start = time.process_time()
        for d in docs:
            tool(d["text"], d["lang"])
        cpu += time.process_time() - start
        rounds += 1
    prose = [p for f in PROSE for p in f.read_text("utf-8").split("\n\n") if p.strip()]
    prose_size = sum(len(p.encode()) for p in prose)
    prose_cpu, prose_rounds = 0.0, 0
    while prose and (prose_rounds == 0 or prose_cpu < budget):
        start = time.process_time()
        for paragraph in prose:
            tool(paragraph, "fr")
        prose_cpu += time.process_time() - start
        prose_rounds += 1
    exact = score(docs, preds, overlap=False)
    over = score(docs, preds, overlap=True)
    clean = [p for d, p in zip(docs, preds, strict=True) if not d["spans"]]
    flagged = sum(1 for p in clean if p)
    queue.put({
        "name": name,
        "exact": {k: dict(v) for k, v in exact.items()},
        "overlap": {k: dict(v) for k, v in over.items()},
        "mb_s": size * rounds / cpu / 1e6,
        "cold_mb_s": size / cold_cpu / 1e6,
        "prose_mb_s": prose_size * prose_rounds / prose_cpu / 1e6 if prose else None,
        "prose_bytes": prose_size,
        "prose_paragraphs": len(prose),
        "clean_docs": len(clean),
        "clean_flagged": flagged,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "docs": len(docs),
        "bytes": size,
    })  # fmt: skip


def micro(
    counts: dict[str, dict[str, int]], labels: tuple[str, ...] = LABELS
) -> tuple[float, float, float]:
    total: Counter[str] = Counter()
    for label in labels:
        total.update(counts[label])
    return prf(total)


def table(results: list[dict[str, Any]]) -> str:
    lines = ["| tool | exact P | exact R | exact F1 | overlap P | overlap R | overlap F1 | MB/s/core | first pass (cold caches) | MB/s/core, real prose | flagged clean docs | peak RSS MB |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]  # fmt: skip
    for r in results:
        ep, er, ef = micro(r["exact"])
        op, orr, of = micro(r["overlap"])
        lines.append(
            f"| {r['name']} | {ep:.3f} | {er:.3f} | {ef:.3f} | {op:.3f} | {orr:.3f} | {of:.3f} | "
            f"{r['mb_s']:.3f} | {r['cold_mb_s']:.3f} | "
            + (f"{r['prose_mb_s']:.3f}" if r["prose_mb_s"] is not None else "–")
            + f" | {r['clean_flagged']}/{r['clean_docs']} "
            f"({100 * r['clean_flagged'] / max(1, r['clean_docs']):.1f}%) | {r['rss_mb']:.0f} |"
        )
    lines += ["", "Overlap F1 per label (exact F1 in parentheses):", "",
              "| label | " + " | ".join(r["name"] for r in results) + " |",
              "|---|" + "---|" * len(results)]  # fmt: skip
    for label in LABELS:
        cells = []
        for r in results:
            o = Counter(r["overlap"][label])
            e = Counter(r["exact"][label])
            support = o["tp"] + o["fn"]
            cells.append(
                f"{prf(o)[2]:.2f} ({prf(e)[2]:.2f})" if o["tp"] + o["fp"] else f"– (0/{support})"
            )
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def sensitive_table(docs: list[dict[str, Any]]) -> str:
    """Document-level special categories (PII-02): only moisson detects them."""
    sys.path.insert(0, str(ROOT / "src"))
    from moisson.pii import PiiAnalyzer

    analyzer = PiiAnalyzer(tier="fast")
    counts: Counter[str] = Counter()
    for doc in docs:
        found = {h.category for h in analyzer.analyze(doc["text"]).sensitive}
        gold = set(doc.get("sensitive", []))
        counts["tp"] += len(found & gold)
        counts["fp"] += len(found - gold)
        counts["fn"] += len(gold - found)
    p, r, f = prf(counts)
    support = counts["tp"] + counts["fn"]
    return (
        f"Special categories, document level (moisson fast; the other tools have none): "
        f"P {p:.3f}, R {r:.3f}, F1 {f:.3f} on {support} labelled (document, category) pairs."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one document in three")
    parser.add_argument("--tools", default=",".join(TOOLS), help="comma-separated subset")
    parser.add_argument("--out", type=Path, default=None, help="write the Markdown report here")
    args = parser.parse_args()
    ctx = mp.get_context("spawn")
    results = []
    for name in args.tools.split(","):
        queue = ctx.Queue()
        proc = ctx.Process(target=run_tool, args=(name, args.quick, queue))
        started = time.time()
        proc.start()
        result = queue.get()
        proc.join()
        result["wall_s"] = time.time() - started
        results.append(result)
        print(f"{name}: done in {result['wall_s']:.0f}s", file=sys.stderr)
    docs = load(args.quick)
    cpu = platform.processor() or "unknown"
    with contextlib.suppress(OSError, StopIteration):
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    header = (
        f"Set: {len(docs)} documents ({sum(len(d['text'].encode()) for d in docs) / 1e3:.0f} kB), "
        f"{sum(len(d['spans']) for d in docs)} labelled spans, "
        f"{sum(1 for d in docs if not d['spans'])} documents without personal data. "
        + (
            f"Real prose: {results[0]['prose_paragraphs']} paragraphs "
            f"({results[0]['prose_bytes'] / 1e3:.0f} kB) of {', '.join(f.name for f in PROSE)}. "
            if PROSE
            else ""
        )
        + f"Machine: {cpu}, nproc={os.cpu_count()}, Python {platform.python_version()}."
    )
    report = header + "\n\n" + table(results) + "\n\n" + sensitive_table(docs)
    print(report)
    if args.out:
        args.out.write_text(report + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
