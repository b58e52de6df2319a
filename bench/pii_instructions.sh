#!/bin/bash
# Instructions (valgrind callgrind) the fast tier spends per document of the labelled set:
# repeatable to the instruction where timings on a shared 2-core machine move by 10 % or more.
#   bench/pii_instructions.sh [SRC ...]      (default: src; e.g. /tmp/before/src src)
# For each src folder: the first pass over bench/data/pii_eval/eval.jsonl (every value new)
# and a warm pass, in thousands of instructions per document, then the share of the regex
# engine (CPython's _sre) in the warm passes. Needs valgrind (Debian package).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-$root/.venv/bin/python}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/run.py" <<'PY'
import json, sys
sys.path.insert(0, sys.argv[1])
from moisson.pii import PiiAnalyzer
texts = [json.loads(line)["text"] for line in open(sys.argv[3], encoding="utf-8") if line.strip()]
analyzer = PiiAnalyzer(tier="fast")
sys.path.insert(0, sys.argv[4])
from pii_ab import _WARM_UP  # the warm-up line of bench/pii.py: one-time set-up is not counted
analyzer.analyze(_WARM_UP)
for _ in range(int(sys.argv[2])):
    for text in texts:
        analyzer.analyze(text)
PY
eval_set=$root/bench/data/pii_eval/eval.jsonl
docs=$(grep -c . "$eval_set")
for src in "${@:-src}"; do
  for n in 0 1 3; do
    PYTHONHASHSEED=0 valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.$n" \
      "$python" "$tmp/run.py" "$src" "$n" "$eval_set" "$root/bench" 2>"$tmp/log.$n" >/dev/null
  done
  "$python" - "$tmp" "$docs" "$src" <<'PY'
import re, subprocess, sys
tmp, docs, src = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def per_function(n):
    out = subprocess.run(["callgrind_annotate", "--threshold=100", f"{tmp}/cg.{n}"],
                         capture_output=True, text=True, check=True).stdout
    counts = {}
    for line in out.splitlines():
        m = re.match(r"\s*([\d,]+) \([\s\d.]+%\)\s+.*?:(\S+)", line)
        if m:
            counts[m.group(2)] = counts.get(m.group(2), 0) + int(m.group(1).replace(",", ""))
    return counts
c0, c1, c3 = per_function(0), per_function(1), per_function(3)
first = (sum(c1.values()) - sum(c0.values())) / docs
warm_by = {k: (v - c1.get(k, 0)) / (2 * docs) for k, v in c3.items()}
warm = sum(warm_by.values())
sre = sum(v for k, v in warm_by.items() if "sre" in k)
print(f"{src}: first pass {first / 1e3:.1f} k instructions/document, warm {warm / 1e3:.1f}; "
      f"regex engine {sre / 1e3:.1f} ({sre / warm:.0%} of warm)")
PY
done
