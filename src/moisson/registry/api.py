"""The register's JSON API under ``/api/v1`` with OpenAPI docs (REG-01..REG-05).

Organisations authenticate with a bearer token (RFC 6750); anyone searches, files objections and
reads the opt-out feed. The two lookup endpoints that crawlers hammer (domain search and
identifier prefixes) answer with pre-serialised bytes, off the thread pool.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import (
    APIRouter,
    BackgroundTasks,
    Depends,
    Header,
    Path,
    Query,
    Request,
    Response,
    status,
)
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from moisson.registry import signing
from moisson.registry.schemas import (
    MAX_ID,
    CampaignIn,
    CampaignOut,
    CampaignPatch,
    CampaignVersionOut,
    ChallengeIn,
    ChallengeOut,
    DomainObjectionIn,
    ObjectionOut,
    PersonObjectionIn,
    PersonWithdrawalIn,
    RouteOut,
    RoutePatch,
)
from moisson.registry.service import Register, RegisterError

__all__ = ("router",)

router = APIRouter(prefix="/api/v1")
_bearer = HTTPBearer(auto_error=False, description="Organisation API token")
_PRINTABLE = r"^[^\x00-\x1f\x7f]*$"
CampaignId = Annotated[int, Path(ge=1, le=MAX_ID)]
_UNAUTHORISED: dict[int | str, dict[str, Any]] = {
    401: {"description": "Missing, invalid or revoked token"}
}
_FORBIDDEN: dict[int | str, dict[str, Any]] = {
    403: {"description": "The campaign belongs to another organisation"}
}
_NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "No such record"}}


def get_register(request: Request) -> Register:
    register: Register = request.app.state.register
    return register


RegisterDep = Annotated[Register, Depends(get_register)]
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def optional_organisation(register: RegisterDep, credentials: Credentials) -> int | None:
    if credentials is None:
        return None
    return register.authenticate(credentials.credentials)


def organisation(register: RegisterDep, credentials: Credentials) -> int:
    """The authenticated organisation, or 401 with ``WWW-Authenticate: Bearer`` (RFC 6750 §3)."""
    org_id = None if credentials is None else register.authenticate(credentials.credentials)
    if org_id is None:
        msg = "a valid bearer token is required"
        raise RegisterError(msg, status=401)
    return org_id


OrgId = Annotated[int, Depends(organisation)]
MaybeOrgId = Annotated[int | None, Depends(optional_organisation)]


@router.get("/campaigns", response_model=list[CampaignOut], tags=["campaigns"])
async def search_campaigns(
    register: RegisterDep,
    domain: Annotated[str | None, Query(max_length=253, description="Host; parents match")] = None,
    agent: Annotated[
        str | None, Query(max_length=200, pattern=_PRINTABLE, description="User-agent token")
    ] = None,
    q: Annotated[
        str | None, Query(max_length=200, pattern=_PRINTABLE, description="Free text")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Response:
    """Campaigns declaring a domain (or a parent of it), a crawler token, or matching text (REG-02)."""
    rows = register.search_json(domain=domain, agent=agent, q=q, limit=limit, offset=offset)
    return Response(
        content="[" + ",".join(rows) + "]",
        media_type="application/json",
        headers={"Cache-Control": "public, max-age=60"},
    )


@router.post(
    "/campaigns",
    response_model=CampaignOut,
    status_code=status.HTTP_201_CREATED,
    responses=_UNAUTHORISED,
    tags=["campaigns"],
)
def create_campaign(payload: CampaignIn, register: RegisterDep, org_id: OrgId) -> dict[str, Any]:
    """Declare a campaign (REG-01); version 1 is public at once (REG-05)."""
    return register.create_campaign(org_id, payload)


@router.get(
    "/campaigns/{campaign_id}",
    response_model=CampaignOut,
    response_model_exclude_none=False,
    responses=_NOT_FOUND,
    tags=["campaigns"],
)
def get_campaign(
    campaign_id: CampaignId, register: RegisterDep, viewer: MaybeOrgId
) -> dict[str, Any]:
    """A campaign's public record; its owner also sees the ``private`` fields."""
    return register.get_campaign(campaign_id, viewer)


