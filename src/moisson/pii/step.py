"""The collection-time minimiser step, run in ingest and crawl before anything is written.

SCR-09: personal data is pseudonymised or removed right after collection. SCR-10: special
categories are flagged (or the document dropped) as soon as known. PII-05: every decision is
written as a sidecar attribute row keyed by ``doc_id``, never with the clear value.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import ClassVar

from moisson.pii._types import Span
from moisson.pii.analyzer import PiiAnalyzer
from moisson.pii.model import load_entity_model
from moisson.pii.redact import Pseudonymiser, Redaction, minimise
from moisson.pipeline.step import Step, TaskContext
from moisson.store.document import Document
from moisson.workspace.config import PiiSettings

__all__ = ("PiiMinimiser",)


def _offset_map(rows: Sequence[Redaction], spans: Sequence[Span]) -> Callable[[int], int]:
    """Map an offset of the input text to the output text (inside a span: its token start)."""
    ordered = sorted(spans, key=lambda s: s.start)
    starts = [s.start for s in ordered]

    def shift(offset: int) -> int:
        i = bisect.bisect_right(starts, offset) - 1
        if i < 0:
            return offset
        span, row = ordered[i], rows[i]
        if offset < span.end:
            return row.start
        return row.end + (offset - span.end)

    return shift


class PiiMinimiser(Step):
    """Detect, then keep / mask / pseudonymise / drop per ``policy.pii``.

    Stats: ``pii/<LABEL>`` (found), ``pii/action/<action>`` (per span; ``drop`` per document),
    ``sensitive/<CATEGORY>``, ``dropped/pii/<reason>`` and ``dropped``.
    """

    name: ClassVar[str] = "pii"

    def __init__(self, settings: PiiSettings | None = None) -> None:
        self.settings = settings or PiiSettings()
        self._analyzer: PiiAnalyzer | None = None

    def __getstate__(self) -> dict[str, object]:
        return {"settings": self.settings, "_analyzer": None}  # models reload per worker

    def setup(self, ctx: TaskContext) -> None:
        self._analyzer_ready()

    def _analyzer_ready(self) -> PiiAnalyzer:
        if self._analyzer is None:
            model = self.settings.model
            self._analyzer = PiiAnalyzer(
                tier=self.settings.tier,
                model=load_entity_model(model) if model and self.settings.tier == "full" else None,
            )
        return self._analyzer

    def run(self, docs: Iterable[Document], ctx: TaskContext) -> Iterator[Document]:
        analyzer = self._analyzer_ready()
        settings = self.settings
        pseudonymiser = Pseudonymiser(ctx.keyed_hash)
        for doc in docs:
            result = analyzer.analyze(doc.text, lang=doc.lang)
            for span in result.spans:
                ctx.stats[f"pii/{span.label}"] += 1
            for hit in result.sensitive:
                ctx.stats[f"sensitive/{hit.category}"] += 1
            outcome = minimise(
                doc.text,
                result,
                actions=settings.actions,
                default_action=settings.default_action,
                drop_document_above=settings.drop_document_above,
                special_categories=settings.special_categories,
                pseudonymiser=pseudonymiser,
            )
            if outcome.drop_reason is not None:
                ctx.stats[f"dropped/{self.name}/{outcome.drop_reason}"] += 1
                ctx.stats["dropped"] += 1
                ctx.stats["pii/action/drop"] += 1
                continue
            shift = _offset_map(outcome.rows, result.spans)
            doc.text = outcome.text
            rows = [row.to_dict() for row in outcome.rows]
            doc.meta["pii"] = rows
            for row in rows:
                ctx.stats[f"pii/action/{row['action']}"] += 1
                ctx.attributes.add("pii", doc.doc_id, **row)
            sensitive_rows = []
            for hit in result.sensitive:
                start, end = shift(hit.start), shift(hit.end)
                sensitive_rows.append({"category": hit.category, "start": start, "end": end})
                ctx.attributes.add(
                    "sensitive", doc.doc_id, category=hit.category, start=start, end=end
                )
            if sensitive_rows:
                doc.meta["sensitive"] = sensitive_rows
            yield doc
