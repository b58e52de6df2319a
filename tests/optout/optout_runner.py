"""Run a conformance case through moisson against the loopback fixture server."""

from __future__ import annotations

from typing import Any

from fixture_server import FixtureServer
from optout_cases import Case, case_url

from moisson.optout import HttpxFetcher, LocalOptoutList, OptoutEngine, Verdict
from moisson.optout.check import check_url

__all__ = ("make_engine", "run_moisson")

FETCH_TIMEOUT = 0.5


def make_engine(case: Case, server: FixtureServer) -> tuple[OptoutEngine, HttpxFetcher]:
    opts: dict[str, Any] = dict(case.engine)
    local = opts.pop("local_domains", None)
    fetcher = HttpxFetcher(timeout=FETCH_TIMEOUT, resolve=server.resolve_map())
    engine = OptoutEngine(case.tokens, fetcher, LocalOptoutList(local) if local else None, **opts)
    return engine, fetcher


def run_moisson(case: Case, server: FixtureServer) -> Verdict:
    engine, fetcher = make_engine(case, server)
    try:
        embedding = case_url(case, server, case.embedding_page) if case.embedding_page else None
        return check_url(
            engine,
            fetcher,
            case_url(case, server),
            purpose=case.purpose,
            embedding_page_url=embedding,
            head_first=case.head_first,
        )
    finally:
        fetcher.close()
