"""Fetching site files: the :class:`SiteFileFetcher` seam and its httpx implementation.

Redirects are followed by hand (at most 5 hops, RFC 9309 §2.3.1.2) so that every hop and its
headers are kept as evidence (R-06, R-07, X-07). ``resolve`` maps made-up host names to
loopback addresses for demo sites: the connection goes to the IP, the ``Host`` header keeps
the name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from moisson.optout._urls import idna_host

__all__ = ("MAX_REDIRECTS", "FetchResult", "HttpxFetcher", "SiteFileFetcher")

MAX_REDIRECTS = 5
_MAX_BODY = 2 * 1024 * 1024


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
                timeout=self.timeout, follow_redirects=False, trust_env=False
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

    def _request(self, method: str, url: str) -> FetchResult:
        hops: list[tuple[str, int, list[tuple[str, str]]]] = []
        current = url
        seen: set[str] = set()
        for _ in range(self.max_redirects + 1):
            target, headers, extensions = self._target(current)
            try:
                with self._http().stream(
                    method, target, headers=headers, extensions=extensions
                ) as response:
                    body = bytearray()
                    for chunk in response.iter_bytes():
                        body.extend(chunk)
                        if len(body) >= self.max_bytes:
                            break
                    pairs = [(k, v) for k, v in response.headers.multi_items()]
                    status = response.status_code
            except httpx.TimeoutException as exc:
                return FetchResult(url, None, hops=hops, error=f"timeout: {exc}")
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
            return FetchResult(url, status, pairs, bytes(body), current, hops)
        return FetchResult(url, None, hops=hops, error=f"more than {self.max_redirects} redirects")
