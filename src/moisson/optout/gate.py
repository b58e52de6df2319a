"""The opt-out gate: the pipeline step that drops refused documents at ingest and re-check.

It evaluates each document's recorded response headers and page meta (and, with
``live=True``, today's site files), writes the evidence into ``doc.signals["optout"]`` and drops
the document when any family refuses (SCR-05/06/13, SCR-08). Each drop is counted as
``optout/refused/<family>`` (run-stats convention) and ``dropped/optout/<family>``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from moisson.optout._engine import OptoutEngine
from moisson.optout._fetch import HttpxFetcher
from moisson.optout._local import LocalOptoutList
from moisson.optout._verdict import Verdict
from moisson.pipeline.step import Filter, TaskContext
from moisson.store.document import Document

__all__ = ("OptoutGate", "engine_for_workspace", "pii_hashes")


def engine_for_workspace(
    root: Path | None,
    *,
    live: bool = False,
    agent_tokens: Iterable[str] | None = None,
    resolve: dict[str, str] | None = None,
) -> OptoutEngine:
    """An engine configured from the workspace policy (or the default policy when None)."""
    from moisson.workspace import Policy, Workspace

    local: LocalOptoutList | None = None
    if root is not None:
        workspace = Workspace.open(root)
        policy = workspace.policy
        local = LocalOptoutList.load(workspace)
    else:
        policy = Policy()
    tokens = list(agent_tokens or [policy.crawler.agent_token, *policy.crawler.ai_tokens])
    fetcher = (
        HttpxFetcher(
            timeout=policy.crawler.timeout_seconds,
            user_agent=policy.crawler.user_agent,
            resolve=resolve,
        )
        if live
        else None
    )
    return OptoutEngine(
        tokens,
        fetcher,
        local,
        cache_ttl_seconds=policy.optout.cache_ttl_hours * 3600,
        fail_closed=policy.optout.fail_closed,
    )


def pii_hashes(doc: Document) -> list[str]:
    """Keyed hashes of identifiers already detected in the document (never clear values)."""
    found = doc.meta.get("pii") or []
    return [str(d["key_hash"]) for d in found if isinstance(d, dict) and d.get("key_hash")]


class OptoutGate(Filter):
    """Drop documents that any opt-out family refuses for the purpose (default train-ai)."""

    name = "optout"

    def __init__(
        self,
        workspace: Any = None,
        *,
        live: bool = False,
        purpose: str = "train-ai",
        agent_tokens: Iterable[str] | None = None,
        engine: OptoutEngine | None = None,
        resolve: dict[str, str] | None = None,
    ) -> None:
        root = getattr(workspace, "root", workspace)
        self.root: Path | None = Path(root) if root is not None else None
        self.live = live
        self.purpose = purpose
        self.agent_tokens = list(agent_tokens) if agent_tokens else None
        self.resolve = resolve
        self.engine = engine

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["engine"] = None  # rebuilt per worker in setup (caches and clients don't pickle)
        return state

    def setup(self, ctx: TaskContext) -> None:
        if self.engine is None:
            root = self.root or ctx.workspace_root
            self.engine = engine_for_workspace(
                root, live=self.live, agent_tokens=self.agent_tokens, resolve=self.resolve
            )

    def verdict(self, doc: Document, ctx: TaskContext | None = None) -> Verdict:
        if self.engine is None:
            self.engine = engine_for_workspace(
                self.root or (ctx.workspace_root if ctx else None),
                live=self.live,
                agent_tokens=self.agent_tokens,
                resolve=self.resolve,
            )
        return self.engine.evaluate(
            doc.url or "",
            headers=doc.http_headers,
            html_meta=doc.html_meta,
            purpose=self.purpose,
            site_files=self.live and bool(doc.url),
            identifier_hashes=pii_hashes(doc),
        )

    def keep(self, doc: Document, ctx: TaskContext) -> tuple[bool, str | None]:
        verdict = self.verdict(doc, ctx)
        doc.signals["optout"] = verdict.to_json()
        if verdict.decision != "disallow":
            return True, None
        family = verdict.refusing_families[0]
        ctx.stats[f"optout/refused/{family}"] += 1
        return False, family
