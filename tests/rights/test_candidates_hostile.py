"""Candidate identifiers for the suppression and output filters, on hostile text (RGT-05, RGT-06).

The name pattern once re-read a hyphenated run of capitals to its end from each of its
capitals: "A-A-A-..." of 20 kB took 2.6 s, and the time grew with the square of the length, on
model outputs and web text that anyone can shape. A word of a name is now at most 64
characters; on text without longer words, the candidates are exactly those of the unbounded
pattern.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from hypothesis import given, settings
from hypothesis import strategies as st

from cpu_growth import best_cpu_seconds
from moisson.rights import candidates
from moisson.rights.candidates import iter_candidates
from moisson.rights.output_filter import OutputFilter

_UNBOUNDED = re.compile(
    rf"\b{candidates._UPPER}[\w'’-]*(?:[ \t]+{candidates._UPPER}[\w'’-]*){{1,3}}\b"
)
_LONG_WORD = re.compile(r"[\w'’-]{65,}")
_PIECES = ["Jean", "Dupont", "-", "'", "’", " ", "\t", "Marie-Claire", "D'Artagnan", "O'Neil",
           "x", "É", "Lé", "\n", ".", "Jean-", "-Paul", "A", "a", "1", "jean@exemple.fr",
           "06 12 34 56 78"]  # fmt: skip


def _keys(text: str) -> list[tuple[str, int, int, str]]:
    return [(c.label, c.start, c.end, c.canonical) for c in iter_candidates(text)]


@settings(max_examples=500, deadline=None)
@given(text=st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
def test_names_are_those_of_the_unbounded_pattern(text: str) -> None:
    if _LONG_WORD.search(text):
        return
    found = [(start, end) for label, start, end, _ in _keys(text) if label == "PERSON"]
    expected = [
        (c.start, c.end)
        for m in _UNBOUNDED.finditer(text)
        for c in candidates._name_keys(m.group(), m.start())
    ]
    assert found == expected


def _cost(function: Callable[[str], object], text: str) -> float:
    return best_cpu_seconds(lambda: function(text))


def test_hyphenated_capitals_cost_linear_time() -> None:
    output_filter = OutputFilter(b"k" * 32, ["0" * 64])
    for unit in ("A-", "A'", "Ab-"):
        for function in (_keys, output_filter.check):
            small = _cost(function, unit * (8_000 // len(unit)))
            large = _cost(function, unit * (32_000 // len(unit)))
            assert large / max(small, 1e-4) < 9, (unit, small, large)
