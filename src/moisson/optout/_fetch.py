"""Fetching site files: the :class:`SiteFileFetcher` seam and its httpx implementation.

Redirects are followed by hand (at most 5 hops, RFC 9309 §2.3.1.2) so that every hop and its
headers are kept as evidence (R-06, R-07, X-07). ``resolve`` maps made-up host names to
loopback addresses for demo sites: the connection goes to the IP, the ``Host`` header keeps
the name.

The body is read raw and inflated here, never more than ``max_bytes`` out: httpx inflates a
whole network chunk before any cap can be checked, and ``Content-Encoding: gzip, gzip`` turned
980 bytes on the wire into 512 MiB. ``timeout`` bounds the whole fetch, redirects and body
included, not each read: a robots.txt trickled one byte a second is an unreachable one
(RFC 9309 §2.3.1.4), not a crawl held for as long as the site likes.
"""

from __future__ import annotations

import importlib
import time
import zlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from moisson.optout._deadline import DeadlineTransport, fetch_deadline
from moisson.optout._urls import idna_host

__all__ = ("MAX_REDIRECTS", "FetchResult", "HttpxFetcher", "SiteFileFetcher")

MAX_REDIRECTS = 5
_MAX_BODY = 2 * 1024 * 1024

# The content codings inflated: those httpx itself decodes here (RFC 9110 §8.4.1; br and zstd
# when their modules are installed, as httpx requires). Others are kept as sent, as httpx does.
_ZLIB_CODINGS = {"gzip": zlib.MAX_WBITS | 16, "deflate": zlib.MAX_WBITS}
_PIECE = 64 * 1024  # most bytes one inflate step may produce


def _optional(name: str, needs: str) -> Any:
    try:
        module = importlib.import_module(name)
    except ImportError:
        return None
    return module if hasattr(module, needs) else None


# brotli >= 1.2: ``process(..., output_buffer_limit=)``, without which output is unbounded.
_brotli: Any = _optional("brotli", "Decompressor")
if _brotli is not None and not hasattr(_brotli.Decompressor(), "can_accept_more_data"):
    _brotli = None
_zstd: Any = _optional("zstandard", "ZstdDecompressor")

_CODINGS = (
    *_ZLIB_CODINGS,
    *(("br",) if _brotli is not None else ()),
    *(("zstd",) if _zstd is not None else ()),
)
_ACCEPT_ENCODING = ", ".join(_CODINGS)
_DECODE_ERRORS: tuple[type[Exception], ...] = (
    zlib.error,
    *((_brotli.error,) if _brotli is not None else ()),
    *((_zstd.ZstdError,) if _zstd is not None else ()),
)


class _Timeout(Exception):
    """The whole fetch ran past its deadline."""


def _unzlib(stream: Iterable[bytes], coding: str) -> Iterator[bytes]:
    wbits = _ZLIB_CODINGS[coding]
    inflater = zlib.decompressobj(wbits)
    first = True
    for chunk in stream:
        data = chunk
        while True:
            try:
                out = inflater.decompress(data, _PIECE)
            except zlib.error:
                if not (first and wbits == zlib.MAX_WBITS):
                    raise
                # "deflate" sent without its zlib wrapper, as httpx accepts it too.
                inflater = zlib.decompressobj(-zlib.MAX_WBITS)
                first = False
                continue
            first = False
            if out:
                yield out
            data = inflater.unconsumed_tail
            if not data and len(out) < _PIECE:
                break


def _unbrotli(stream: Iterable[bytes]) -> Iterator[bytes]:
    inflater = _brotli.Decompressor()
    for chunk in stream:
        out = inflater.process(chunk, output_buffer_limit=_PIECE)
        while out:  # output held back by the limit comes out with empty input
            yield out
            out = inflater.process(b"", output_buffer_limit=_PIECE)


class _Source:
    """File-like view of an iterator of chunks, for zstandard's bounded ``stream_reader``."""

    def __init__(self, stream: Iterable[bytes]) -> None:
        self.chunks = iter(stream)
        self.rest = b""

    def read(self, size: int = -1) -> bytes:
        if not self.rest:
            self.rest = next(self.chunks, b"")
        size = len(self.rest) if size < 0 else size
        out, self.rest = self.rest[:size], self.rest[size:]
        return out


def _unzstd(stream: Iterable[bytes]) -> Iterator[bytes]:
    # libzstd's default window limit (128 MiB), as httpx: RFC 9659 §3 would allow refusing
    # windows over 8 MB, but a large robots.txt compressed in one frame has such a window.
    inflater = _zstd.ZstdDecompressor()
    reader = inflater.stream_reader(_Source(stream), read_across_frames=True)
    while out := reader.read(_PIECE):
        yield out


def _decode(stream: Iterable[bytes], coding: str) -> Iterator[bytes]:
    if coding == "br":
        return _unbrotli(stream)
    if coding == "zstd":
        return _unzstd(stream)
    return _unzlib(stream, coding)


def _codings(response: httpx.Response) -> list[str]:
    """The content codings to undo, in the order they were applied."""
    values = response.headers.get_list("content-encoding", split_commas=True)
    return [c for c in (v.strip().lower() for v in values) if c in _CODINGS]


