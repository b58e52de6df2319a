"""Per-origin site files (robots.txt, tdmrep.json, ai.txt), fetched once and cached <= 24 h.

RFC 9309 §2.4: a cached robots.txt SHOULD NOT be used for more than 24 hours (R-30); TDMRep
requires the agent to check and cache tdmrep.json before scraping (§4.2). Every snapshot keeps
the SHA-256 of the bytes fetched and the time, so a decision can name the file version that
made it (SCR-05, C-11).
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from moisson.optout._fetch import FetchResult, SiteFileFetcher
from moisson.optout._robots import AgentMode, RobotsFile, parse_robots
from moisson.optout._tdmrep import TdmRules, parse_tdmrep_json
from moisson.optout._urls import Origin, origin_url

__all__ = ("SiteFile", "SiteFileCache", "SiteSnapshot", "fetch_snapshot")

# Blanks are spaces and tabs only (RFC 9309 §2.2): ``\s*`` would cross line ends, so a body of
# blank lines was re-read from every line start (64 KiB took 12 s).
_AGENT_LINE = re.compile(rb"(?im)^[ \t]*user-agent[ \t]*:")


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="seconds")


@dataclass(slots=True)
class SiteFile:
    """One fetched site file, its parse result and the evidence to cite."""

    url: str
    result: FetchResult
    fetched_at: float
    sha256: str | None
    parsed: Any = None
    parse_error: str | None = None
    fmt: str | None = None
    _evidence: dict[str, Any] | None = field(default=None, repr=False)

    @property
    def status(self) -> int | None:
        return self.result.status

    @property
    def unreachable(self) -> bool:
        """5xx, 429 or no response (RFC 9309 §2.3.1.4)."""
        status = self.result.status
        return status is None or status == 429 or status >= 500

    def evidence(self) -> dict[str, Any]:
        """A fresh copy of the evidence of this file (built once: re-checks call it a lot)."""
        if self._evidence is None:
            self._evidence = self._build_evidence()
        return dict(self._evidence)

    def _build_evidence(self) -> dict[str, Any]:
        ev: dict[str, Any] = {
            "url": self.url,
            "status": self.result.status,
            "fetched_at": _iso(self.fetched_at),
            "sha256": self.sha256,
        }
        if self.result.final_url and self.result.final_url != self.url:
            ev["final_url"] = self.result.final_url
        if self.result.hops:
            ev["hops"] = [[u, s] for u, s, _ in self.result.hops]
        if self.result.error:
            ev["error"] = self.result.error
        if self.parse_error:
            ev["parse_error"] = self.parse_error
        if self.fmt:
            ev["format"] = self.fmt
        return ev


@dataclass(slots=True)
class SiteSnapshot:
    """The three site files of one origin at one time."""

    origin: Origin
    robots: SiteFile
    tdmrep: SiteFile
    aitxt: SiteFile
    fetched_at: float
    # Site signals already built for a combination of matched rules (see OptoutEngine._site).
    memo: dict[Any, Any] = field(default_factory=dict, repr=False)


def _site_file(fetcher: SiteFileFetcher, url: str, now: float) -> SiteFile:
    result = fetcher.fetch(url)
    digest = hashlib.sha256(result.body).hexdigest() if result.status is not None else None
    return SiteFile(url=url, result=result, fetched_at=now, sha256=digest)


def fetch_snapshot(
    fetcher: SiteFileFetcher,
    origin: Origin,
    *,
    agent_mode: AgentMode = "google",
    now: float | None = None,
) -> SiteSnapshot:
    """Fetch and parse robots.txt, tdmrep.json and ai.txt (or /.well-known/ai.txt, I-03)."""
    now = time.time() if now is None else now
    base = origin_url(origin)
    robots = _site_file(fetcher, f"{base}/robots.txt", now)
    if robots.status is not None and 200 <= robots.status < 300:
        robots.parsed = parse_robots(
            robots.result.body, agent_mode=agent_mode, truncated=robots.result.truncated
        )
        ctype = next((v for k, v in robots.result.headers if k.lower() == "content-type"), "")
        if "html" in ctype.lower():
            robots.fmt = "html"  # parsed anyway, flagged for review
    tdm = _site_file(fetcher, f"{base}/.well-known/tdmrep.json", now)
    if tdm.status is not None and 200 <= tdm.status < 300:
        try:
            tdm.parsed = parse_tdmrep_json(tdm.result.body)
        except (ValueError, UnicodeDecodeError) as exc:
            tdm.parse_error = f"{type(exc).__name__}: {exc}"  # T-10: unset, logged
    aitxt = _site_file(fetcher, f"{base}/ai.txt", now)
    _parse_aitxt(aitxt, agent_mode)
    if aitxt.parsed is None:
        well_known = _site_file(fetcher, f"{base}/.well-known/ai.txt", now)
        _parse_aitxt(well_known, agent_mode)
        if well_known.parsed is not None or (well_known.status or 0) // 100 == 2:
            aitxt = well_known
    return SiteSnapshot(origin, robots, tdm, aitxt, now)


def _parse_aitxt(site_file: SiteFile, agent_mode: AgentMode) -> None:
    """Content sniffing (§6.2): robots-style lines are Spawning ai.txt; anything else is not."""
    if site_file.status is None or not 200 <= site_file.status < 300:
        return
    body = site_file.result.body.lstrip(b"\xef\xbb\xbf").lstrip()
    if _AGENT_LINE.search(body[:65536]):
        site_file.parsed = parse_robots(
            body, agent_mode=agent_mode, truncated=site_file.result.truncated
        )
        site_file.fmt = "spawning"
    elif body[:1] in (b"{", b"["):
        site_file.fmt = "json (draft-car-ai-txt, not evaluated)"
    else:
        site_file.fmt = "unknown (not robots.txt grammar)"


# Bound of the cache, in bytes of site files held (RFC 9309 §2.4 sets how long, not how many).
# The parsed rules of a robots.txt take up to ~20x its bytes (90,000 one-line rules: 1.9 MB
# of text, 36 MB parsed), so 32 MiB of files is at most ~700 MB; normal files (a few kB) leave
# room for thousands of origins. ``_ENTRY_OVERHEAD`` also bounds the number of entries.
_CACHE_MAX_BYTES = 32 * 1024 * 1024
_ENTRY_OVERHEAD = 1024


def _weight(snap: SiteSnapshot) -> int:
    files = (snap.robots, snap.tdmrep, snap.aitxt)
    return _ENTRY_OVERHEAD + sum(len(f.result.body) for f in files)


@dataclass
class SiteFileCache:
    """Snapshots per origin, each fetched once however many threads ask, expired after TTL.

    Least recently used snapshots are dropped once the files held pass ``max_bytes``: every
    origin is a new entry, and a hostile site has as many origins as it has subdomains (100
    origins of 1.9 MB robots.txt held 3.2 GB). A dropped origin is simply fetched again.
    """

    ttl_seconds: float = 86400.0
    error_ttl_seconds: float = 300.0
    max_bytes: int = _CACHE_MAX_BYTES
    _entries: OrderedDict[Origin, SiteSnapshot] = field(default_factory=OrderedDict)
    _weights: dict[Origin, int] = field(default_factory=dict)
    _locks: dict[Origin, threading.Lock] = field(default_factory=dict)
    _guard: threading.Lock = field(default_factory=threading.Lock)
    _held: int = 0
    fetches: int = 0

    def peek(self, origin: Origin, now: float | None = None) -> SiteSnapshot | None:
        snap = self._entries.get(origin)
        if snap is None:
            return None
        now = time.time() if now is None else now
        # an unreachable robots.txt disallows meanwhile, but is retried soon rather than
        # kept for the whole TTL.
        ttl = self.error_ttl_seconds if snap.robots.unreachable else self.ttl_seconds
        if now - snap.fetched_at > ttl:
            return None
        with self._guard:
            if self._entries.get(origin) is snap:
                self._entries.move_to_end(origin)  # recently used: evicted last
        return snap

    def put(self, snapshot: SiteSnapshot) -> None:
        with self._guard:
            self._store(snapshot)

    def _store(self, snapshot: SiteSnapshot) -> None:
        """Insert (or replace) and evict the least recently used; the caller holds _guard."""
        origin = snapshot.origin
        self._held -= self._weights.pop(origin, 0)
        self._entries[origin] = snapshot
        self._entries.move_to_end(origin)
        self._weights[origin] = weight = _weight(snapshot)
        self._held += weight
        while self._held > self.max_bytes and len(self._entries) > 1:
            old, _ = self._entries.popitem(last=False)
            self._held -= self._weights.pop(old)
            lock = self._locks.get(old)
            if lock is not None and not lock.locked():
                del self._locks[old]

    def get(
        self,
        origin: Origin,
        fetcher: SiteFileFetcher,
        *,
        agent_mode: AgentMode,
        now: float | None = None,
    ) -> SiteSnapshot:
        snap = self.peek(origin, now)
        if snap is not None:
            return snap
        with self._guard:
            lock = self._locks.setdefault(origin, threading.Lock())
        with lock:
            snap = self.peek(origin, now)
            if snap is None:
                snap = fetch_snapshot(fetcher, origin, agent_mode=agent_mode, now=now)
                with self._guard:
                    self.fetches += 1
                    self._store(snap)
            return snap

    def __len__(self) -> int:
        return len(self._entries)

    def robots_of(self, origin: Origin) -> RobotsFile | None:
        snap = self._entries.get(origin)
        return snap.robots.parsed if snap else None

    def tdm_rules_of(self, origin: Origin) -> TdmRules | None:
        snap = self._entries.get(origin)
        return snap.tdmrep.parsed if snap else None
