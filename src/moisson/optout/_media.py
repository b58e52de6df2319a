"""Training and mining metadata embedded in media: IPTC/PLUS ``plus:DataMining`` and C2PA/CAWG.

IPTC Photo Metadata 2023.1 (optout-signals.md §7.1): every ``DMI-PROHIBITED*`` value refuses
training; the value may be a full URI or a bare id, and legacy ``Iptc4xmpExt`` spellings exist;
absent metadata is unknown, never allowed (CDNs strip it).
CAWG training-mining v1.1 (§7.2): label ``cawg.training-mining`` (or the older
``c2pa.training-mining``), ``use`` = ``notAllowed`` or ``constrained`` refuses ("constrained
shall be treated as notAllowed"). The manifest's signature is not validated here (recorded).
"""

from __future__ import annotations

import re
import struct
from typing import Any

from moisson.optout._verdict import Signal

__all__ = ("c2pa_signal", "decode_cbor", "iptc_signal")

# Every repetition is bounded: an unbounded ``(?:<rdf:[^>]*>\s*)*`` read to the end of the file
# from each ``plus:DataMining>`` (quadratic, 320 kB took 9 s). The element form of §7.1 needs at
# most ``<rdf:Bag><rdf:li ...>`` (or ``rdf:Alt``/``rdf:Seq``) between the property and its value.
# Possessive (``+``): what follows never starts like what they consume, so no match is lost and
# no backtracking is tried (2 MB of near-misses: 0.07 s instead of 0.8 s).
_DMI = re.compile(
    rb"(?:plus|Iptc4xmpExt):DataMining[^<>]{0,400}?(DMI-[A-Z-]+)"
    rb"|(?:plus|Iptc4xmpExt):DataMining>\s{0,256}+(?:<rdf:[^<>]{0,256}+>\s{0,256}+){0,8}+"
    rb"(?:https?://ns\.useplus\.org/ldf/vocab/)?(DMI-[A-Z-]+)",
    re.S,
)

# entry key suffix -> purposes it speaks for
_CAWG_ENTRIES: dict[str, tuple[str, ...]] = {
    "ai_training": ("train-ai",),
    "ai_generative_training": ("train-ai",),
    "data_mining": ("tdm-research", "train-ai"),
    "ai_inference": ("ai-input",),
}


def iptc_signal(data: bytes, purpose: str, evidence: dict[str, Any]) -> Signal | None:
    """``plus:DataMining`` in the XMP packet of an image; None when there is none."""
    if b"DataMining" not in data:
        return None
    m = _DMI.search(data)
    if m is None:
        return None
    value = (m.group(1) or m.group(2)).decode("ascii")
    evidence.update(raw=value, property="plus:DataMining")
    if value.startswith("DMI-PROHIBITED"):
        if value == "DMI-PROHIBITED-EXCEPTSEARCHENGINEINDEXING" and purpose == "search":
            return Signal("iptc", "allow", evidence)
        if purpose in ("train-ai", "tdm-research") or value in (
            "DMI-PROHIBITED",
            "DMI-PROHIBITED-EXCEPTSEARCHENGINEINDEXING",
        ):
            return Signal("iptc", "disallow", evidence)
        return Signal("iptc", "unknown", evidence)
    if value == "DMI-ALLOWED":
        return Signal("iptc", "allow", evidence)
    return Signal("iptc", "unknown", evidence)


# Assertion maps nest a few levels; a hostile file may nest thousands (a ValueError, not a
# RecursionError that would stop the opt-out check).
_CBOR_MAX_DEPTH = 64
# A training-mining assertion holds a handful of entries (CAWG 1.1, optout-signals.md §7.2). A
# hostile length (0xFFFFFFFF items) must not make one image cost minutes: the items decoded for
# one file, all assertions together, are capped, and so are the assertion labels read.
_CBOR_MAX_ITEMS = 10_000
_MAX_ASSERTIONS = 64


