"""``moisson demo``: every stage on the embedded demo corpus, in data-flow order.

A temporary workspace is created, the embedded WARC is ingested (opt-out gate + PII
minimisation), then each pillar's ``demo_stage`` runs and the HTML report gathers their parts.
"""

from __future__ import annotations

import html
import importlib
import time
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from rich.console import Console
from rich.table import Table

from moisson.demo.stage import DemoContext, StageReport
from moisson.workspace import Workspace

__all__ = ("DEMO_POLICY", "STAGES", "run_demo")

DEMO_POLICY = """\
name = "moisson-demo"
controller = "Démo SAS (fictitious controller for the embedded demo)"

[collection]
purposes = ["train-ai"]
purpose_description = "Training a small French and English language model (demonstration)"
sources = ["embedded demo WARC", "embedded demo sites on 127.0.0.1"]
languages = ["fr", "en"]
min_chars = 80

[crawler]
agent_token = "moisson-bot"
notice_url = "https://example.org/moisson-demo-notice"

[pii]
tier = "fast"
default_action = "pseudonymise"
drop_document_above = 40
special_categories = "flag"

[pii.actions]
IBAN = "mask"
CREDIT_CARD = "mask"
FR_NIR = "mask"
IP_ADDRESS = "mask"
DATE_OF_BIRTH = "mask"
"""

# (pillar module with demo_stage, short name), in data-flow order.
STAGES: tuple[tuple[str, str], ...] = (
    ("moisson.optout.demo", "opt-out re-check"),
    ("moisson.registry.demo", "public register"),
    ("moisson.crawl.demo", "crawl"),
    ("moisson.pii.demo", "personal data"),
    ("moisson.rights.demo", "rights requests"),
    ("moisson.audit.demo", "model audit"),
    ("moisson.reports.demo", "documents"),
)


def demo_warc() -> Path:
    return Path(str(resources.files("moisson.demo").joinpath("data/demo-corpus.warc.gz")))


def ingest_stage(ctx: DemoContext) -> StageReport:
    """Ingest the embedded WARC through the collection steps (core stage)."""
    from moisson.pipeline import LocalExecutor, ingest

    result = ingest(
        ctx.workspace, [demo_warc()], dataset="demo", executor=LocalExecutor(1), console=ctx.console
    )
    ctx.state["dataset"] = "demo"
    ctx.state["dataset_version"] = result.version.version
    ctx.state["ingest_stats"] = result.stats
    # The PII stage shows what the detectors find in the pages as collected (before minimisation).
    from moisson.errors import RecordError
    from moisson.sources import open_reader

    def _skip(_err: RecordError) -> None:
        return None

    ctx.state["documents"] = list(open_reader(demo_warc()).read(_skip))
    dropped = {
        k.removeprefix("dropped/"): v for k, v in result.stats.items() if k.startswith("dropped/")
    }
    rows = "".join(
        f"<tr><td>{html.escape(k)}</td><td>{v}</td></tr>" for k, v in sorted(dropped.items())
    )
    found = {k: v for k, v in result.stats.items() if k.startswith(("pii/", "sensitive/"))}
    pii_rows = "".join(
        f"<tr><td>{html.escape(k)}</td><td>{v}</td></tr>" for k, v in sorted(found.items())
    )
    body = (
        f"<p>{result.stats.get('docs/in', 0)} WARC pages read through the opt-out gate, the policy filters "
        f"and personal-data minimisation, before anything was stored (SCR-09); "
        f"{result.version.document_count} documents kept in dataset <code>demo</code> "
        f"v{result.version.version} (content hash <code>{result.version.content_hash[:16]}</code>).</p>"
        "<table><thead><tr><th>dropped because</th><th>documents</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
        "<table><thead><tr><th>personal data counter</th><th>count</th></tr></thead>"
        f"<tbody>{pii_rows}</tbody></table>"
    )
    return StageReport(
        "ingest",
        {
            "read": result.stats.get("docs/in", 0),
            "kept": result.version.document_count,
            "dropped": result.stats.get("dropped", 0),
        },
        body,
    )


def _load(module_name: str) -> Callable[[DemoContext], StageReport] | None:
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name is not None and module_name.startswith(exc.name):
            return None
        raise
    stage: Callable[[DemoContext], StageReport] = module.demo_stage
    return stage


def run_demo(
    out_dir: Path, *, quick: bool = False, console: Console | None = None
) -> list[StageReport]:
    console = console or Console(stderr=True)
    out_dir = out_dir.resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    ws_dir = out_dir / "workspace"
    if ws_dir.exists():
        import shutil

        shutil.rmtree(ws_dir)
    workspace = Workspace.init(ws_dir, policy_text=DEMO_POLICY)
    ctx = DemoContext(workspace=workspace, out_dir=out_dir, quick=quick, console=console)
    reports: list[StageReport] = []
    stages: list[tuple[str, Callable[[DemoContext], StageReport] | None]] = [
        ("ingest", ingest_stage)
    ]
    stages += [(label, _load(name)) for name, label in STAGES]
    for label, fn in stages:
        if fn is None:
            reports.append(
                StageReport(
                    label, {"status": "not installed"}, "<p>Not part of this install.</p>", ok=True
                )
            )
            continue
        console.rule(f"[bold]{label}")
        started = time.perf_counter()
        try:
            report = fn(ctx)
        except Exception as exc:  # one broken stage must not hide the others' results
            console.print(f"[red]stage {label} failed: {exc}[/]")
            report = StageReport(
                label,
                {"error": str(exc)},
                f"<pre>{html.escape(traceback.format_exc())}</pre>",
                ok=False,
            )
        report.summary.setdefault("seconds", round(time.perf_counter() - started, 1))
        reports.append(report)
    _write_report(out_dir / "report.html", workspace, reports)
    table = Table(title="moisson demo")
    table.add_column("stage")
    table.add_column("ok")
    table.add_column("summary")
    for r in reports:
        summary = ", ".join(f"{k}={v}" for k, v in r.summary.items())
        table.add_row(r.title, "yes" if r.ok else "[red]NO[/]", summary)
    console.print(table)
    console.print(f"report: [bold]{out_dir / 'report.html'}[/]")
    return reports


_CSS = """
body{font-family:system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b;line-height:1.5}
h1{font-size:1.8rem}h2{border-bottom:2px solid #2c5f8a;padding-bottom:.2rem;margin-top:2.5rem}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #bbb;padding:.25rem .6rem;text-align:left}
th{background:#eef3f8}.fail{color:#a40000;font-weight:bold}code{background:#f3f3f3;padding:0 .2rem}
nav a{margin-right:1rem}
"""


def _write_report(path: Path, workspace: Workspace, reports: list[StageReport]) -> None:
    nav = "".join(f'<a href="#s{i}">{html.escape(r.title)}</a>' for i, r in enumerate(reports))
    sections = []
    for i, r in enumerate(reports):
        status = "" if r.ok else ' <span class="fail">(failed)</span>'
        sections.append(
            f'<section id="s{i}"><h2>{html.escape(r.title)}{status}</h2>{r.html}</section>'
        )
    now = datetime.now(UTC).isoformat(timespec="seconds")
    page = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>moisson demo report</title><style>{_CSS}</style></head><body>"
        f"<h1>moisson demo report</h1><p>Workspace <code>{html.escape(str(workspace.root))}</code>, "
        f"policy hash <code>{workspace.policy.policy_hash()[:16]}</code>, built {now}.</p>"
        f"<nav>{nav}</nav>{''.join(sections)}</body></html>"
    )
    path.write_text(page, encoding="utf-8")
