"""``moisson crawl``: crawl seeds through the compliant gate into a dataset version.

Mounted by :mod:`moisson.cli.app` through :func:`register` (a top-level command). Scrapy runs in
this process; the Twisted reactor starts once, so the command crawls once and exits.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from moisson.workspace import Workspace

if TYPE_CHECKING:
    from moisson.crawl.runner import CrawlResult

__all__ = ("crawl_cmd", "register")

console = Console()


def crawl_cmd(
    seeds: Annotated[
        str, typer.Option("--seeds", help="File of seed URLs (one a line) or one URL")
    ],
    dataset: Annotated[str, typer.Option("--dataset", "-d", help="Dataset to write a version of")],
    resolve: Annotated[
        list[str] | None,
        typer.Option("--resolve", help="HOST=IP: send a host name to an address (repeatable)"),
    ] = None,
    max_pages: Annotated[
        int | None, typer.Option("--max-pages", min=1, help="Stop after this many responses")
    ] = None,
    workspace: Annotated[
        Path | None,
        typer.Option("--workspace", "-w", help="Workspace folder (default: nearest moisson.toml)"),
    ] = None,
) -> None:
    """Crawl with every opt-out, access and category check; store what passes (SCR-04..12)."""
    ws = Workspace.open(workspace)
    # Scrapy and Twisted load only when a crawl runs, not for every ``moisson`` command.
    from moisson.crawl.resolver import parse_resolve
    from moisson.crawl.runner import read_seeds, run_crawl

    seed_urls = read_seeds(seeds)
    result = run_crawl(
        seed_urls,
        workspace=ws.root,
        dataset=dataset,
        resolve=parse_resolve(resolve or []),
        max_pages=max_pages,
    )
    _print(result)


def _print(result: CrawlResult) -> None:
    console.print(
        f"dataset [bold]{result.dataset}[/] version {result.version}: "
        f"{result.documents} documents kept (run {result.run_id})"
    )
    table = Table(title="Refused, by reason")
    table.add_column("reason")
    table.add_column("pages", justify="right")
    for reason, count in result.refused_by_reason().items():
        table.add_row(reason, str(count))
    console.print(table)
    families = {
        k.removeprefix("optout/refused/"): v
        for k, v in result.stats.items()
        if k.startswith("optout/refused/")
    }
    if families:
        console.print(
            "opt-out families: " + ", ".join(f"{k} {v}" for k, v in sorted(families.items()))
        )


def register(app: typer.Typer) -> None:
    """Add ``moisson crawl`` to the root command."""
    app.command("crawl")(crawl_cmd)
