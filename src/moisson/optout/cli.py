"""``moisson optout check`` and ``moisson optout recheck`` (SCR-05/06/13).

``check`` prints one JSON line per URL, whatever the decisions (exit 0; 2 on a usage error).
``recheck`` re-evaluates a stored dataset and writes a new version without refused documents.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

import typer
from rich.console import Console

from moisson.cli import exitcodes
from moisson.errors import OptoutError, WorkspaceError
from moisson.optout._verdict import PURPOSES

__all__ = ("app",)

app = typer.Typer(
    help="Machine-readable opt-outs: check URLs, re-check stored datasets.",
    no_args_is_help=True,
    add_completion=False,
)
err = Console(stderr=True)
out = Console(highlight=False, soft_wrap=True)

WorkspaceOpt = Annotated[
    Path | None,
    typer.Option("--workspace", "-w", help="Workspace folder (default: nearest moisson.toml)"),
]


def _usage_error(message: str) -> typer.Exit:
    err.print(f"[bold red]usage error:[/] {message}", highlight=False)
    return typer.Exit(exitcodes.USAGE)


def _workspace_root(path: Path | None) -> Path | None:
    from moisson.workspace import Workspace

    try:
        return Workspace.open(path).root
    except WorkspaceError:
        if path is not None:
            raise
        return None  # no workspace: the default policy's tokens


def _resolve_map(values: list[str]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for value in values:
        host, sep, ip = value.partition("=")
        if not sep or not host or not ip:
            msg = f"--resolve {value!r}: expected HOST=IP"
            raise _usage_error(msg)
        mapping[host.strip()] = ip.strip()
    return mapping


@app.command("check")
def check(
    urls: Annotated[list[str], typer.Argument(help="URLs to check")],
    agent: Annotated[
        list[str] | None,
        typer.Option(
            "--agent", "-a", help="Product token to evaluate (repeatable); default: policy tokens"
        ),
    ] = None,
    purpose: Annotated[str, typer.Option("--purpose", help=" | ".join(PURPOSES))] = "train-ai",
    as_json: Annotated[
        bool,
        typer.Option("--json/--text", help="One JSON line per URL (default), or a short text line"),
    ] = True,
    resolve: Annotated[
        list[str] | None,
        typer.Option("--resolve", help="HOST=IP: connect to IP for HOST (loopback demo sites)"),
    ] = None,
    head_first: Annotated[
        bool, typer.Option("--head-first", help="HEAD before GET; stop if the headers refuse")
    ] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Fetch what each URL needs and print its verdict as one JSON line."""
    if purpose not in PURPOSES:
        msg = f"--purpose {purpose!r}: expected one of {', '.join(PURPOSES)}"
        raise _usage_error(msg)
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            msg = f"{url!r} is not an http(s) URL"
            raise _usage_error(msg)
    from moisson.optout.gate import engine_for_workspace

    engine = engine_for_workspace(
        _workspace_root(workspace),
        live=True,
        agent_tokens=agent,
        resolve=_resolve_map(resolve or []),
    )
    fetcher = engine.fetcher
    if fetcher is None:  # live=True always builds one
        msg = "no fetcher configured"
        raise OptoutError(msg)
    try:
        for url in urls:
            from moisson.optout.check import check_url

            verdict = check_url(engine, fetcher, url, purpose=purpose, head_first=head_first)
            line = verdict.to_json()
            if as_json:
                typer.echo(json.dumps(line, ensure_ascii=False))
            else:
                typer.echo(f"{verdict.decision}\t{url}\t{','.join(verdict.refusing_families)}")
    finally:
        close = getattr(fetcher, "close", None)
        if callable(close):
            close()


@app.command("recheck")
def recheck(
    dataset: Annotated[str, typer.Option("--dataset", "-d", help="Dataset name")],
    live: Annotated[bool, typer.Option("--live", help="Also fetch today's site files")] = False,
    version: Annotated[
        int | None, typer.Option("--version", help="Base version (default latest)")
    ] = None,
    purpose: Annotated[str, typer.Option("--purpose", help=" | ".join(PURPOSES))] = "train-ai",
    resolve: Annotated[
        list[str] | None,
        typer.Option("--resolve", help="HOST=IP for --live fetches (loopback demo sites)"),
    ] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Re-evaluate stored documents; write a new version without the refused ones."""
    from moisson.optout.recheck import recheck_dataset
    from moisson.workspace import Workspace

    if purpose not in PURPOSES:
        msg = f"--purpose {purpose!r}: expected one of {', '.join(PURPOSES)}"
        raise _usage_error(msg)
    mapping = _resolve_map(resolve or [])
    ws = Workspace.open(workspace)
    from moisson.optout.gate import engine_for_workspace

    engine = engine_for_workspace(ws.root, live=live, resolve=mapping)
    result = recheck_dataset(
        ws, dataset, live=live, version=version, purpose=purpose, engine=engine
    )
    report = result.report
    families = ", ".join(f"{f}={n}" for f, n in sorted(report.by_family.items())) or "none"
    out.print(
        f"{dataset}: v{result.base_version} -> v{result.new_version}: {report.checked} checked, "
        f"{len(report.removed)} removed ({families}); report {result.report_path}",
        markup=False,
    )


@app.command("sync")
def sync(
    register: Annotated[
        str | None,
        typer.Option("--register", help="Register base URL (default: policy optout.register_url)"),
    ] = None,
    workspace: Annotated[Path | None, typer.Option("--workspace", "-w")] = None,
) -> None:
    """Sync the public register's signed opt-out feed into this workspace (REG-04).

    The same as ``moisson registry sync``: objecting domains land in
    ``optout/register-domains.txt``, which the gate of every later crawl and ingest reads.
    """
    from moisson.registry.cli import sync as registry_sync

    registry_sync(register_url=register, workspace=workspace)