class _Cbor:
    """Minimal CBOR (RFC 8949) reader for C2PA assertion maps; tags are unwrapped.

    Every malformation (truncation, unsupported item, unhashable map key, too deep, too many
    items) is a ``ValueError``: the assertion is then unreadable, never a crash.
    """

    def __init__(self, data: bytes | memoryview, budget: list[int] | None = None) -> None:
        self.d = memoryview(data)
        self.i = 0
        self.depth = 0
        # Items left to decode, shared by every assertion of one file (a one-element list).
        self.budget = budget if budget is not None else [_CBOR_MAX_ITEMS]

    def _take(self, size: int) -> bytes:
        if size > len(self.d) - self.i:
            msg = f"truncated CBOR: {size} bytes wanted, {len(self.d) - self.i} left"
            raise ValueError(msg)
        raw = bytes(self.d[self.i : self.i + size])
        self.i += size
        return raw

    def _arg(self, info: int) -> int:
        if info < 24:
            return info
        size = {24: 1, 25: 2, 26: 4, 27: 8}.get(info)
        if size is None:
            msg = "unsupported CBOR length"
            raise ValueError(msg)
        return int.from_bytes(self._take(size), "big")

    def _count(self, arg: int) -> int:
        # Each item takes at least one byte: a count beyond the bytes left is a lie.
        if arg > len(self.d) - self.i:
            msg = f"CBOR container of {arg} items in {len(self.d) - self.i} bytes"
            raise ValueError(msg)
        return arg

    def item(self) -> Any:
        if self.depth >= _CBOR_MAX_DEPTH:
            msg = f"CBOR nested deeper than {_CBOR_MAX_DEPTH} levels"
            raise ValueError(msg)
        if self.budget[0] <= 0:
            msg = f"more than {_CBOR_MAX_ITEMS} CBOR items"
            raise ValueError(msg)
        self.budget[0] -= 1
        self.depth += 1
        try:
            return self._item()
        finally:
            self.depth -= 1

    def _item(self) -> Any:
        head = self._take(1)[0]
        major, info = head >> 5, head & 31
        if major == 7:
            if info == 20:
                return False
            if info == 21:
                return True
            if info in (22, 23):
                return None
            if info == 25:
                self._take(2)
                return None
            if info in (26, 27):
                fmt = ">f" if info == 26 else ">d"
                size = 4 if info == 26 else 8
                (value,) = struct.unpack(fmt, self._take(size))
                return value
            msg = "unsupported CBOR simple value"
            raise ValueError(msg)
        arg = self._arg(info)
        if major == 0:
            return arg
        if major == 1:
            return -1 - arg
        if major in (2, 3):
            raw = self._take(arg)
            return raw.decode("utf-8", "replace") if major == 3 else raw
        if major == 4:
            return [self.item() for _ in range(self._count(arg))]
        if major == 5:
            out: dict[Any, Any] = {}
            for _ in range(self._count(arg)):
                key = self.item()
                if isinstance(key, list | dict):
                    msg = f"CBOR map key of type {type(key).__name__} (not hashable)"
                    raise ValueError(msg)
                out[key] = self.item()
            return out
        return self.item()  # major 6: tag, unwrap


def decode_cbor(data: bytes) -> Any:
    """One CBOR item; ``ValueError`` for anything malformed or over the limits."""
    return _Cbor(data).item()


def _assertions(data: bytes) -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    budget = [_CBOR_MAX_ITEMS]
    for label in (b"cawg.training-mining", b"c2pa.training-mining"):
        start = 0
        while (at := data.find(label, start)) >= 0:
            start = at + len(label)
            if len(found) >= _MAX_ASSERTIONS:
                # The rest is not read: recorded as an unreadable assertion (evidence).
                found.append((label.decode(), None))
                return found
            box = data.find(b"cbor", start, start + 512)
            if box < 4:
                continue
            length = int.from_bytes(data[box - 4 : box], "big")
            # JUMBF box length (ISO 19566-5): header included, clamped to the bytes that exist.
            end = min(box - 4 + length, len(data))
            view = memoryview(data)[box + 4 : end]  # no copy: each box may run to the end
            try:
                found.append((label.decode(), _Cbor(view, budget).item()))
            except (ValueError, IndexError, TypeError, struct.error):
                found.append((label.decode(), None))
    return found


def c2pa_signal(data: bytes, purpose: str, evidence: dict[str, Any]) -> Signal | None:
    """CAWG/C2PA training-mining assertion in a JUMBF manifest store; None when absent."""
    if b"training-mining" not in data:
        return None
    assertions = _assertions(data)
    if not assertions:
        return None
    evidence["signature_validated"] = False
    allowed: list[str] = []
    for label, value in assertions:
        entries = value.get("entries") if isinstance(value, dict) else None
        if not isinstance(entries, dict):
            evidence.update(label=label, error="unreadable assertion")
            continue
        for key, entry in entries.items():
            suffix = str(key).split(".", 1)[-1]
            if purpose not in _CAWG_ENTRIES.get(suffix, ()):
                continue
            use = entry.get("use") if isinstance(entry, dict) else None
            if use in ("notAllowed", "constrained"):
                evidence.update(label=label, entry=key, use=use)
                return Signal("c2pa", "disallow", evidence)
            if use == "allowed":
                allowed.append(str(key))
    if allowed:
        evidence.update(entries=allowed, use="allowed")
        return Signal("c2pa", "allow", evidence)
    return Signal("c2pa", "unknown" if "error" not in evidence else "error", evidence)
