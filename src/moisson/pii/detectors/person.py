"""PERSON, fast tier: first-name lexicons, capitalised-token rules and context cues (PII-01).

A run of capitalised tokens is a person when it starts with a known first name ("Jean
Dupont", "Jean-Pierre LE GALL"), when a title precedes it ("M. Dupont", "Dr Smith"), when a
surname in capitals precedes a first name ("DUPONT Jean"), or when an introducing cue precedes
it ("je m'appelle", "signed"). Historic figures, brands named after people and streets or
schools named after people ("rue Victor Hugo", "lycée Jean Moulin") are not reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from moisson.pii._text import lowered
from moisson.pii._types import Span
from moisson.pii.detectors.base import Detector
from moisson.pii.language import detect_language
from moisson.pii.lexicons import first_names, fold, non_name_words, stop_names, street_words

__all__ = ("PersonCueDetector", "PersonDetector", "is_stop_name")

_UP = "A-ZÀ-ÖØ-Þ"
_LO = "a-zà-öø-ÿ"
_CAP = rf"[{_UP}][{_LO}]+(?:[-'’][{_UP}][{_LO}]+)?"
_UPPER = rf"[{_UP}]{{2,}}(?:[-'’][{_UP}]{{2,}})?"
# Surname particles, lower-case ("de la Fontaine") or capitalised ("Le Gall", "Da Silva").
_PARTICLE = (
    r"(?:(?:de la|de|du|des|van der|van den|van|von|le|la|di|da|dos|del|ben|bin|el|al"
    r"|Le|La|De|Du|Da|Di|Van|Von|Dos|Del)[ \t]+|d['’]|O['’])"
)
_TOKEN = rf"(?:{_PARTICLE}?(?:{_CAP}|{_UPPER}))"
# A run of capitalised tokens is read at most this many tokens past its first word: names
# have at most four, and a longer run (a headline, a shouted paragraph) is read again from
# each of its words, which must not cost time in the square of its length (PII-04).
_RUN_TOKENS = 12
# Two capitalised words in a row (a title counts: "M. Dupont"): the only places a name can
# start. The pattern opens with a character class, which the regex engine skips to fast; the
# possessive quantifiers never give back letters or blanks, which nothing after them could use.
_PAIR = re.compile(rf"[{_UP}](?<!\w[{_UP}])[^\W\d_]*+\.?[ \t]++{_PARTICLE}?[{_UP}]")
# The run of capitalised tokens starting at a pair; a name is looked for inside it.
_RUN = re.compile(
    rf"(?<![\w'’@.-])(?:{_CAP}|{_UPPER})(?:[ \t]+{_TOKEN}|[ \t]+[{_UP}]\.(?=[ \t])){{1,{_RUN_TOKENS}}}"
)
_TOKEN_RE = re.compile(rf"{_TOKEN}|[{_UP}]\.")
_TITLE = re.compile(
    r"(?<![\w])(?:M\.|MM\.|Mme|Mmes|Mlle|Mr\.?|Mrs\.?|Ms\.?|Dr\.?|Pr\.?|Me|Madame|Monsieur"
    r"|Mademoiselle|Docteur|Maître|Maitre|Professeur|Sir|Dame|Prof\.?)"
    rf"[ \t]+({_TOKEN}(?:[ \t]+{_TOKEN}){{0,2}})"
)
_CUE_NAME = re.compile(rf"[ \t\n:,]*({_CAP}(?:[ \t]+{_TOKEN}){{1,2}})")


def is_stop_name(value: str) -> bool:
    """True for a historic figure, a brand named after a person, a fictional character."""
    key = " ".join(fold(w) for w in value.replace("'", " ").replace("’", " ").split())
    return key in stop_names()


def _after_street_word(text: str, start: int) -> bool:
    before = text[max(0, start - 25) : start].split()
    return bool(before) and fold(before[-1].strip(",.:;(")) in street_words()


def _accept(text: str, start: int, end: int) -> bool:
    if is_stop_name(text[start:end]) or _after_street_word(text, start):
        return False
    return not text[end : end + 6].lstrip().startswith(("&", "SA ", "SAS", "SARL", "Inc", "Ltd"))


def _from_run(text: str, run_start: int, run: str) -> Iterator[tuple[int, int, float]]:
    """Names inside a run of capitalised tokens: first name + surname(s), or SURNAME First."""
    names, stops = first_names(), non_name_words()
    tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN_RE.finditer(run)]
    i = 0
    while i < len(tokens):
        start, _end, token = tokens[i]
        folded = fold(token)
        is_first = folded in names or (
            "-" in token and all(fold(p) in names for p in token.split("-"))
        )
        if is_first and folded not in stops:
            j = i + 1
            while j < len(tokens) and j - i <= 3 and fold(tokens[j][2]) not in stops:
                j += 1
            if j - i >= 2:
                yield run_start + start, run_start + tokens[j - 1][1], 0.8
                i = j
                continue
        elif token.isupper() and len(token) > 2 and folded not in stops and i + 1 < len(tokens):
            nxt = tokens[i + 1][2]
            if fold(nxt) in names and not nxt.isupper():  # "DUPONT Jean"
                yield run_start + start, run_start + tokens[i + 1][1], 0.75
                i += 2
                continue
        i += 1


class PersonDetector(Detector):
    """People's names from lexicons, titles and capitalisation (no model)."""

    name = "person_rules_v1"
    label = "PERSON"

    def _title(self, text: str, match: re.Match[str], lang: str) -> tuple[int, int, float] | None:
        # "Me" (Maître) is a French title; "" means the caller left the language to us.
        if match.group().startswith("Me ") and (lang or detect_language(text)) != "fr":
            return None
        tokens = match.group(1).split()
        while tokens and fold(tokens[-1]) in non_name_words():
            tokens.pop()
        if not tokens:
            return None
        first = match.start(1)
        return first, first + len(" ".join(tokens)), 0.85

    def detect(
        self, text: str, lang: str, start: int = 0, end: int | None = None
    ) -> Iterator[Span]:
        stop = len(text) if end is None else end
        found: list[tuple[int, int, float]] = []
        position = start
        while True:
            pair = _PAIR.search(text, position, stop)
            if pair is None:
                break
            at = pair.start()
            # Every title starts with M, D, P or S: elsewhere the title pattern cannot match.
            title = _TITLE.match(text, at, stop) if text[at] in "MDPS" else None
            if title is not None:
                hit = self._title(text, title, lang)
                if hit is not None:
                    found.append(hit)
                    position = hit[1]
                    continue
            run = _RUN.match(text, at, stop)
            if run is None:
                position = at + 1
                continue
            names = list(_from_run(text, at, run.group()))
            found.extend(names)
            # Without a name, go on from the second word: "Contacter M. Dupont" holds a title.
            position = names[-1][1] if names else pair.end() - 1
        for first, last, score in found:
            if _accept(text, first, last):
                yield Span(first, last, self.label, score, self.name)


