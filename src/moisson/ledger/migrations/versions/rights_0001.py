"""Rights pillar: requests, their identifier hashes, the suppression list, regurgitations."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "rights_0001"
down_revision = None
branch_labels = ("rights",)
depends_on = "core_0001"

_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "rights_requests",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("dataset", sa.String(200)),
        sa.Column("received_at", _TS, nullable=False),
        sa.Column("due_at", _TS, nullable=False),
        sa.Column("extended_due_at", _TS),
        sa.Column("extension_reason", sa.Text),
        sa.Column("verified_at", _TS),
        sa.Column("verification", sa.Text),
        sa.Column("refusal_basis", sa.String(40)),
        sa.Column("refusal_reason", sa.Text),
        sa.Column("closed_at", _TS),
        sa.Column("outcome", sa.JSON, nullable=False),
        sa.Column("scan_matches", sa.JSON, nullable=False),
        sa.Column("reply", sa.Text),
    )
    op.create_table(
        "rights_request_identifiers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "request_id",
            sa.Integer,
            sa.ForeignKey("rights_requests.id"),
            nullable=False,
            index=True,
        ),
        sa.Column("label", sa.String(20), nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False),
    )
    op.create_table(
        "rights_suppressions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("label", sa.String(20), nullable=False),
        sa.Column("request_id", sa.Integer, sa.ForeignKey("rights_requests.id")),
        sa.Column("added_at", _TS, nullable=False),
    )
    op.create_table(
        "rights_regurgitations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("model", sa.String(200), nullable=False),
        sa.Column("reported_at", _TS, nullable=False),
        sa.Column("generated_at", _TS),
        sa.Column("prompt_sealed", sa.LargeBinary, nullable=False),
        sa.Column("output_sealed", sa.LargeBinary, nullable=False),
        sa.Column("identifiers", sa.JSON, nullable=False),
        sa.Column("request_id", sa.Integer, sa.ForeignKey("rights_requests.id")),
        sa.Column("last_replay", sa.JSON, nullable=False),
    )


def downgrade() -> None:
    for table in (
        "rights_regurgitations",
        "rights_suppressions",
        "rights_request_identifiers",
        "rights_requests",
    ):
        op.drop_table(table)
