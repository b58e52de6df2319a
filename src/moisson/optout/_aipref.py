"""IETF aipref ``Content-Usage`` (RFC 9651 Dictionary) and Cloudflare ``Content-Signal``.

draft-ietf-aipref-vocab-07 / attach-05 (optout-signals.md §5): the value is a Structured Field
Dictionary; the Token ``y`` allows, ``n`` refuses, anything else (Boolean, String ``"n"``,
``no``) is unknown (A-04); parameters are ignored (A-05); the last duplicate key wins inside one
field; a parse failure (an upper-case key, A-03) makes every preference unknown. Legacy labels
of vocab-01..04 are mapped conservatively onto the purposes they could cover (A-06).

Content-Signal (draft-romm-aipref-contentsignals) is not SF: ``key=yes|no`` pairs, any case and
spacing (A-15); ``ai-train`` maps to ``train-ai``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NoReturn

from moisson.optout._verdict import Purpose, SignalDecision

__all__ = (
    "CONTENT_SIGNAL_KEYS",
    "USAGE_LABELS",
    "ContentSignalValue",
    "SfParseError",
    "decision_for_purpose",
    "parse_content_signal",
    "parse_usage_dictionary",
)

_ALL: tuple[Purpose, ...] = ("train-ai", "search", "ai-input", "tdm-research")
_AI: tuple[Purpose, ...] = ("train-ai", "ai-input", "tdm-research")

# label -> purposes it speaks for (current labels first, then legacy aliases, A-06).
USAGE_LABELS: dict[str, tuple[Purpose, ...]] = {
    "train-ai": ("train-ai",),
    "search": ("search",),
    "train-genai": ("train-ai",),
    "ai-output": ("train-ai",),
    "genai": ("train-ai",),
    "ai": _AI,
    "ai-use": _AI,
    "tdm": ("train-ai", "tdm-research"),
    "bots": _ALL,
    "all": _ALL,
}
LEGACY_LABELS = frozenset(USAGE_LABELS) - {"train-ai", "search"}

CONTENT_SIGNAL_KEYS: dict[str, tuple[Purpose, ...]] = {
    "ai-train": ("train-ai",),
    "ai-input": ("ai-input",),
    "search": ("search",),
}


class SfParseError(ValueError):
    """The field is not a valid RFC 9651 Dictionary: every preference is unknown."""


_KEY = re.compile(r"[a-z*][a-z0-9_\-.*]*")
_TOKEN = re.compile(r"[A-Za-z*][!#$%&'*+\-.^_`|~0-9A-Za-z:/]*")
_NUMBER = re.compile(r"-?[0-9]{1,15}(?:\.[0-9]{1,3})?")


class _Parser:
    """A small RFC 9651 §4.2 parser; values are kept as ``("token", "y")``-style pairs."""

    def __init__(self, text: str) -> None:
        self.s = text
        self.i = 0

    def fail(self, what: str) -> NoReturn:
        msg = f"{what} at offset {self.i} of {self.s!r}"
        raise SfParseError(msg)

    def skip_sp(self) -> None:
        while self.i < len(self.s) and self.s[self.i] == " ":
            self.i += 1

    def skip_ows(self) -> None:
        while self.i < len(self.s) and self.s[self.i] in " \t":
            self.i += 1

    def key(self) -> str:
        m = _KEY.match(self.s, self.i)
        if m is None:
            self.fail("bad key")
        self.i = m.end()
        return m.group(0)

    def bare_item(self) -> tuple[str, object]:
        s, i = self.s, self.i
        if i >= len(s):
            self.fail("missing value")
        c = s[i]
        if c == '"':
            j = i + 1
            buf: list[str] = []
            while j < len(s):
                ch = s[j]
                if ch == "\\":
                    if j + 1 >= len(s) or s[j + 1] not in '"\\':
                        self.fail("bad escape")
                    buf.append(s[j + 1])
                    j += 2
                    continue
                if ch == '"':
                    self.i = j + 1
                    return "string", "".join(buf)
                if not (" " <= ch <= "~"):
                    self.fail("bad string char")
                buf.append(ch)
                j += 1
            self.fail("unterminated string")
        if c == "?":
            if s[i + 1 : i + 2] in ("0", "1"):
                self.i = i + 2
                return "boolean", s[i + 1] == "1"
            self.fail("bad boolean")
        if c == ":":
            j = s.find(":", i + 1)
            if j < 0:
                self.fail("unterminated byte sequence")
            self.i = j + 1
            return "bytes", s[i + 1 : j]
        if c == "@" or c == "-" or c.isdigit():
            m = _NUMBER.match(s, i + 1 if c == "@" else i)
            if m is None:
                self.fail("bad number")
            self.i = m.end()
            return ("date" if c == "@" else "number"), m.group(0)
        if c == "%" and s[i + 1 : i + 2] == '"':
            j = s.find('"', i + 2)
            if j < 0:
                self.fail("unterminated display string")
            self.i = j + 1
            return "display", s[i + 2 : j]
        m = _TOKEN.match(s, i)
        if m is None:
            self.fail("bad item")
        self.i = m.end()
        return "token", m.group(0)

    def parameters(self) -> None:
        while self.i < len(self.s) and self.s[self.i] == ";":
            self.i += 1
            self.skip_sp()
            self.key()
            if self.i < len(self.s) and self.s[self.i] == "=":
                self.i += 1
                self.bare_item()

    def item_or_list(self) -> tuple[str, object]:
        if self.i < len(self.s) and self.s[self.i] == "(":
            self.i += 1
            while True:
                self.skip_sp()
                if self.i >= len(self.s):
                    self.fail("unterminated inner list")
                if self.s[self.i] == ")":
                    self.i += 1
                    self.parameters()
                    return "list", None
                self.bare_item()
                self.parameters()
                if self.i < len(self.s) and self.s[self.i] not in " )":
                    self.fail("bad inner list")
        value = self.bare_item()
        self.parameters()
        return value

    def dictionary(self) -> dict[str, tuple[str, object]]:
        out: dict[str, tuple[str, object]] = {}
        self.skip_sp()
        if self.i >= len(self.s):
            return out
        while True:
            name = self.key()
            if self.i < len(self.s) and self.s[self.i] == "=":
                self.i += 1
                value = self.item_or_list()
            else:
                value = ("boolean", True)
                self.parameters()
            out.pop(name, None)  # last duplicate wins (RFC 9651 §4.2.2)
            out[name] = value
            self.skip_ows()
            if self.i >= len(self.s):
                return out
            if self.s[self.i] != ",":
                self.fail("expected ','")
            self.i += 1
            self.skip_ows()
            if self.i >= len(self.s):
                self.fail("trailing ','")


def parse_usage_dictionary(text: str) -> dict[str, str]:
    """``{label: "y"|"n"|"other"}`` of one Content-Usage value; raises :class:`SfParseError`."""
    parsed = _Parser(text.strip(" \t")).dictionary()
    out: dict[str, str] = {}
    for label, (kind, value) in parsed.items():
        out[label] = str(value) if kind == "token" and value in ("y", "n") else "other"
    return out


def decision_for_purpose(prefs: dict[str, str], purpose: str) -> tuple[SignalDecision, list[str]]:
    """Decision of one parsed statement for a purpose, and the labels that decided it."""
    refusing = [
        label for label, v in prefs.items() if v == "n" and purpose in USAGE_LABELS.get(label, ())
    ]
    if refusing:
        return "disallow", refusing
    allowing = [
        label for label, v in prefs.items() if v == "y" and purpose in USAGE_LABELS.get(label, ())
    ]
    if allowing:
        return "allow", allowing
    return "unknown", []


@dataclass(frozen=True, slots=True)
class ContentSignalValue:
    """One parsed ``Content-Signal`` line: known keys, unknown keys (flagged) and ``use=``."""

    prefs: dict[str, bool]
    unknown_keys: tuple[str, ...]
    use: str | None


def parse_content_signal(text: str) -> ContentSignalValue:
    """Parse ``search=yes, ai-train=no`` leniently (A-15): case and spacing do not matter."""
    prefs: dict[str, bool] = {}
    unknown: list[str] = []
    use: str | None = None
    for part in text.split(","):
        if "=" not in part:
            if part.strip():
                unknown.append(part.strip())
            continue
        key, _, value = part.partition("=")
        key = key.strip().lower()
        value = value.strip().lower()
        if key == "use":
            use = value
        elif key in CONTENT_SIGNAL_KEYS and value in ("yes", "no"):
            prefs[key] = value == "yes"
        else:
            unknown.append(key)
    return ContentSignalValue(prefs=prefs, unknown_keys=tuple(unknown), use=use)


def content_signal_decision(
    value: ContentSignalValue, purpose: str
) -> tuple[SignalDecision, list[str]]:
    """Decision of one Content-Signal line for a purpose; a missing key says nothing."""
    keys = [
        k for k, purposes in CONTENT_SIGNAL_KEYS.items() if purpose in purposes and k in value.prefs
    ]
    if any(not value.prefs[k] for k in keys):
        return "disallow", [k for k in keys if not value.prefs[k]]
    if keys:
        return "allow", keys
    return "unknown", []
