"""The fast paths of the rule tier give the answers of the plain regexes they replace (PII-04).

Throughput work must not change a single span: each shortcut (substring tests instead of a
case-insensitive regex, character classes moved in front of look-behinds so the regex engine
can skip ahead, cue-initial scans) is checked here against the original pattern, kept verbatim.
"""

from __future__ import annotations

import re
import sys
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from moisson.pii._text import CASE_TRAPS, lower_agrees
from moisson.pii.detectors import (
    CreditCardDetector,
    FrNirDetector,
    FrSirenDetector,
    FrSiretDetector,
    IbanDetector,
    PhoneDetector,
    address,
    credit_card,
    date_of_birth,
    fr_nir,
    fr_siren,
    fr_siret,
    iban,
    ip_address,
    person,
    phone,
)
from moisson.pii.detectors.base import RegexDetector, context_before, words_pattern
from moisson.pii.lexicons import fold
from moisson.pii.sensitive import _NAME_LIKE, _SENTENCE_END

# The patterns as they were before the rewrite, look-behind first.
_ORIGINAL = {
    "address_fr": re.compile(
        address._FR.pattern.replace(r"\d(?<![\w.,-]\d)\d{0,3}", r"(?<![\w.,-])\d{1,4}", 1)
    ),
    "address_en": re.compile(
        address._EN.pattern.replace(r"\d(?<![\w.,-]\d)\d{0,4}", r"(?<![\w.,-])\d{1,5}", 1)
    ),
    "phone_fr": re.compile(
        r"(?<![\w+.,/-])0[1-9](?:[\s.-]?\d{2}){4}(?![\w]|[.,/-]\d)",
    ),
    "phone_uk": re.compile(
        r"(?<![\w+.,/-])0\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}(?![\w]|[.,/-]\d)",
    ),
    "phone_international": re.compile(
        r"(?<![\w+])(?:\+|00)\s?[1-9]\d{0,2}[\s.-]?(?:\(0\)[\s.-]?)?\(?\d{1,4}\)?"
        r"(?:[\s.-]?\d{2,4}){2,4}(?![\w]|[.-]\d)"
    ),
    "phone_us": re.compile(
        r"(?<![\w+.,/-])(?:1[\s.-])?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?![\w]|[.,/-]\d)"
    ),
    "nir": re.compile(
        r"(?<![\w.-])[1-478][\s.]?\d{2}[\s.]?(?:0[1-9]|1[0-2]|[2-4]\d|[5-9]\d)[\s.]?"
        r"(?:\d{2}|2[ABab])[\s.]?\d{3}[\s.]?\d{3}[\s.]?\d{2}(?![\w]|[.-]\d)"
    ),
    "siren": re.compile(r"(?<![\w.,-])\d{3}([ .]?)\d{3}\1\d{3}(?![\w]|[.,-]?\d|\s\d)"),
    "siret": re.compile(r"(?<![\w.,-])\d{3}([ .]?)\d{3}\1\d{3}\1?\d{5}(?![\w]|[.,-]\d)"),
    "card": re.compile(
        r"(?<![\w.,-])(?:\d{13,19}"
        r"|\d{4}([ .-])\d{4}\1\d{4}\1\d{4}(?:\1\d{3})?"
        r"|\d{4}([ .-])\d{6}\2\d{4,5})(?![\w]|[.,-]\d)"
    ),
    "iban": re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?:[ -]?[A-Z0-9]){11,30}"),
    "ipv4": re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w]|\.\d)"),
    "pair": re.compile(person._PAIR.pattern.replace("*+", "*").replace("++", "+")),
    "name_like": re.compile(
        r"(?<=[^.!?\s][ \t])[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+[ \t][A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+"
    ),
    "sentence_end": re.compile(
        r"(?<!\bM)(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)(?<!\bPr)(?<!\bSt)[.!?](?=\s)|\n"
    ),
}
_REWRITTEN = {
    "address_fr": address._FR,
    "address_en": address._EN,
    "phone_fr": phone._FR,
    "phone_uk": phone._UK,
    "phone_international": phone._INTERNATIONAL,
    "phone_us": phone._US,
    "nir": fr_nir._NIR,
    "siren": fr_siren._SIREN,
    "siret": fr_siret._SIRET,
    "card": credit_card._CANDIDATE,
    "iban": iban._CANDIDATE,
    "ipv4": ip_address._V4,
    "pair": person._PAIR,
    "name_like": _NAME_LIKE,
    "sentence_end": _SENTENCE_END,
}
_PIECES = [
    *"0123456789 .,-/+()ABab\n\t:!?'’@", "M.", "Mr.", "Dr ", "St.", "Jean", "Dupont", "rue",
    "Street", " 75011 Paris", "FR76", "2A", "06 12 34 56 78", "8.8.8.8", "4970 1012 3456 7890",
    "123 456 789", "12 bis rue des Lilas, ", "Né le ", "born on ", "d.o.b. ", "3 mars 1985",
    "12/03/1985", "Réf. ", "commande ", "n°", "tél", "SIREN ", "rcs", "version ", "v", "server ",
    "build", "é", "É", "€", *CASE_TRAPS, "K", "185057800608436", "1 82 07 2A 051 234 72",
    "443 061 841 00047", "732829320", "4970101234567890", "FR7630006000011234567890189",
    "+33 6 12 34 56 78", "0044 20 7946 0958", "(212) 555-0187", "020 7946 0958", "v2.4.1.0", "1-", "1 (212) 555-0187", "1.212.555.0187",
    "+1 212 555 0187", "00", "(0)", "+44 (0)20 7946 0958",
]  # fmt: skip
texts = st.lists(st.sampled_from(_PIECES), max_size=30).map("".join)


