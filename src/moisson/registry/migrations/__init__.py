"""Alembic environment of the register's own database (independent of the workspace ledger)."""

__all__: list[str] = []
