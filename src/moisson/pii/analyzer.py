"""The analyzer: runs the detectors of a tier on a text and resolves overlaps (PII-01, PII-04).

``fast`` runs rule detectors only (web scale). ``full`` adds an entity model (spaCy NER by
default, or any :class:`~moisson.pii.model.EntityModel`) for PERSON, filtered by the same
stop lists as the rules. When two spans overlap, the label with the stronger evidence wins
(checksummed identifiers first), then the longer span.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from itertools import pairwise
from typing import Literal

from moisson.pii._keywords import KeywordIndex
from moisson.pii._text import lower_agrees, lowered
from moisson.pii._types import LABELS, AnalysisResult, SensitiveHit, Span
from moisson.pii.detectors import Detector, rule_detectors
from moisson.pii.detectors.person import is_stop_name
from moisson.pii.language import detect_language
from moisson.pii.lexicons import fold, non_name_words, street_words
from moisson.pii.model import EntityModel, SpacyNer
from moisson.pii.sensitive import STEMS, SensitiveDetector, merge_windows

__all__ = ("PiiAnalyzer", "Tier")

Tier = Literal["fast", "full"]
_PRIORITY = {
    label: rank
    for rank, label in enumerate(
        (
            "EMAIL",
            "IBAN",
            "FR_NIR",
            "CREDIT_CARD",
            "FR_SIRET",
            "FR_SIREN",
            "IP_ADDRESS",
            "PHONE",
            "DATE_OF_BIRTH",
            "ADDRESS",
            "PERSON",
        )
    )
}
_TITLES = frozenset({"m", "mme", "mlle", "mr", "mrs", "ms", "dr", "pr", "me", "madame", "monsieur"})


# Runs of digits and separators: where every number-shaped identifier must sit. Corsican NIRs
# hold "2A"/"2B" (or "2a"/"2b"), hence the letters, and any blank may separate their groups:
# a whole NIR then lies inside one run.
_DIGIT_RUN = re.compile(r"[0-9][0-9\s.()/+ABab-]{4,}[0-9]")

_DROP_DIGITS = str.maketrans("", "", "0123456789")


def _digit_clusters(text: str) -> list[tuple[int, int, int, int]]:
    """``(window start, window end, digit count, dot count)`` of each run of digits and
    separators; the window adds 16 characters before the run (room for a prefix such as an
    IBAN's country code) and 4 after."""
    out = []
    length = len(text)
    for match in _DIGIT_RUN.finditer(text):
        run = match.group()
        # The run holds only digits, separators and a few letters: the digits are what
        # deleting 0-9 removes (one C call instead of nine counts, PII-04).
        digits = len(run) - len(run.translate(_DROP_DIGITS))
        start, end = match.span()
        out.append((max(0, start - 16), min(length, end + 4), digits, run.count(".")))
    return out


# Windows closer than this are scanned as one: a regex skips a gap of this many characters
# faster than Python calls a detector once more (PII-04).
_WINDOW_GAP = 256


def _digit_windows(
    clusters: list[tuple[int, int, int, int]], need: tuple[int, int], length: int
) -> list[tuple[int, int]]:
    """Merged windows of the clusters holding at least ``need`` digits and dots."""
    digits, dots = need
    if length <= _WINDOW_GAP:
        # Any two windows of a text this short are closer than the gap: one window from the
        # first qualifying cluster to the last (clusters come in order and do not overlap).
        first = last = None
        for cluster in clusters:
            if cluster[2] >= digits and cluster[3] >= dots:
                if first is None:
                    first = cluster
                last = cluster
        return [] if first is None or last is None else [(first[0], last[1])]
    return merge_windows(
        ((start, end) for start, end, d, p in clusters if d >= digits and p >= dots),
        0,
        0,
        length,
        gap=_WINDOW_GAP,
    )


def _resolve(candidates: Iterable[Span]) -> tuple[Span, ...]:
    """Keep non-overlapping spans, strongest label first, then longest."""
    candidates = list(candidates)
    by_start = sorted(candidates, key=lambda s: s.start)
    if all(a.end <= b.start for a, b in pairwise(by_start)):
        return tuple(by_start)  # nothing overlaps: every span is kept (the usual case)
    ordered = sorted(candidates, key=lambda s: (_PRIORITY.get(s.label, 99), s.start - s.end))
    starts: list[int] = []
    kept: list[Span] = []
    for span in ordered:
        i = bisect.bisect_left(starts, span.start)
        if i > 0 and kept[i - 1].end > span.start:
            continue
        if i < len(kept) and kept[i].start < span.end:
            continue
        starts.insert(i, span.start)
        kept.insert(i, span)
    return tuple(kept)


def _model_person(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Trim and vet a PERSON entity from a model with the rule tier's stop lists."""
    value = text[start:end]
    words = value.split()
    while words and fold(words[0].rstrip(".")) in _TITLES:
        start = text.index(words[1], start) if len(words) > 1 else end
        words = words[1:]
    if len(words) < 2 or len(words) > 4 or any(c.isdigit() or c in "@/:" for c in value):
        return None
    if not all(w[0].isupper() or fold(w) in {"de", "du", "van", "von", "le", "la"} for w in words):
        return None
    stops = non_name_words()
    if fold(words[0]) in stops or fold(words[-1]) in stops or is_stop_name(" ".join(words)):
        return None
    before = text[max(0, start - 25) : start].split()
    if before and fold(before[-1].strip(",.:;(")) in street_words():
        return None
    if "\n" in text[start:end]:
        return None  # an entity across lines is a layout accident, not a name
    while end > start and not text[end - 1].isalnum():
        end -= 1
    return start, end


class PiiAnalyzer:
    """Finds personal data in a text.

    Example::

        analyzer = PiiAnalyzer(tier="fast")
        result = analyzer.analyze("Écrire à jean.dupont@exemple.fr")
        [s.label for s in result.spans]   # ['EMAIL']
    """

    def __init__(
        self,
        tier: Tier = "fast",
        *,
        labels: Iterable[str] | None = None,
        detectors: list[Detector] | None = None,
        model: EntityModel | None = None,
        sensitive: bool = True,
    ) -> None:
        self.tier: Tier = tier
        wanted = set(labels) if labels is not None else set(LABELS)
        chosen = rule_detectors() if detectors is None else detectors  # [] means none
        self.detectors = [d for d in chosen if d.label in wanted]
        self.labels = frozenset(wanted)
        self._model = model
        self._sensitive = SensitiveDetector() if sensitive else None
        groups = {d.name: d.KEYWORDS for d in self.detectors if d.TRIGGER == "keywords"}
        # The keyword group whose hits let a gated detector run.
        self._gates = {d.name: f"gate/{d.name}" for d in self.detectors if d.GATE}
        groups.update({self._gates[d.name]: d.GATE for d in self.detectors if d.GATE})
        if sensitive:
            for category, stems in STEMS.items():
                groups[f"sensitive/{category}"] = stems
        self._keywords = KeywordIndex(groups)
        # What the per-text loop needs of each detector, looked up once (PII-04): its trigger,
        # gate group, whether it overrides ``keep_hit`` / ``applies``, window and digit need.
        self._plan = [
            (
                d,
                d.TRIGGER,
                self._gates.get(d.name),
                type(d).keep_hit is not Detector.keep_hit,
                type(d).applies is not Detector.applies,
                d.WINDOW,
                (d.MIN_DIGITS, 3 if d.label == "IP_ADDRESS" else 0),
            )
            for d in self.detectors
        ]

    @property
    def model(self) -> EntityModel | None:
        """The entity model of the full tier, loaded on first use."""
        if self.tier == "full" and self._model is None:
            self._model = SpacyNer()
        return self._model

    def _rule_spans(
        self, text: str, lang: str
    ) -> tuple[list[Span], dict[str, list[tuple[int, int]]]]:
        """Run every rule detector where its trigger says it can match (PII-04)."""
        hits = self._keywords.find(lowered(text))
        candidates: list[Span] = []
        length = len(text)
        clusters: list[tuple[int, int, int, int]] | None = None
        digit_windows: dict[tuple[int, int], list[tuple[int, int]]] = {}
        gates_apply: bool | None = None
        for detector, trigger, gate, keeps, applies, window, need in self._plan:
            if gate is not None and gate not in hits:
                if gates_apply is None:
                    gates_apply = lower_agrees(text)
                if gates_apply:
                    continue  # none of its required context words: it cannot find anything
            if trigger == "keywords":
                keyword_hits = hits.get(detector.name)
                if not keyword_hits:
                    continue  # no cue, no window: skip the detector outright
                if keeps:
                    keep = detector.keep_hit
                    keyword_hits = [h for h in keyword_hits if keep(text, *h)]
                merged = merge_windows(keyword_hits, *window, length, gap=_WINDOW_GAP)
                for start, end in merged:
                    candidates.extend(detector.detect(text, lang, start, end))
            elif trigger == "digits":
                if clusters is None:
                    clusters = _digit_clusters(text)
                if not clusters or (applies and not detector.applies(text)):
                    continue
                windows = digit_windows.get(need)
                if windows is None:
                    windows = digit_windows[need] = _digit_windows(clusters, need, length)
                for start, end in windows:
                    candidates.extend(detector.detect(text, lang, start, end))
            elif not applies or detector.applies(text):
                candidates.extend(detector.detect(text, lang))
        return candidates, hits

    def analyze(self, text: str, lang: str | None = None) -> AnalysisResult:
        """Detect personal data and special categories in ``text``."""
        model = self.model
        if not lang and model is not None:
            lang = detect_language(text)
        # Without a model, "" tells the rules the language is unknown: the one rule that needs
        # it detects it, most texts never pay for detection (PII-04).
        lang = lang or ""
        candidates, hits = self._rule_spans(text, lang)
        if model is not None and "PERSON" in self.labels:
            for start, end, label, score in model.entities(text, lang):
                if label != "PERSON":
                    continue
                vetted = _model_person(text, start, end)
                if vetted is not None:
                    candidates.append(Span(*vetted, "PERSON", score, model.name))
        spans = _resolve(candidates)
        sensitive: tuple[SensitiveHit, ...] = ()
        if self._sensitive is not None:
            windows = {
                group.removeprefix("sensitive/"): merge_windows(
                    found, *SensitiveDetector.WINDOW, len(text)
                )
                for group, found in hits.items()
                if group.startswith("sensitive/")
            }
            if windows:
                persons = [s for s in spans if s.label == "PERSON"]
                sensitive = tuple(self._sensitive.detect(text, persons, windows))
        return AnalysisResult(spans=spans, sensitive=sensitive, known_lang=lang, text=text)
