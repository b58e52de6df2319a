"""The register's operations, shared by the JSON API, the HTML pages and the CLI (REG-01..REG-05).

Campaigns are declared and changed only by their owner; each change is a public version.
Objections are acknowledged with a reference, routed to the organisations whose campaigns cover
them and tracked to a deadline. People's identifiers are only ever held as SHA-256 hashes.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cached_property
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from sqlalchemy import Engine, func, or_, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from moisson.errors import MoissonError
from moisson.persons.normalise import normalise_identifier
from moisson.registry import signing
from moisson.registry.db import make_engine, make_sessionmaker, upgrade
from moisson.registry.domains import agent_token, domain_candidates, normalise_domain
from moisson.registry.proof import WELL_KNOWN_PATH, check_dns, check_well_known, dns_name, dns_value
from moisson.registry.reader import RawReader
from moisson.registry.schemas import (
    CampaignIn,
    CampaignPatch,
    ChallengeOut,
    IdentifierIn,
    ObjectionOut,
    RouteOut,
    _check_coherence,
)
from moisson.registry.settings import RegisterSettings
from moisson.registry.tables import (
    ApiToken,
    Campaign,
    CampaignAgent,
    CampaignDomain,
    CampaignVersion,
    DomainChallenge,
    DomainFeedEntry,
    IdentifierHash,
    Objection,
    ObjectionRoute,
    Organisation,
    SigningKey,
)

__all__ = ("FeedPage", "PendingMail", "Register", "RegisterError", "hash_identifier")

_log = logging.getLogger(__name__)

_DOMAIN_SQL = (
    "SELECT c.public_json FROM campaigns c WHERE c.id IN "
    "(SELECT d.campaign_id FROM campaign_domains d WHERE d.domain IN (?)) "
    "ORDER BY c.id DESC LIMIT ? OFFSET ?"
)
_AGENT_SQL = (
    "SELECT c.public_json FROM campaigns c WHERE c.id IN "
    "(SELECT a.campaign_id FROM campaign_agents a WHERE a.token = ?) "
    "ORDER BY c.id DESC LIMIT ? OFFSET ?"
)
_SUFFIX_SQL = "SELECT suffix FROM identifier_hashes WHERE prefix = ? AND active = ? ORDER BY suffix"


MAX_PENDING_PER_ADDRESS = 3
# A withdrawal link works this long; an address gets at most one such mail in an interval.
WITHDRAWAL_LINK_LIFETIME = timedelta(days=3)
WITHDRAWAL_MAIL_INTERVAL = timedelta(hours=1)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

# Declaration fields a PATCH may clear with null; the others are required or lists.
_NULLABLE = frozenset({"dpo", "lia_url", "public_key", "end_date"})


class RegisterError(MoissonError):
    """A register operation refused; ``status`` is the HTTP status the API answers with."""

    def __init__(self, message: str, *, status: int) -> None:
        super().__init__(message)
        self.status = status


def hash_identifier(normalised: str) -> str:
    """SHA-256 hex of a normalised identifier: the k-anonymity scheme needs an unkeyed hash."""
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:  # SQLite returns naive datetimes; they were stored in UTC
        value = value.replace(tzinfo=UTC)
    return value.isoformat()


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


class FeedPage:
    """One signed page of the domain feed: exact body bytes, ETag and signature (REG-04)."""

    def __init__(self, body: bytes, signature: str) -> None:
        self.body = body
        self.signature = signature
        self.etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'


@dataclass(frozen=True)
class PendingMail:
    """A mail prepared during a request and sent after its answer."""

    to: str
    subject: str
    body: str
    token_hash: str


class Register:
    """A register instance on one database. Build with :meth:`open`."""

    def __init__(self, settings: RegisterSettings, engine: Engine) -> None:
        self.settings = settings
        self.engine = engine
        self.sessions: sessionmaker[Session] = make_sessionmaker(engine)
        self.reader = RawReader(engine)

    @classmethod
    def open(
        cls, settings: RegisterSettings, *, migrate: bool = True, **engine_kwargs: Any
    ) -> Register:
        engine = make_engine(settings.database_url, **engine_kwargs)
        if migrate:
            upgrade(engine)
        return cls(settings, engine)

    def close(self) -> None:
        self.reader.close()
        self.engine.dispose()

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self.sessions.begin() as session:
            yield session

    # -- keys ------------------------------------------------------------------------------

    @cached_property
    def signing_key(self) -> Ed25519PrivateKey:
        """The feed-signing key, created once and shared by all workers through the database."""
        with self.session() as s:
            row = s.get(SigningKey, 1)
            if row is not None:
                return Ed25519PrivateKey.from_private_bytes(row.private_key)
        key = Ed25519PrivateKey.generate()
        raw = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        try:
            with self.session() as s:
                s.add(SigningKey(id=1, private_key=raw, created_at=_now()))
        except IntegrityError:  # another worker won the race: use its key
            with self.session() as s:
                stored = s.get(SigningKey, 1)
                assert stored is not None
                return Ed25519PrivateKey.from_private_bytes(stored.private_key)
        return key

    def public_key(self) -> str:
        return signing.public_key_b64(self.signing_key)

    def _email_hash(self, email: str) -> str:
        secret = hashlib.sha256(
            self.signing_key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
            + b"\x00email"
        ).digest()
        return hmac.new(secret, email.encode("utf-8"), hashlib.sha256).hexdigest()

    # -- organisations and tokens (REG-01) -------------------------------------------------

    def create_organisation(self, name: str, email: str) -> str:
        """Create an organisation and return its first API token (shown once, stored hashed)."""
        clean = name.strip()
        if not clean or len(clean) > 200:
            msg = f"organisation name must be 1 to 200 characters: {name!r}"
            raise RegisterError(msg, status=422)
        with self.session() as s:
            if s.scalar(select(Organisation.id).where(Organisation.name == clean)) is not None:
                msg = f"organisation {clean!r} already exists"
                raise RegisterError(msg, status=409)
            org = Organisation(name=clean, email=email.strip(), created_at=_now())
            s.add(org)
            s.flush()
            return self._issue_token(s, org.id)

    def _issue_token(self, s: Session, organisation_id: int) -> str:
        token = "mreg_" + secrets.token_urlsafe(32)
        s.add(
            ApiToken(
                organisation_id=organisation_id,
                token_hash=_sha256(token),
                hint=token[:9],
                created_at=_now(),
            )
        )
        return token

    def _organisation_id(self, s: Session, name: str) -> int:
        org_id = s.scalar(select(Organisation.id).where(Organisation.name == name))
        if org_id is None:
            msg = f"no organisation named {name!r}"
            raise RegisterError(msg, status=404)
        return org_id

    def revoke_tokens(self, name: str) -> int:
        """Revoke every active token of an organisation; returns how many were revoked."""
        with self.session() as s:
            org_id = self._organisation_id(s, name)
            tokens = s.scalars(
                select(ApiToken).where(
                    ApiToken.organisation_id == org_id, ApiToken.revoked_at.is_(None)
                )
            ).all()
            for token in tokens:
                token.revoked_at = _now()
            return len(tokens)

    def rotate_token(self, name: str) -> str:
        """Revoke the organisation's tokens and issue a new one."""
        self.revoke_tokens(name)
        with self.session() as s:
            return self._issue_token(s, self._organisation_id(s, name))

    def authenticate(self, token: str) -> int | None:
        """The organisation id of a valid, unrevoked bearer token."""
        with self.session() as s:
            return s.scalar(
                select(ApiToken.organisation_id).where(
                    ApiToken.token_hash == _sha256(token), ApiToken.revoked_at.is_(None)
                )
            )

    # -- campaigns (REG-01, REG-05) --------------------------------------------------------

    def create_campaign(self, organisation_id: int, payload: CampaignIn) -> dict[str, Any]:
        declaration = payload.model_dump(mode="json", exclude={"notes"})
        now = _now()
        with self.session() as s:
            campaign = Campaign(
                organisation_id=organisation_id,
                status="active",
                version=1,
                declaration=declaration,
                notes=payload.notes,
                created_at=now,
                updated_at=now,
            )
            s.add(campaign)
            s.flush()
            self._after_change(s, campaign, "created")
            return self._view(s, campaign, organisation_id)

    def update_campaign(
        self, campaign_id: int, organisation_id: int, patch: CampaignPatch
    ) -> dict[str, Any]:
        changes = patch.model_dump(mode="json", exclude_unset=True)
        with self.session() as s:
            campaign = self._owned(s, campaign_id, organisation_id)
            if campaign.status == "closed":
                msg = f"campaign {campaign_id} is closed"
                raise RegisterError(msg, status=409)
            if "notes" in changes:
                campaign.notes = changes.pop("notes")
            for key, value in changes.items():
                if value is None and key not in _NULLABLE:
                    msg = f"{key}: may not be null"
                    raise RegisterError(msg, status=422)
            declaration = {**campaign.declaration, **changes}
            try:
                _check_coherence(
                    declaration.get("legal_basis"),
                    declaration.get("lia_url"),
                    _date(declaration.get("start_date")),
                    _date(declaration.get("end_date")),
                )
            except ValueError as exc:
                raise RegisterError(str(exc), status=422) from None
            if declaration != campaign.declaration:
                campaign.declaration = declaration
                campaign.version += 1
                campaign.updated_at = _now()
                self._after_change(s, campaign, "updated")
            return self._view(s, campaign, organisation_id)

    def close_campaign(self, campaign_id: int, organisation_id: int) -> dict[str, Any]:
        with self.session() as s:
            campaign = self._owned(s, campaign_id, organisation_id)
            if campaign.status != "closed":
                campaign.status = "closed"
                campaign.closed_at = campaign.updated_at = _now()
                campaign.version += 1
                self._after_change(s, campaign, "closed")
            return self._view(s, campaign, organisation_id)

    def get_campaign(self, campaign_id: int, viewer: int | None = None) -> dict[str, Any]:
        with self.session() as s:
            campaign = s.get(Campaign, campaign_id)
            if campaign is None:
                msg = f"no campaign {campaign_id}"
                raise RegisterError(msg, status=404)
            return self._view(s, campaign, viewer)

    def campaign_versions(self, campaign_id: int) -> list[dict[str, Any]]:
        with self.session() as s:
            if s.get(Campaign, campaign_id) is None:
                msg = f"no campaign {campaign_id}"
                raise RegisterError(msg, status=404)
            rows = s.scalars(
                select(CampaignVersion)
                .where(CampaignVersion.campaign_id == campaign_id)
                .order_by(CampaignVersion.version)
            ).all()
            return [_version_dict(row) for row in rows]

    def _owned(self, s: Session, campaign_id: int, organisation_id: int) -> Campaign:
        campaign = s.get(Campaign, campaign_id, with_for_update=True)
        if campaign is None:
            msg = f"no campaign {campaign_id}"
            raise RegisterError(msg, status=404)
        if campaign.organisation_id != organisation_id:
            msg = f"campaign {campaign_id} belongs to another organisation"
            raise RegisterError(msg, status=403)
        return campaign

    def _after_change(self, s: Session, campaign: Campaign, change: str) -> None:
        """Refresh the search indexes and the public record, and keep the version (REG-05)."""
        declaration = campaign.declaration
        s.query(CampaignDomain).filter(CampaignDomain.campaign_id == campaign.id).delete()
        s.query(CampaignAgent).filter(CampaignAgent.campaign_id == campaign.id).delete()
        s.add_all(
            CampaignDomain(campaign_id=campaign.id, domain=domain)
            for domain in sorted(set(declaration.get("source_domains") or []))
        )
        s.add_all(
            CampaignAgent(campaign_id=campaign.id, token=token)
            for token in sorted(
                {agent_token(a) for a in declaration.get("user_agents") or []} - {""}
            )
        )
        organisation = s.get(Organisation, campaign.organisation_id)
        assert organisation is not None
        public = _public_record(campaign, organisation.name)
        campaign.public_json = json.dumps(public, ensure_ascii=False, sort_keys=True)
        campaign.search_text = _search_text(public)
        s.add(
            CampaignVersion(
                campaign_id=campaign.id,
                version=campaign.version,
                change=change,
                status=campaign.status,
                declaration=declaration,
                changed_at=campaign.updated_at,
            )
        )

    def _view(self, s: Session, campaign: Campaign, viewer: int | None) -> dict[str, Any]:
        organisation = s.get(Organisation, campaign.organisation_id)
        assert organisation is not None
        record = _public_record(campaign, organisation.name)
        if viewer is not None and viewer == campaign.organisation_id:
            open_routes = s.scalar(
                select(func.count(ObjectionRoute.id)).where(
                    ObjectionRoute.campaign_id == campaign.id, ObjectionRoute.status == "open"
                )
            )
            record["private"] = {
                "notes": campaign.notes,
                "organisation_email": organisation.email,
                "open_objections": int(open_routes or 0),
            }
        return record

    # -- search (REG-02) -------------------------------------------------------------------

    def search_json(
        self,
        *,
        domain: str | None = None,
        agent: str | None = None,
        q: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[str]:
        """Public records (JSON text) matching the search, newest first.

        A host matches declarations of itself and of its parent domains.
        """
        for name, value in (("agent", agent), ("q", q)):
            if value is not None and _CONTROL.search(value):
                msg = f"{name}: control characters are not allowed"
                raise RegisterError(msg, status=422)
        if domain is not None:
            try:
                host = normalise_domain(domain)
            except ValueError as exc:
                msg = f"domain: {exc}"
                raise RegisterError(msg, status=422) from None
            return self.search_domain_json(host, limit=limit, offset=offset)
        if agent is not None:
            rows = self.reader.rows(_AGENT_SQL, [agent_token(agent), limit, offset])
            return [row[0] for row in rows]
        with self.session() as s:
            query = select(Campaign.public_json).order_by(Campaign.id.desc())
            if q:
                pattern = "%" + q.lower().replace("\\", "").replace("%", "").replace("_", "") + "%"
                query = query.where(Campaign.search_text.like(pattern))
            return list(s.scalars(query.limit(limit).offset(offset)))

    def search_domain_json(self, host: str, *, limit: int = 50, offset: int = 0) -> list[str]:
        """Campaigns declaring normalised ``host`` or a parent domain of it (hot path)."""
        candidates = domain_candidates(host)
        sql = _DOMAIN_SQL.replace("(?)", "(" + ",".join("?" * len(candidates)) + ")")
        return [row[0] for row in self.reader.rows(sql, [*candidates, limit, offset])]

    # -- objections (REG-03) ---------------------------------------------------------------

    def create_challenge(self, domain: str) -> ChallengeOut:
        host = normalise_domain(domain)
        token = secrets.token_urlsafe(24)
        with self.session() as s:
            challenge = DomainChallenge(domain=host, token=token, created_at=_now())
            s.add(challenge)
            s.flush()
            return ChallengeOut(
                id=challenge.id,
                domain=host,
                token=token,
                well_known_url=f"http://{host}{WELL_KNOWN_PATH}",
                dns_name=dns_name(host),
                dns_value=dns_value(token),
            )

    def _prove(self, challenge_id: int, token: str, method: str) -> str:
        """The domain of a challenge whose token is served (well-known file or DNS TXT).

        A challenge proves control once (a new objection or withdrawal needs a new one).
        """
        with self.session() as s:
            challenge = s.get(DomainChallenge, challenge_id)
            if challenge is None or not hmac.compare_digest(challenge.token, token):
                msg = f"challenge_id: no challenge {challenge_id} with this token"
                raise RegisterError(msg, status=404)
            if challenge.verified_at is not None:
                msg = f"challenge_id: challenge {challenge_id} was already used"
                raise RegisterError(msg, status=409)
            domain = challenge.domain
        if method == "dns":
            proven = check_dns(domain, token, resolver=self.settings.txt_resolver)
        else:
            proven = check_well_known(domain, token, resolve=self.settings.resolve)
        if not proven:
            where = dns_name(domain) if method == "dns" else f"http://{domain}{WELL_KNOWN_PATH}"
            msg = f"proof of control of {domain} failed: token not found at {where}"
            raise RegisterError(msg, status=403)
        with self.session() as s:
            stored = s.get(DomainChallenge, challenge_id, with_for_update=True)
            assert stored is not None
            if stored.verified_at is not None:
                msg = f"challenge_id: challenge {challenge_id} was already used"
                raise RegisterError(msg, status=409)
            stored.verified_at, stored.method = _now(), method
        return domain

    def _feed_state(self, s: Session, domain: str) -> str | None:
        return s.scalar(
            select(DomainFeedEntry.action)
            .where(DomainFeedEntry.domain == domain)
            .order_by(DomainFeedEntry.id.desc())
            .limit(1)
        )

    def file_domain_objection(self, challenge_id: int, token: str, method: str) -> ObjectionOut:
        """Verify the proof of control, then record, route and publish the objection."""
        domain = self._prove(challenge_id, token, method)
        now = _now()
        with self.session() as s:
            objection = self._new_objection(s, "domain", "confirmed", domain=domain)
            objection.confirmed_at = now
            s.flush()
            if self._feed_state(s, domain) != "add":
                s.add(DomainFeedEntry(domain=domain, action="add", created_at=now))
            routed = self._route(s, objection)
            return _objection_out(objection, routed)

    def withdraw_domain_objection(self, challenge_id: int, token: str, method: str) -> int:
        """The domain's owner (proven again) withdraws its objections; the feed says "remove".

        Returns how many objections were withdrawn.
        """
        domain = self._prove(challenge_id, token, method)
        with self.session() as s:
            objections = s.scalars(
                select(Objection).where(
                    Objection.kind == "domain",
                    Objection.domain == domain,
                    Objection.status == "confirmed",
                )
            ).all()
            for objection in objections:
                objection.status = "withdrawn"
            s.query(ObjectionRoute).filter(
                ObjectionRoute.objection_id.in_([o.id for o in objections])
            ).update({ObjectionRoute.status: "withdrawn"})
            if self._feed_state(s, domain) == "add":
                s.add(DomainFeedEntry(domain=domain, action="remove", created_at=_now()))
            return len(objections)

    def file_person_objection(
        self, email: str, identifiers: Sequence[IdentifierIn], *, language: str = "en"
    ) -> ObjectionOut:
        """Record hashed identifiers (inactive) and mail a confirmation link to ``email``.

        The address is not stored: only a keyed hash, and the SHA-256 of its normalised form
        among the identifiers.
        """
        hashes: list[str] = []
        for index, item in enumerate([IdentifierIn(type="EMAIL", value=email), *identifiers]):
            normalised = normalise_identifier(item.type, item.value)
            if normalised is None:
                field = "email" if index == 0 else f"identifiers[{index - 1}].value"
                msg = f"{field}: not a valid {item.type} identifier"
                raise RegisterError(msg, status=422)
            hashes.append(hash_identifier(normalised))
        confirm_token = secrets.token_urlsafe(32)
        email_hash = self._email_hash(hashes[0])
        with self.session() as s:
            recent = s.scalar(
                select(func.count(Objection.id)).where(
                    Objection.email_hash == email_hash,
                    Objection.status == "pending_confirmation",
                    Objection.created_at > _now() - timedelta(days=1),
                )
            )
            if (recent or 0) >= MAX_PENDING_PER_ADDRESS:
                # Nobody may use the register to flood an address with confirmation mail.
                msg = "email: too many unconfirmed objections for this address today; confirm one first"
                raise RegisterError(msg, status=429)
            objection = self._new_objection(s, "person", "pending_confirmation")
            objection.email_hash = email_hash
            objection.confirm_token_hash = _sha256(confirm_token)
            s.flush()
            s.add_all(
                IdentifierHash(objection_id=objection.id, prefix=h[:5], suffix=h[5:], active=False)
                for h in sorted(set(hashes))
            )
            out = _objection_out(objection, 0)
            link = f"{self.settings.base_url.rstrip('/')}/objections/confirm?token={confirm_token}"
            self.settings.mail.send(email, *_confirmation_mail(language, out.reference, link))
        return out

    def confirm_person_objection(self, confirm_token: str) -> ObjectionOut:
        with self.session() as s:
            objection = s.scalar(
                select(Objection).where(Objection.confirm_token_hash == _sha256(confirm_token))
            )
            if objection is None:
                msg = "token: unknown or already used confirmation token"
                raise RegisterError(msg, status=404)
            objection.status = "confirmed"
            objection.confirmed_at = _now()
            objection.confirm_token_hash = None
            s.query(IdentifierHash).filter(IdentifierHash.objection_id == objection.id).update(
                {IdentifierHash.active: True}
            )
            routed = self._route(s, objection)
            return _objection_out(objection, routed)

    def request_person_withdrawal(self, email: str, *, language: str = "en") -> PendingMail | None:
        """Prepare the mail that gives ``email`` a link withdrawing the personal objections it
        confirmed (REG-03); the caller sends it with :meth:`send_withdrawal_mail` once it has
        answered.

        Proof of control is the same as for filing: receiving the mail. Nothing tells the caller
        whether the address has objections (the register does not reveal who objected): the
        answer is the same, and sending after it keeps the time an SMTP exchange takes, and
        its failures, out of it. An address gets at most one withdrawal mail per
        ``WITHDRAWAL_MAIL_INTERVAL``.
        """
        normalised = normalise_identifier("EMAIL", email)
        if normalised is None:
            msg = "email: not a valid EMAIL identifier"
            raise RegisterError(msg, status=422)
        email_hash = self._email_hash(hash_identifier(normalised))
        now = _now()
        with self.session() as s:
            objections = s.scalars(
                select(Objection).where(
                    Objection.kind == "person",
                    Objection.email_hash == email_hash,
                    Objection.status == "confirmed",
                )
            ).all()
            recent = [
                o
                for o in objections
                if o.withdraw_requested_at is not None
                and _aware(o.withdraw_requested_at) > now - WITHDRAWAL_MAIL_INTERVAL
            ]
            if not objections or recent:
                return None
            token = secrets.token_urlsafe(32)
            for objection in objections:
                objection.withdraw_token_hash = _sha256(token)
                objection.withdraw_requested_at = now
            references = sorted(o.reference for o in objections)
            link = f"{self.settings.base_url.rstrip('/')}/objections/withdraw?token={token}"
            subject, body = _withdrawal_mail(language, references, link)
            return PendingMail(email, subject, body, _sha256(token))

    def send_withdrawal_mail(self, mail: PendingMail) -> None:
        """Send a prepared withdrawal mail. When the relay fails, the request is forgotten so
        that the person can ask again at once; the log names no address (privacy of the tool)."""
        try:
            self.settings.mail.send(mail.to, mail.subject, mail.body)
        except OSError as exc:  # smtplib's errors are OSErrors
            _log.warning("withdrawal mail not sent (%s); the request was reset", type(exc).__name__)
            with self.session() as s:
                for objection in s.scalars(
                    select(Objection).where(Objection.withdraw_token_hash == mail.token_hash)
                ):
                    objection.withdraw_token_hash = None
                    objection.withdraw_requested_at = None

    def withdraw_person_objections(self, token: str) -> list[ObjectionOut]:
        """Withdraw the objections a mailed withdrawal token stands for.

        Their identifier hashes and the keyed hash of the address are deleted, so they leave
        the opt-out lookups at once; their routes are marked withdrawn, as for a domain's.
        """
        now = _now()
        with self.session() as s:
            objections = [
                o
                for o in s.scalars(
                    select(Objection).where(
                        Objection.withdraw_token_hash == _sha256(token),
                        Objection.status == "confirmed",
                    )
                ).all()
                if o.withdraw_requested_at is not None
                and _aware(o.withdraw_requested_at) > now - WITHDRAWAL_LINK_LIFETIME
            ]
            if not objections:
                msg = "token: unknown, used or expired withdrawal token"
                raise RegisterError(msg, status=404)
            ids = [o.id for o in objections]
            for objection in objections:
                objection.status = "withdrawn"
                objection.withdraw_token_hash = None
                objection.email_hash = None
            # Nothing is kept that no longer serves a purpose (GDPR art. 5(1)(c) and (e)).
            s.query(IdentifierHash).filter(IdentifierHash.objection_id.in_(ids)).delete(
                synchronize_session=False
            )
            s.query(ObjectionRoute).filter(ObjectionRoute.objection_id.in_(ids)).update(
                {ObjectionRoute.status: "withdrawn"}
            )
            routed = {
                objection_id: int(count)
                for objection_id, count in s.execute(
                    select(ObjectionRoute.objection_id, func.count(ObjectionRoute.id))
                    .where(ObjectionRoute.objection_id.in_(ids))
                    .group_by(ObjectionRoute.objection_id)
                ).all()
            }
            return [_objection_out(o, routed.get(o.id, 0)) for o in objections]

    def objection_status(self, reference: str) -> ObjectionOut:
        with self.session() as s:
            objection = s.scalar(select(Objection).where(Objection.reference == reference))
            if objection is None:
                msg = f"no objection {reference!r}"
                raise RegisterError(msg, status=404)
            routed = s.scalar(
                select(func.count(ObjectionRoute.id)).where(
                    ObjectionRoute.objection_id == objection.id
                )
            )
            return _objection_out(objection, int(routed or 0))

    def _new_objection(
        self, s: Session, kind: str, status: str, *, domain: str | None = None
    ) -> Objection:
        now = _now()
        objection = Objection(
            reference=secrets.token_hex(8),
            kind=kind,
            domain=domain,
            status=status,
            created_at=now,
            deadline=now + timedelta(days=self.settings.deadline_days),
        )
        s.add(objection)
        return objection

    def _route(self, s: Session, objection: Objection) -> int:
        """Route to the active campaigns covering the objection; one route per campaign.

        A domain objection goes to campaigns declaring the domain, a parent or a subdomain of it,
        and to campaigns declaring only categories of sources (they may reach any site);
        a personal objection to every organisation with an active campaign (its latest one).
        """
        if objection.kind == "domain" and objection.domain:
            covering = select(CampaignDomain.campaign_id).where(
                or_(
                    CampaignDomain.domain.in_(domain_candidates(objection.domain)),
                    CampaignDomain.domain.like("%." + objection.domain),
                )
            )
            declares_any = select(CampaignDomain.campaign_id)
            rows = s.execute(
                select(Campaign.id, Campaign.organisation_id).where(
                    Campaign.status == "active",
                    or_(Campaign.id.in_(covering), Campaign.id.not_in(declares_any)),
                )
            ).all()
        else:
            rows = s.execute(
                select(func.max(Campaign.id), Campaign.organisation_id)
                .where(Campaign.status == "active")
                .group_by(Campaign.organisation_id)
            ).all()
        now = _now()
        s.add_all(
            ObjectionRoute(
                objection_id=objection.id,
                organisation_id=org_id,
                campaign_id=campaign_id,
                status="open",
                deadline=objection.deadline,
                updated_at=now,
            )
            for campaign_id, org_id in rows
        )
        return len(rows)

    def routes_for(self, organisation_id: int) -> list[RouteOut]:
        """The objections routed to an organisation, with their deadlines (never identifiers)."""
        with self.session() as s:
            identifiers = (
                select(func.count(IdentifierHash.id))
                .where(IdentifierHash.objection_id == Objection.id)
                .scalar_subquery()
            )
            rows = s.execute(
                select(ObjectionRoute, Objection, identifiers)
                .join(Objection, Objection.id == ObjectionRoute.objection_id)
                .where(ObjectionRoute.organisation_id == organisation_id)
                .order_by(ObjectionRoute.deadline, ObjectionRoute.id)
            ).all()
            now = _now()
            return [
                RouteOut(
                    id=route.id,
                    objection_reference=objection.reference,
                    kind=objection.kind,
                    domain=objection.domain,
                    identifiers=int(count or 0),
                    campaign_id=route.campaign_id,
                    status=route.status,
                    deadline=_aware(route.deadline),
                    overdue=route.status in ("open", "acknowledged")
                    and _aware(route.deadline) < now,
                )
                for route, objection, count in rows
            ]

    def update_route(self, route_id: int, organisation_id: int, status: str) -> None:
        with self.session() as s:
            route = s.get(ObjectionRoute, route_id)
            if route is None or route.organisation_id != organisation_id:
                msg = f"no objection route {route_id} for this organisation"
                raise RegisterError(msg, status=404)
            route.status, route.updated_at = status, _now()

    # -- opt-out feed (REG-04) -------------------------------------------------------------

    def domain_feed(self, since: int = 0) -> FeedPage:
        """Net changes to the objecting domains after cursor ``since``, signed."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                text("SELECT id, domain, action FROM domain_feed WHERE id > :since ORDER BY id"),
                {"since": since},
            ).all()
        last: dict[str, str] = {}
        cursor = since
        for row_id, domain, action in rows:
            last[domain] = action
            cursor = max(cursor, row_id)
        body = signing.canonical_json(
            {
                "since": since,
                "cursor": cursor,
                "added": sorted(d for d, a in last.items() if a == "add"),
                "removed": sorted(d for d, a in last.items() if a == "remove"),
            }
        )
        return FeedPage(body, signing.sign(body, self.signing_key))

    def identifier_suffixes(self, prefix: str) -> list[str]:
        """Suffixes of the confirmed identifier hashes starting with ``prefix`` (5 hex chars)."""
        return [row[0] for row in self.reader.rows(_SUFFIX_SQL, [prefix.lower(), True])]

    # -- open data (REG-05) ----------------------------------------------------------------

    def export(self) -> dict[str, Any]:
        """Every campaign and its public history, as open data (no private fields, no identifiers)."""
        with self.session() as s:
            campaigns = []
            for campaign in s.scalars(select(Campaign).order_by(Campaign.id)):
                record = json.loads(campaign.public_json)
                record["history"] = [
                    _version_dict(v)
                    for v in s.scalars(
                        select(CampaignVersion)
                        .where(CampaignVersion.campaign_id == campaign.id)
                        .order_by(CampaignVersion.version)
                    )
                ]
                campaigns.append(record)
            objections = {
                kind: int(count)
                for kind, count in s.execute(
                    select(Objection.kind, func.count(Objection.id))
                    .where(Objection.status == "confirmed")
                    .group_by(Objection.kind)
                )
            }
        return {
            "format": "moisson-register-export/1",
            "generated_at": _now().isoformat(),
            "licence": "ODbL-1.0",
            "campaigns": campaigns,
            "confirmed_objections": objections,
        }


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _date(value: object) -> Any:
    from datetime import date

    return date.fromisoformat(value) if isinstance(value, str) else None


def _public_record(campaign: Campaign, organisation: str) -> dict[str, Any]:
    return {
        **campaign.declaration,
        "id": campaign.id,
        "organisation": organisation,
        "status": campaign.status,
        "version": campaign.version,
        "created_at": _iso(campaign.created_at),
        "updated_at": _iso(campaign.updated_at),
        "closed_at": _iso(campaign.closed_at),
    }


def _search_text(record: dict[str, Any]) -> str:
    parts = [
        record.get("title", ""),
        record.get("organisation", ""),
        record.get("purpose", ""),
        " ".join(record.get("source_categories") or []),
        " ".join(record.get("data_categories") or []),
        (record.get("controller") or {}).get("name", ""),
    ]
    return " ".join(str(p) for p in parts).lower()


def _version_dict(row: CampaignVersion) -> dict[str, Any]:
    return {
        "version": row.version,
        "change": row.change,
        "status": row.status,
        "changed_at": _iso(row.changed_at),
        "declaration": row.declaration,
    }


def _objection_out(objection: Objection, routed: int) -> ObjectionOut:
    return ObjectionOut(
        reference=objection.reference,
        kind="domain" if objection.kind == "domain" else "person",
        status=objection.status,
        domain=objection.domain,
        created_at=_aware(objection.created_at),
        deadline=_aware(objection.deadline),
        routed_to=routed,
    )


def _withdrawal_mail(language: str, references: Sequence[str], link: str) -> tuple[str, str]:
    listed = ", ".join(references)
    if language == "fr":
        return (
            "Retirer votre opposition au registre public des collectes",
            f"Quelqu'un a demandé le retrait des oppositions {listed} liées à cette adresse.\n"
            f"Pour les retirer, ouvrez ce lien dans les 3 jours : {link}\n"
            "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : "
            "vos oppositions restent en vigueur.\n",
        )
    return (
        "Withdraw your objection on the public register of collection campaigns",
        f"Someone asked to withdraw the objections {listed} filed with this address.\n"
        f"To withdraw them, open this link within 3 days: {link}\n"
        "If you did not make this request, ignore this message: your objections stay in force.\n",
    )


def _confirmation_mail(language: str, reference: str, link: str) -> tuple[str, str]:
    if language == "fr":
        return (
            f"Confirmez votre opposition {reference}",
            "Vous avez déposé une opposition au registre public des collectes (RGPD art. 21).\n"
            f"Pour qu'elle soit prise en compte, confirmez-la : {link}\n"
            "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message.\n",
        )
    return (
        f"Confirm your objection {reference}",
        "You filed an objection on the public register of collection campaigns (GDPR art. 21).\n"
        f"Confirm it so that it counts: {link}\n"
        "If you did not make this request, ignore this message.\n",
    )
