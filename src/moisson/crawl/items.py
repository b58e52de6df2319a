"""The page item a spider yields for the store pipeline, built from a gated response."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from moisson.crawl.middlewares._common import HOPS_META, VERDICT_META
from moisson.crawl.middlewares.meta import HTML_META
from moisson.crawl.sitefetch import header_pairs

if TYPE_CHECKING:
    from scrapy.http import Response

__all__ = ("PageItem", "page_item")


@dataclass(slots=True)
class PageItem:
    """One fetched page with what the gate saw: headers, meta, verdicts of every stage."""

    url: str
    status: int
    body: bytes
    encoding: str | None
    headers: list[tuple[str, str]]
    html_meta: list[tuple[str, str]]
    signals: dict[str, Any]
    fetched_at: datetime
    redirect_hops: list[dict[str, Any]] = field(default_factory=list)


def page_item(response: Response) -> PageItem:
    """Build the item for ``response``; use it in any spider's callback."""
    meta = response.meta
    hops = meta.get(HOPS_META, [])
    signals: dict[str, Any] = dict(meta.get(VERDICT_META, {}))
    if hops:
        signals["redirect_hops"] = [
            {"url": h["url"], "status": h["status"], "verdict": h["verdict"]} for h in hops
        ]
    return PageItem(
        url=response.url,
        status=response.status,
        body=bytes(response.body),
        encoding=getattr(response, "encoding", None),
        headers=header_pairs(response.headers),
        html_meta=list(meta.get(HTML_META, [])),
        signals=signals,
        fetched_at=datetime.now(UTC),
        redirect_hops=hops,
    )
