"""Fast-tier throughput of two checkouts of moisson, alternating, on the labelled set.

Usage::

    git worktree add /tmp/before <commit>      # or any copy of an older src/ folder
    .venv/bin/python bench/pii_ab.py /tmp/before/src src [--runs 3] [--passes 15]

Each run is a fresh process importing ``moisson`` from the given ``src`` folder; it reports the
first pass over ``bench/data/pii_eval/eval.jsonl`` (every value new, as on a real corpus) and
the best of ``--passes`` passes after it (MB/s per core, CPU time, language detected per
document). Runs alternate between the two folders so that load from other processes falls on
both. Used to measure small speed-ups that one bench run cannot separate from noise.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

EVAL = Path(__file__).resolve().parent / "data" / "pii_eval" / "eval.jsonl"
# The warm-up line of bench/pii.py: set-up such as libphonenumber's metadata happens before the
# first pass, which then sees every value of the set for the first time.
_WARM_UP = (
    "Jean Martin, né le 3 mai 1980, 4 rue Victor Hugo 69002 Lyon, tél. 04 72 10 30 30, "
    "+44 20 7946 0000, (212) 555-0100, jean.martin@exemple.org, 8.8.4.4, "
    "IBAN FR14 2004 1010 0505 0001 3M02 606, SIREN 552 100 554."
)


def _child(src: str, passes: int) -> None:
    sys.path.insert(0, src)
    from moisson.pii import PiiAnalyzer

    texts = [json.loads(line)["text"] for line in EVAL.read_text("utf-8").splitlines() if line]
    analyzer = PiiAnalyzer(tier="fast")
    analyzer.analyze(_WARM_UP)  # one-time set-up, with values that are not in the set
    size = sum(len(t.encode()) for t in texts)
    start = time.process_time()
    for text in texts:
        analyzer.analyze(text)
    first = size / (time.process_time() - start) / 1e6
    best = 0.0
    for _ in range(passes):
        start = time.process_time()
        for text in texts:
            analyzer.analyze(text)
        best = max(best, size / (time.process_time() - start) / 1e6)
    print(f"{first:.3f}/{best:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", help="src folder of the first version")
    parser.add_argument("after", help="src folder of the second version")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--passes", type=int, default=15)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.passes)
        return
    results: dict[str, list[str]] = {args.before: [], args.after: []}
    for _ in range(args.runs):
        for src in (args.before, args.after):
            out = subprocess.run(
                [sys.executable, __file__, args.before, args.after, "--child",
                 str(Path(src).resolve()), "--passes", str(args.passes)],
                check=True, capture_output=True, text=True,
            )  # fmt: skip
            results[src].append(out.stdout.strip())
    for src, values in results.items():
        print(f"{src}: {', '.join(values)} MB/s per core (first pass/best of {args.passes} passes)")


if __name__ == "__main__":
    main()
