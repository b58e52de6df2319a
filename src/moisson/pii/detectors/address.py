"""ADDRESS: French and English street addresses (PII-01).

French: number (bis/ter), street type (rue, avenue, allée...), street name, then optionally the
postcode and town ("12 bis rue des Lilas, 75011 Paris"). English: number, street name, street
type (Street, Road, Lane...), then optionally town and a US ZIP or UK postcode. A street named
after a person is part of the address, not a PERSON.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from moisson.pii._types import Span
from moisson.pii.detectors.base import Detector

__all__ = ("AddressDetector",)

_UP = "A-ZÀ-ÖØ-Þ"
_FR_TYPE = (
    r"(?i:rue|avenue|av\.|boulevard|bd|place|allée|allee|impasse|chemin|route|quai|cours"
    r"|square|passage|faubourg|chaussée|voie|sentier|hameau|lieu-dit|résidence|rond-point"
    r"|esplanade|promenade|villa|cité|parvis|montée|ruelle)"
)
_FR_PART = (
    r"(?:(?:de la|de l['’]|des|du|de|d['’]|l['’]|la|le|les|aux|au|à la|sous|sur|en|et|"
    rf"Saint|Sainte|St\.?|Ste)[ \t]*|[{_UP}0-9][\w'’-]*[ \t]*)"
)
_FR_TOWN = rf"[{_UP}][\w'’-]*(?:[ \t-](?:[{_UP}][\w'’-]*|sur|sous|en|le|la|les|de|du|lès))*"
_FR_POSTAL = rf"(?:,?[ \t]*(?:\d{{5}}|\d{{2}} \d{{3}})[ \t]+{_FR_TOWN}(?:[ \t]+(?i:cedex)(?:[ \t]\d{{1,2}})?)?)"
_FR = re.compile(
    rf"\d(?<![\w.,-]\d)\d{{0,3}}(?:[ \t]?(?:bis|ter|quater|[A-D])\b)?,?[ \t]+{_FR_TYPE}[ \t]+"
    rf"{_FR_PART}{{1,6}}{_FR_POSTAL}?"
)
_EN_TYPE = (
    r"(?:Street|St\.?|Road|Rd\.?|Avenue|Ave\.?|Lane|Ln\.?|Drive|Dr\.?|Boulevard|Blvd\.?|Court"
    r"|Ct\.?|Place|Pl\.?|Way|Terrace|Close|Crescent|Square|Gardens|Parkway|Pkwy|Highway|Hwy"
    r"|Row|Mews|Grove|Hill|Walk)"
)
_EN_POSTAL = (
    r"(?:(?:,[ \t]*[A-Z][a-z]+(?:[ \t][A-Z][a-z]+){0,2})?,?[ \t]*"
    r"(?:[A-Z]{2}[ \t]+\d{5}(?:-\d{4})?|[A-Z]{1,2}\d[A-Z\d]?[ \t]?\d[A-Z]{2}))"
)
_EN = re.compile(
    r"\d(?<![\w.,-]\d)\d{0,4}[A-Za-z]?,?[ \t]+(?:[A-Z][\w'’.-]*[ \t]+){1,4}?"
    rf"{_EN_TYPE}(?![\w])(?:[ \t]+(?:NW|NE|SW|SE|N|S|E|W)\b)?"
    r"(?:,?[ \t]*(?:Apt\.?|Suite|Flat|Unit)[ \t]*\w+)?"
    rf"{_EN_POSTAL}?"
)
_TRAILING = re.compile(
    r"(?:[ \t,]+|(?<=[ \t])(?:de la|de l['’]|des|du|de|d['’]|l['’]|la|le|les|aux|au|à la|sous|sur|en|et))+$"
)


_FR_TYPES = frozenset(
    {"rue", "avenue", "av.", "boulevard", "bd", "place", "allée", "allee", "impasse", "chemin",
     "route", "quai", "cours", "square", "passage", "faubourg", "chaussée", "voie", "sentier",
     "hameau", "lieu-dit", "résidence", "rond-point", "esplanade", "promenade", "villa", "cité",
     "parvis", "montée", "ruelle"}
)  # fmt: skip
_EN_TYPES = (
    "street", "st.", "st,", "road", "rd", "avenue", "ave", "lane", "ln", "drive", "dr.",
    "boulevard", "blvd", "court", "ct", "place", "pl", "way", "terrace", "close", "crescent",
    "square", "gardens", "parkway", "pkwy", "highway", "hwy", "row", "mews", "grove", "hill",
    "walk",
)  # fmt: skip


class AddressDetector(Detector):
    """Street addresses with a number, in French or English form."""

    name = "address_rules_v1"
    label = "ADDRESS"
    TRIGGER = "keywords"
    KEYWORDS = tuple(f" {t} " for t in sorted(_FR_TYPES)) + tuple(f" {t}" for t in _EN_TYPES)
    WINDOW = (70, 150)

    def keep_hit(self, text: str, start: int, end: int) -> bool:
        word = text[start + 1 : end].strip().lower()
        # English street types are capitalised ("Baker Street"); "the way" is no address.
        return word in _FR_TYPES or text[start + 1 : start + 2].isupper()

    def detect(
        self, text: str, lang: str, start: int = 0, end: int | None = None
    ) -> Iterator[Span]:
        stop = len(text) if end is None else end
        for pattern in (_FR, _EN):
            for match in pattern.finditer(text, start, stop):
                value = match.group()
                trimmed = _TRAILING.sub("", value)
                last = match.start() + len(trimmed)
                if last - match.start() < 8:
                    continue
                yield Span(match.start(), last, self.label, 0.85, self.name)
