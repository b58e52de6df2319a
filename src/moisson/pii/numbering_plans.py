"""Phone number validity from libphonenumber's metadata, without its parser (PII-01, PII-04).

``phonenumbers.parse`` followed by ``is_valid_number`` costs 20 to 35 µs for every number it
has not seen, more than the rest of the fast tier spends on a whole paragraph; on a first
pass over a corpus, where every number is new, it made phone validation the largest cost.
The candidates the phone detector hands over have one of a few plain shapes (digits,
spaces, dots, hyphens, brackets, a leading "+"), so the steps of ``parse`` that matter for
them (country calling code, national prefix, possible lengths) are replayed here on the
digits, and the number types of each region (fixed line, mobile, toll free...) are compiled
into one pattern per length. The answers come from the library's own metadata and equal its
``is_valid_number(parse(...))`` on every shape handled (tests/pii/test_pii_numbering_plans.py
compares them on generated numbers); any other input returns ``None``, and the caller asks
the library.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import phonenumbers
from phonenumbers import PhoneMetadata

__all__ = ("NumberingPlan", "is_valid_number")

# Characters of the shapes handled here: ASCII digits and punctuation that libphonenumber
# ignores (its _VALID_PUNCTUATION) and that no extension marker uses.
_PLAIN = re.compile(r"\+?[0-9 .()\xa0-]+")
_NOT_DIGITS = str.maketrans("", "", " .()\xa0-+")
# libphonenumber's bounds on a national significant number and on a country calling code.
_MIN_NSN, _MAX_NSN, _MAX_CC, _MAX_INPUT = 2, 17, 3, 250
_NON_GEO = "001"
# The number types ``_number_type_helper`` tries; mobile only when its pattern differs from
# the fixed-line one.
_TYPES = ("premium_rate", "toll_free", "shared_cost", "voip", "personal_number", "pager",
          "uan", "voicemail", "fixed_line")  # fmt: skip
# libphonenumber's ValidationResult values that make ``parse`` keep the national prefix.
_KEEP_PREFIX = frozenset({"too_short", "local_only", "invalid_length"})


def _desc_pattern(desc: Any) -> tuple[frozenset[int], str] | None:
    pattern = None if desc is None else desc.national_number_pattern
    if not pattern:
        return None
    return frozenset(desc.possible_length or ()), pattern


@dataclass(frozen=True)
class NumberingPlan:
    """One region's metadata, compiled for validity checks.

    The number types are compiled on first use, one alternation per number length: a
    process pays only for the lengths it meets (compiling every region's patterns up front
    takes about 0.1 s).
    """

    region: str
    country_code: int
    general_lengths: frozenset[int]
    general: re.Pattern[str]
    local_only_lengths: frozenset[int]
    sorted_lengths: tuple[int, ...]
    national_prefix: re.Pattern[str] | None
    prefix_transform: bool
    international_prefix: re.Pattern[str] | None
    leading_digits: re.Pattern[str] | None
    # ``(possible lengths, pattern)`` of each number type; an empty set allows any length.
    types: tuple[tuple[frozenset[int], str], ...]
    compiled_types: dict[int, re.Pattern[str] | None] = field(default_factory=dict)

    @classmethod
    def of(cls, metadata: Any) -> NumberingPlan:
        general = metadata.general_desc
        descs = [_desc_pattern(getattr(metadata, name)) for name in _TYPES]
        if not metadata.same_mobile_and_fixed_line_pattern:
            descs.append(_desc_pattern(metadata.mobile))
        prefix = metadata.national_prefix_for_parsing
        return cls(
            region=metadata.id,
            country_code=metadata.country_code,
            general_lengths=frozenset(general.possible_length or ()),
            general=re.compile(general.national_number_pattern or "(?!)"),
            local_only_lengths=frozenset(general.possible_length_local_only or ()),
            sorted_lengths=tuple(general.possible_length or ()),
            national_prefix=re.compile(prefix) if prefix else None,
            prefix_transform=bool(metadata.national_prefix_transform_rule),
            international_prefix=(
                re.compile(metadata.international_prefix) if metadata.international_prefix else None
            ),
            leading_digits=re.compile(metadata.leading_digits) if metadata.leading_digits else None,
            types=tuple(d for d in descs if d is not None),
        )

    def viable(self, nsn: str) -> bool:
        """libphonenumber's ``_match_national_number`` on the general description."""
        return self.general.fullmatch(nsn) is not None

    def length_check(self, nsn: str) -> str:
        """libphonenumber's ``_test_number_length`` for an unknown type, by name."""
        length = len(nsn)
        if length in self.local_only_lengths:
            return "local_only"
        lengths = self.sorted_lengths
        if lengths[0] == length:
            return "possible"
        if lengths[0] > length:
            return "too_short"
        if lengths[-1] < length:
            return "too_long"
        return "possible" if length in lengths[1:] else "invalid_length"

    def strip_national_prefix(self, number: str) -> str | None:
        """The number without its national prefix, as ``parse`` strips it (``None``: a
        transform rule applies, which this module does not replay)."""
        if not number or self.national_prefix is None:
            return number
        match = self.national_prefix.match(number)
        if match is None:
            return number
        groups = match.groups()
        if self.prefix_transform and groups and groups[-1] is not None:
            return None
        if self.viable(number) and not self.viable(number[match.end() :]):
            return number
        return number[match.end() :]

    def has_type(self, nsn: str) -> bool:
        """libphonenumber's ``_number_type_helper(nsn) != UNKNOWN``."""
        length = len(nsn)
        if self.general_lengths and length not in self.general_lengths:
            return False
        if not self.viable(nsn):
            return False
        if length not in self.compiled_types:
            # One pattern that fully matches what one of the types' patterns fully matches.
            patterns = [p for allowed, p in self.types if not allowed or length in allowed]
            self.compiled_types[length] = (
                re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None
            )
        pattern = self.compiled_types[length]
        return pattern is not None and pattern.fullmatch(nsn) is not None


