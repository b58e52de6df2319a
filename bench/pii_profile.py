"""Where the fast tier's time goes: the marginal cost of each rule detector, on the labelled set.

Usage::

    .venv/bin/python bench/pii_profile.py [--passes 12]

For each detector, the analyzer runs without it; the difference with the full analyzer is what
that detector costs per document (its own work plus its share of the dispatch). Best of
``--passes`` passes each, CPU time, one process. The numbers guide speed work (PII-04); they
are not a comparison with other tools (``bench/pii.py`` is).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from moisson.pii import PiiAnalyzer
from moisson.pii.detectors import rule_detectors

EVAL = Path(__file__).resolve().parent / "data" / "pii_eval" / "eval.jsonl"


def _cost(analyzer: PiiAnalyzer, texts: list[str], passes: int) -> float:
    """Microseconds per document, best of ``passes``."""
    for text in texts:
        analyzer.analyze(text)
    best = float("inf")
    for _ in range(passes):
        start = time.process_time()
        for text in texts:
            analyzer.analyze(text)
        best = min(best, time.process_time() - start)
    return best / len(texts) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passes", type=int, default=12)
    args = parser.parse_args()
    texts = [json.loads(line)["text"] for line in EVAL.read_text("utf-8").splitlines() if line]
    size = sum(len(t.encode()) for t in texts) / len(texts)
    total = _cost(PiiAnalyzer(tier="fast"), texts, args.passes)
    print(f"fast tier: {total:.1f} µs per document ({size:.0f} bytes on average), "
          f"{size / total:.2f} MB/s per core")  # fmt: skip
    print("| left out | µs per document saved |")
    print("|---|---:|")
    for name in [d.name for d in rule_detectors()]:
        others = [d for d in rule_detectors() if d.name != name]
        saved = total - _cost(PiiAnalyzer(tier="fast", detectors=others), texts, args.passes)
        print(f"| {name} | {saved:.1f} |")
    saved = total - _cost(PiiAnalyzer(tier="fast", sensitive=False), texts, args.passes)
    print(f"| special categories (art. 9/10) | {saved:.1f} |")
    fixed = _cost(PiiAnalyzer(tier="fast", detectors=[], sensitive=False), texts, 3)
    print(f"| everything (the analyzer's fixed cost left) | {total - fixed:.1f} |")


if __name__ == "__main__":
    main()
