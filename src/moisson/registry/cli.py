"""``moisson registry ...``: run the public register and talk to one (REG-01..REG-05).

Mounted by :mod:`moisson.cli.app` under ``registry``; ``sync`` is also meant to be aliased as
``moisson optout sync``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated

import typer

from moisson.errors import ConfigError
from moisson.registry.settings import DEFAULT_DATABASE_URL, RegisterSettings
from moisson.workspace import Workspace

__all__ = ("app",)

app = typer.Typer(
    help="The public register of collection campaigns: serve it, declare, sync the opt-out feed.",
    no_args_is_help=True,
)

DatabaseOption = Annotated[
    str,
    typer.Option(
        "--database-url",
        envvar="MOISSON_REGISTER_DATABASE_URL",
        help="SQLAlchemy URL of the register database (SQLite file or postgresql+psycopg://)",
    ),
]
WorkspaceOption = Annotated[
    Path | None, typer.Option("--workspace", "-w", help="Workspace folder (default: nearest)")
]


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port")] = 8000,
    database_url: DatabaseOption = DEFAULT_DATABASE_URL,
    workers: Annotated[int, typer.Option(min=1, help="Uvicorn worker processes")] = 1,
    base_url: Annotated[
        str | None, typer.Option(help="Public URL used in confirmation links")
    ] = None,
) -> None:
    """Run the register (JSON API under /api/v1, OpenAPI at /docs, pages in French and English)."""
    import uvicorn

    from moisson.registry.db import make_engine, upgrade

    engine = make_engine(database_url)
    upgrade(engine)
    engine.dispose()
    os.environ["MOISSON_REGISTER_DATABASE_URL"] = database_url
    os.environ["MOISSON_REGISTER_BASE_URL"] = base_url or f"http://{host}:{port}"
    uvicorn.run(
        "moisson.registry.app:create_app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        access_log=False,
    )


@app.command("create-org")
def create_org(
    name: Annotated[str, typer.Argument(help="Organisation name (unique)")],
    email: Annotated[str, typer.Option("--email", help="Private contact of the organisation")],
    database_url: DatabaseOption = DEFAULT_DATABASE_URL,
) -> None:
    """Create an organisation and print its API token (shown once; stored hashed)."""
    from moisson.registry.service import Register

    register = Register.open(RegisterSettings.from_env(database_url=database_url))
    try:
        typer.echo(register.create_organisation(name, email))
    finally:
        register.close()


@app.command("rotate-token")
def rotate_token(
    name: Annotated[str, typer.Argument(help="Organisation name")],
    database_url: DatabaseOption = DEFAULT_DATABASE_URL,
) -> None:
    """Revoke the organisation's tokens and print a new one."""
    from moisson.registry.service import Register

    register = Register.open(RegisterSettings.from_env(database_url=database_url))
    try:
        typer.echo(register.rotate_token(name))
    finally:
        register.close()


@app.command("revoke-token")
def revoke_token(
    name: Annotated[str, typer.Argument(help="Organisation name")],
    database_url: DatabaseOption = DEFAULT_DATABASE_URL,
) -> None:
    """Revoke every token of the organisation."""
    from moisson.registry.service import Register

    register = Register.open(RegisterSettings.from_env(database_url=database_url))
    try:
        count = register.revoke_tokens(name)
    finally:
        register.close()
    typer.echo(f"revoked {count} token(s) of {name}")


RegisterOption = Annotated[
    str | None,
    typer.Option("--register", help="Register base URL (default: policy optout.register_url)"),
]


def _register_url(given: str | None, workspace: Workspace) -> str:
    url = given or workspace.policy.optout.register_url
    if not url:
        msg = "no register URL: pass --register URL or set optout.register_url in the policy"
        raise ConfigError(msg, key="optout.register_url", path=str(workspace.policy_path))
    return url


@app.command()
def publish(
    token: Annotated[
        str, typer.Option("--token", envvar="MOISSON_REGISTER_TOKEN", help="Organisation token")
    ],
    register_url: RegisterOption = None,
    workspace: WorkspaceOption = None,
    contact_email: Annotated[str | None, typer.Option(help="Controller contact email")] = None,
    lia_url: Annotated[
        str | None, typer.Option(help="Published legitimate-interest assessment")
    ] = None,
) -> None:
    """Create or update the workspace's campaign from its policy and crawl stats."""
    from moisson.registry.publish import publish as publish_campaign

    ws = Workspace.open(workspace)
    url = _register_url(register_url, ws)
    record = publish_campaign(ws, url, token, contact_email=contact_email, lia_url=lia_url)
    typer.echo(
        f"campaign {record['id']} version {record['version']}: "
        f"{url.rstrip('/')}/campaigns/{record['id']}"
    )


@app.command()
def sync(
    register_url: RegisterOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Sync the register's signed opt-out feed into optout/register-domains.txt (REG-04)."""
    from moisson.optout.register_client import sync as sync_feed

    ws = Workspace.open(workspace)
    result = sync_feed(ws, _register_url(register_url, ws))
    if result.not_modified:
        typer.echo(f"up to date: {result.total} objecting domain(s), cursor {result.cursor}")
    else:
        typer.echo(
            f"+{result.added} -{result.removed}: {result.total} objecting domain(s), "
            f"cursor {result.cursor}"
        )


@app.command()
def export(
    database_url: DatabaseOption = DEFAULT_DATABASE_URL,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="File (default: stdout)")] = None,
) -> None:
    """Export every campaign and its history as open-data JSON (REG-05)."""
    from moisson.registry.service import Register

    register = Register.open(RegisterSettings.from_env(database_url=database_url))
    try:
        text = json.dumps(register.export(), ensure_ascii=False, indent=2)
    finally:
        register.close()
    if out is None:
        typer.echo(text)
    else:
        out.write_text(text + "\n", encoding="utf-8")
        typer.echo(f"wrote {out}")