@router.patch(
    "/campaigns/{campaign_id}",
    response_model=CampaignOut,
    responses={**_UNAUTHORISED, **_FORBIDDEN, **_NOT_FOUND},
    tags=["campaigns"],
)
def update_campaign(
    campaign_id: CampaignId, patch: CampaignPatch, register: RegisterDep, org_id: OrgId
) -> dict[str, Any]:
    """Change a campaign; only its owner may (others get 403). Each change is a new version."""
    return register.update_campaign(campaign_id, org_id, patch)


@router.delete(
    "/campaigns/{campaign_id}",
    response_model=CampaignOut,
    responses={**_UNAUTHORISED, **_FORBIDDEN, **_NOT_FOUND},
    tags=["campaigns"],
)
def close_campaign(campaign_id: CampaignId, register: RegisterDep, org_id: OrgId) -> dict[str, Any]:
    """Close a campaign: it stays public, with its history (REG-05)."""
    return register.close_campaign(campaign_id, org_id)


@router.get(
    "/campaigns/{campaign_id}/versions",
    response_model=list[CampaignVersionOut],
    responses=_NOT_FOUND,
    tags=["campaigns"],
)
def campaign_versions(campaign_id: CampaignId, register: RegisterDep) -> list[dict[str, Any]]:
    """Every public version of a campaign (REG-05)."""
    return register.campaign_versions(campaign_id)


@router.post(
    "/domain-challenges",
    response_model=ChallengeOut,
    status_code=status.HTTP_201_CREATED,
    tags=["objections"],
)
def create_challenge(payload: ChallengeIn, register: RegisterDep) -> ChallengeOut:
    """Start a proof of control of a domain: serve the token, or publish it in DNS."""
    return register.create_challenge(payload.domain)


@router.post(
    "/objections/domain",
    response_model=ObjectionOut,
    status_code=status.HTTP_201_CREATED,
    responses={403: {"description": "Proof of control failed"}, **_NOT_FOUND},
    tags=["objections"],
)
def file_domain_objection(payload: DomainObjectionIn, register: RegisterDep) -> ObjectionOut:
    """File a domain objection once control of the domain is proven (REG-03)."""
    return register.file_domain_objection(payload.challenge_id, payload.token, payload.method)


@router.post(
    "/objections/domain/withdraw",
    responses={403: {"description": "Proof of control failed"}, **_NOT_FOUND},
    tags=["objections"],
)
def withdraw_domain_objection(payload: DomainObjectionIn, register: RegisterDep) -> dict[str, int]:
    """Withdraw a domain's objections, with a new proof of control; the feed lists a removal."""
    count = register.withdraw_domain_objection(payload.challenge_id, payload.token, payload.method)
    return {"withdrawn": count}


@router.post(
    "/objections/person",
    response_model=ObjectionOut,
    status_code=status.HTTP_202_ACCEPTED,
    tags=["objections"],
)
def file_person_objection(payload: PersonObjectionIn, register: RegisterDep) -> ObjectionOut:
    """File a personal objection; it counts once confirmed from the email sent (REG-03)."""
    return register.file_person_objection(
        payload.email, payload.identifiers, language=payload.language
    )


@router.post(
    "/objections/confirm/{token}",
    response_model=ObjectionOut,
    responses=_NOT_FOUND,
    tags=["objections"],
)
def confirm_person_objection(
    token: Annotated[str, Path(min_length=10, max_length=100, pattern=r"^[A-Za-z0-9_-]+$")],
    register: RegisterDep,
) -> ObjectionOut:
    """Confirm a personal objection with the token mailed to its author."""
    return register.confirm_person_objection(token)


@router.post(
    "/objections/person/withdraw",
    status_code=status.HTTP_202_ACCEPTED,
    tags=["objections"],
)
def request_person_withdrawal(
    payload: PersonWithdrawalIn, register: RegisterDep, background: BackgroundTasks
) -> dict[str, str]:
    """Ask for a link that withdraws the personal objections filed with this address.

    The answer is the same whether or not the address filed any: the link goes by mail,
    sent after the answer.
    """
    mail = register.request_person_withdrawal(payload.email, language=payload.language)
    if mail is not None:
        background.add_task(register.send_withdrawal_mail, mail)
    return {"detail": "if this address filed objections, a withdrawal link was mailed to it"}


