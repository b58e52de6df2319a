"""Register schema, version 2: people can withdraw their personal objections (REG-03).

A withdrawal link is mailed to the address that filed the objection; only the hash of its
token and the time it was sent are kept.

Revision ID: registry_0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

__all__: list[str] = []

revision = "registry_0002"
down_revision = "registry_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("objections", schema=None) as batch_op:
        batch_op.add_column(sa.Column("withdraw_token_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(
            sa.Column("withdraw_requested_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.create_index(
            batch_op.f("ix_objections_withdraw_token_hash"), ["withdraw_token_hash"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("objections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_objections_withdraw_token_hash"))
        batch_op.drop_column("withdraw_requested_at")
        batch_op.drop_column("withdraw_token_hash")
