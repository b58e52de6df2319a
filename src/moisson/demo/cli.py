"""``moisson demo``: run every stage on the embedded demo data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

__all__ = ("register",)


def demo(
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Folder for the workspace and report")
    ] = Path("demo-out"),
    quick: Annotated[bool, typer.Option("--quick", help="Smaller model and fewer steps")] = False,
) -> None:
    """Create a workspace, run every stage on the embedded demo corpus, write report.html."""
    from moisson.demo.runner import run_demo

    reports = run_demo(out, quick=quick)
    if not all(r.ok for r in reports):
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