@router.post(
    "/objections/withdraw/{token}",
    response_model=list[ObjectionOut],
    responses=_NOT_FOUND,
    tags=["objections"],
)
def withdraw_person_objections(
    token: Annotated[str, Path(min_length=10, max_length=100, pattern=r"^[A-Za-z0-9_-]+$")],
    register: RegisterDep,
) -> list[ObjectionOut]:
    """Withdraw personal objections with the token mailed to their author."""
    return register.withdraw_person_objections(token)


@router.get(
    "/objections/{reference}",
    response_model=ObjectionOut,
    responses=_NOT_FOUND,
    tags=["objections"],
)
def objection_status(
    reference: Annotated[str, Path(min_length=1, max_length=32, pattern=r"^[0-9a-f]+$")],
    register: RegisterDep,
) -> ObjectionOut:
    """Where an objection stands: acknowledged, routed, deadline."""
    return register.objection_status(reference)


@router.get(
    "/organisation/objections",
    response_model=list[RouteOut],
    responses=_UNAUTHORISED,
    tags=["organisation"],
)
def routed_objections(register: RegisterDep, org_id: OrgId) -> list[RouteOut]:
    """Objections routed to the authenticated organisation, by deadline."""
    return register.routes_for(org_id)


@router.patch(
    "/organisation/objections/{route_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={**_UNAUTHORISED, **_NOT_FOUND},
    tags=["organisation"],
)
def update_routed_objection(
    route_id: CampaignId, payload: RoutePatch, register: RegisterDep, org_id: OrgId
) -> Response:
    """Record the organisation's answer to an objection routed to it."""
    register.update_route(route_id, org_id, payload.status)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/optout/domains",
    tags=["opt-out feed"],
    responses={
        200: {"description": "Signed feed page", "content": {"application/json": {}}},
        304: {"description": "Not modified (ETag)"},
    },
)
async def domain_feed(
    register: RegisterDep,
    since: Annotated[int, Query(ge=0, le=MAX_ID, description="Cursor of the last page read")] = 0,
    if_none_match: Annotated[str | None, Header(max_length=200)] = None,
) -> Response:
    """Objecting domains added or removed after ``since``; body signed with Ed25519 (REG-04)."""
    page = register.domain_feed(since)
    headers = {
        "ETag": page.etag,
        "Cache-Control": "public, max-age=60",
        signing.SIGNATURE_HEADER: page.signature,
    }
    if if_none_match is not None and page.etag in {t.strip() for t in if_none_match.split(",")}:
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers=headers)
    return Response(content=page.body, media_type="application/json", headers=headers)


@router.get(
    "/optout/identifiers/{prefix}",
    tags=["opt-out feed"],
    responses={200: {"description": "One suffix per line", "content": {"text/plain": {}}}},
)
async def identifier_suffixes(
    prefix: Annotated[str, Path(pattern=r"^[0-9a-fA-F]{5}$", description="5 hex chars of SHA-256")],
    register: RegisterDep,
) -> Response:
    """Suffixes of objecting identifiers' SHA-256 under a 5-character prefix (k-anonymity, REG-03)."""
    suffixes = register.identifier_suffixes(prefix)
    return Response(
        content="".join(s + "\n" for s in suffixes),
        media_type="text/plain",
        headers={"Cache-Control": "public, max-age=300"},
    )


@router.get("/optout/public-key", tags=["opt-out feed"])
def public_key(register: RegisterDep) -> dict[str, str]:
    """The Ed25519 public key that verifies the feed's ``X-Moisson-Signature``."""
    return {"algorithm": "Ed25519", "public_key": register.public_key()}


@router.get("/export", tags=["open data"])
def export(register: RegisterDep) -> JSONResponse:
    """All campaigns and their history, as open data (REG-05)."""
    return JSONResponse(register.export())
