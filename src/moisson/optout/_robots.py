"""robots.txt per RFC 9309, with the aipref ``Content-Usage`` rule and ``Content-Signal`` lines.

Own parser, because Protego 0.7.0 was measured wrong on what decides AI opt-outs
(bench/optout_conformance.py, docs/optout-conformance.md; optout-signals.md §2.7-2.8):

* group selection: Protego matches ``User-agent: Google`` for the token ``Google-Extended``
  (token-boundary prefix); RFC 9309 §2.2.1 wants an exact, case-insensitive match (R-12);
* any non-user-agent line (``Sitemap``, ``Content-Signal``) ends a group in Protego, against
  §2.2.4 (R-15);
* ``Content-Usage`` and ``Content-Signal`` are dropped as invalid directives (A-07..A-14);
* a UTF-8 BOM silently loses the first group (R-10);
* one token per call, while training collection must test a list of tokens (R-29).

Protego's *path matching* agrees with the RFC on every matching fixture (R-18..R-24, R-31,
R-32); it is reimplemented here only because Protego exposes it solely behind its own group
parser and single-token ``can_fetch``. Matching (§2.2.2) is a prefix match with ``*`` and a
trailing ``$`` over the percent-normalised path, done by greedy segment search: O(n·m), never
exponential (R-31). The longest pattern wins, ties go to Allow (R-18, R-19).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from moisson.optout._aipref import ContentSignalValue, SfParseError, parse_content_signal
from moisson.optout._aipref import parse_usage_dictionary as _parse_usage
from moisson.optout._urls import encode_path

__all__ = (
    "PARSE_LIMIT_BYTES",
    "ContentSignalLine",
    "Group",
    "RobotsFile",
    "Rule",
    "UsageRule",
    "compile_pattern",
    "merge_groups",
    "parse_robots",
)

# RFC 9309 §2.5: parse at least 500 KiB (Google stops there). We parse up to the 2 MiB fetch cap:
# for training, a refusal written after 500 KiB is still a refusal (R-09, conservative).
PARSE_LIMIT_BYTES = 2 * 1024 * 1024

_IDENTIFIER = re.compile(r"[A-Za-z_-]+")
_LINE_SPLIT = re.compile(r"\r\n|\r|\n")


def compile_pattern(pattern: str) -> tuple[str, bool, tuple[str, ...]]:
    """(prefix-or-exact, end-anchored, segments split on ``*``) of an encoded pattern."""
    anchored = pattern.endswith("$")
    core = pattern[:-1] if anchored else pattern
    return core, anchored, tuple(core.split("*"))


def pattern_matches(compiled: tuple[str, bool, tuple[str, ...]], path: str) -> bool:
    """RFC 9309 §2.2.3 match; greedy leftmost segment search is exact for ``*`` globs."""
    core, anchored, segments = compiled
    if len(segments) == 1:
        return path == core if anchored else path.startswith(core)
    first = segments[0]
    if not path.startswith(first):
        return False
    pos = len(first)
    for seg in segments[1:-1]:
        if not seg:
            continue
        found = path.find(seg, pos)
        if found < 0:
            return False
        pos = found + len(seg)
    last = segments[-1]
    if anchored:
        return path.endswith(last) and len(path) - len(last) >= pos
    return not last or path.find(last, pos) >= 0


@dataclass(slots=True)
class Rule:
    """One Allow/Disallow line, its encoded pattern and its line number (evidence)."""

    allow: bool
    pattern: str
    line: int
    raw: str
    compiled: tuple[str, bool, tuple[str, ...]] = field(repr=False)

    def matches(self, path: str) -> bool:
        return bool(self.pattern) and pattern_matches(self.compiled, path)


@dataclass(slots=True)
class UsageRule:
    """One ``Content-Usage`` rule (aipref-attach §5.2): optional path, SF preferences."""

    pattern: str
    line: int
    raw: str
    prefs: dict[str, str] | None  # None: malformed, every preference unknown
    compiled: tuple[str, bool, tuple[str, ...]] = field(repr=False)


@dataclass(slots=True)
class ContentSignalLine:
    """One ``Content-Signal`` line inside a group."""

    line: int
    raw: str
    value: ContentSignalValue


@dataclass(slots=True)
class Group:
    """A group of user-agent lines and the records that follow them."""

    tokens: list[str] = field(default_factory=list)
    agent_lines: list[int] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    usages: list[UsageRule] = field(default_factory=list)
    signals: list[ContentSignalLine] = field(default_factory=list)
    has_rules: bool = False

    def merged(self, other: Group) -> Group:
        return merge_groups((self, other))


def merge_groups(groups: Sequence[Group]) -> Group:
    """One group holding the records of ``groups`` in file order (RFC 9309 §2.2.1).

    Built in one pass: merging pairwise copies the lists once per group, quadratic in the
    number of groups (a 2 MiB robots.txt of ``User-agent: *`` groups took 24 s per token).
    """
    out = Group()
    for group in groups:
        out.tokens.extend(group.tokens)
        out.agent_lines.extend(group.agent_lines)
        out.rules.extend(group.rules)
        out.usages.extend(group.usages)
        out.signals.extend(group.signals)
        out.has_rules = out.has_rules or group.has_rules
    return out


Decision = tuple[bool, Rule | None]


@dataclass
class RobotsFile:
    """A parsed robots.txt (or ai.txt, which uses the same grammar)."""

    groups: list[Group]
    truncated: bool = False
    invalid_agents: list[tuple[int, str]] = field(default_factory=list)
    _by_token: dict[str, list[Group]] = field(default_factory=dict, repr=False)
    _cache: dict[str, Group | None] = field(default_factory=dict, repr=False)
    _plans: dict[tuple[str, ...], list[tuple[str, Group]]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for group in self.groups:
            for token in group.tokens:
                self._by_token.setdefault(token.lower(), []).append(group)

    def group_for(self, token: str) -> Group | None:
        """Merged groups whose user-agent equals ``token`` exactly, else ``*``, else None."""
        key = token.lower()
        if key in self._cache:
            return self._cache[key]
        if key in self._by_token or key == "*":
            merged = self._merge(key)
        else:
            # Every token without a group of its own falls back to the same ``*`` group
            # (RFC 9309 §2.2.1): merge it once, not once per token.
            merged = self.group_for("*")
        self._cache[key] = merged
        return merged

    def _merge(self, key: str) -> Group | None:
        groups = self._by_token.get(key)
        if not groups:
            return None
        return groups[0] if len(groups) == 1 else merge_groups(groups)

    def plan(self, tokens: tuple[str, ...]) -> list[tuple[str, Group]]:
        """(first token, group) for each distinct group the tokens select, in token order."""
        plan = self._plans.get(tokens)
        if plan is None:
            plan = []
            seen: set[int] = set()
            for token in tokens:
                group = self.group_for(token)
                if group is not None and id(group) not in seen:
                    seen.add(id(group))
                    plan.append((token, group))
            self._plans[tokens] = plan
        return plan

    def check(self, token: str, path: str) -> Decision:
        """(allowed, deciding rule) for an encoded path; ``/robots.txt`` is always allowed."""
        if path == "/robots.txt":
            return True, None
        group = self.group_for(token)
        if group is None:
            return True, None
        return check_group(group, path)


def check_group(group: Group, path: str) -> Decision:
    """Longest match wins, equal lengths go to Allow (RFC 9309 §2.2.2)."""
    best: Rule | None = None
    for rule in group.rules:
        if not rule.pattern:
            continue
        if best is not None and len(rule.pattern) < len(best.pattern):
            continue
        if not pattern_matches(rule.compiled, path):
            continue
        if best is None or len(rule.pattern) > len(best.pattern) or rule.allow:
            best = rule
    if best is None:
        return True, None
    return best.allow, best


def usage_for(group: Group, path: str) -> tuple[list[UsageRule], int]:
    """Content-Usage rules of the longest matching path (identical paths are all returned)."""
    best_len = -1
    best: list[UsageRule] = []
    for rule in group.usages:
        if not pattern_matches(rule.compiled, path):
            continue
        length = len(rule.pattern)
        if length > best_len:
            best_len, best = length, [rule]
        elif length == best_len:
            best.append(rule)
    return best, best_len


AgentMode = Literal["google", "strict"]


def _agent_token(value: str, mode: AgentMode) -> str | None:
    """RFC identifier, or Google's truncation at the first char outside ``[A-Za-z_-]`` (R-17)."""
    if value == "*" or (value.startswith("*") and (len(value) == 1 or value[1] in " \t")):
        return "*"
    if mode == "strict":
        return value if _IDENTIFIER.fullmatch(value) else None
    m = _IDENTIFIER.match(value)
    return m.group(0) if m else None


