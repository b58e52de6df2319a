"""The public register of collection campaigns (REG-01..REG-05).

A web service of its own (FastAPI, SQLAlchemy, its own Alembic migrations; SQLite by default,
PostgreSQL in production) where organisations declare their campaigns, anyone searches them, and
website owners and people object. Crawlers read its signed opt-out feed
(:mod:`moisson.optout.register_client`).

    register = Register.open(RegisterSettings(database_url="sqlite:///register.sqlite"))
    token = register.create_organisation("Acme", "contact@acme.example")
    app = create_app(register)   # serve with uvicorn, or `moisson registry serve`
"""

from __future__ import annotations

__all__ = ("Register", "RegisterError", "RegisterSettings", "create_app")

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from moisson.registry.app import create_app
    from moisson.registry.service import Register, RegisterError
    from moisson.registry.settings import RegisterSettings


def __getattr__(name: str) -> Any:
    """Lazy: importing the package must not import FastAPI (the CLI mounts it on every call)."""
    if name == "create_app":
        from moisson.registry.app import create_app

        return create_app
    if name in ("Register", "RegisterError"):
        from moisson.registry import service

        return getattr(service, name)
    if name == "RegisterSettings":
        from moisson.registry.settings import RegisterSettings

        return RegisterSettings
    msg = f"module 'moisson.registry' has no attribute {name!r}"
    raise AttributeError(msg)
