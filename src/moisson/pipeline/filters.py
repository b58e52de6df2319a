"""Policy filters applied to every collected document (SCR-02, SCR-12).

What the policy says is not needed is dropped at collection time and counted per reason.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from moisson.pipeline.step import Filter, TaskContext
from moisson.store.document import Document

__all__ = ("CollectionWindowFilter", "LanguageFilter", "LengthFilter")


class LengthFilter(Filter):
    """Drop near-empty and oversized documents (SCR-02)."""

    name = "length"

    def __init__(self, *, min_chars: int, max_bytes: int) -> None:
        self.min_chars = min_chars
        self.max_bytes = max_bytes

    def keep(self, doc: Document, ctx: TaskContext) -> tuple[bool, str | None]:
        if len(doc.text.strip()) < max(self.min_chars, 1):
            return False, "too_short"
        if (
            len(doc.text) * 4 > self.max_bytes
            and len(doc.text.encode("utf-8", "surrogatepass")) > self.max_bytes
        ):
            return False, "too_large"
        return True, None


class LanguageFilter(Filter):
    """Tag each document's language when missing; drop languages the policy does not collect."""

    name = "language"

    def __init__(self, languages: list[str]) -> None:
        self.languages = frozenset(languages)

    def keep(self, doc: Document, ctx: TaskContext) -> tuple[bool, str | None]:
        if doc.lang is None:
            from moisson.sources import detect_language

            doc.lang, _score = detect_language(doc.text)
        if self.languages and doc.lang not in self.languages:
            return False, f"lang_{doc.lang or 'unknown'}"
        return True, None


class CollectionWindowFilter(Filter):
    """Drop documents fetched outside the declared collection period (SCR-12)."""

    name = "window"

    def __init__(self, start: date | None, end: date | None) -> None:
        self.start = datetime.combine(start, time.min, UTC) if start else None
        self.end = datetime.combine(end, time.max, UTC) if end else None

    def keep(self, doc: Document, ctx: TaskContext) -> tuple[bool, str | None]:
        at = doc.fetched_at
        if at is None:
            return True, None
        if at.tzinfo is None:
            at = at.replace(tzinfo=UTC)
        if self.start and at < self.start:
            return False, "before_period"
        if self.end and at > self.end:
            return False, "after_period"
        return True, None
