"""Fixtures of the register's tests: a real database (SQLite file or PostgreSQL), the app, tokens."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from moisson.registry.app import create_app
from moisson.registry.mail import MemoryMailSender
from moisson.registry.proof import StaticTxtResolver
from moisson.registry.server import BackgroundServer
from moisson.registry.service import Register
from moisson.registry.settings import RegisterSettings


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def registry_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The register's database URL: a SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'register.sqlite'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'register.sqlite'}"


@pytest.fixture
def make_register() -> Iterator[Callable[..., Register]]:
    opened: list[Register] = []

    def make(url: str, **settings: Any) -> Register:
        settings.setdefault("txt_resolver", StaticTxtResolver())
        settings.setdefault("mail", MemoryMailSender())
        register = Register.open(RegisterSettings(database_url=url, **settings))
        opened.append(register)
        return register

    yield make
    for register in opened:
        register.close()


@pytest.fixture
def register(make_register: Callable[..., Register], registry_db_url: str) -> Register:
    return make_register(registry_db_url)


@pytest.fixture
def client(register: Register) -> Iterator[TestClient]:
    with TestClient(create_app(register)) as test_client:
        yield test_client


@pytest.fixture
def live_register(
    make_register: Callable[..., Register], sqlite_url: str
) -> Iterator[BackgroundServer]:
    """A register served by uvicorn on a free loopback port (SQLite)."""
    with BackgroundServer(make_register(sqlite_url)) as server:
        yield server


@pytest.fixture
def campaign_payload() -> Callable[..., dict[str, Any]]:
    def make(**overrides: Any) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "title": "Corpus français 2026",
            "controller": {"name": "Acme IA", "email": "privacy@acme.example"},
            "dpo": {"name": "DPO Acme", "email": "dpo@acme.example"},
            "purpose": "Training a French language model",
            "legal_basis": "legitimate_interest",
            "lia_url": "https://acme.example/lia",
            "user_agents": ["AcmeBot/2.1 (+https://acme.example/bot)"],
            "ip_ranges": ["192.0.2.0/24"],
            "start_date": "2026-01-01",
            "end_date": "2026-12-31",
            "source_domains": ["example.org", "blog.example.net"],
            "source_categories": ["news sites"],
            "data_categories": ["public web text"],
            "exclusions": ["health sites"],
            "signals_honoured": ["robots.txt", "TDMRep"],
            "retention": "3 years",
            "rights_contact": "rights@acme.example",
            "notes": "internal: budget line 42",
        }
        payload.update(overrides)
        return payload

    return make