def _usage_rule(value: str, line_no: int) -> UsageRule:
    raw = value
    if value.startswith("/"):
        parts = value.split(None, 1)
        path, pref = parts[0], (parts[1] if len(parts) > 1 else "")
    else:
        path, pref = "/", value
    try:
        prefs: dict[str, str] | None = _parse_usage(pref) if pref.strip() else None
    except SfParseError:
        prefs = None  # malformed, all preferences unknown
    pattern = encode_path(path, pattern=True)
    return UsageRule(pattern, line_no, raw, prefs, compile_pattern(pattern))


def parse_robots(
    body: bytes | str, *, agent_mode: AgentMode = "google", truncated: bool = False
) -> RobotsFile:
    """Parse every parseable line (RFC 9309 §2.3.1.5); unknown records never end a group.

    ``truncated``: the fetcher already cut the body at its size cap, so its last line may be
    partial and is dropped, as for a body over the parse limit.
    """
    if isinstance(body, bytes):
        if truncated or len(body) > PARSE_LIMIT_BYTES:
            limit = min(len(body), PARSE_LIMIT_BYTES)
            cut = body.rfind(b"\n", 0, limit)
            body = body[: cut if cut > 0 else limit]
            truncated = True
        # strip a UTF-8 BOM; R-11: keep raw non-UTF-8 octets (percent-encoded later).
        text = body.decode("utf-8", "surrogateescape")
    else:
        text = body
    text = text.removeprefix("\ufeff")
    groups: list[Group] = []
    invalid: list[tuple[int, str]] = []
    current: Group | None = None
    for line_no, line in enumerate(_LINE_SPLIT.split(text), start=1):
        hash_at = line.find("#")
        if hash_at >= 0:
            line = line[:hash_at]
        key, sep, value = line.partition(":")
        if not sep:
            continue
        key = key.strip().lower()
        value = value.strip()
        if key in ("user-agent", "useragent", "user agent"):
            if current is None or current.has_rules:
                current = Group()
                groups.append(current)
            token = _agent_token(value, agent_mode)
            current.agent_lines.append(line_no)
            if token is None:
                # Strict discard still starts the group: rules must not leak upwards.
                invalid.append((line_no, value))
            else:
                current.tokens.append(token)
        elif current is None:
            continue  # records before the first user-agent line are ignored
        elif key in ("allow", "disallow"):
            current.has_rules = True
            pattern = encode_path(value, pattern=True) if value else ""
            current.rules.append(
                Rule(key == "allow", pattern, line_no, line.strip(), compile_pattern(pattern))
            )
        elif key == "content-usage":
            current.has_rules = True  # aipref-attach §5.2: a rule, it ends the agent run
            current.usages.append(_usage_rule(value, line_no))
        elif key == "content-signal":
            # Not an RFC rule: an "other record" (§2.2.4) that must not end the group.
            current.signals.append(
                ContentSignalLine(line_no, line.strip(), parse_content_signal(value))
            )
    return RobotsFile(groups=groups, truncated=truncated, invalid_agents=invalid)