def _spans(pattern: re.Pattern[str], text: str, start: int, end: int) -> list[object]:
    return [(m.span(), m.groups()) for m in pattern.finditer(text, start, end)]


@settings(max_examples=300, deadline=None)
@given(text=texts, data=st.data())
def test_rewritten_patterns_match_like_the_originals(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    for name, original in _ORIGINAL.items():
        assert _spans(_REWRITTEN[name], text, start, end) == _spans(original, text, start, end), (
            name
        )


def test_rewritten_patterns_with_every_neighbour() -> None:
    """Each piece between every pair of neighbours: the look-behinds and look-aheads see
    each boundary character."""
    neighbours = "0123456789 .,-/+()ABab\n\t:!?'’@xX_éÉ"
    for piece in _PIECES:
        for left in ("", *neighbours):
            for right in ("", *neighbours):
                text = f"{left}{piece}{right}"
                for name, original in _ORIGINAL.items():
                    rewritten = _REWRITTEN[name]
                    expected = _spans(original, text, 0, len(text))
                    assert _spans(rewritten, text, 0, len(text)) == expected, (name, text)


@settings(max_examples=300, deadline=None)
@given(text=texts, data=st.data())
def test_birth_cue_scan_matches_finditer(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    fast = [m.span(1) for m in date_of_birth._matches(text, start, end)]
    assert fast == [m.span(1) for m in date_of_birth._DOB.finditer(text, start, end)]


@settings(max_examples=300, deadline=None)
@given(text=texts, data=st.data())
def test_substring_shortcuts_answer_like_the_regexes(text: str, data: st.DataObject) -> None:
    at = data.draw(st.integers(0, len(text)))
    detectors: list[RegexDetector] = [
        PhoneDetector(),
        FrSirenDetector(),
        FrSiretDetector(),
        CreditCardDetector(),
        FrNirDetector(),
        IbanDetector(),
    ]
    for detector in detectors:
        before = context_before(text, at, detector.CONTEXT_WINDOW)
        expected = words_pattern(detector.CONTEXT).search(before) is not None
        assert detector.has_context(text, at) is expected
    assert phone._is_reference(text, at) is (
        phone._NOT_A_PHONE.search(text, max(0, at - 30), at) is not None
    )
    before = context_before(text, at, 40)
    assert ip_address._is_version(before) is (ip_address._VERSION.search(before) is not None)
    if not IbanDetector().applies(text):
        assert iban._CANDIDATE.search(text) is None


def test_case_traps_are_the_only_disagreements_in_the_bmp() -> None:
    """Every character of our word lists: ``re.IGNORECASE`` matches it in exactly the
    characters whose ``lower()`` it is, except the listed traps."""
    words = [
        *PhoneDetector.CONTEXT,
        *FrSirenDetector.CONTEXT,
        *FrSiretDetector.CONTEXT,
        *CreditCardDetector.CONTEXT,
        *FrNirDetector.CONTEXT,
        *IbanDetector.CONTEXT,
        *phone._REFERENCE_STEMS,
        *ip_address._VERSION_STEMS,
    ]
    letters = sorted({c for word in words for c in word.lower()})
    plane = "".join(chr(c) for c in range(0x10000) if not 0xD800 <= c <= 0xDFFF)
    lowered = [c.lower() for c in plane]
    for letter in letters:
        regex = {m.start() for m in re.finditer(re.escape(letter), plane, re.IGNORECASE)}
        by_lower = {i for i, low in enumerate(lowered) if low == letter}
        disagree = {plane[i] for i in regex ^ by_lower}
        assert disagree <= set(CASE_TRAPS), (letter, disagree)
    assert not lower_agrees("ſiren") and lower_agrees("SIREN 123 €")
    assert sys.maxunicode >= 0xFFFF


# The name detector's pair pattern before it required a word start: a pair found inside a
# word can start neither a title nor a run (both look behind for a word character), so
# skipping such pairs must not change a single name.
_PAIR_ANYWHERE = re.compile(rf"[{person._UP}][^\W\d_]*+\.?[ \t]++{person._PARTICLE}?[{person._UP}]")
_NAME_PIECES = [*_PIECES, "JEAN", "DUPONT", "Marie", "De ", "La ", "le ", "xJean ", "aB Cd",
                "Me ", "Mme ", "M. ", "O'", "d'", "-", "Lyon", "Pierre-", "Jean-Pierre "]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(text=st.lists(st.sampled_from(_NAME_PIECES), max_size=30).map("".join))
def test_pairs_at_word_starts_find_the_same_names(text: str) -> None:
    detector = person.PersonDetector()
    fast = list(detector.detect(text, "fr"))
    saved = person._PAIR
    person._PAIR = _PAIR_ANYWHERE
    try:
        assert list(detector.detect(text, "fr")) == fast
    finally:
        person._PAIR = saved


def _fold_reference(token: str) -> str:
    decomposed = unicodedata.normalize("NFKD", token)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=12) | st.text(max_size=12))
def test_fold_shortcut_for_ascii_gives_the_unicode_answer(token: str) -> None:
    assert fold(token) == _fold_reference(token)


def test_fold_of_every_ascii_character() -> None:
    assert all(fold(chr(c)) == _fold_reference(chr(c)) for c in range(128))
    assert fold("Élodie") == "elodie" and fold("DUPONT") == "dupont"