_PLANS: dict[int, dict[str, NumberingPlan]] = {}


def _plans(country_code: int) -> dict[str, NumberingPlan]:
    """The plans of every region sharing a calling code, in libphonenumber's order, loaded
    together on first use: the one-time cost (the 25 regions of +1 take about 10 ms) then falls
    on the first number of a calling code, not on whichever number first needs a rare region."""
    if country_code not in _PLANS:
        plans = {}
        for region in phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(country_code, ()):
            metadata = PhoneMetadata.metadata_for_region(region, None)
            if metadata is not None:
                plans[region] = NumberingPlan.of(metadata)
        _PLANS[country_code] = plans
    return _PLANS[country_code]


_REGION_PLANS: dict[str, NumberingPlan | None] = {}


def _plan(region: str) -> NumberingPlan | None:
    if region not in _REGION_PLANS:
        code = phonenumbers.country_code_for_region(region)
        _REGION_PLANS[region] = _plans(code).get(region) if code else None
    return _REGION_PLANS[region]


def _valid_nsn(country_code: int, nsn: str) -> bool:
    """``is_valid_number`` for a parsed number: the region the number belongs to, then its
    types (libphonenumber's ``region_code_for_number``)."""
    plans = _plans(country_code)
    if len(plans) == 1:
        return next(iter(plans.values())).has_type(nsn)
    for plan in plans.values():
        if plan.leading_digits is not None:
            if plan.leading_digits.match(nsn):
                return plan.has_type(nsn)
        elif plan.has_type(nsn):
            return True
    return False


def _national(number: str, plan: NumberingPlan) -> str | None:
    """The national significant number ``parse`` keeps once the country is known."""
    stripped = plan.strip_national_prefix(number)
    if stripped is None:
        return None
    if plan.length_check(stripped) not in _KEEP_PREFIX:
        number = stripped
    return number


def is_valid_number(value: str, region: str | None) -> bool | None:
    """Whether ``phonenumbers.is_valid_number(phonenumbers.parse(value, region))`` holds
    (a parse error counts as not valid), or ``None`` for a shape not handled here."""
    if len(value) > _MAX_INPUT or _PLAIN.fullmatch(value) is None or "+" in value[1:]:
        return None
    digits = value.translate(_NOT_DIGITS)
    if len(digits) < 3:
        return None
    if value.startswith("+"):
        if digits[0] == "0":
            return None  # parse retries such a number without its "+": not replayed here
        country_code = 0
        for size in range(1, min(len(digits), _MAX_CC) + 1):
            if int(digits[:size]) in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
                country_code, rest = int(digits[:size]), digits[size:]
                break
        if country_code == 0:
            return None  # parse retries without the "+": not replayed here
        main = phonenumbers.COUNTRY_CODE_TO_REGION_CODE[country_code][0]
        if main == _NON_GEO:
            return None
        plan = _plan(main)
        if plan is None or len(rest) < _MIN_NSN:
            return None if plan is None else False
    else:
        if region is None:
            return False  # parse needs a region for a number without "+"
        home = _plan(region)
        if home is None:
            return None
        if home.international_prefix is not None and home.international_prefix.match(digits):
            return None  # dialled abroad: parse reads a country code after the prefix
        plan, rest = home, digits
        code = str(home.country_code)
        if digits.startswith(code):
            national = home.strip_national_prefix(digits[len(code) :])
            if national is None:
                return None
            if (not home.viable(digits) and home.viable(national)) or home.length_check(
                digits
            ) == "too_long":
                rest = national
                # parse then reads the number with the main region of the calling code.
                main_plan = _plan(phonenumbers.COUNTRY_CODE_TO_REGION_CODE[home.country_code][0])
                if main_plan is None:
                    return None
                plan = main_plan
        if len(rest) < _MIN_NSN:
            return False
    nsn = _national(rest, plan)
    if nsn is None:
        return None
    if len(nsn) < _MIN_NSN or len(nsn) > _MAX_NSN:
        return False
    return _valid_nsn(plan.country_code, nsn)
