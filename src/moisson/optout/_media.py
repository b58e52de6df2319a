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

_DMI = re.compile(
    rb"(?:plus|Iptc4xmpExt):DataMining[^<>]{0,400}?(DMI-[A-Z-]+)|(?:plus|Iptc4xmpExt):DataMining>\s*(?:<rdf:[^>]*>\s*)*(?:https?://ns\.useplus\.org/ldf/vocab/)?(DMI-[A-Z-]+)",
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


class _Cbor:
    """Minimal CBOR (RFC 8949) reader for C2PA assertion maps; tags are unwrapped."""

    def __init__(self, data: bytes) -> None:
        self.d = data
        self.i = 0
        self.depth = 0

    def _arg(self, info: int) -> int:
        if info < 24:
            return info
        size = {24: 1, 25: 2, 26: 4, 27: 8}.get(info)
        if size is None:
            msg = "unsupported CBOR length"
            raise ValueError(msg)
        value = int.from_bytes(self.d[self.i : self.i + size], "big")
        self.i += size
        return value

    def item(self) -> Any:
        if self.depth >= _CBOR_MAX_DEPTH:
            msg = f"CBOR nested deeper than {_CBOR_MAX_DEPTH} levels"
            raise ValueError(msg)
        self.depth += 1
        try:
            return self._item()
        finally:
            self.depth -= 1

    def _item(self) -> Any:
        head = self.d[self.i]
        self.i += 1
        major, info = head >> 5, head & 31
        if major == 7:
            if info == 20:
                return False
            if info == 21:
                return True
            if info in (22, 23):
                return None
            if info == 25:
                self.i += 2
                return None
            if info in (26, 27):
                fmt = ">f" if info == 26 else ">d"
                size = 4 if info == 26 else 8
                (value,) = struct.unpack(fmt, self.d[self.i : self.i + size])
                self.i += size
                return value
            msg = "unsupported CBOR simple value"
            raise ValueError(msg)
        arg = self._arg(info)
        if major == 0:
            return arg
        if major == 1:
            return -1 - arg
        if major in (2, 3):
            raw = self.d[self.i : self.i + arg]
            self.i += arg
            return raw.decode("utf-8", "replace") if major == 3 else raw
        if major == 4:
            return [self.item() for _ in range(arg)]
        if major == 5:
            out: dict[Any, Any] = {}
            for _ in range(arg):
                key = self.item()
                out[key] = self.item()
            return out
        return self.item()  # major 6: tag, unwrap


def decode_cbor(data: bytes) -> Any:
    return _Cbor(data).item()


def _assertions(data: bytes) -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    for label in (b"cawg.training-mining", b"c2pa.training-mining"):
        start = 0
        while (at := data.find(label, start)) >= 0:
            start = at + len(label)
            box = data.find(b"cbor", start, start + 512)
            if box < 4:
                continue
            length = int.from_bytes(data[box - 4 : box], "big")
            try:
                found.append((label.decode(), decode_cbor(data[box + 4 : box - 4 + length])))
            except (ValueError, IndexError):
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
