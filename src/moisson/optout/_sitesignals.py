"""Signals of the site files: robots.txt (with Content-Usage and Content-Signal), ai.txt, tdmrep.json.

Errors fail closed for training: a 5xx, 429, timeout or redirect loop on robots.txt disallows
(RFC 9309 §2.3.1.4, R-02, R-05, R-07) unless ``fail_closed`` is off, in which case it is an
``error``; a 4xx is "unavailable", so no rules apply (§2.3.1.3), unless 401/403 are set to
disallow (R-04). Content-Usage rules apply only to crawlable paths (aipref-attach §5.2, A-12)
and groups never inherit from ``*`` (A-09).
"""

from __future__ import annotations

from typing import Any

from moisson.optout._aipref import content_signal_decision, decision_for_purpose
from moisson.optout._robots import (
    PARSE_LIMIT_BYTES,
    Group,
    RobotsFile,
    check_group,
    usage_for,
)
from moisson.optout._sitefiles import SiteFile, SiteSnapshot
from moisson.optout._tdmrep import TdmLayer
from moisson.optout._verdict import Signal, SignalDecision, stronger

__all__ = ("SiteSignals",)

_MEMO_LIMIT = 65536  # site-signal combinations kept per origin snapshot


class SiteSignals:
    """Evaluates the cached site files of one origin for a path and a purpose."""

    def __init__(
        self,
        purpose_tokens: dict[str, tuple[str, ...]],
        *,
        fail_closed: bool,
        auth_errors_disallow: bool,
    ) -> None:
        self._purpose_tokens = purpose_tokens
        self.fail_closed = fail_closed
        self.auth_errors_disallow = auth_errors_disallow

    def evaluate(
        self, snap: SiteSnapshot, path: str, purpose: str
    ) -> tuple[list[Signal], list[TdmLayer]]:
        """Signals of the site files for one encoded path, and the TDMRep file layer."""
        # Pages of one origin that hit the same rules share the same site signals: match the
        # path (cheap), then reuse the signals built for that combination of rules. This is
        # what makes re-checks of stored corpora fast (bench/optout_recheck.py).
        key = (
            purpose,
            self._robots_key(snap.robots, path, purpose),
            self._aitxt_key(snap.aitxt, path, purpose),
            snap.tdmrep.parsed.match_index(path) if snap.tdmrep.parsed is not None else None,
        )
        hit = snap.memo.get(key)
        if hit is None:
            signals = self._robots(snap.robots, path, purpose)
            signals.extend(self._aitxt(snap.aitxt, path, purpose))
            tdm = snap.tdmrep
            if tdm.parsed is not None:
                layer = tdm.parsed.layer_for(path)
            else:
                layer = TdmLayer("file", None, error=tdm.parse_error or tdm.result.error)
            layer.extra.update(tdm.evidence())
            hit = (tuple(signals), (layer,))
            if len(snap.memo) < _MEMO_LIMIT:
                snap.memo[key] = hit
        return list(hit[0]), list(hit[1])

    def _robots_key(self, robots: SiteFile, path: str, purpose: str) -> tuple[Any, ...]:
        parsed: RobotsFile | None = robots.parsed
        if parsed is None or path == "/robots.txt":
            return (robots.status, path == "/robots.txt")
        key: list[Any] = []
        for _token, group in parsed.plan(self._purpose_tokens[purpose]):
            allowed, rule = check_group(group, path)
            usages = (
                tuple(id(u) for u in usage_for(group, path)[0]) if allowed and group.usages else ()
            )
            key.append((id(rule) if rule is not None else None, allowed, usages))
        return tuple(key)

    def _aitxt_key(self, aitxt: SiteFile, path: str, purpose: str) -> int | None:
        parsed: RobotsFile | None = aitxt.parsed
        if parsed is None or purpose == "search":
            return None
        for _token, group in parsed.plan((*self._purpose_tokens[purpose], "*")):
            allowed, rule = check_group(group, path)
            if not allowed and rule is not None:
                return id(rule)
        return 0

    def _robots(self, robots: SiteFile, path: str, purpose: str) -> list[Signal]:
        ev = robots.evidence()
        status = robots.status
        if status is not None and 400 <= status < 500 and status != 429:
            if self.auth_errors_disallow and status in (401, 403):
                ev["reason"] = "401/403 treated as disallow (policy choice, R-04)"
                return [Signal("robots-txt", "disallow", ev)]
            ev["reason"] = "unavailable (4xx): no rules apply (RFC 9309 §2.3.1.3)"
            return [Signal("robots-txt", "allow", ev)]
        if status is None or not 200 <= status < 300:
            ev["reason"] = (
                "unreachable (5xx, 429, timeout or redirects): complete disallow (RFC 9309 §2.3.1.4)"
            )
            return [Signal("robots-txt", "disallow" if self.fail_closed else "error", ev)]
        parsed: RobotsFile = robots.parsed
        if path == "/robots.txt":
            ev["reason"] = "/robots.txt is implicitly allowed"
            return [Signal("robots-txt", "allow", ev)]
        tokens = self._purpose_tokens[purpose]
        crawlable: list[tuple[str, Group]] = []
        refusal: tuple[str, Any] | None = None
        for token, group in parsed.plan(tokens):  # one check per distinct group
            allowed, rule = check_group(group, path)
            if allowed:
                crawlable.append((token, group))
            elif refusal is None:
                refusal = (token, rule)
        ev["tokens"] = list(tokens)
        if parsed.truncated:
            ev["truncated_at_bytes"] = PARSE_LIMIT_BYTES
        signals: list[Signal] = []
        if refusal is not None:
            token, rule = refusal
            ev.update(token=token, rule=rule.raw, line=rule.line)
            signals.append(Signal("robots-txt", "disallow", ev))
        else:
            signals.append(Signal("robots-txt", "allow", ev))
        signals.extend(self._robots_prefs(robots, crawlable, path, purpose))
        return signals

    def _robots_prefs(
        self,
        robots: SiteFile,
        crawlable: list[tuple[str, Group]],
        path: str,
        purpose: str,
    ) -> list[Signal]:
        """Content-Usage rules and Content-Signal lines of the groups that decide for us."""
        usage: Signal | None = None
        signal: Signal | None = None
        seen: set[int] = set()
        for token, group in crawlable:
            if id(group) in seen:
                continue
            seen.add(id(group))
            if group.usages:
                rules, _ = usage_for(group, path)
                for rule in rules:
                    if rule.prefs is None:
                        decision: SignalDecision = "unknown"
                        labels: list[str] = []
                    else:
                        decision, labels = decision_for_purpose(rule.prefs, purpose)
                    if usage is None or stronger(decision, usage.decision):
                        ev = {
                            "url": robots.url,
                            "token": token,
                            "line": rule.line,
                            "raw": rule.raw,
                            "sha256": robots.sha256,
                            "labels": labels,
                        }
                        if rule.prefs is None:
                            ev["parse_error"] = "not a valid Structured Field dictionary"
                        usage = Signal("robots-content-usage", decision, ev)
            for line in group.signals:
                decision, keys = content_signal_decision(line.value, purpose)
                if signal is None or stronger(decision, signal.decision):
                    ev = {
                        "url": robots.url,
                        "token": token,
                        "line": line.line,
                        "raw": line.raw,
                        "sha256": robots.sha256,
                        "keys": keys,
                    }
                    if line.value.unknown_keys:
                        ev["unknown_keys"] = list(line.value.unknown_keys)
                    if line.value.use:
                        ev["use"] = line.value.use
                    signal = Signal("content-signal", decision, ev)
        return [s for s in (usage, signal) if s is not None]

    def _aitxt(self, aitxt: SiteFile, path: str, purpose: str) -> list[Signal]:
        ev = aitxt.evidence()
        if aitxt.parsed is None or purpose == "search":
            return [Signal("ai-txt", "unknown", ev)]
        parsed: RobotsFile = aitxt.parsed
        for token in (*self._purpose_tokens[purpose], "*"):
            allowed, rule = parsed.check(token, path)
            if not allowed and rule is not None:
                ev.update(token=token, rule=rule.raw, line=rule.line)
                return [Signal("ai-txt", "disallow", ev)]
        return [Signal("ai-txt", "allow", ev)]
