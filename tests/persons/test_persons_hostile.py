"""Identifier normalisation on hostile text: same answers as the original patterns, in
linear time (RGT-02; brief: bad input).

``deobfuscate_email`` once re-read a run of blanks from each of its positions: 20 kB of
spaces in an identifier a person supplies took 15 s. It now looks at most 64 blanks back.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from cpu_growth import best_cpu_seconds
from moisson.persons.normalise import deobfuscate_email

_AT = re.compile(r"\s*(?:\[at\]|\(at\)|\{at\}|\sat\s|\sarobase\s|\[arobase\]|\(arobase\))\s*", re.I)
_DOT = re.compile(r"\s*(?:\[dot\]|\(dot\)|\{dot\}|\sdot\s|\[point\]|\(point\)|\spoint\s)\s*", re.I)
_PIECES = [" ", "  ", "\t", "\n", "at", "AT", "dot", "point", "arobase", "[at]", "(at)", "{at}",
           "[dot]", "(point)", "jean", "exemple", "fr", ".", "@", "x"]  # fmt: skip


def _original(text: str) -> str:
    return _DOT.sub(".", _AT.sub("@", f" {text} ")).strip()


@settings(max_examples=500, deadline=None)
@given(text=st.lists(st.sampled_from(_PIECES), max_size=30).map("".join))
def test_same_result_as_the_original_patterns(text: str) -> None:
    if re.search(r"\s{65}", text):
        return  # more than 64 blanks before a token: outside the bounded pattern, on purpose
    assert deobfuscate_email(text) == _original(text)


def test_long_runs_of_blanks_cost_linear_time() -> None:
    def cost(text: str) -> float:
        return best_cpu_seconds(lambda: deobfuscate_email(text))

    for unit in (" ", " \t", "x "):
        small, large = cost(unit * (20_000 // len(unit))), cost(unit * (80_000 // len(unit)))
        assert large / max(small, 1e-4) < 9, (unit, small, large)
