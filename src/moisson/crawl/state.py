"""What the gate middlewares and the store pipeline of one crawl share.

One :class:`CrawlState` per Scrapy crawler holds the policy, the opt-out engine, the category
matcher and the refusal log. Every refusal is counted by reason (``crawl/refused/<reason>``) and,
for opt-outs, by family (``optout/refused/<family>``): the run-stats conventions that feed the
AI Act summary and the demo report (brief SCR-05, SCR-04, SCR-07, SCR-12).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy.exceptions import IgnoreRequest

from moisson.crawl.resolver import parse_resolve
from moisson.crawl.sitecategories import CategoryMatcher
from moisson.optout import LocalOptoutList, OptoutEngine, Verdict
from moisson.workspace import Policy, Workspace

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

__all__ = ("CrawlState", "Refusal", "RefusedRequest")

_STATE_ATTR = "_moisson_crawl_state"


@dataclass(frozen=True, slots=True)
class Refusal:
    """One refused URL: why, which opt-out families, and at which stage it was decided."""

    url: str
    reason: str  # optout | login | captcha | category | size | type | window
    stage: str  # request | site-files | headers | page
    families: tuple[str, ...] = ()
    detail: str = ""
    redirect_to: str | None = None


class RefusedRequest(IgnoreRequest):
    """``IgnoreRequest`` carrying the :class:`Refusal` (Scrapy drops the request quietly)."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(f"refused ({refusal.reason}): {refusal.detail or refusal.url}")
        self.refusal = refusal


@dataclass
class CrawlState:
    """Policy, engine and refusal log of one crawl; get it with :meth:`of`."""

    policy: Policy
    workspace: Workspace | None
    engine: OptoutEngine
    categories: CategoryMatcher
    purpose: str
    resolve: dict[str, str]
    stats: Any
    refusals: list[Refusal] = field(default_factory=list)

    @classmethod
    def of(cls, crawler: Crawler) -> CrawlState:
        state: CrawlState | None = getattr(crawler, _STATE_ATTR, None)
        if state is None:
            state = cls._build(crawler)
            setattr(crawler, _STATE_ATTR, state)
        return state

    @classmethod
    def _build(cls, crawler: Crawler) -> CrawlState:
        from moisson.crawl.sitefetch import ScrapySiteFileFetcher

        settings = crawler.settings
        root = settings.get("MOISSON_WORKSPACE")
        workspace = Workspace.open(Path(root)) if root else None
        policy = workspace.policy if workspace is not None else Policy()
        local = LocalOptoutList.load(workspace) if workspace is not None else None
        tokens = [policy.crawler.agent_token, *policy.crawler.ai_tokens]
        engine = OptoutEngine(
            tokens,
            ScrapySiteFileFetcher(),
            local,
            cache_ttl_seconds=policy.optout.cache_ttl_hours * 3600,
            fail_closed=policy.optout.fail_closed,
        )
        categories = CategoryMatcher.from_policy(
            policy.crawler.excluded_categories, policy.crawler.excluded_domains
        )
        purposes = policy.collection.purposes
        return cls(
            policy=policy,
            workspace=workspace,
            engine=engine,
            categories=categories,
            purpose=purposes[0] if purposes else "train-ai",
            resolve=parse_resolve(settings.get("MOISSON_RESOLVE")),
            stats=crawler.stats,
        )

    def refuse(
        self,
        url: str,
        reason: str,
        *,
        stage: str,
        verdict: Verdict | None = None,
        detail: str = "",
        redirect_to: str | None = None,
    ) -> RefusedRequest:
        """Record and count a refusal; return the exception the middleware raises."""
        families = tuple(verdict.refusing_families) if verdict is not None else ()
        refusal = Refusal(url, reason, stage, families, detail, redirect_to)
        self.refusals.append(refusal)
        self.stats.inc_value(f"crawl/refused/{reason}")
        self.stats.inc_value("crawl/refused")
        for family in families:
            self.stats.inc_value(f"optout/refused/{family}")
        return RefusedRequest(refusal)

    def write_refusals(self, path: Path) -> None:
        """One JSON line a refusal (URLs and reasons only: no page content, no identifier)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8") as fh:
            for refusal in self.refusals:
                fh.write(json.dumps(asdict(refusal), sort_keys=True) + "\n")
