"""robots.txt matching and parsing properties (RFC 9309 §2.2; R-17, R-31)."""

from __future__ import annotations

import re
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from moisson.optout._robots import compile_pattern, parse_robots, pattern_matches


def _reference(pattern: str, path: str) -> bool:
    """Regex translation of RFC 9309 §2.2.3 used only as an oracle."""
    anchored = pattern.endswith("$")
    core = pattern[:-1] if anchored else pattern
    regex = ".*".join(re.escape(part) for part in core.split("*")) + ("$" if anchored else "")
    return re.match(regex, path, re.S) is not None


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="/ab*$", max_size=8), st.text(alphabet="/ab$", max_size=12))
def test_matcher_agrees_with_the_regex_oracle(pattern: str, path: str) -> None:
    if "$" in pattern[:-1]:
        pattern = pattern.replace("$", "")
    assert pattern_matches(compile_pattern(pattern), path) == _reference(pattern, path)


def test_pathological_pattern_is_fast() -> None:
    """R-31: `/*a*a*...*b` against a long path must not backtrack exponentially."""
    pattern = "/" + "*a" * 60 + "*b"
    path = "/" + "a" * 20000
    started = time.perf_counter()
    assert not pattern_matches(compile_pattern(pattern), path)
    assert time.perf_counter() - started < 0.5


def test_google_and_strict_agent_modes() -> None:
    body = b"User-agent: CCBot/2.0\nDisallow: /\n\nUser-agent: *\nAllow: /\n"
    assert parse_robots(body).check("CCBot", "/x")[0] is False
    strict = parse_robots(body, agent_mode="strict")
    assert strict.check("CCBot", "/x")[0] is True
    assert strict.invalid_agents == [(1, "CCBot/2.0")]


def test_groups_merge_and_rules_keep_line_numbers() -> None:
    robots = parse_robots("User-agent: a\nDisallow: /x\n\nUser-agent: A\nDisallow: /y\n")
    allowed, rule = robots.check("a", "/y/z")
    assert not allowed and rule is not None and rule.line == 5


def test_crlf_and_cr_line_endings() -> None:
    robots = parse_robots(b"User-agent: *\rDisallow: /a\r\nDisallow: /b\n")
    assert not robots.check("x", "/a")[0] and not robots.check("x", "/b")[0]


def test_content_usage_and_signal_are_attached_to_groups() -> None:
    robots = parse_robots(
        "User-agent: *\nContent-Signal: ai-train=no\nContent-Usage: /p/ train-ai=y\n"
    )
    group = robots.group_for("bot")
    assert group is not None
    assert group.signals[0].value.prefs == {"ai-train": False}
    assert group.usages[0].pattern == "/p/" and group.usages[0].prefs == {"train-ai": "y"}
