"""Phone validity replayed from libphonenumber's metadata equals the library's own answer.

``moisson.pii.numbering_plans`` skips ``phonenumbers.parse`` for the plain shapes the phone
detector hands over (PII-04). It must answer exactly what
``phonenumbers.is_valid_number(phonenumbers.parse(value, region))`` answers, or ``None``.
The reference below is that public API; the cases are the library's example numbers of every
region and number type in three formats, with one digit changed, and generated numbers in
the shapes of French, British, US and international writing, plus whatever the detector's own
patterns cut out of random digit soup.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

import phonenumbers
import pytest
from phonenumbers import PhoneNumberFormat, PhoneNumberType

from moisson.pii import PiiAnalyzer
from moisson.pii.detectors import phone
from moisson.pii.numbering_plans import is_valid_number

_TYPES = (
    PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE, PhoneNumberType.TOLL_FREE,
    PhoneNumberType.PREMIUM_RATE, PhoneNumberType.SHARED_COST, PhoneNumberType.VOIP,
    PhoneNumberType.PERSONAL_NUMBER, PhoneNumberType.PAGER, PhoneNumberType.UAN,
    PhoneNumberType.VOICEMAIL,
)  # fmt: skip


def _library(value: str, region: str | None) -> bool:
    try:
        return bool(phonenumbers.is_valid_number(phonenumbers.parse(value, region)))
    except phonenumbers.NumberParseException:
        return False


def _examples(rng: random.Random) -> Iterator[tuple[str, str | None]]:
    formats = (PhoneNumberFormat.NATIONAL, PhoneNumberFormat.INTERNATIONAL, PhoneNumberFormat.E164)
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for number_type in _TYPES:
            example = phonenumbers.example_number_for_type(region, number_type)
            if example is None:
                continue
            for fmt in formats:
                text = phonenumbers.format_number(example, fmt)
                for asked in (region, "FR", "GB", "US", None):
                    yield text, asked
                digits = [i for i, c in enumerate(text) if c.isdigit()]
                at = rng.choice(digits)
                yield text[:at] + str(rng.randint(0, 9)) + text[at + 1 :], region


def _generated(rng: random.Random, count: int) -> Iterator[tuple[str, str | None]]:
    separators = (" ", ".", "-", "", "\xa0", "  ", "\t")
    codes = [*phonenumbers.COUNTRY_CODE_TO_REGION_CODE, *[33, 44, 1] * 10]
    for _ in range(count):
        kind = rng.random()
        digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(6, 14)))
        if kind < 0.25:
            digits = f"0{rng.randint(1, 9)}{digits[:8]}"  # French national
        elif kind < 0.4:
            digits = f"{rng.choice(['1', ''])}{rng.randint(2, 9)}{digits[:9]}"  # US
        elif kind < 0.55:
            digits = f"0{digits[:10]}"  # British national
        groups, i = [], 0
        while i < len(digits):
            size = rng.randint(1, 4)
            groups.append(digits[i : i + size])
            i += size
        separator = rng.choice(separators)
        body = separator.join(groups)
        if rng.random() < 0.1 and len(groups) > 2:
            body = f"({groups[0]}) {separator.join(groups[1:])}"
        if kind > 0.7:
            middle = rng.choice(["", " ", " (0)", "(0)", " 0"]) if rng.random() < 0.3 else " "
            body = f"{rng.choice(['+', '+ '])}{rng.choice(codes)}{middle}{body}"
        yield body, rng.choice(["FR", "GB", "US", None])


def _cut_by_patterns(rng: random.Random, count: int) -> Iterator[tuple[str, str | None]]:
    for _ in range(count):
        text = "".join(rng.choice("0123456789  .-()+\n") for _ in range(40))
        for pattern, region in phone._PATTERNS:
            for match in pattern.finditer(text):
                value = match.group()
                yield ("+" + value[2:] if value.startswith("00") else value), region


@pytest.mark.parametrize("seed", [1, 2])
def test_same_answer_as_libphonenumber(seed: int) -> None:
    rng = random.Random(seed)
    cases = [*_examples(rng), *_generated(rng, 6000), *_cut_by_patterns(rng, 3000)]
    handled = 0
    mismatches = []
    for value, region in cases:
        fast = is_valid_number(value, region)
        if fast is None:
            continue
        handled += 1
        if fast != _library(value, region):
            mismatches.append((value, region, fast))
    assert mismatches == []
    # The shortcut must take most cases, or it saves nothing.
    assert handled >= 0.85 * len(cases), (handled, len(cases))


@pytest.mark.parametrize(
    ("value", "region", "expected"),
    [
        ("06 12 34 56 78", "FR", True),
        ("01 23 45 67 89", "FR", True),
        ("00 12 34 56 78", "FR", None),  # dialled abroad: the library decides
        ("+33 6 12 34 56 78", None, True),
        ("+33 (0)6 12 34 56 78", None, True),
        ("+44 20 7946 0958", None, True),
        ("020 7946 0958", "GB", True),
        ("(212) 155-2368", "US", False),  # an exchange cannot start with 1
        ("(112) 555-2368", "US", False),  # nor an area code
        ("(212) 555-2368", "US", True),
        ("1 212 555 2368", "US", True),
        ("+1 264 497 1234", None, True),  # Anguilla, one of the 25 regions of +1
        ("+800 1234 5678", None, None),  # non-geographic: the library decides
        ("+999 1234 5678", None, None),  # no such code: parse retries without "+"
        ("06\n12 34 56 78", "FR", None),  # a line break is not phone punctuation
        ("٠٦ ١٢ ٣٤ ٥٦ ٧٨", "FR", None),  # Arabic-Indic digits: the library decides
        ("12 34 56 78", None, False),  # national number, no region: parse refuses it
    ],
)
def test_known_numbers(value: str, region: str | None, expected: bool | None) -> None:
    assert is_valid_number(value, region) is expected
    if expected is not None:
        assert _library(value, region) is expected


def test_detector_answers_unchanged_on_fallback_shapes() -> None:
    """A number written with shapes the shortcut leaves to the library is still judged."""
    analyzer = PiiAnalyzer(tier="fast", labels=["PHONE"], sensitive=False)
    spans = analyzer.analyze("Appelez le 06\u202f12\u202f34\u202f56\u202f78 demain.", "fr").spans
    expected = _library("06\u202f12\u202f34\u202f56\u202f78", "FR")
    assert [s.label for s in spans] == (["PHONE"] if expected else [])