class PersonCueDetector(Detector):
    """Names right after an introducing phrase ("je m'appelle", "written by", "regards,")."""

    name = "person_cue_v1"
    label = "PERSON"
    TRIGGER = "keywords"
    KEYWORDS = (
        "je m'appelle", "je m’appelle", "my name is", "signé", "signed", "written by",
        "posted by", "publié par", "rédigé par", "auteur :", "auteur:", "author:", "contact :",
        "contact:", "interlocuteur :", "sincerely,", "cordialement,", "regards,", "bien à vous,",
        "i am", "i'm", "je suis",
    )  # fmt: skip
    WINDOW = (0, 80)

    def detect(
        self, text: str, lang: str, start: int = 0, end: int | None = None
    ) -> Iterator[Span]:
        stop = len(text) if end is None else end
        low = lowered(text)
        for cue in self.KEYWORDS:
            at = low.find(cue, start, stop)
            while at != -1:
                match = _CUE_NAME.match(text, at + len(cue), stop)
                if match is not None:
                    tokens = match.group(1).split()
                    while tokens and fold(tokens[-1]) in non_name_words():
                        tokens.pop()
                    first = match.start(1)
                    last = first + len(" ".join(tokens))
                    plausible = len(tokens) >= 2 and fold(tokens[0]) not in non_name_words()
                    if plausible and _accept(text, first, last):
                        yield Span(first, last, self.label, 0.7, self.name)
                at = low.find(cue, at + 1, stop)
