"""Helpers shared by the gate middlewares."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scrapy.exceptions import NotConfigured

from moisson.crawl.sitefetch import SITE_FILE_META

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler

__all__ = (
    "HOPS_META",
    "REFUSAL_META",
    "VERDICT_META",
    "is_redirect",
    "is_site_file",
    "require_enabled",
    "without_tdmrep",
)

HOPS_META = "moisson_hops"  # [{"url", "status", "headers", "verdict"}] of redirect hops
REFUSAL_META = "moisson_refusal"  # refusal decided at headers_received, raised in process_response
VERDICT_META = "moisson_signals"  # {"site": ..., "headers": ..., "final": ...} verdict JSON


def require_enabled(crawler: Crawler, setting: str) -> None:
    """Raise ``NotConfigured`` unless the gate and this middleware are both enabled."""
    settings = crawler.settings
    if not settings.getbool("MOISSON_GATE_ENABLED", True) or not settings.getbool(setting, True):
        msg = f"{setting} is off"
        raise NotConfigured(msg)


def is_site_file(request: Request) -> bool:
    return bool(request.meta.get(SITE_FILE_META))


def is_redirect(status: int, headers: Any) -> bool:
    return status in (301, 302, 303, 307, 308) and bool(headers.get(b"Location"))


def without_tdmrep(families: list[str]) -> list[str]:
    """TDMRep is "most local wins" (file < header < meta): a reservation seen before the page
    meta may still be lifted by it (T-07, T-09), so it only decides at the page stage."""
    return [f for f in families if f != "tdmrep"]
