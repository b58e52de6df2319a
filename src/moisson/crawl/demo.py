"""Demo stage of the crawler: crawl the embedded demo sites served on loopback.

The made-up ``*.example`` hosts are served by :class:`~moisson.demo.sites.DemoSiteServer` and
resolved to 127.0.0.1 by the crawler's own resolver; the crawl runs in a child process (one
Twisted reactor per process). The report lists what was kept and every refusal with its reason.
"""

from __future__ import annotations

import html
from collections import Counter

from moisson.crawl.runner import CrawlResult, run_crawl_subprocess
from moisson.demo.sites import DemoSiteServer, DemoWeb
from moisson.demo.stage import DemoContext, StageReport

__all__ = ("demo_stage", "refusal_table_html")


def refusal_table_html(result: CrawlResult, *, strip_port: bool = True) -> str:
    """An HTML table of refusals (URL, reason, opt-out families, stage, detail)."""
    rows = []
    for r in sorted(result.refusals, key=lambda r: (r.reason, r.url)):
        url = r.url
        if strip_port:
            url = _strip_port(url)
        rows.append(
            "<tr>"
            f"<td>{html.escape(url)}</td><td>{html.escape(r.reason)}</td>"
            f"<td>{html.escape(', '.join(r.families))}</td><td>{html.escape(r.stage)}</td>"
            f"<td>{html.escape(r.detail)}</td>"
            "</tr>"
        )
    head = (
        "<thead><tr><th scope='col'>URL</th><th scope='col'>reason</th>"
        "<th scope='col'>opt-out families</th><th scope='col'>stage</th>"
        "<th scope='col'>detail</th></tr></thead>"
    )
    caption = "<caption>Pages refused by the crawler, and why</caption>"
    return f"<table>{caption}{head}<tbody>{''.join(rows)}</tbody></table>"


def _strip_port(url: str) -> str:
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.hostname or "", parts.path, parts.query, ""))


def demo_stage(ctx: DemoContext) -> StageReport:
    dataset = str(ctx.state.get("crawl_dataset", "demo-crawl"))
    web = DemoWeb.generate()
    with DemoSiteServer(web) as server:
        result = run_crawl_subprocess(
            server.seeds(),
            workspace=ctx.workspace.root,
            dataset=dataset,
            resolve=server.resolve_map(),
            extra_settings={"MOISSON_RETRY_BACKOFF_BASE": 0.1},
        )
    ctx.state["crawl_dataset"] = dataset
    ctx.state["crawl_version"] = result.version
    by_reason = result.refused_by_reason()
    families = Counter(f for r in result.refusals for f in r.families)
    summary = {
        "documents kept": result.documents,
        "pages refused": len(result.refusals),
        **{f"refused: {k}": v for k, v in by_reason.items()},
    }
    reason_rows = "".join(
        f"<tr><td>{html.escape(k)}</td><td>{v}</td></tr>" for k, v in by_reason.items()
    )
    family_rows = "".join(
        f"<tr><td>{html.escape(k)}</td><td>{v}</td></tr>" for k, v in sorted(families.items())
    )
    body = (
        f"<p>{len(web.sites)} made-up sites served on 127.0.0.1; dataset "
        f"<code>{html.escape(dataset)}</code> version {result.version} holds "
        f"{result.documents} documents.</p>"
        "<table><caption>Refusals by reason</caption><thead><tr><th scope='col'>reason</th>"
        f"<th scope='col'>pages</th></tr></thead><tbody>{reason_rows}</tbody></table>"
        "<table><caption>Opt-out refusals by signal family</caption><thead><tr>"
        "<th scope='col'>family</th><th scope='col'>pages</th></tr></thead>"
        f"<tbody>{family_rows}</tbody></table>" + refusal_table_html(result)
    )
    ok = result.documents > 0 and bool(result.refusals)
    return StageReport(title="Compliant crawl", summary=summary, html=body, ok=ok)
