"""Ledger tables (SQLAlchemy 2). Portable types only: SQLite and PostgreSQL run the tests.

Pillars add their own tables on :class:`Base` in ``moisson/<pillar>/tables.py`` with an Alembic
branch of their own (``migrations/versions/<pillar>_0001.py``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

__all__ = (
    "AuditEntry",
    "Base",
    "DatasetVersionRow",
    "ModelTrainingSet",
    "ModelVersionRow",
    "Run",
    "SourceRow",
    "aware",
    "utcnow",
)


def utcnow() -> datetime:
    return datetime.now(UTC)


def aware(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; every stored time is UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dict[str, Any]: JSON,
        datetime: DateTime(timezone=True),
    }


class Run(Base):
    """One pipeline run (ingest, crawl, recheck, erasure...) and the policy it ran under (SCR-01)."""

    __tablename__ = "runs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), default="running")
    run_key: Mapped[str | None] = mapped_column(String(64), index=True)
    policy_hash: Mapped[str] = mapped_column(String(64))
    params: Mapped[dict[str, Any]] = mapped_column(default=dict)
    stats: Mapped[dict[str, Any]] = mapped_column(default=dict)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)


class SourceRow(Base):
    """An input a run read: a file (with its size and hash) or a crawl seed."""

    __tablename__ = "sources"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id"))
    uri: Mapped[str] = mapped_column(Text)
    format: Mapped[str] = mapped_column(String(20))
    size_bytes: Mapped[int | None] = mapped_column(default=None)
    documents: Mapped[int] = mapped_column(default=0)
    errors: Mapped[int] = mapped_column(default=0)


class DatasetVersionRow(Base):
    """An immutable dataset version: its manifest of shards and how it came to be."""

    __tablename__ = "dataset_versions"
    __table_args__ = (UniqueConstraint("name", "version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    version: Mapped[int] = mapped_column(Integer)
    parent_version: Mapped[int | None] = mapped_column(default=None)
    reason: Mapped[str] = mapped_column(Text)
    document_count: Mapped[int] = mapped_column(default=0)
    bytes: Mapped[int] = mapped_column(default=0)
    content_hash: Mapped[str] = mapped_column(String(64))
    shards: Mapped[dict[str, Any]] = mapped_column()  # {"shards": [hash, ...]}
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # SCR-08b: when the objection window ended and the version was released for training.
    released_at: Mapped[datetime | None] = mapped_column(default=None)


class ModelVersionRow(Base):
    """A trained model, the dataset versions it was trained on, its audit and rights status."""

    __tablename__ = "model_versions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    path: Mapped[str] = mapped_column(Text)
    base_model: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    audit_status: Mapped[str] = mapped_column(String(20), default="undetermined")  # MOD-01
    audit_report: Mapped[str | None] = mapped_column(Text, default=None)
    rights_status: Mapped[str] = mapped_column(String(20), default="ok")  # RGT-05
    rights_note: Mapped[str | None] = mapped_column(Text, default=None)
    training_sets: Mapped[list[ModelTrainingSet]] = relationship(
        back_populates="model", cascade="all, delete-orphan", lazy="selectin"
    )


class ModelTrainingSet(Base):
    __tablename__ = "model_training_sets"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    model_id: Mapped[int] = mapped_column(ForeignKey("model_versions.id"))
    dataset_name: Mapped[str] = mapped_column(String(200), index=True)
    dataset_version: Mapped[int] = mapped_column(Integer)
    model: Mapped[ModelVersionRow] = relationship(back_populates="training_sets")


class AuditEntry(Base):
    """Append-only, hash-chained audit log entry (RGT-07): hash = H(prev_hash, entry)."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(100))
    subject: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