@dataclass(slots=True)
class FetchResult:
    """One fetch after redirects: final status, headers, body, and the hops taken.

    ``status`` is None when no response came back (``error`` says why: timeout, reset, DNS,
    too many redirects). ``hops`` lists ``(url, status, headers)`` of each redirect response.
    """

    url: str
    status: int | None
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    final_url: str | None = None
    hops: list[tuple[str, int, list[tuple[str, str]]]] = field(default_factory=list)
    error: str | None = None
    truncated: bool = False  # the body went on past the fetcher's size cap and was cut there


@runtime_checkable
class SiteFileFetcher(Protocol):
    """Anything that can GET a URL and say what came back (a mock, httpx, Scrapy...)."""

    def fetch(self, url: str) -> FetchResult: ...


class HttpxFetcher:
    """Synchronous httpx fetcher with manual redirects, a size cap and host resolution."""

    def __init__(
        self,
        *,
        timeout: float = 15.0,
        user_agent: str = "moisson-bot/1.0",
        resolve: Mapping[str, str] | None = None,
        max_redirects: int = MAX_REDIRECTS,
        max_bytes: int = _MAX_BODY,
    ) -> None:
        self.timeout = timeout
        self.user_agent = user_agent
        self.resolve = {idna_host(k): v for k, v in (resolve or {}).items()}
        self.max_redirects = max_redirects
        self.max_bytes = max_bytes
        self._client: httpx.Client | None = None

    def _http(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(
                timeout=self.timeout,
                follow_redirects=False,
                trust_env=False,
                transport=DeadlineTransport(),
            )
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def _target(self, url: str) -> tuple[str, dict[str, str], dict[str, str]]:
        parts = urlsplit(url)
        host = idna_host(parts.hostname or "")
        headers = {"User-Agent": self.user_agent}
        extensions: dict[str, str] = {}
        if host in self.resolve:
            ip = self.resolve[host]
            netloc = f"{ip}:{parts.port}" if parts.port else ip
            headers["Host"] = f"{host}:{parts.port}" if parts.port else host
            if parts.scheme == "https":
                extensions["sni_hostname"] = host
            url = urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))
        return url, headers, extensions

    def fetch(self, url: str) -> FetchResult:
        """GET with manual redirects."""
        return self._request("GET", url)

    def head(self, url: str) -> FetchResult:
        """HEAD with manual redirects: a cheap pre-flight for header signals (T-17)."""
        return self._request("HEAD", url)

    def _read_body(self, response: httpx.Response, deadline: float) -> tuple[bytes, bool]:
        """At most ``max_bytes`` of the decoded body, read before ``deadline``; cut or not."""
        codings = _codings(response)
        if len(codings) > len(_CODINGS):
            msg = f"{len(codings)} stacked content codings ({', '.join(codings)})"
            raise httpx.DecodingError(msg)

        def raw() -> Iterator[bytes]:
            for chunk in response.iter_raw():
                if time.monotonic() > deadline:
                    raise _Timeout
                yield chunk

        stream: Iterable[bytes] = raw()
        for coding in reversed(codings):  # the last coding applied is undone first
            stream = _decode(stream, coding)
        body = bytearray()
        try:
            for piece in stream:
                body.extend(piece)
                if len(body) > self.max_bytes:
                    break
        except _DECODE_ERRORS as exc:
            msg = f"{type(exc).__name__}: {exc}"
            raise httpx.DecodingError(msg) from exc
        return bytes(body[: self.max_bytes]), len(body) > self.max_bytes

    def _request(self, method: str, url: str) -> FetchResult:
        hops: list[tuple[str, int, list[tuple[str, str]]]] = []
        current = url
        seen: set[str] = set()
        deadline = time.monotonic() + self.timeout
        for _ in range(self.max_redirects + 1):
            target, headers, extensions = self._target(current)
            headers["Accept-Encoding"] = _ACCEPT_ENCODING
            try:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise _Timeout
                with (
                    fetch_deadline(deadline),
                    self._http().stream(
                        method,
                        target,
                        headers=headers,
                        extensions=extensions,
                        timeout=httpx.Timeout(remaining),
                    ) as response,
                ):
                    body, truncated = self._read_body(response, deadline)
                    pairs = [(k, v) for k, v in response.headers.multi_items()]
                    status = response.status_code
            except (_Timeout, httpx.TimeoutException):
                # Every socket operation waits at most until the deadline: any timeout is it.
                error = f"timeout: no complete response within {self.timeout} s"
                return FetchResult(url, None, hops=hops, error=error)
            except (httpx.HTTPError, httpx.InvalidURL, ValueError) as exc:
                # A malformed URL or any transport failure is "no response", never a crash.
                return FetchResult(url, None, hops=hops, error=f"{type(exc).__name__}: {exc}")
            location = response.headers.get("location")
            if status in (301, 302, 303, 307, 308) and location:
                hops.append((current, status, pairs))
                seen.add(current)
                current = urljoin(current, location)
                if current in seen:
                    return FetchResult(url, None, hops=hops, error="redirect loop")
                continue
            return FetchResult(url, status, pairs, body, current, hops, truncated=truncated)
        return FetchResult(url, None, hops=hops, error=f"more than {self.max_redirects} redirects")
