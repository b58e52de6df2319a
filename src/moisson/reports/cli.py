"""``moisson docs``: the questionnaire, the documents, and the check that they are current.

- ``init``  writes ``docs/questionnaire.toml`` (commented) in the workspace;
- ``build`` renders the documents in French and English as Markdown, HTML and PDF (DOC-01);
- ``check`` exits 1 when a document is stale or a required fact is missing (DOC-02);
- ``facts`` prints every fact with its provenance (``--json`` for machines).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from moisson.cli import exitcodes
from moisson.reports.facts import Known, fact_to_json
from moisson.workspace import Workspace

__all__ = ("app",)

app = typer.Typer(
    help="Compliance documents generated from the workspace's facts (LIA, DPIA, notice, cards, AI Act).",
    no_args_is_help=True,
    add_completion=False,
)
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False)

WorkspaceOpt = Annotated[
    Path | None,
    typer.Option("--workspace", "-w", help="Workspace folder (default: nearest moisson.toml)"),
]
OutOpt = Annotated[
    Path | None,
    typer.Option("--out", "-o", help="Output folder (default: <workspace>/docs/generated)"),
]


@app.command()
def init(
    workspace: WorkspaceOpt = None,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite an existing questionnaire")
    ] = False,
) -> None:
    """Write the questionnaire for what only people know (controller, purpose, DPO opinion)."""
    ws = Workspace.open(workspace)
    from moisson.reports.questionnaire import questionnaire_path

    existed = questionnaire_path(ws).exists()
    from moisson.reports.questionnaire import write_questionnaire

    path = write_questionnaire(ws, overwrite=force)
    verb = "kept existing" if existed and not force else "wrote"
    out.print(f"{verb} {path}: answer it, then run 'moisson docs build'")


@app.command()
def build(
    workspace: WorkspaceOpt = None,
    lang: Annotated[str, typer.Option("--lang", help="fr, en or all")] = "all",
    fmt: Annotated[str, typer.Option("--format", help="md, html, pdf or all")] = "all",
    out_dir: OutOpt = None,
) -> None:
    """Build the documents from the recorded facts."""
    from moisson.reports.i18n import LANGS

    langs = LANGS if lang == "all" else tuple(x for x in LANGS if x == lang)
    from moisson.reports.build import FORMATS

    formats = FORMATS if fmt == "all" else tuple(x for x in FORMATS if x == fmt)
    if not langs or not formats:
        option, value, allowed = (
            ("--lang", lang, LANGS) if not langs else ("--format", fmt, FORMATS)
        )
        err.print(
            f"[bold red]usage error:[/] {option} {value!r}: expected one of {', '.join(allowed)} or all"
        )
        raise typer.Exit(exitcodes.USAGE)
    ws = Workspace.open(workspace)
    try:
        from moisson.reports.build import build_documents

        result = build_documents(ws, langs=langs, formats=formats, out_dir=out_dir)
    except OSError as exc:  # an unwritable --out, a full disk: a message, not a traceback
        err.print(f"[bold red]error:[/] cannot write the documents: {exc}")
        raise typer.Exit(exitcodes.FAILURE) from None
    table = Table(title=f"documents in {result.out_dir}")
    for column in ("document", "lang", "missing facts", "missing required"):
        table.add_column(column)
    for doc in result.documents:
        gaps = sum(1 for f in doc.used.values() if not isinstance(f, Known))
        required = ", ".join(m.name for m in doc.missing_required) or "—"
        table.add_row(doc.spec.slug, doc.lang, str(gaps), required)
    out.print(table)
    out.print(f"{len(result.files)} files written; version feed: {result.feed}")


@app.command()
def check(workspace: WorkspaceOpt = None, out_dir: OutOpt = None) -> None:
    """Fail (exit 1) when a built document is stale or misses a required fact (DOC-02)."""
    ws = Workspace.open(workspace)
    from moisson.reports.check import check_documents

    problems = check_documents(ws, out_dir)
    for problem in problems:
        err.print(f"[red]✘[/] {problem}")
    if problems:
        raise typer.Exit(exitcodes.FAILURE)
    out.print("documents are current and every required fact is recorded")


@app.command()
def facts(
    workspace: WorkspaceOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Print every fact the documents may use, with its provenance or the command to record it."""
    ws = Workspace.open(workspace)
    from moisson.reports.collect import collect_facts

    found = collect_facts(ws)
    items = [fact_to_json(found.get(name)) for name in found.names()]
    if as_json:
        out.print(
            json.dumps(
                {"ledger_head": found.ledger_head, "facts": items}, indent=2, ensure_ascii=False
            )
        )
        return
    table = Table(title=f"facts of {ws.root}")
    for column in ("fact", "value", "source / command"):
        table.add_column(column)
    for item in items:
        if item.get("missing"):
            table.add_row(item["name"], "[yellow]missing[/]", item["command"])
        else:
            value = json.dumps(item["value"], ensure_ascii=False, default=str)
            table.add_row(
                item["name"],
                value if len(value) < 80 else value[:77] + "…",
                "; ".join(item["sources"]),
            )
    out.print(table)
