"""Payloads of the register's JSON API (REG-01..REG-05), validated by pydantic.

Bad payloads get 422 with a message naming the field (FastAPI's ``loc``); every text field
refuses control characters so that nothing a database would choke on gets through.
"""

from __future__ import annotations

from datetime import date, datetime
from ipaddress import IPv4Network, IPv6Network
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    StringConstraints,
    model_validator,
)

from moisson.registry.domains import normalise_domain

__all__ = (
    "MAX_ID",
    "CampaignIn",
    "CampaignOut",
    "CampaignPatch",
    "CampaignPrivate",
    "CampaignVersionOut",
    "ChallengeIn",
    "ChallengeOut",
    "Contact",
    "DomainObjectionIn",
    "IdentifierIn",
    "ObjectionOut",
    "PersonObjectionIn",
    "PersonWithdrawalIn",
    "RouteOut",
    "RoutePatch",
)

# Ids are 32-bit INTEGER columns on PostgreSQL: larger values are refused before any query.
MAX_ID = 2**31 - 1
_PRINTABLE = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=_PRINTABLE)]
LongText = Annotated[str, StringConstraints(min_length=1, max_length=5000, pattern=_PRINTABLE)]
Email = Annotated[
    str,
    StringConstraints(
        max_length=320, pattern=r"^[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]+$"
    ),
]


def _domain(value: str) -> str:
    return normalise_domain(value)


Domain = Annotated[str, StringConstraints(min_length=1, max_length=253), AfterValidator(_domain)]
LegalBasis = Literal[
    "legitimate_interest", "consent", "public_task", "contract", "legal_obligation"
]  # GDPR art. 6(1)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Contact(_Strict):
    """A professional contact (controller, DPO): public by declaration (GDPR art. 13(1)(a)-(b))."""

    name: ShortText
    email: Email
    address: LongText | None = None


class _CampaignFields(_Strict):
    title: ShortText
    controller: Contact
    dpo: Contact | None = None
    purpose: LongText
    legal_basis: LegalBasis
    lia_url: HttpUrl | None = Field(
        default=None, description="Published legitimate-interest assessment (CNIL, 2025)"
    )
    user_agents: list[ShortText] = Field(min_length=1, max_length=20)
    ip_ranges: list[IPv4Network | IPv6Network] = Field(default_factory=list, max_length=50)
    public_key: LongText | None = Field(default=None, description="Key for signed requests")
    start_date: date
    end_date: date | None = None
    source_domains: list[Domain] = Field(default_factory=list, max_length=1000)
    source_categories: list[ShortText] = Field(default_factory=list, max_length=100)
    data_categories: list[ShortText] = Field(default_factory=list, max_length=100)
    exclusions: list[ShortText] = Field(default_factory=list, max_length=100)
    signals_honoured: list[ShortText] = Field(default_factory=list, max_length=50)
    retention: ShortText
    rights_contact: ShortText


class CampaignIn(_CampaignFields):
    """A campaign declaration (REG-01). ``notes`` is private to the owner."""

    notes: LongText | None = None

    @model_validator(mode="after")
    def _coherent(self) -> CampaignIn:
        _check_coherence(self.legal_basis, self.lia_url, self.start_date, self.end_date)
        return self


def _check_coherence(
    legal_basis: str | None, lia_url: object, start: date | None, end: date | None
) -> None:
    if legal_basis == "legitimate_interest" and lia_url is None:
        msg = "lia_url: a legitimate-interest campaign must link its published assessment"
        raise ValueError(msg)
    if start is not None and end is not None and end < start:
        msg = "end_date: must not be before start_date"
        raise ValueError(msg)


class CampaignPatch(_Strict):
    """A partial update; omitted fields keep their value."""

    title: ShortText | None = None
    controller: Contact | None = None
    dpo: Contact | None = None
    purpose: LongText | None = None
    legal_basis: LegalBasis | None = None
    lia_url: HttpUrl | None = None
    user_agents: list[ShortText] | None = Field(default=None, min_length=1, max_length=20)
    ip_ranges: list[IPv4Network | IPv6Network] | None = Field(default=None, max_length=50)
    public_key: LongText | None = None
    start_date: date | None = None
    end_date: date | None = None
    source_domains: list[Domain] | None = Field(default=None, max_length=1000)
    source_categories: list[ShortText] | None = Field(default=None, max_length=100)
    data_categories: list[ShortText] | None = Field(default=None, max_length=100)
    exclusions: list[ShortText] | None = Field(default=None, max_length=100)
    signals_honoured: list[ShortText] | None = Field(default=None, max_length=50)
    retention: ShortText | None = None
    rights_contact: ShortText | None = None
    notes: LongText | None = None


class CampaignPrivate(BaseModel):
    """Fields only the owning organisation sees."""

    notes: str | None
    organisation_email: str
    open_objections: int


class CampaignOut(_CampaignFields):
    id: int
    organisation: str
    status: Literal["active", "closed"]
    version: int
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None = None
    private: CampaignPrivate | None = None


class CampaignVersionOut(BaseModel):
    version: int
    change: str
    status: str
    changed_at: datetime
    declaration: dict[str, object]


class ChallengeIn(_Strict):
    domain: Domain


class ChallengeOut(BaseModel):
    id: int
    domain: str
    token: str
    well_known_url: str
    dns_name: str
    dns_value: str


class DomainObjectionIn(_Strict):
    challenge_id: int = Field(ge=1, le=MAX_ID)
    token: Annotated[
        str, StringConstraints(min_length=10, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    ]
    method: Literal["http", "dns"] = "http"


IdentifierType = Literal["EMAIL", "PHONE", "PERSON", "IBAN", "FR_NIR", "IDENTIFIER"]


class IdentifierIn(_Strict):
    type: IdentifierType
    value: ShortText


class PersonObjectionIn(_Strict):
    """A personal objection: the identifiers count only once the email is confirmed."""

    email: Email
    identifiers: list[IdentifierIn] = Field(default_factory=list, max_length=20)
    language: Literal["fr", "en"] = "en"


class PersonWithdrawalIn(_Strict):
    """A request to withdraw the personal objections filed with ``email``."""

    email: Email
    language: Literal["fr", "en"] = "en"


class ObjectionOut(BaseModel):
    reference: str
    kind: Literal["domain", "person"]
    status: str
    domain: str | None = None
    created_at: datetime
    deadline: datetime
    routed_to: int


class RouteOut(BaseModel):
    id: int
    objection_reference: str
    kind: str
    domain: str | None
    identifiers: int
    campaign_id: int
    status: str
    deadline: datetime
    overdue: bool = Field(description="Deadline passed without a final answer (done/refused)")


class RoutePatch(_Strict):
    status: Literal["acknowledged", "done", "refused"]
