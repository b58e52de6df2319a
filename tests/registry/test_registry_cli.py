"""``moisson registry`` commands: organisations and tokens, publish, sync, export (REG-01, REG-05)."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
from sqlalchemy import inspect
from typer.testing import CliRunner

from moisson.registry.cli import app
from moisson.registry.db import make_engine, upgrade
from moisson.registry.server import BackgroundServer
from moisson.registry.tables import DomainFeedEntry, RegistryBase
from moisson.workspace import Workspace

runner = CliRunner()


def test_create_rotate_revoke_and_export(sqlite_url: str, tmp_path: Path) -> None:
    created = runner.invoke(
        app, ["create-org", "Acme IA", "--email", "c@acme.example", "--database-url", sqlite_url]
    )
    assert created.exit_code == 0, created.output
    token = created.output.strip()
    assert token.startswith("mreg_") and len(token) > 40
    rotated = runner.invoke(app, ["rotate-token", "Acme IA", "--database-url", sqlite_url])
    assert rotated.exit_code == 0 and rotated.output.strip() != token
    revoked = runner.invoke(app, ["revoke-token", "Acme IA", "--database-url", sqlite_url])
    assert "revoked 1 token(s)" in revoked.output
    out = tmp_path / "export.json"
    exported = runner.invoke(app, ["export", "--database-url", sqlite_url, "--out", str(out)])
    assert exported.exit_code == 0
    data = json.loads(out.read_text())
    assert data["campaigns"] == [] and "c@acme.example" not in out.read_text()


def test_publish_creates_then_updates_the_workspace_campaign(
    live_register: BackgroundServer, workspace: Workspace
) -> None:
    token = live_register.register.create_organisation("Démo SAS", "c@demo.example")
    args = ["publish", "--register", live_register.url, "--token", token, "-w", str(workspace.root)]
    missing = runner.invoke(app, args)
    assert missing.exit_code != 0 and "rights.contact" in str(missing.exception)
    first = runner.invoke(app, [*args, "--contact-email", "dpo@demo.example"])
    assert first.exit_code == 0, first.output
    assert "version 1" in first.output
    second = runner.invoke(
        app, [*args, "--contact-email", "dpo@demo.example", "--lia-url", "https://demo.example/lia"]
    )
    assert "version 2" in second.output
    record = httpx.get(f"{live_register.url}/api/v1/campaigns/1").json()
    policy = workspace.policy
    assert record["purpose"] == policy.collection.purpose_description
    assert record["lia_url"] == "https://demo.example/lia"
    assert record["user_agents"][0].startswith(policy.crawler.agent_token + "/")
    found = httpx.get(
        f"{live_register.url}/api/v1/campaigns", params={"agent": policy.crawler.agent_token}
    )
    assert [c["id"] for c in found.json()] == [1]


def test_sync_command(
    live_register: BackgroundServer, workspace: Workspace, tmp_path: Path
) -> None:
    from datetime import UTC, datetime

    with live_register.register.session() as s:
        s.add(DomainFeedEntry(domain="mairie.example", action="add", created_at=datetime.now(UTC)))
    missing = runner.invoke(app, ["sync", "-w", str(workspace.root)])
    assert missing.exit_code != 0 and "optout.register_url" in str(missing.exception)
    result = runner.invoke(
        app, ["sync", "--register", live_register.url, "-w", str(workspace.root)]
    )
    assert result.exit_code == 0, result.output
    assert "+1 -0: 1 objecting domain(s)" in result.output
    listed = (workspace.root / "optout" / "register-domains.txt").read_text().splitlines()
    assert "mairie.example" in listed
    configured = Workspace.init(
        tmp_path / "configured",
        policy_text=f'name = "t"\n[optout]\nregister_url = "{live_register.url}"\n',
    )
    again = runner.invoke(app, ["sync", "-w", str(configured.root)])  # URL from the policy
    assert again.exit_code == 0, again.output
    assert "1 objecting domain(s)" in again.output


def test_migrations_build_the_declared_schema(registry_db_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    engine = make_engine(registry_db_url)
    upgrade(engine)
    upgrade(engine)  # idempotent
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"version_table": "registry_alembic_version"}
        )
        assert compare_metadata(context, RegistryBase.metadata) == []
        assert "registry_alembic_version" in inspect(connection).get_table_names()
    engine.dispose()


def test_campaign_declares_the_domains_the_runs_collected(workspace: Workspace) -> None:
    from moisson.ledger import Ledger
    from moisson.registry.publish import campaign_from_workspace

    with Ledger.open(workspace) as ledger:
        run = ledger.start_run("crawl", policy_hash="x", params={})
        stats = {
            "docs/out": 5,
            "domain_docs/b.example": 2,
            "domain_docs/a.example": 3,
            "domain_docs/bad host": 1,
        }
        ledger.finish_run(run, status="ok", stats=stats)
    campaign = campaign_from_workspace(workspace, contact_email="dpo@demo.example")
    assert campaign.source_domains == ["a.example", "b.example"]
    assert campaign.controller.email == "dpo@demo.example"
    assert campaign.lia_url is not None
