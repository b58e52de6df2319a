"""Property-based API testing from the OpenAPI schema: no input makes the server fail (REG-02)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from moisson.registry.app import create_app
from moisson.registry.mail import MemoryMailSender
from moisson.registry.proof import StaticTxtResolver
from moisson.registry.schemas import CampaignIn
from moisson.registry.service import Register
from moisson.registry.settings import RegisterSettings


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def seeded(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Register, str]]:
    if request.param == "sqlite":
        path: Path = tmp_path_factory.mktemp("schemathesis") / "register.sqlite"
        url = f"sqlite:///{path}"
    else:  # a fresh database on the session's PostgreSQL server (tests/conftest.py)
        url = request.getfixturevalue("pg_server").create_database()
    register = Register.open(
        RegisterSettings(
            database_url=url, txt_resolver=StaticTxtResolver(), mail=MemoryMailSender()
        )
    )
    token = register.create_organisation("Acme IA", "c@acme.example")
    register.create_campaign(
        register.authenticate(token) or 0,
        CampaignIn.model_validate(
            {
                "title": "Seed",
                "controller": {"name": "Acme", "email": "privacy@acme.example"},
                "purpose": "Training",
                "legal_basis": "consent",
                "user_agents": ["AcmeBot/1"],
                "start_date": "2026-01-01",
                "source_domains": ["example.org"],
                "retention": "1 year",
                "rights_contact": "rights@acme.example",
            }
        ),
    )
    yield register, token
    register.close()


@pytest.fixture(scope="module")
def api_schema(seeded: tuple[Register, str]) -> Any:
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(seeded[0]))


@pytest.mark.slow
def test_no_server_error(api_schema: Any, seeded: tuple[Register, str]) -> None:
    """Every operation, positive and negative data, with a valid token: never a 5xx."""
    headers = {"Authorization": f"Bearer {seeded[1]}"}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 15
    examples = 15 if seeded[0].engine.dialect.name == "sqlite" else 8
    for operation, mode in itertools.product(operations, list(GenerationMode)):

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=examples,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def check(case: Any) -> None:
            case.call_and_validate(headers=headers, checks=[not_a_server_error])

        try:
            check()
        except Unsatisfiable:
            if mode is GenerationMode.POSITIVE:
                raise  # an operation without parameters has no negative data: nothing to try
