"""Demo hook: re-check the demo dataset against its recorded signals (SCR-05/06/13, SCR-08).

The crawler's demo shows refusals at crawl time; this stage shows the retroactive mode. First
the ingested pages are re-evaluated from their stored headers and meta and a new version is
written without refused documents (none are expected: the same gate ran at ingest, so this
proves nothing slipped through). Then a dry run shows what a later objection would remove: the
largest site of the dataset is added to an in-memory copy of the opt-out list (the workspace's
list is not changed, so later stages see the same data).
"""

from __future__ import annotations

import html
from collections import Counter

from moisson.demo.stage import DemoContext, StageReport
from moisson.optout._local import LocalOptoutList
from moisson.optout.gate import engine_for_workspace
from moisson.optout.recheck import RecheckReport, recheck_dataset, recheck_documents

__all__ = ("demo_stage",)


def _rows(report: RecheckReport) -> str:
    return "".join(
        f"<tr><td>{html.escape(f)}</td><td>{n}</td></tr>"
        for f, n in sorted(report.by_family.items())
    )


def demo_stage(ctx: DemoContext) -> StageReport:
    """Re-check ``ctx.state["dataset"]`` and report refusals by family."""
    from moisson.store import DatasetStore

    name = ctx.state.get("dataset")
    if not name:
        return StageReport(
            "opt-out re-check",
            {"skipped": "no dataset"},
            "<p>No dataset to re-check.</p>",
            ok=False,
        )
    result = recheck_dataset(ctx.workspace, str(name), live=False)
    report = result.report
    ctx.state["dataset_version"] = result.new_version
    ctx.state["optout_report"] = result.report_path

    docs = list(DatasetStore(ctx.workspace).iter_documents(str(name), result.new_version))
    domains = Counter(d.domain for d in docs if d.domain)
    what_if = RecheckReport()
    objector = domains.most_common(1)[0][0] if domains else None
    if objector is not None:
        engine = engine_for_workspace(ctx.workspace.root)
        current = engine.local_list or LocalOptoutList()
        engine.local_list = LocalOptoutList([*current.domains, objector], current.identifier_hashes)
        _, what_if = recheck_documents(docs, engine, live=False)

    body = (
        f"<p>{report.checked} stored documents re-evaluated from their recorded HTTP headers and "
        f"HTML meta: {len(report.removed)} refused (the gate already ran at ingest), version "
        f"v{result.new_version} of <code>{html.escape(str(name))}</code> written from "
        f"v{result.base_version}.</p>"
        f"<table><thead><tr><th>refusing family</th><th>documents</th></tr></thead>"
        f"<tbody>{_rows(report)}</tbody></table>"
    )
    if objector is not None:
        body += (
            f"<p>Dry run: if <code>{html.escape(objector)}</code> objected today (SCR-08), the "
            f"re-check would remove {len(what_if.removed)} documents.</p>"
            f"<table><thead><tr><th>refusing family</th><th>documents</th></tr></thead>"
            f"<tbody>{_rows(what_if)}</tbody></table>"
        )
    summary = {
        "checked": report.checked,
        "removed": len(report.removed),
        **{f"refused/{f}": n for f, n in report.by_family.items()},
        "what_if_objection_removes": len(what_if.removed),
    }
    return StageReport("opt-out re-check", summary, body)
