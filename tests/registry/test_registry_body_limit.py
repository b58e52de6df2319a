"""Request bodies over the register's size limit are refused before anything reads them
(hostile input; RFC 9110 section 15.5.14), on a real uvicorn server."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from moisson.errors import ConfigError
from moisson.registry.limits import DEFAULT_MAX_BODY_BYTES
from moisson.registry.server import BackgroundServer
from moisson.registry.service import Register
from moisson.registry.settings import RegisterSettings

Payload = Callable[..., dict[str, Any]]


def _campaigns(register: Register) -> int:
    with register.engine.connect() as connection:
        return int(connection.execute(text("SELECT count(*) FROM campaigns")).scalar_one())


def _post(server: BackgroundServer, token: str, content: bytes | Iterator[bytes]) -> httpx.Response:
    return httpx.post(
        f"{server.url}/api/v1/campaigns",
        content=content,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        timeout=30,
    )


def _domain(i: int) -> str:
    """253 characters, the longest a host name can be (RFC 1035 section 2.3.4)."""
    return ".".join([f"d{i:04d}".ljust(63, "a"), "b" * 63, "c" * 63, "e" * 57 + ".org"])


def _largest_declaration(char: str) -> dict[str, Any]:
    """Every list full and every text at its maximum length, written with ``char``."""
    short, long = char * 200, char * 5000
    contact = {"name": short, "email": "a" * 300 + "@acme.example", "address": long}
    return {
        "title": short,
        "controller": contact,
        "dpo": contact,
        "purpose": long,
        "legal_basis": "legitimate_interest",
        "lia_url": "https://acme.example/" + "l" * 1900,
        "user_agents": [f"{short[:-2]}{i:02d}" for i in range(20)],
        "ip_ranges": [f"2001:db8:{i:x}::/48" for i in range(50)],
        "public_key": long,
        "start_date": "2026-01-01",
        "end_date": "2026-12-31",
        "source_domains": [_domain(i) for i in range(1000)],
        "source_categories": [short] * 100,
        "data_categories": [short] * 100,
        "exclusions": [short] * 100,
        "signals_honoured": [short] * 50,
        "retention": short,
        "rights_contact": short,
        "notes": long,
    }


@pytest.fixture
def small_limit(
    make_register: Callable[..., Register], sqlite_url: str
) -> Iterator[BackgroundServer]:
    with BackgroundServer(make_register(sqlite_url, max_body_bytes=4096)) as server:
        yield server


def test_announced_body_over_the_limit_is_refused_unread(
    small_limit: BackgroundServer, campaign_payload: Payload
) -> None:
    register = small_limit.register
    token = register.create_organisation("Acme IA", "contact@acme.example")
    body = json.dumps(campaign_payload(notes="n" * 5000)).encode()
    assert len(body) > 4096
    refused = _post(small_limit, token, body)
    assert refused.status_code == 413
    assert refused.json() == {"detail": "request body larger than 4096 bytes"}
    assert _campaigns(register) == 0
    # The server goes on serving, and a body under the limit is processed as before.
    accepted = _post(small_limit, token, json.dumps(campaign_payload()).encode())
    assert accepted.status_code == 201, accepted.text
    assert _campaigns(register) == 1


def test_chunked_body_over_the_limit_is_refused(
    small_limit: BackgroundServer, campaign_payload: Payload
) -> None:
    register = small_limit.register
    token = register.create_organisation("Acme IA", "contact@acme.example")

    def chunks() -> Iterator[bytes]:
        # No Content-Length: the server only learns the size by reading.
        for _ in range(64):
            yield b" " * 1024
        yield json.dumps(campaign_payload()).encode()

    refused = _post(small_limit, token, chunks())
    assert refused.status_code == 413
    assert _campaigns(register) == 0
    small_chunks = iter([json.dumps(campaign_payload()).encode()])
    assert _post(small_limit, token, small_chunks).status_code == 201


def test_form_pages_are_bounded_too(small_limit: BackgroundServer) -> None:
    refused = httpx.post(
        f"{small_limit.url}/objections/person/withdraw",
        content=b"email=" + b"a" * 8000,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        timeout=30,
    )
    assert refused.status_code == 413


@pytest.mark.parametrize("char", ["x", "\U0001f600"])
def test_default_limit_admits_the_largest_valid_declaration(
    live_register: BackgroundServer, char: str
) -> None:
    register = live_register.register
    token = register.create_organisation("Acme IA", "contact@acme.example")
    body = json.dumps(_largest_declaration(char)).encode()  # non-ASCII as \\u escapes
    assert len(body) < DEFAULT_MAX_BODY_BYTES
    created = _post(live_register, token, body)
    assert created.status_code == 201, created.text[:500]
    assert len(created.json()["source_domains"]) == 1000


def test_limit_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOISSON_REGISTER_MAX_BODY_BYTES", "65536")
    assert RegisterSettings.from_env().max_body_bytes == 65536
    assert RegisterSettings.from_env(max_body_bytes=10).max_body_bytes == 10
    monkeypatch.setenv("MOISSON_REGISTER_MAX_BODY_BYTES", "lots")
    with pytest.raises(ConfigError, match="MOISSON_REGISTER_MAX_BODY_BYTES"):
        RegisterSettings.from_env()
