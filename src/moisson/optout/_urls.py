"""URL pieces the opt-out families need: origins (IDNA-aware) and RFC 9309 path encoding.

RFC 9309 §2.2.2: octets outside US-ASCII and reserved characters are percent-encoded before
comparison, percent-encoded *unreserved* characters are decoded, reserved ones (``%2F``) are
not. The same normal form is applied to patterns and to URLs, so ``/~joe`` matches
``/%7Ejoe`` (R-22), ``/ツ`` matches ``/%E3%83%84`` (R-23) and ``/a%2Fb`` never matches ``/a/b``
(R-21). ``*`` and ``$`` of a URL are encoded, so that ``%2A``/``%24`` in a pattern match only
the literal character (R-24).
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

__all__ = ("Origin", "encode_path", "origin_of", "path_of", "registrable_host")

_UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
# Characters kept literally in the normal form (RFC 3986 reserved + unreserved + '%').
_KEEP = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!&'()+,;=")
_HEX = "0123456789ABCDEF"

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


@lru_cache(maxsize=4096)
def _origin_cached(url: str) -> Origin:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = idna_host(parts.hostname or "")
    port = parts.port or {"http": 80, "https": 443}.get(scheme, 0)
    return scheme, host, port


def origin_of(url: str) -> Origin:
    """(scheme, IDNA host, port): each has its own robots.txt (R-28, RFC 9309 §2.3)."""
    return _origin_cached(url)


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
    if raw.isascii() and "%" not in raw and (pattern or ("*" not in raw and "$" not in raw)):
        # Fast path: nothing to encode or decode (most paths).
        if all(ord(c) in _KEEP or (pattern and c in "*$") for c in raw):
            return raw
    data = raw.encode("utf-8", "surrogateescape")
    out: list[str] = []
    i = 0
    n = len(data)
    while i < n:
        b = data[i]
        if b == 0x25 and i + 2 < n + 0 and _is_hex(data[i + 1 : i + 3]):
            value = int(data[i + 1 : i + 3], 16)
            if value in _UNRESERVED:
                out.append(chr(value))
            else:
                out.append("%" + data[i + 1 : i + 3].decode("ascii").upper())
            i += 3
            continue
        if pattern and b in (0x2A, 0x24):
            out.append(chr(b))
        elif b in _KEEP:
            out.append(chr(b))
        else:
            out.append("%" + _HEX[b >> 4] + _HEX[b & 15])
        i += 1
    return "".join(out)


def _is_hex(two: bytes) -> bool:
    return len(two) == 2 and all(c in b"0123456789abcdefABCDEF" for c in two)


def path_of(url: str) -> str:
    """Encoded path plus query of a URL (``/`` when empty), as RFC 9309 matches it."""
    parts = urlsplit(url)
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return encode_path(path)
