"""Register schema, version 1: organisations, tokens, campaigns and their versions, search indexes,
domain challenges, objections with hashed identifiers, routes, the domain feed, the signing key.

Revision ID: registry_0001 (REG-01..REG-05)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

__all__: list[str] = []

revision = "registry_0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "domain_challenges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("domain", sa.String(length=253), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("method", sa.String(length=8), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_domain_challenges")),
        sa.UniqueConstraint("token", name=op.f("uq_domain_challenges_token")),
    )
    with op.batch_alter_table("domain_challenges", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_domain_challenges_domain"), ["domain"], unique=False)

    op.create_table(
        "domain_feed",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("domain", sa.String(length=253), nullable=False),
        sa.Column("action", sa.String(length=8), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_domain_feed")),
    )
    op.create_table(
        "objections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("domain", sa.String(length=253), nullable=True),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("email_hash", sa.String(length=64), nullable=True),
        sa.Column("confirm_token_hash", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deadline", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_objections")),
        sa.UniqueConstraint("confirm_token_hash", name=op.f("uq_objections_confirm_token_hash")),
        sa.UniqueConstraint("reference", name=op.f("uq_objections_reference")),
    )
    with op.batch_alter_table("objections", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_objections_domain"), ["domain"], unique=False)

    op.create_table(
        "organisations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisations")),
        sa.UniqueConstraint("name", name=op.f("uq_organisations_name")),
    )
    op.create_table(
        "signing_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("private_key", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signing_keys")),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("hint", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_api_tokens_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_api_tokens_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "campaigns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("declaration", sa.JSON(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("public_json", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_campaigns_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaigns")),
    )
    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_campaigns_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "identifier_hashes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("objection_id", sa.Integer(), nullable=False),
        sa.Column("prefix", sa.String(length=5), nullable=False),
        sa.Column("suffix", sa.String(length=59), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["objection_id"],
            ["objections.id"],
            name=op.f("fk_identifier_hashes_objection_id_objections"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identifier_hashes")),
    )
    with op.batch_alter_table("identifier_hashes", schema=None) as batch_op:
        batch_op.create_index(
            "ix_identifier_hashes_lookup", ["prefix", "active", "suffix"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_identifier_hashes_objection_id"), ["objection_id"], unique=False
        )

    op.create_table(
        "campaign_agents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["campaigns.id"], name=op.f("fk_campaign_agents_campaign_id_campaigns")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign_agents")),
    )
    with op.batch_alter_table("campaign_agents", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_campaign_agents_campaign_id"), ["campaign_id"], unique=False
        )
        batch_op.create_index("ix_campaign_agents_token", ["token", "campaign_id"], unique=False)

    op.create_table(
        "campaign_domains",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("domain", sa.String(length=253), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_campaign_domains_campaign_id_campaigns"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign_domains")),
    )
    with op.batch_alter_table("campaign_domains", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_campaign_domains_campaign_id"), ["campaign_id"], unique=False
        )
        batch_op.create_index("ix_campaign_domains_domain", ["domain", "campaign_id"], unique=False)

    op.create_table(
        "campaign_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("change", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("declaration", sa.JSON(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_campaign_versions_campaign_id_campaigns"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign_versions")),
        sa.UniqueConstraint("campaign_id", "version", name="uq_campaign_versions"),
    )
    with op.batch_alter_table("campaign_versions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_campaign_versions_campaign_id"), ["campaign_id"], unique=False
        )

    op.create_table(
        "objection_routes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("objection_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("deadline", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_objection_routes_campaign_id_campaigns"),
        ),
        sa.ForeignKeyConstraint(
            ["objection_id"],
            ["objections.id"],
            name=op.f("fk_objection_routes_objection_id_objections"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_objection_routes_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_objection_routes")),
    )
    with op.batch_alter_table("objection_routes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_objection_routes_objection_id"), ["objection_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_objection_routes_organisation_id"), ["organisation_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("objection_routes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_objection_routes_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_objection_routes_objection_id"))

    op.drop_table("objection_routes")
    with op.batch_alter_table("campaign_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_campaign_versions_campaign_id"))

    op.drop_table("campaign_versions")
    with op.batch_alter_table("campaign_domains", schema=None) as batch_op:
        batch_op.drop_index("ix_campaign_domains_domain")
        batch_op.drop_index(batch_op.f("ix_campaign_domains_campaign_id"))

    op.drop_table("campaign_domains")
    with op.batch_alter_table("campaign_agents", schema=None) as batch_op:
        batch_op.drop_index("ix_campaign_agents_token")
        batch_op.drop_index(batch_op.f("ix_campaign_agents_campaign_id"))

    op.drop_table("campaign_agents")
    with op.batch_alter_table("identifier_hashes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_identifier_hashes_objection_id"))
        batch_op.drop_index("ix_identifier_hashes_lookup")

    op.drop_table("identifier_hashes")
    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_campaigns_organisation_id"))

    op.drop_table("campaigns")
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_tokens_organisation_id"))

    op.drop_table("api_tokens")
    op.drop_table("signing_keys")
    op.drop_table("organisations")
    with op.batch_alter_table("objections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_objections_domain"))

    op.drop_table("objections")
    op.drop_table("domain_feed")
    with op.batch_alter_table("domain_challenges", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_domain_challenges_domain"))

    op.drop_table("domain_challenges")
