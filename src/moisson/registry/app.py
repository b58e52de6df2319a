"""The register's ASGI application: JSON API, pages, static files and error mapping (REG-01).

Run it with ``moisson registry serve`` (uvicorn); several workers build their own app with
:func:`create_app_from_env` and share the database.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles

from moisson.registry import api, web
from moisson.registry.hotpath import HotLookups
from moisson.registry.limits import BodySizeLimit
from moisson.registry.service import Register, RegisterError
from moisson.registry.settings import RegisterSettings

__all__ = ("create_app", "create_app_from_env")


def _field(loc: tuple[object, ...] | list[object]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "request"


def create_app(register: Register) -> FastAPI:
    """An app serving ``register`` (migrations already applied by :meth:`Register.open`)."""

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        register.public_key()  # create the signing key before the first feed request
        yield

    app = FastAPI(
        title="moisson public register",
        version="1",
        summary="Public register of collection campaigns for AI training (REG-01..REG-05)",
        lifespan=lifespan,
        # FastAPI's Swagger UI and ReDoc pages load their scripts from a CDN: every visitor's
        # address would go to a third party, and the pages break offline. ``/docs`` is served
        # by ``web.api_reference`` instead, from ``/openapi.json``, with no script at all.
        docs_url=None,
        redoc_url=None,
    )
    app.state.register = register
    app.add_middleware(HotLookups, register=register)
    # Added last, so outermost: a body over the limit is refused before anything reads it.
    app.add_middleware(BodySizeLimit, limit=register.settings.max_body_bytes)
    app.include_router(api.router)
    app.include_router(web.router)
    app.mount("/static", StaticFiles(directory=Path(__file__).with_name("static")), name="static")

    @app.exception_handler(RegisterError)
    async def register_error(request: Request, exc: RegisterError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return JSONResponse({"detail": str(exc)}, status_code=exc.status, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        """422 whose ``message`` names each bad field (``controller.email: ...``)."""
        errors = list(exc.errors())
        message = "; ".join(
            f"{_field(e.get('loc', ()))}: {e.get('msg', 'invalid')}" for e in errors
        )
        detail = [
            {
                "loc": list(e.get("loc", ())),
                "msg": str(e.get("msg", "")),
                "type": str(e.get("type", "")),
            }
            for e in errors
        ]
        return JSONResponse({"message": message, "detail": detail}, status_code=422)

    return app


def create_app_from_env() -> FastAPI:
    """App factory for uvicorn workers: settings from ``MOISSON_REGISTER_*`` variables."""
    return create_app(Register.open(RegisterSettings.from_env(), migrate=False))
