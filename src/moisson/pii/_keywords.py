"""One multi-pattern pass over the lower-cased text for every literal cue (PII-04).

Python's regex engine costs tens of nanoseconds a character for every pattern scanned over
the whole text; an Aho-Corasick automaton (``ahocorasick-rs``, Rust) finds all the literal
cues of all detectors (street types, birth cues, obfuscation hints, special-category stems,
introducing phrases) in one pass, and the expensive patterns then run only in small windows
around the hits. Without the package, a slower ``str.find`` loop gives the same hits.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Mapping
from typing import Any

__all__ = ("KeywordIndex",)

_SURROGATE = re.compile("[\ud800-\udfff]")


class KeywordIndex:
    """Groups of lower-case keywords, found together in one pass."""

    def __init__(self, groups: Mapping[str, tuple[str, ...]]) -> None:
        groups_of: dict[str, list[str]] = {}
        for group, words in groups.items():
            for word in words:
                groups_of.setdefault(word, []).append(group)
        self._patterns: list[str] = list(groups_of)
        self._groups_of: list[list[str]] = list(groups_of.values())
        self._automaton: Any = None
        try:  # imported by name: the type checker must not need the optional package
            ahocorasick_rs: Any = importlib.import_module("ahocorasick_rs")
        except ImportError:  # pragma: no cover - exercised where the package is missing
            return
        self._automaton = ahocorasick_rs.AhoCorasick(
            self._patterns, implementation=ahocorasick_rs.Implementation.DFA
        )

    @property
    def accelerated(self) -> bool:
        return self._automaton is not None

    def find(self, lowered: str) -> dict[str, list[tuple[int, int]]]:
        """``group -> [(start, end), ...]`` of every keyword occurrence (overlaps allowed)."""
        hits: dict[str, list[tuple[int, int]]] = {}
        if self._automaton is not None:
            try:
                matches = self._automaton.find_matches_as_indexes(lowered, overlapping=True)
            except UnicodeEncodeError:
                # Lone surrogates (from a JSON "\ud800" or a UTF-7 page) cannot cross into
                # Rust: each becomes U+FFFD, one character for one, so offsets do not move.
                clean = _SURROGATE.sub("\ufffd", lowered)
                matches = self._automaton.find_matches_as_indexes(clean, overlapping=True)
        else:
            matches = []
            for index, word in enumerate(self._patterns):
                position = lowered.find(word)
                while position != -1:
                    matches.append((index, position, position + len(word)))
                    position = lowered.find(word, position + 1)
        for index, start, end in matches:
            for group in self._groups_of[index]:
                hits.setdefault(group, []).append((start, end))
        return hits
