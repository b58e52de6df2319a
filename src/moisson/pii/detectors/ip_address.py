"""IP_ADDRESS: public IPv4 and IPv6 addresses only (PII-01).

Private, loopback, link-local, documentation and other reserved ranges (RFC 1918, RFC 5737,
RFC 3849, RFC 6890) identify no one and are never reported; neither is a version number
("version 1.2.3.4").
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator

from moisson.pii._text import lower_agrees
from moisson.pii._types import Span
from moisson.pii.detectors.base import Detector, context_before

__all__ = ("IpAddressDetector", "Ipv6AddressDetector")

_V4 = re.compile(r"\d(?<![\w.]\d)\d{0,2}\.(?:\d{1,3}\.){2}\d{1,3}(?![\w]|\.\d)")
_V6 = re.compile(r"(?<![\w:.])(?:[0-9A-Fa-f]{1,4}:){1,7}(?::|(?::?[0-9A-Fa-f]{1,4}){1,7})(?![\w:])")
# A version number, not an address: "version 1.2.3.4", "release notes for 7.1.0.2", "v2.4.1.0".
# Two colons around hex digits ("cb00:2349:"): a literal-led pattern, fast to scan for.
_V6_HINT = re.compile(r":[0-9A-Fa-f]{1,4}:")
_VERSION = re.compile(
    r"(?:\bv\s*|(?:version|release|build|firmware|update|upgrade|ver\.?|mib)\b[^.\n]{0,25})$", re.I
)

# A substring of each word of ``_VERSION`` but the bare "v", lower case.
_VERSION_STEMS = ("ver", "release", "build", "firmware", "update", "upgrade", "mib")


def _is_version(before: str) -> bool:
    """Whether ``_VERSION`` finds a version cue at the end of ``before``.

    Where ``lower()`` agrees with ``re.IGNORECASE`` (nearly always): without one of the stems, and
    without a "v" closing the text, the regex cannot match and is not run (PII-04).
    """
    if lower_agrees(before):
        lowered = before.lower()
        if not lowered.rstrip().endswith("v") and not any(s in lowered for s in _VERSION_STEMS):
            return False
    return _VERSION.search(before) is not None


def _public(value: str) -> bool:
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return False
    return bool(address.is_global) and not address.is_multicast


class IpAddressDetector(Detector):
    """Globally routable IPv4 addresses."""

    name = "ip_address_v1"
    label = "IP_ADDRESS"
    TRIGGER = "digits"
    MIN_DIGITS = 4

    def detect(
        self, text: str, lang: str, start: int = 0, end: int | None = None
    ) -> Iterator[Span]:
        stop = len(text) if end is None else end
        for match in _V4.finditer(text, start, stop):
            if _is_version(context_before(text, match.start(), 40)):
                continue
            if _public(match.group()):
                yield Span(match.start(), match.end(), self.label, 0.9, self.name)


class Ipv6AddressDetector(Detector):
    """Globally routable IPv6 addresses (RFC 4291 text forms, RFC 5952)."""

    name = "ipv6_address_v1"
    label = "IP_ADDRESS"

    def applies(self, text: str) -> bool:
        return "::" in text or _V6_HINT.search(text) is not None

    def detect(
        self, text: str, lang: str, start: int = 0, end: int | None = None
    ) -> Iterator[Span]:
        stop = len(text) if end is None else end
        for match in _V6.finditer(text, start, stop):
            if match.group().count(":") >= 2 and _public(match.group()):
                yield Span(match.start(), match.end(), self.label, 0.9, self.name)
