"""Output filter for deployed models (RGT-06): block or mask generations quoting suppressed people.

Built from the suppression list (keyed hashes) and the workspace secret: candidate identifiers
in the generated text (emails, phones, capitalised name runs) are normalised, keyed-hashed and
compared with the list, so the filter never holds an identifier in clear. :meth:`stream`
sits between a model and its client, holding back a short tail so an identifier split across
tokens is caught before any of it is sent.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal

from moisson.rights.candidates import iter_candidates
from moisson.workspace import Workspace

__all__ = ("BLOCK_MESSAGE", "FilterResult", "OutputFilter")

BLOCK_MESSAGE = "[This answer was withheld: it contained personal data of a person who objected.]"
_MASK = "[REDACTED]"
FilterMode = Literal["mask", "block"]
# Stream buffer bounds (see ``OutputFilter.stream``).
_MAX_PENDING = 4096
_TAIL = 512


@dataclass
class FilterResult:
    text: str
    blocked: bool
    matches: list[tuple[str, int, int]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.matches)


class OutputFilter:
    """``check`` a whole text or ``stream`` tokens; ``mode`` masks spans or blocks the answer."""

    def __init__(
        self, secret: bytes, hashes: Iterable[str], *, mode: FilterMode = "mask", hold: int = 48
    ) -> None:
        self._mac = hmac.new(secret, digestmod=hashlib.sha256)
        self.hashes = frozenset(hashes)
        self.mode: FilterMode = mode
        self.hold = hold

    @classmethod
    def from_workspace(cls, workspace: Workspace, *, mode: FilterMode = "mask") -> OutputFilter:
        from moisson.rights.suppression import SuppressionList

        return cls(workspace.secret, SuppressionList(workspace).hashes(), mode=mode)

    def _hash(self, canonical: str) -> str:
        mac = self._mac.copy()
        mac.update(f"person\x00{canonical}".encode())
        return mac.hexdigest()

    def find(self, text: str) -> list[tuple[str, int, int]]:
        """Spans ``(label, start, end)`` of suppressed identifiers in ``text``."""
        if not self.hashes:
            return []
        return [
            (c.label, c.start, c.end)
            for c in iter_candidates(text)
            if self._hash(c.canonical) in self.hashes
        ]

    def check(self, text: str) -> FilterResult:
        spans = self.find(text)
        if not spans:
            return FilterResult(text, False)
        if self.mode == "block":
            return FilterResult(BLOCK_MESSAGE, True, spans)
        merged: list[tuple[int, int]] = []
        for _, start, end in sorted(spans, key=lambda s: s[1]):
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
            else:
                merged.append((start, end))
        pieces: list[str] = []
        last = 0
        for start, end in merged:
            pieces += [text[last:start], _MASK]
            last = end
        pieces.append(text[last:])
        return FilterResult("".join(pieces), False, spans)

    def _cut(self, pending: str) -> int:
        """How much of ``pending`` can leave: up to the last blank at least ``hold`` characters
        before its end; without one (CJK text, one long run), all but the last
        ``_TAIL`` characters once more than ``_MAX_PENDING`` are waiting (0: nothing yet)."""
        limit = max(0, len(pending) - self.hold)
        cut = max(pending.rfind(blank, max(0, limit - _MAX_PENDING), limit) for blank in " \t\n\r")
        if cut >= 0:
            return cut + 1
        return len(pending) - _TAIL if len(pending) > _MAX_PENDING else 0

    def stream(self, tokens: Iterable[str]) -> Iterator[str]:
        """Filter a token stream; emits text only once no identifier can still be growing.

        Text is released up to the last blank at least ``hold`` characters before the end of
        what arrived, so every candidate (emails have no blanks; phones and names are shorter
        than ``hold``) is complete, and checked, before its first character leaves. Text
        without blanks (CJK, code) is released in pieces once ``_MAX_PENDING`` characters
        wait, keeping the last ``_TAIL``: a candidate is shorter than that (an email at most
        321 characters, a name word at most 64), so none is cut. The buffer, and the work per
        token, stay bounded: an answer without spaces used to be held to the end and
        re-scanned for each token, in time growing with the square of its length.
        """
        pending = ""
        for token in tokens:
            pending += token
            cut = self._cut(pending)
            if cut <= 0:
                continue
            result = self.check(pending)
            if result.blocked:
                yield result.text
                return
            if result.changed:
                pending = result.text
                cut = self._cut(pending)
                if cut <= 0:
                    continue
            yield pending[:cut]
            pending = pending[cut:]
        if pending:
            result = self.check(pending)
            yield result.text
