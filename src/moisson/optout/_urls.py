"""URL pieces the opt-out families need: origins (IDNA-aware) and RFC 9309 path encoding.

RFC 9309 §2.2.2: octets outside US-ASCII and reserved characters are percent-encoded before
comparison, percent-encoded *unreserved* characters are decoded, reserved ones (``%2F``) are
not. The same normal form is applied to patterns and to URLs, so ``/~joe`` matches
``/%7Ejoe`` (R-22), ``/ツ`` matches ``/%E3%83%84`` (R-23) and ``/a%2Fb`` never matches ``/a/b``
(R-21). ``*`` and ``$`` of a URL are encoded, so that ``%2A``/``%24`` in a pattern match only
the literal character (R-24).
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlsplit

__all__ = (
    "Origin",
    "encode_path",
    "idna_host",
    "origin_of",
    "origin_url",
    "path_of",
    "registrable_host",
)

_UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
# Characters kept literally in the normal form (RFC 3986 reserved + unreserved + '%').
_KEEP = frozenset(
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!&'()+,;="
)
_HEX = "0123456789ABCDEF"
_SAFE_PATH = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!&'()+,;=]*")
_SAFE_PATTERN = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!&'()+,;=*$]*")

Origin = tuple[str, str, int]


def idna_host(host: str) -> str:
    """Lower-case ASCII form of a host: ``münchen.de`` and ``xn--mnchen-3ya.de`` agree (C-12)."""
    host = host.strip().rstrip(".").lower()
    if not host or host.isascii():
        return host
    try:
        import idna

        return idna.encode(host, uts46=True).decode("ascii")
    except (UnicodeError, ValueError, ImportError):
        try:
            return host.encode("idna").decode("ascii")
        except UnicodeError:
            return host


def _split(url: str) -> tuple[str, str, str]:
    """(scheme, netloc, path+query) without the fragment; a fast path of ``urlsplit``."""
    at = url.find("://")
    if at <= 0:
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        return parts.scheme, parts.netloc, path
    rest = url[at + 3 :]
    end = len(rest)
    for sep in "/?#":
        found = rest.find(sep)
        if 0 <= found < end:
            end = found
    tail = rest[end:]
    hash_at = tail.find("#")
    if hash_at >= 0:
        tail = tail[:hash_at]
    if tail[:1] == "?":
        tail = "/" + tail
    return url[:at], rest[:end], tail


@lru_cache(maxsize=8192)
def _origin_cached(scheme: str, netloc: str) -> Origin:
    parts = urlsplit(f"{scheme}://{netloc}/")
    scheme = scheme.lower()
    host = idna_host(parts.hostname or "")
    port = parts.port or {"http": 80, "https": 443}.get(scheme, 0)
    return scheme, host, port


def origin_of(url: str) -> Origin:
    """(scheme, IDNA host, port): each has its own robots.txt (R-28, RFC 9309 §2.3)."""
    scheme, netloc, _ = _split(url)
    return _origin_cached(scheme, netloc)


def origin_url(origin: Origin) -> str:
    scheme, host, port = origin
    default = {"http": 80, "https": 443}.get(scheme)
    hostport = host if port == default else f"{host}:{port}"
    return f"{scheme}://{hostport}"


def registrable_host(url_or_host: str) -> str:
    """The IDNA host of a URL or a bare host name (for domain lists)."""
    if "://" in url_or_host:
        return idna_host(urlsplit(url_or_host).hostname or "")
    return idna_host(url_or_host.split("/", 1)[0].split(":", 1)[0])


def encode_path(raw: str, *, pattern: bool = False) -> str:
    """Normal form of a path (and query) for matching; ``pattern`` keeps ``*``/``$`` special."""
    # Fast path: nothing to encode or decode (most paths).
    if (_SAFE_PATTERN if pattern else _SAFE_PATH).fullmatch(raw):
        return raw
    data = raw.encode("utf-8", "surrogateescape")
    out: list[str] = []
    i = 0
    n = len(data)
    while i < n:
        b = data[i]
        if b == 0x25 and i + 2 < n and _is_hex(data[i + 1 : i + 3]):
            value = int(data[i + 1 : i + 3], 16)
            if value in _UNRESERVED:
                out.append(chr(value))
            else:
                out.append("%" + data[i + 1 : i + 3].decode("ascii").upper())
            i += 3
            continue
        if (pattern and b in (0x2A, 0x24)) or b in _KEEP:
            out.append(chr(b))
        else:
            out.append("%" + _HEX[b >> 4] + _HEX[b & 15])
        i += 1
    return "".join(out)


def _is_hex(two: bytes) -> bool:
    return len(two) == 2 and all(c in b"0123456789abcdefABCDEF" for c in two)


def path_of(url: str) -> str:
    """Encoded path plus query of a URL (``/`` when empty), as RFC 9309 matches it."""
    path = _split(url)[2] or "/"
    return encode_path(path)
