"""Server-rendered, accessible pages of the register in French and English (REG-02, REG-03).

Every page works without JavaScript: searches are GET forms, objections are POST forms. Pages
carry a ``lang`` attribute, a skip link, labels on every field and a language switch.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, BackgroundTasks, Form, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from moisson.registry.i18n import LANGUAGES, MESSAGES, negotiate
from moisson.registry.schemas import MAX_ID, IdentifierIn
from moisson.registry.service import Register, RegisterError

__all__ = ("render", "router")

router = APIRouter(include_in_schema=False)
_templates = Environment(
    loader=FileSystemLoader(Path(__file__).with_name("templates")),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
_LANG_COOKIE = "moisson_register_lang"


def _language(request: Request) -> str:
    return negotiate(
        request.query_params.get("lang"),
        request.cookies.get(_LANG_COOKIE),
        request.headers.get("accept-language"),
    )


def _switch_links(request: Request, current: str) -> list[dict[str, str]]:
    links = []
    for lang in LANGUAGES:
        params = {k: v for k, v in request.query_params.items() if k != "lang"}
        params["lang"] = lang
        links.append(
            {
                "lang": lang,
                "label": "Français" if lang == "fr" else "English",
                "href": f"{request.url.path}?{urlencode(params)}",
                "current": "true" if lang == current else "false",
            }
        )
    return links


def render(
    request: Request, template: str, *, status_code: int = 200, **context: Any
) -> HTMLResponse:
    """Render ``template`` in the negotiated language; remember an explicit choice in a cookie."""
    lang = _language(request)
    body = _templates.get_template(template).render(
        lang=lang,
        t=MESSAGES[lang],
        switch=_switch_links(request, lang),
        request_path=request.url.path,
        **context,
    )
    response = HTMLResponse(
        body, status_code=status_code, headers={"Vary": "Accept-Language, Cookie"}
    )
    explicit = request.query_params.get("lang")
    if explicit in LANGUAGES:
        response.set_cookie(_LANG_COOKIE, explicit, max_age=365 * 86400, samesite="lax")
    return response


def _register(request: Request) -> Register:
    register: Register = request.app.state.register
    return register


def _error(request: Request, exc: RegisterError) -> HTMLResponse:
    code = exc.status if 400 <= exc.status < 500 else 400
    return render(request, "error.html", status_code=code, message=str(exc))


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    return render(request, "home.html")


@router.get("/campaigns", response_class=HTMLResponse)
async def search_page(
    request: Request,
    domain: Annotated[str | None, Query(max_length=253)] = None,
    agent: Annotated[str | None, Query(max_length=200)] = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
) -> HTMLResponse:
    domain, agent, q = (v.strip() if v and v.strip() else None for v in (domain, agent, q))
    try:
        rows = _register(request).search_json(domain=domain, agent=agent, q=q, limit=100)
    except RegisterError as exc:
        return _error(request, exc)
    return render(
        request,
        "search.html",
        campaigns=[json.loads(row) for row in rows],
        query=domain or agent or q or "",
        domain=domain or "",
        agent=agent or "",
        q=q or "",
    )


@router.get("/campaigns/{campaign_id}", response_class=HTMLResponse)
def campaign_page(
    request: Request, campaign_id: Annotated[int, PathParam(ge=1, le=MAX_ID)]
) -> HTMLResponse:
    register = _register(request)
    try:
        campaign = register.get_campaign(campaign_id)
        versions = register.campaign_versions(campaign_id)
    except RegisterError as exc:
        return _error(request, exc)
    return render(request, "campaign.html", c=campaign, versions=list(reversed(versions)))


@router.get("/objections/domain", response_class=HTMLResponse)
def domain_objection_form(request: Request) -> HTMLResponse:
    return render(request, "domain_objection.html", challenge=None)


@router.post("/objections/domain/challenge", response_class=HTMLResponse)
def domain_challenge(
    request: Request, domain: Annotated[str, Form(max_length=253)]
) -> HTMLResponse:
    try:
        challenge = _register(request).create_challenge(domain)
    except ValueError as exc:
        return _error(request, RegisterError(f"domain: {exc}", status=422))
    return render(request, "domain_objection.html", challenge=challenge)


@router.post("/objections/domain", response_class=HTMLResponse)
def domain_objection(
    request: Request,
    challenge_id: Annotated[int, Form(ge=1, le=MAX_ID)],
    token: Annotated[str, Form(max_length=64)],
    method: Annotated[str, Form(pattern="^(http|dns)$")] = "http",
) -> HTMLResponse:
    try:
        objection = _register(request).file_domain_objection(challenge_id, token, method)
    except RegisterError as exc:
        return _error(request, exc)
    return render(request, "acknowledged.html", objection=objection)


@router.get("/objections/person", response_class=HTMLResponse)
def person_objection_form(request: Request) -> HTMLResponse:
    return render(request, "person_objection.html")


@router.post("/objections/person", response_class=HTMLResponse)
def person_objection(
    request: Request,
    email: Annotated[str, Form(max_length=320)],
    identifier_type: Annotated[str, Form(max_length=20)] = "",
    identifier_value: Annotated[str, Form(max_length=200)] = "",
) -> HTMLResponse:
    lang = _language(request)
    try:
        extra = []
        if identifier_value.strip():
            extra.append(
                IdentifierIn.model_validate({"type": identifier_type, "value": identifier_value})
            )
        objection = _register(request).file_person_objection(email, extra, language=lang)
    except RegisterError as exc:
        return _error(request, exc)
    except ValueError:
        return _error(
            request, RegisterError("identifier_type: unknown identifier type", status=422)
        )
    return render(request, "check_mail.html", objection=objection)


@router.get("/objections/confirm", response_class=HTMLResponse)
def confirm_form(
    request: Request, token: Annotated[str, Query(max_length=100)] = ""
) -> HTMLResponse:
    """A page with a button: confirming on GET would let mail scanners confirm for people."""
    return render(request, "confirm.html", token=token)


@router.post("/objections/confirm", response_class=HTMLResponse)
def confirm(request: Request, token: Annotated[str, Form(max_length=100)]) -> HTMLResponse:
    try:
        objection = _register(request).confirm_person_objection(token)
    except RegisterError as exc:
        return _error(request, exc)
    return render(request, "acknowledged.html", objection=objection)


@router.get("/objections/person/withdraw", response_class=HTMLResponse)
def withdrawal_form(request: Request) -> HTMLResponse:
    return render(request, "withdraw_request.html")


@router.post("/objections/person/withdraw", response_class=HTMLResponse)
def request_withdrawal(
    request: Request, email: Annotated[str, Form(max_length=320)], background: BackgroundTasks
) -> HTMLResponse:
    register = _register(request)
    try:
        mail = register.request_person_withdrawal(email, language=_language(request))
    except RegisterError as exc:
        return _error(request, exc)
    if mail is not None:  # sent after the answer, as in the API
        background.add_task(register.send_withdrawal_mail, mail)
    return render(request, "withdraw_sent.html")


@router.get("/objections/withdraw", response_class=HTMLResponse)
def withdraw_form(
    request: Request, token: Annotated[str, Query(max_length=100)] = ""
) -> HTMLResponse:
    """A page with a button, as for confirmation: mail scanners follow links."""
    return render(request, "withdraw_confirm.html", token=token)


@router.post("/objections/withdraw", response_class=HTMLResponse)
def withdraw(request: Request, token: Annotated[str, Form(max_length=100)]) -> HTMLResponse:
    try:
        objections = _register(request).withdraw_person_objections(token)
    except RegisterError as exc:
        return _error(request, exc)
    return render(request, "withdrawn.html", objections=objections)


@router.get("/objections/status/{reference}", response_class=HTMLResponse)
def objection_status(request: Request, reference: str) -> HTMLResponse:
    try:
        objection = _register(request).objection_status(reference)
    except RegisterError as exc:
        return _error(request, exc)
    return render(request, "acknowledged.html", objection=objection)


@router.get("/open-data", response_class=HTMLResponse)
def open_data(request: Request) -> HTMLResponse:
    return render(request, "open_data.html")


_METHODS = ("get", "post", "put", "patch", "delete")


def _schema_name(schema: dict[str, Any]) -> str:
    """``CampaignIn`` for a ``$ref``, ``array of CampaignOut`` for a list, else its type."""
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if schema.get("type") == "array" and isinstance(schema.get("items"), dict):
        return f"array of {_schema_name(schema['items'])}"
    return str(schema.get("type", "object"))


def _operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """The OpenAPI operations as rows for the reference page, in the schema's order."""
    rows = []
    for path, item in spec.get("paths", {}).items():
        for method in _METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            rows.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "auth": bool(operation.get("security")),
                    "parameters": [
                        {
                            "name": p["name"],
                            "where": p["in"],
                            "required": bool(p.get("required")),
                            "description": p.get("description", ""),
                        }
                        for p in operation.get("parameters", [])
                    ],
                    "body": _schema_name(body["schema"]) if body else None,
                    "responses": sorted(operation.get("responses", {})),
                }
            )
    return rows


@router.get("/docs", response_class=HTMLResponse)
def api_reference(request: Request) -> HTMLResponse:
    """The API reference, rendered here from the OpenAPI schema: no third-party script."""
    spec = request.app.openapi()
    return render(
        request,
        "api_reference.html",
        operations=_operations(spec),
        schemas=sorted(spec.get("components", {}).get("schemas", {})),
    )
