"""The item pipeline: gated pages become documents, minimised, then stored as a dataset version.

Each :class:`~moisson.crawl.items.PageItem` becomes a :class:`~moisson.store.Document` (text by
trafilatura, response headers, page meta, the signal snapshot of every stage and redirect hop).
At close, the documents run through the collection steps shared with ingest
(``moisson.pipeline.collection_steps``: filters, PII minimisation before anything is written,
SCR-09; suppression list, SCR-08) and are written as one new version. The ledger run records
the policy hash and the stats: per-domain documents and bytes (AI Act summary, SCR-12), every
refusal by reason and by opt-out family.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from scrapy.exceptions import DropItem, NotConfigured

from moisson.crawl.items import PageItem
from moisson.crawl.state import CrawlState
from moisson.store.document import Document

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

__all__ = ("StorePipeline", "page_to_document")

RUN_KIND = "crawl"
_STAT_PREFIXES = ("crawl/", "optout/")


def page_to_document(item: PageItem) -> Document | None:
    """Extract the main text with trafilatura; None when the page has no text."""
    import trafilatura

    from moisson.sources.html import decode_payload, has_many_table_cells

    # The site names the charset: one that is not a text encoding (idna raises even with
    # errors="replace", utf-7 yields lone surrogates that crash PII and Parquet later) falls
    # back to UTF-8, the <meta> charset, then cp1252, as WARC ingest does.
    html = decode_payload(item.body, item.encoding or "utf-8")
    text = trafilatura.extract(
        html,
        url=item.url,
        include_comments=False,
        # trafilatura is quadratic in the cells of one table row (see MAX_TABLE_CELLS).
        include_tables=not has_many_table_cells(html),
        deduplicate=False,
    )
    if not text or not text.strip():
        return None
    return Document.new(
        text,
        url=item.url,
        fetched_at=item.fetched_at,
        http_headers=list(item.headers),
        html_meta=list(item.html_meta),
        signals={"optout": item.signals, "collected_by": "moisson crawl"},
    )


class StorePipeline:
    """Collects documents during the crawl and writes one dataset version at close."""

    def __init__(self, crawler: Crawler, state: CrawlState, dataset: str) -> None:
        if state.workspace is None:
            msg = "MOISSON_WORKSPACE is not set: nowhere to store documents"
            raise NotConfigured(msg)
        self.crawler = crawler
        self.state = state
        self.workspace = state.workspace
        self.dataset = dataset
        self.docs: list[Document] = []
        self.run_id: int | None = None
        self.result: dict[str, Any] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        if not crawler.settings.getbool("MOISSON_STORE_ENABLED", True):
            msg = "MOISSON_STORE_ENABLED is off"
            raise NotConfigured(msg)
        dataset = crawler.settings.get("MOISSON_DATASET") or "crawl"
        return cls(crawler, CrawlState.of(crawler), dataset)

    def open_spider(self) -> None:
        from moisson.ledger import Ledger

        spider = self.crawler.spider
        seeds = list(getattr(spider, "start_urls", []))
        with Ledger.open(self.workspace) as ledger:
            self.run_id = ledger.start_run(
                RUN_KIND,
                policy_hash=self.state.policy.policy_hash(),
                params={"dataset": self.dataset, "seeds": seeds[:100], "seed_count": len(seeds)},
            )

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, PageItem):
            return item
        doc = page_to_document(item)
        if doc is None:
            self.crawler.stats.inc_value("crawl/dropped/no_text")
            msg = f"no extractable text: {item.url}"
            raise DropItem(msg)
        self.docs.append(doc)
        return item

    def close_spider(self) -> None:
        try:
            self._store()
        except Exception as exc:  # recorded in the ledger and re-raised by the runner
            msg = f"storing the crawl failed: {type(exc).__name__}: {exc}"
            self.crawler.stats.set_value("moisson/error", msg)
            if self.run_id is not None:
                from moisson.ledger import Ledger

                with Ledger.open(self.workspace) as ledger:
                    ledger.finish_run(self.run_id, status="failed", stats={})
            raise

    def _store(self) -> None:
        from moisson.ledger import Ledger
        from moisson.pipeline import collection_steps, run_steps
        from moisson.pipeline.step import TaskContext
        from moisson.store import DatasetStore

        ctx = TaskContext(
            task_id=f"crawl-{self.run_id}",
            workspace_root=self.workspace.root,
            secret=self.workspace.secret,
            dataset=self.dataset,
        )
        # The crawler's gate already evaluated every opt-out family live, with the site files
        # of the moment, and stored the snapshot: the re-check step would only repeat it.
        steps = collection_steps(self.workspace, optout=False)
        for step in steps:
            step.setup(ctx)
        kept = list(run_steps(steps, self.docs, ctx))
        stats: Counter[str] = Counter(ctx.stats)
        stats["docs/in"] = len(self.docs)
        stats["docs/out"] = len(kept)
        for doc in kept:
            size = len(doc.text.encode("utf-8", "surrogatepass"))
            stats["bytes/out"] += size
            stats[f"domain_docs/{doc.domain}"] += 1
            stats[f"domain_bytes/{doc.domain}"] += size
        for key, value in self.crawler.stats.get_stats().items():
            if key.startswith(_STAT_PREFIXES) and isinstance(value, int):
                stats[key] = value
        store = DatasetStore(self.workspace)
        version = store.create_version(
            self.dataset,
            kept,
            reason=f"crawl run {self.run_id}",
            run_id=self.run_id,
            attributes=ctx.attributes.rows,
        )
        from moisson.errors import LedgerError
        from moisson.pipeline.ingestion import index_person_data

        index_person_data(self.workspace, version)
        if self.run_id is None:
            msg = "crawl pipeline closed without a ledger run"
            raise LedgerError(msg)
        with Ledger.open(self.workspace) as ledger:
            ledger.finish_run(self.run_id, status="completed", stats=dict(stats))
        refusals = self.workspace.path("runs", f"crawl-{self.run_id}", "refusals.jsonl")
        self.state.write_refusals(refusals)
        self.result = {
            "run_id": self.run_id,
            "dataset": self.dataset,
            "version": version.version,
            "documents": version.document_count,
            "refusals_file": str(refusals),
            "stats": dict(stats),
        }
        self.crawler.stats.set_value("moisson/result", self.result)
