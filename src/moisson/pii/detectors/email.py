"""EMAIL: plain addresses (RFC 5322 addr-spec, the common subset) and obfuscated forms.

``jean [at] exemple [dot] fr``, ``jean(at)exemple(point)fr``, ``jean arobase exemple point fr``
(PII-01). File names such as ``logo@2x.png`` are look-alikes and are rejected.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

from moisson.pii._types import Span
from moisson.pii.detectors.base import Detector

__all__ = ("EmailDetector", "ObfuscatedEmailDetector")

# RFC 5322 dot-atom, widened to Latin letters with accents (RFC 6531 internationalised mail).
_ATOM = "[A-Za-z0-9\u00c0-\u024f!#$%&'*+/=?^_`{|}~-]+"
_LOCAL = rf"{_ATOM}(?:\.{_ATOM})*"
_LABEL = r"[A-Za-z0-9\u00C0-\u024F](?:[A-Za-z0-9\u00C0-\u024F-]{0,61}[A-Za-z0-9\u00C0-\u024F])?"
_PLAIN = re.compile(
    rf"(?<![\w.+-]){_LOCAL}@(?:{_LABEL}\.)+[A-Za-z]{{2,24}}(?![\w-]|\.[A-Za-z0-9])",
)
_AT = r"\s*(?:\[\s*(?:at|arobase|@)\s*\]|\(\s*(?:at|arobase|@)\s*\)|\{\s*(?:at|@)\s*\}|\s(?:at|arobase|AT)\s)\s*"
_DOT = r"\s*(?:\[\s*(?:dot|point|\.)\s*\]|\(\s*(?:dot|point|\.)\s*\)|\{\s*dot\s*\}|\s(?:dot|point|DOT)\s|\.)\s*"
_OBFUSCATED = re.compile(
    rf"(?<![\w.+-])[A-Za-z0-9._%+-]+{_AT}{_LABEL}(?:{_DOT}{_LABEL})*{_DOT}[A-Za-z]{{2,24}}(?![\w-])",
    re.IGNORECASE,
)
# Pre-scan for obfuscated forms: without one of these, no obfuscated address can be present.
_OBFUSCATION_HINT = re.compile(
    r"\[\s*(?:at|@)\s*\]|\(\s*(?:at|@)\s*\)|\{at\}|arobase|\sdot\s", re.I
)
# A bare " at " also needs an explicit dot word or bracket, or "look at this.page" would match.
_EXPLICIT = re.compile(r"[\[({]|\s(?:dot|point|arobase)\s", re.I)
_LOCAL_PUNCT = frozenset("!#$%&'*+/=?^_`{|}~-.")
_FILE_SUFFIXES = frozenset({"png", "jpg", "jpeg", "gif", "svg", "webp", "css", "js", "ico"})


class EmailDetector(Detector):
    """Plain email addresses, found from each ``@``."""

    name = "email_regex_v1"
    label = "EMAIL"
    CONTEXT: ClassVar[tuple[str, ...]] = ("mail", "courriel", "contact", "écrire")

    def applies(self, text: str) -> bool:
        return "@" in text

    def detect(
        self, text: str, lang: str, start: int = 0, end: int | None = None
    ) -> Iterator[Span]:
        stop = len(text) if end is None else end
        last_end = start
        at = text.find("@", start, stop)
        while at != -1:
            # Walk back from each "@" to where the local part can start, then match there:
            # scanning the whole text with the address pattern costs ten times more (PII-04).
            first = at
            limit = max(at - 64, last_end, start)
            while first > limit and (text[first - 1].isalnum() or text[first - 1] in _LOCAL_PUNCT):
                first -= 1
            while first < at and text[first] == ".":
                first += 1
            match = _PLAIN.match(text, first, min(at + 260, stop))
            at = text.find("@", at + 1, stop)
            if match is None:
                continue
            if match.group().rsplit(".", 1)[-1].lower() in _FILE_SUFFIXES:
                continue
            last_end = match.end()
            yield Span(match.start(), match.end(), self.label, 0.99, self.name)


class ObfuscatedEmailDetector(Detector):
    """``jean [at] exemple [dot] fr``, ``jean(at)exemple(point)fr``, ``jean arobase ...``."""

    name = "email_obfuscated_regex_v1"
    label = "EMAIL"
    TRIGGER = "keywords"
    KEYWORDS = ("[at]", "(at)", "{at}", "[ at ]", "( at )", "arobase", "[@]", "(@)", " dot ",
                "[dot]", "(dot)")  # fmt: skip
    WINDOW = (70, 120)

    def detect(
        self, text: str, lang: str, start: int = 0, end: int | None = None
    ) -> Iterator[Span]:
        stop = len(text) if end is None else end
        if _OBFUSCATION_HINT.search(text, start, stop) is None:
            return
        for match in _OBFUSCATED.finditer(text, start, stop):
            value = match.group()
            if "@" in value and "[" not in value and "(" not in value and " " not in value:
                continue  # a plain address: EmailDetector reports it
            if _EXPLICIT.search(value) is None:
                continue
            yield Span(match.start(), match.end(), self.label, 0.9, self.name)
