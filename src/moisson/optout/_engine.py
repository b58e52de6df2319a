"""The opt-out engine: every family evaluated by its own rules, then combined (SCR-05/06/13).

Site files (robots.txt, tdmrep.json, ai.txt) come from a per-origin cache; headers and meta
come from the response and the page. Errors fail closed for training: a 5xx, 429, timeout or
redirect loop on robots.txt disallows (RFC 9309 §2.3.1.4, R-02, R-05, R-07) unless
``fail_closed`` is off, in which case they are recorded as ``error``. Purposes stay separate
(§11.5): each family says which purposes its directives speak for.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from moisson.errors import OptoutError
from moisson.optout._aipref import (
    LEGACY_LABELS,
    SfParseError,
    decision_for_purpose,
    parse_usage_dictionary,
)
from moisson.optout._fetch import SiteFileFetcher
from moisson.optout._headers import HeaderInput, normalise_headers
from moisson.optout._html import extract_meta
from moisson.optout._local import LocalOptoutList
from moisson.optout._media import c2pa_signal, iptc_signal
from moisson.optout._robots import AgentMode
from moisson.optout._sitefiles import SiteFileCache, SiteSnapshot
from moisson.optout._sitesignals import SiteSignals
from moisson.optout._tdmrep import (
    TdmLayer,
    resolve_chain,
    tdm_from_epub,
    tdm_from_headers,
    tdm_from_meta,
    tdm_from_pdf,
)
from moisson.optout._tokens import DEFAULT_AI_TOKENS, tokens_for_purpose
from moisson.optout._urls import origin_of, path_of, registrable_host
from moisson.optout._verdict import PURPOSES, Signal, SignalDecision, Verdict, stronger
from moisson.optout._xrobots import parse_robots_directives, robots_directive_signal

__all__ = ("OptoutEngine",)

_IMAGE_EXT = (
    ".jpg",
    ".jpeg",
    ".png",
    ".gif",
    ".webp",
    ".avif",
    ".bmp",
    ".tif",
    ".tiff",
    ".svg",
    ".heic",
)
_TDM_PURPOSES = ("train-ai", "ai-input", "tdm-research")
_SCOPE_NAMES = frozenset({"robots"})


_clock: list[Any] = [0, ""]


def _now_iso() -> str:
    """ISO time of evaluation, formatted once per second (re-checks evaluate many per second)."""
    now = int(time.time())
    if _clock[0] != now:
        _clock[0] = now
        _clock[1] = datetime.fromtimestamp(now, UTC).isoformat()
    return str(_clock[1])


class OptoutEngine:
    """Evaluate every machine-readable opt-out for a URL and a purpose.

    Args:
        agent_tokens: the collector's own token plus the AI training tokens it honours; a URL
            is reserved for training when any of them is refused (optout-signals.md §2.6, R-29).
        fetcher: fetches site files; None means cached snapshots only (re-checks, tests).
        local_list: the controller's opt-out list (SCR-08).
        cache_ttl_seconds: site-file cache lifetime, at most 24 h (RFC 9309 §2.4).
        fail_closed: a 5xx, 429, timeout or redirect loop on robots.txt disallows; when off
            it is recorded as ``error`` (never as allow).
        conservative: Bing ``noarchive``/``nocache`` and ``noindex`` also refuse training (X-14).
        agent_mode: ``"google"`` truncates invalid user-agent values (``CCBot/2.0`` ->
            ``CCBot``), ``"strict"`` discards them (R-17).
        auth_errors_disallow: a 401/403 robots.txt disallows (policy choice, R-04) instead of
            RFC 9309's "unavailable, allow".
    """

    def __init__(
        self,
        agent_tokens: Iterable[str] | None = None,
        fetcher: SiteFileFetcher | None = None,
        local_list: LocalOptoutList | None = None,
        cache_ttl_seconds: float = 86400.0,
        fail_closed: bool = True,
        *,
        conservative: bool = False,
        agent_mode: AgentMode = "google",
        auth_errors_disallow: bool = False,
    ) -> None:
        tokens = tuple(
            dict.fromkeys(t.strip() for t in (agent_tokens or DEFAULT_AI_TOKENS) if t.strip())
        )
        if not tokens:
            msg = "the opt-out engine needs at least one agent token"
            raise OptoutError(msg)
        if cache_ttl_seconds > 86400:
            msg = f"cache_ttl_seconds={cache_ttl_seconds}: RFC 9309 §2.4 allows at most 24 h"
            raise OptoutError(msg)
        self.agent_tokens = tokens
        self.fetcher = fetcher
        self.local_list = local_list
        self.fail_closed = fail_closed
        self.conservative = conservative
        self.agent_mode: AgentMode = agent_mode
        self.auth_errors_disallow = auth_errors_disallow
        self.cache = SiteFileCache(ttl_seconds=cache_ttl_seconds)
        self.policy_info: dict[str, dict[str, Any]] = {}  # TDM policy URL -> what it serves
        self._scopes = frozenset(t.lower() for t in tokens)
        self._purpose_tokens: dict[str, tuple[str, ...]] = {
            p: tokens_for_purpose(tokens, p) for p in PURPOSES
        }
        self._site_signals = SiteSignals(
            self._purpose_tokens, fail_closed=fail_closed, auth_errors_disallow=auth_errors_disallow
        )

    # ------------------------------------------------------------------ public API
    def evaluate_site(self, url: str, purpose: str = "train-ai") -> Verdict:
        """Site files only: robots.txt (+ Content-Usage, Content-Signal), tdmrep.json, ai.txt."""
        self._check_purpose(purpose)
        invalid = self._invalid_url(url, purpose, local=False)
        if invalid is not None:
            return invalid
        signals, layers = self._site(url, purpose)
        signals.extend(self._tdm_signal(url, layers, purpose))
        return Verdict.of(url, signals, purpose)

    def evaluate_response(
        self,
        url: str,
        headers: HeaderInput,
        purpose: str = "train-ai",
        *,
        redirect_headers: Sequence[HeaderInput] = (),
        is_image: bool | None = None,
    ) -> Verdict:
        """Header families: X-Robots-Tag, tdm-reservation/tdm-policy, Content-Usage."""
        self._check_purpose(purpose)
        pairs = normalise_headers(headers)
        image = self._is_image(url, pairs, is_image)
        signals, layer = self._headers(url, pairs, purpose, image, redirect_headers)
        signals.extend(self._tdm_signal(url, [layer] if layer else [], purpose))
        return Verdict.of(url, signals, purpose)

    def evaluate_page(
        self,
        url: str,
        html_meta: list[tuple[str, str]] | None = None,
        html: str | bytes | None = None,
        purpose: str = "train-ai",
        *,
        embedding_page_meta: list[tuple[str, str]] | None = None,
        is_image: bool | None = None,
    ) -> Verdict:
        """Meta robots and TDMRep meta of a page (from stored pairs or raw HTML)."""
        self._check_purpose(purpose)
        image = self._is_image(url, [], is_image)
        signals, layer = self._page(url, html_meta, html, purpose, image, embedding_page_meta)
        signals.extend(self._tdm_signal(url, [layer] if layer else [], purpose))
        return Verdict.of(url, signals, purpose)

    def evaluate_content(
        self, url: str, body: bytes, content_type: str | None = None, purpose: str = "train-ai"
    ) -> Verdict:
        """Metadata inside the file: TDMRep in EPUB/PDF, IPTC and C2PA in images."""
        self._check_purpose(purpose)
        signals, layer = self._content(url, body, content_type, purpose)
        signals.extend(self._tdm_signal(url, [layer] if layer else [], purpose))
        return Verdict.of(url, signals, purpose)

    def evaluate(
        self,
        url: str,
        headers: HeaderInput = None,
        html_meta: list[tuple[str, str]] | None = None,
        html: str | bytes | None = None,
        purpose: str = "train-ai",
        site_files: bool = True,
        *,
        body: bytes | None = None,
        content_type: str | None = None,
        redirect_headers: Sequence[HeaderInput] = (),
        embedding_page_meta: list[tuple[str, str]] | None = None,
        identifier_hashes: Iterable[str] = (),
        is_image: bool | None = None,
    ) -> Verdict:
        """Every family together; TDMRep layers chain file < header < HTML < EPUB/PDF."""
        self._check_purpose(purpose)
        invalid = self._invalid_url(url, purpose, local=True, site=site_files)
        if invalid is not None:
            return invalid
        pairs = normalise_headers(headers)
        if content_type is None:
            content_type = next((v for k, v in pairs if k == "content-type"), None)
        if is_image is None and content_type is not None:
            is_image = content_type.lower().startswith("image/")
        image = self._is_image(url, pairs, is_image)
        signals: list[Signal] = self._local(url, identifier_hashes)
        layers: list[TdmLayer] = []
        if site_files:
            site_signals, site_layers = self._site(url, purpose)
            signals.extend(site_signals)
            layers.extend(site_layers)
        if pairs or redirect_headers:
            header_signals, layer = self._headers(url, pairs, purpose, image, redirect_headers)
            signals.extend(header_signals)
            if layer:
                layers.append(layer)
        if html_meta or html or embedding_page_meta:
            page_signals, layer = self._page(
                url, html_meta, html, purpose, image, embedding_page_meta
            )
            signals.extend(page_signals)
            if layer:
                layers.append(layer)
        if body is not None:
            content_signals, layer = self._content(url, body, content_type, purpose)
            signals.extend(content_signals)
            if layer:
                layers.append(layer)
        signals.extend(self._tdm_signal(url, layers, purpose))
        return Verdict.of(url, signals, purpose)

    def snapshot(self, url: str) -> SiteSnapshot | None:
        """The cached (or freshly fetched) site files of the URL's origin."""
        origin = origin_of(url)
        if self.fetcher is None:
            return self.cache.peek(origin)
        return self.cache.get(origin, self.fetcher, agent_mode=self.agent_mode)

    def _invalid_url(
        self, url: str, purpose: str, *, local: bool, site: bool = True
    ) -> Verdict | None:
        """An error verdict for a URL whose origin or host cannot be read, else None.

        A port out of range, a non-numeric port or a broken IPv6 literal make the URL parser
        raise. The URL came from a page or a stored corpus, so it is hostile input: the run
        must go on, and the document must not pass as allowed (fails closed like an
        unreachable robots.txt, RFC 9309 §2.3.1.4; optout-signals.md §11.3).
        """
        try:
            if site:
                origin_of(url)  # cached per origin: cheap on re-checks
            if local and self.local_list is not None and len(self.local_list):
                registrable_host(url)
        except ValueError as exc:
            ev = {"url": url, "error": f"invalid URL: {exc}", "time": _now_iso()}
            decision: SignalDecision = "disallow" if self.fail_closed else "error"
            return Verdict.of(url, [Signal("url", decision, ev)], purpose)
        return None

    # ------------------------------------------------------------------ families
    def _check_purpose(self, purpose: str) -> None:
        if purpose not in PURPOSES:
            msg = f"unknown purpose {purpose!r}: expected one of {', '.join(PURPOSES)}"
            raise OptoutError(msg)

    @staticmethod
    def _is_image(url: str, pairs: list[tuple[str, str]], is_image: bool | None) -> bool:
        if is_image is not None:
            return is_image
        ctype = next((v for k, v in pairs if k == "content-type"), "")
        if ctype:
            return ctype.lower().startswith("image/")
        path = url.split("?", 1)[0].split("#", 1)[0].lower()
        return path.endswith(_IMAGE_EXT)

    def _local(self, url: str, identifier_hashes: Iterable[str]) -> list[Signal]:
        if self.local_list is None or not len(self.local_list):
            return []
        domain = self.local_list.match_url(url)
        if domain is not None:
            return [
                Signal("local-list", "disallow", {"url": url, "domain": domain, "time": _now_iso()})
            ]
        hit = self.local_list.match_identifiers(identifier_hashes)
        if hit is not None:
            return [
                Signal(
                    "local-list",
                    "disallow",
                    {"url": url, "identifier_hash": hit, "time": _now_iso()},
                )
            ]
        return []

    def _site(self, url: str, purpose: str) -> tuple[list[Signal], list[TdmLayer]]:
        snap = self.snapshot(url)
        if snap is None:
            reason = "no fetcher and no cached site files for this origin"
            return [Signal("site-files", "unknown", {"url": url, "reason": reason})], []
        return self._site_signals.evaluate(snap, path_of(url), purpose)

    def _headers(
        self,
        url: str,
        pairs: list[tuple[str, str]],
        purpose: str,
        image: bool,
        redirect_headers: Sequence[HeaderInput],
    ) -> tuple[list[Signal], TdmLayer | None]:
        signals: list[Signal] = []
        hits = []
        raw: list[str] = []
        usage_lines: list[str] = []
        has_tdm = False
        for k, v in pairs:  # one pass over the headers
            if k == "x-robots-tag":
                raw.append(v)
                hits.extend(parse_robots_directives(v))
            elif k == "content-usage":
                usage_lines.append(v)
            elif k == "tdm-reservation" or k == "tdm-policy":
                has_tdm = True
        hop_raw: list[str] = []
        for hop in redirect_headers:  # a refusal on a redirect hop counts (logged)
            for value in (v for k, v in normalise_headers(hop) if k == "x-robots-tag"):
                hop_raw.append(value)
                hits.extend(parse_robots_directives(value))
        if hits:
            ev: dict[str, Any] = {"url": url, "values": raw, "time": _now_iso()}
            if hop_raw:
                ev["redirect_values"] = hop_raw
            signals.append(
                robots_directive_signal(
                    "x-robots-tag",
                    hits,
                    tokens=self._scopes,
                    purpose=purpose,
                    image=image,
                    conservative=self.conservative,
                    evidence=ev,
                )
            )
        if usage_lines:
            signals.append(self._content_usage(url, usage_lines, purpose))
        return signals, tdm_from_headers(pairs) if has_tdm else None

    def _content_usage(self, url: str, lines: list[str], purpose: str) -> Signal:
        """A-02: each header line is its own statement, combined most restrictively."""
        ev: dict[str, Any] = {"url": url, "values": lines, "time": _now_iso()}
        result: SignalDecision = "unknown"
        for line in lines:
            try:
                prefs = parse_usage_dictionary(line)
            except SfParseError as exc:
                ev.setdefault("parse_errors", []).append(str(exc))
                continue
            decision, labels = decision_for_purpose(prefs, purpose)
            legacy = [label for label in labels if label in LEGACY_LABELS]
            if legacy:
                ev["legacy_labels"] = legacy
            if stronger(decision, result):
                result = decision
                ev["labels"] = labels
                ev["decided_by"] = line
        return Signal("content-usage", result, ev)

    def _page(
        self,
        url: str,
        html_meta: list[tuple[str, str]] | None,
        html: str | bytes | None,
        purpose: str,
        image: bool,
        embedding_page_meta: list[tuple[str, str]] | None,
    ) -> tuple[list[Signal], TdmLayer | None]:
        meta = list(html_meta or [])
        if html is not None and not meta:
            meta = extract_meta(html)
        signals: list[Signal] = []
        own = self._meta_robots(url, meta, purpose, image, "page")
        if own is not None:
            signals.append(own)
        if embedding_page_meta:  # X-11/C-07: the page's noimageai covers its images
            from_page = self._meta_robots(url, embedding_page_meta, purpose, True, "embedding page")
            if from_page is not None:
                signals.append(from_page)
        # T-15: the page's TDMRep meta does not cover embedded media.
        return signals, tdm_from_meta(meta)

    def _meta_robots(
        self, url: str, meta: list[tuple[str, str]], purpose: str, image: bool, where: str
    ) -> Signal | None:
        hits = []
        raw: list[list[str]] = []
        for name, content in meta:
            lname = name.strip().lower()
            if lname in _SCOPE_NAMES:
                hits.extend(parse_robots_directives(content, scope=None))
            elif lname in self._scopes:
                hits.extend(parse_robots_directives(content, scope=lname))
            else:
                continue
            raw.append([name, content])
        if not raw:
            return None
        # A robots-meta "scope" is never a bot prefix inside content: names carry the scope.
        hits = [h for h in hits if h.scope is None or h.scope in self._scopes]
        ev: dict[str, Any] = {"url": url, "meta": raw, "where": where, "time": _now_iso()}
        return robots_directive_signal(
            "meta-robots",
            hits,
            tokens=self._scopes,
            purpose=purpose,
            image=image,
            conservative=self.conservative,
            evidence=ev,
        )

    def _content(
        self, url: str, body: bytes, content_type: str | None, purpose: str
    ) -> tuple[list[Signal], TdmLayer | None]:
        ctype = (content_type or "").lower()
        signals: list[Signal] = []
        layer: TdmLayer | None = None
        if body.startswith(b"%PDF") or "pdf" in ctype:
            layer = tdm_from_pdf(body)
        elif body.startswith(b"PK") or "epub" in ctype:
            layer = tdm_from_epub(body)
        else:
            for found in (
                iptc_signal(body, purpose, {"url": url, "time": _now_iso()}),
                c2pa_signal(body, purpose, {"url": url, "time": _now_iso()}),
            ):
                if found is not None:
                    signals.append(found)
        return signals, layer

    def _tdm_signal(self, url: str, layers: list[TdmLayer], purpose: str) -> list[Signal]:
        if not layers:
            return []
        if len(layers) == 1 and layers[0].source == "file":
            # Only the site file speaks: the signal is the same for every page it matches.
            cached = layers[0].signals.get(purpose)
            if cached is None:
                cached = layers[0].signals[purpose] = self._tdm_build(url, layers, purpose)
            return [cached]
        return [self._tdm_build(url, layers, purpose)]

    def _tdm_build(self, url: str, layers: list[TdmLayer], purpose: str) -> Signal:
        reservation, policy, decided = resolve_chain(layers)
        ev: dict[str, Any] = {
            "layers": [layer.to_json() for layer in layers],
            "time": _now_iso(),
        }
        if not (len(layers) == 1 and layers[0].source == "file"):
            ev["url"] = url
        if decided is not None:
            ev["decided_by"] = decided.source
        if policy and reservation == 1:
            ev["tdm_policy"] = policy  # T-12: a policy is never a grant by itself
        else:
            ev["url"] = layers[0].extra.get("url")
        if purpose not in _TDM_PURPOSES:
            return Signal("tdmrep", "unknown", ev)
        if reservation == 1:
            return Signal("tdmrep", "disallow", ev)
        if reservation == 0:
            return Signal("tdmrep", "allow", ev)
        return Signal("tdmrep", "unknown", ev)
