"""Alembic revisions of the register database."""

__all__: list[str] = []
