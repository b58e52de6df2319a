"""The Scrapy add-on: ``ADDONS = {"moisson.crawl.addon.MoissonAddon": 0}`` in any project.

It plugs the gate middlewares, the backoff retry and the store pipeline into the project's
settings, turns Scrapy's own robots.txt middleware off (the site-file gate evaluates robots.txt
with every AI token and fails closed on 5xx, which Scrapy's does not: optout-signals.md §2.8),
and applies the workspace policy (``MOISSON_WORKSPACE``): user agent linking to the public
notice (SCR-11), per-host concurrency and delay, retries, timeout, size cap.

Settings read: ``MOISSON_WORKSPACE``, ``MOISSON_DATASET``, ``MOISSON_RESOLVE`` (with
``TWISTED_DNS_RESOLVER = "moisson.crawl.resolver.MappedResolver"``), ``MOISSON_GATE_ENABLED``,
``MOISSON_STORE_ENABLED``, one ``MOISSON_<PART>_ENABLED`` per middleware,
``MOISSON_RETRY_BACKOFF_BASE`` / ``_MAX``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from moisson.workspace import Policy, Workspace

__all__ = ("DOWNLOADER_MIDDLEWARES", "MoissonAddon", "policy_settings")

_MW = "moisson.crawl.middlewares"
# Request side runs low -> high, response side high -> low. Scrapy's RedirectMiddleware is at
# 600 and HttpCompressionMiddleware at 590: header checks sit above them (they see every
# redirect hop), body checks below them (they see the decoded final page).
DOWNLOADER_MIDDLEWARES: dict[str, int] = {
    f"{_MW}.window.CollectionWindowMiddleware": 40,
    f"{_MW}.category.CategoryExclusionMiddleware": 45,
    f"{_MW}.sitefiles.SiteFileGateMiddleware": 60,
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,  # type: ignore[dict-item]
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,  # type: ignore[dict-item]
    f"{_MW}.retry.BackoffRetryMiddleware": 550,
    f"{_MW}.access.AccessBarrierMiddleware": 570,
    f"{_MW}.meta.MetaGateMiddleware": 565,
    f"{_MW}.limits.SizeTypeLimitMiddleware": 640,
    f"{_MW}.headers.HeaderGateMiddleware": 650,
}
ITEM_PIPELINES = {"moisson.crawl.pipeline.StorePipeline": 300}


def policy_settings(policy: Policy) -> dict[str, Any]:
    """Scrapy settings that carry the policy's crawler section."""
    crawler = policy.crawler
    return {
        "USER_AGENT": crawler.user_agent,
        "ROBOTSTXT_OBEY": False,
        "CONCURRENT_REQUESTS_PER_DOMAIN": crawler.concurrency_per_host,
        "DOWNLOAD_DELAY": crawler.delay_seconds,
        "RETRY_TIMES": crawler.retries,
        "DOWNLOAD_TIMEOUT": crawler.timeout_seconds,
        # Hard backstop above the gate's own limit so the gate records the refusal first.
        "DOWNLOAD_MAXSIZE": crawler.max_response_bytes * 2,
        "COOKIES_ENABLED": False,  # no session, no account (SCR-04)
    }


class MoissonAddon:
    """Scrapy add-on enabling the compliant gate and the store pipeline."""

    def update_settings(self, settings: Any) -> None:
        middlewares = dict(settings.getdict("DOWNLOADER_MIDDLEWARES"))
        for path, order in DOWNLOADER_MIDDLEWARES.items():
            middlewares.setdefault(path, order)
        settings.set("DOWNLOADER_MIDDLEWARES", middlewares, priority="addon")
        pipelines = dict(settings.getdict("ITEM_PIPELINES"))
        for path, order in ITEM_PIPELINES.items():
            pipelines.setdefault(path, order)
        settings.set("ITEM_PIPELINES", pipelines, priority="addon")
        root = settings.get("MOISSON_WORKSPACE")
        policy = Workspace.open(Path(root)).policy if root else Policy()
        for key, value in policy_settings(policy).items():
            settings.set(key, value, priority="addon")
