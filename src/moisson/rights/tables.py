"""Ledger tables of the rights pillar (RGT-03, RGT-05, RGT-06).

No table holds an identifier in clear: a request keeps the keyed hashes of what the person
supplied (purpose ``person``), the suppression list is keyed hashes, and regurgitation
evidence (prompt and output, which may quote the person) is sealed with a key derived from
the workspace secret.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from moisson.ledger.models import Base, utcnow

__all__ = ("RegurgitationRow", "RequestIdentifierRow", "RightsRequestRow", "SuppressionRow")


class RightsRequestRow(Base):
    """One request from a person (art. 15-21 GDPR) and its legal clock (art. 12(3))."""

    __tablename__ = "rights_requests"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="received")
    dataset: Mapped[str | None] = mapped_column(String(200), default=None)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    due_at: Mapped[datetime] = mapped_column()
    extended_due_at: Mapped[datetime | None] = mapped_column(default=None)
    extension_reason: Mapped[str | None] = mapped_column(Text, default=None)
    verified_at: Mapped[datetime | None] = mapped_column(default=None)
    verification: Mapped[str | None] = mapped_column(Text, default=None)
    refusal_basis: Mapped[str | None] = mapped_column(String(40), default=None)
    refusal_reason: Mapped[str | None] = mapped_column(Text, default=None)
    closed_at: Mapped[datetime | None] = mapped_column(default=None)
    # What was done (versions, counts, models marked, file paths): never identifiers.
    outcome: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # Matches of free-text identifiers found by the text scan at intake (doc ids and spans).
    scan_matches: Mapped[dict[str, Any]] = mapped_column(default=dict)
    reply: Mapped[str | None] = mapped_column(Text, default=None)
    identifiers: Mapped[list[RequestIdentifierRow]] = relationship(
        back_populates="request", cascade="all, delete-orphan", lazy="selectin"
    )


class RequestIdentifierRow(Base):
    """A keyed hash of one normalised identifier (or name variant) a person supplied."""

    __tablename__ = "rights_request_identifiers"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("rights_requests.id"), index=True)
    label: Mapped[str] = mapped_column(String(20))
    key_hash: Mapped[str] = mapped_column(String(64))
    request: Mapped[RightsRequestRow] = relationship(back_populates="identifiers")


class SuppressionRow(Base):
    """The suppression list (SCR-08, RGT-05): keyed hashes future collection and builds skip."""

    __tablename__ = "rights_suppressions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(20))
    request_id: Mapped[int | None] = mapped_column(ForeignKey("rights_requests.id"), default=None)
    added_at: Mapped[datetime] = mapped_column(default=utcnow)


class RegurgitationRow(Base):
    """A reported regurgitation (RGT-06): sealed prompt and output, hashes of what it quoted."""

    __tablename__ = "rights_regurgitations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    model: Mapped[str] = mapped_column(String(200))
    reported_at: Mapped[datetime] = mapped_column(default=utcnow)
    generated_at: Mapped[datetime | None] = mapped_column(default=None)
    prompt_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    output_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    identifiers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("rights_requests.id"), default=None)
    last_replay: Mapped[dict[str, Any]] = mapped_column(default=dict)
