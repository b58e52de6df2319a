"""Tables of the public register's own database (REG-01..REG-05).

The register is a service of its own, independent of any workspace ledger: it has its own
metadata and its own Alembic environment (``moisson/registry/migrations``). Types are portable
so that SQLite (default) and PostgreSQL (production) run the same schema.

People's identifiers are never stored in clear: only the SHA-256 of the normalised identifier,
split into the 5-hex-character prefix used for k-anonymity lookups and the suffix (REG-03).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = (
    "ApiToken",
    "Campaign",
    "CampaignAgent",
    "CampaignDomain",
    "CampaignVersion",
    "DomainChallenge",
    "DomainFeedEntry",
    "IdentifierHash",
    "Objection",
    "ObjectionRoute",
    "Organisation",
    "RegistryBase",
    "SigningKey",
)

_NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class RegistryBase(DeclarativeBase):
    """Declarative base of the register's tables (not the workspace ledger's)."""

    metadata = MetaData(naming_convention=_NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON}


class Organisation(RegistryBase):
    """An organisation declaring campaigns; its contact email is a private field."""

    __tablename__ = "organisations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    email: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ApiToken(RegistryBase):
    """A bearer token, stored as its SHA-256 only; rotation revokes and issues (REG-01)."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hint: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class Campaign(RegistryBase):
    """A collection campaign; ``public_json`` is the serialised public record (fast listings)."""

    __tablename__ = "campaigns"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="active")
    version: Mapped[int] = mapped_column(Integer, default=1)
    declaration: Mapped[dict[str, Any]] = mapped_column(JSON)
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)
    search_text: Mapped[str] = mapped_column(Text, default="")
    public_json: Mapped[str] = mapped_column(Text, default="{}")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class CampaignVersion(RegistryBase):
    """One public version of a campaign: every change is kept (REG-05)."""

    __tablename__ = "campaign_versions"
    __table_args__ = (UniqueConstraint("campaign_id", "version", name="uq_campaign_versions"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    change: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    declaration: Mapped[dict[str, Any]] = mapped_column(JSON)
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CampaignDomain(RegistryBase):
    """A declared source domain of a campaign, indexed for "who collects my site?" (REG-02)."""

    __tablename__ = "campaign_domains"
    __table_args__ = (Index("ix_campaign_domains_domain", "domain", "campaign_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), index=True)
    domain: Mapped[str] = mapped_column(String(253))


class CampaignAgent(RegistryBase):
    """A product token of a declared crawler user agent (REG-02)."""

    __tablename__ = "campaign_agents"
    __table_args__ = (Index("ix_campaign_agents_token", "token", "campaign_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), index=True)
    token: Mapped[str] = mapped_column(String(200))


class DomainChallenge(RegistryBase):
    """A proof-of-control challenge for a domain (well-known file or DNS TXT, REG-03)."""

    __tablename__ = "domain_challenges"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    domain: Mapped[str] = mapped_column(String(253), index=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    method: Mapped[str | None] = mapped_column(String(8), nullable=True)


class Objection(RegistryBase):
    """A domain or personal objection (GDPR art. 21), tracked to a deadline (REG-03).

    A personal objection keeps no address: only a keyed hash of the confirmation email and the
    hashes of the one-time confirmation and withdrawal tokens.
    """

    __tablename__ = "objections"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(8))
    domain: Mapped[str | None] = mapped_column(String(253), nullable=True, index=True)
    status: Mapped[str] = mapped_column(String(24))
    email_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    confirm_token_hash: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    deadline: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # A personal objection's withdrawal: the hash of the mailed token (one token for all the
    # objections of one address) and when it was sent.
    withdraw_token_hash: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    withdraw_requested_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), nullable=True
    )


class IdentifierHash(RegistryBase):
    """SHA-256 of a normalised identifier, split for the k-anonymity prefix lookup (REG-03)."""

    __tablename__ = "identifier_hashes"
    __table_args__ = (Index("ix_identifier_hashes_lookup", "prefix", "active", "suffix"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    objection_id: Mapped[int] = mapped_column(ForeignKey("objections.id"), index=True)
    prefix: Mapped[str] = mapped_column(String(5))
    suffix: Mapped[str] = mapped_column(String(59))
    active: Mapped[bool] = mapped_column(Boolean, default=False)


class ObjectionRoute(RegistryBase):
    """An objection routed to one organisation's campaign, with its answer deadline."""

    __tablename__ = "objection_routes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    objection_id: Mapped[int] = mapped_column(ForeignKey("objections.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"))
    status: Mapped[str] = mapped_column(String(16), default="open")
    deadline: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class DomainFeedEntry(RegistryBase):
    """One event of the incremental opt-out feed of domains; ``id`` is the cursor (REG-04)."""

    __tablename__ = "domain_feed"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    domain: Mapped[str] = mapped_column(String(253))
    action: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SigningKey(RegistryBase):
    """The register's Ed25519 feed-signing key (one row), shared by every worker."""

    __tablename__ = "signing_keys"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    private_key: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
