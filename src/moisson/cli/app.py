"""The ``moisson`` command: one Typer app, each pillar adding its own sub-command group.

A pillar exposes ``app: typer.Typer`` in ``moisson.<pillar>.cli``; it is mounted here under its
name. Errors from the :mod:`moisson.errors` tree become a one-line message and an exit code
(:mod:`moisson.cli.exitcodes`), never a traceback.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape

from moisson import errors
from moisson.cli import exitcodes

__all__ = ("app", "main")

app = typer.Typer(
    name="moisson",
    help="Build AI training data and models the way the GDPR expects, and prove it.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
err_console = Console(stderr=True)

# (command group, module exposing `app`). Order is the data flow.
_GROUPS: tuple[tuple[str, str], ...] = (
    ("core", "moisson.cli.core"),
    ("optout", "moisson.optout.cli"),
    ("crawl", "moisson.crawl.cli"),
    ("pii", "moisson.pii.cli"),
    ("rights", "moisson.rights.cli"),
    ("audit", "moisson.audit.cli"),
    ("registry", "moisson.registry.cli"),
    ("docs", "moisson.reports.cli"),
    ("demo", "moisson.demo.cli"),
)


def _mount() -> None:
    for group, module_name in _GROUPS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name is not None and module_name.startswith(
                exc.name
            ):  # pillar not built yet; anything else is a real error
                continue
            raise
        register: Callable[[typer.Typer], None] | None = getattr(module, "register", None)
        if register is not None:  # top-level commands (init, ingest, crawl, demo...)
            register(app)
        sub: typer.Typer | None = getattr(module, "app", None)
        if sub is not None and group != "core":
            app.add_typer(sub, name=group)


_mount()

_CODES: tuple[tuple[type[BaseException], int], ...] = (
    (errors.ConfigError, exitcodes.CONFIG),
    (errors.WorkspaceError, exitcodes.NOT_FOUND),
    (errors.DatasetNotFoundError, exitcodes.NOT_FOUND),
    (errors.MissingDependencyError, exitcodes.MISSING_DEPENDENCY),
    (errors.MoissonError, exitcodes.FAILURE),
)


def main(argv: list[str] | None = None) -> Any:
    """Entry point: run the app, turning moisson errors into messages and exit codes."""
    try:
        return app(args=argv, standalone_mode=True)
    except SystemExit:
        raise
    except errors.MoissonError as exc:
        code = next(c for t, c in _CODES if isinstance(exc, t))
        err_console.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False)
        sys.exit(code)
