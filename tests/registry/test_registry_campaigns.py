"""Campaign declarations through the JSON API: ownership, privacy, versions, validation (REG-01, REG-05)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from moisson.registry.service import Register, RegisterError

Payload = Callable[..., dict[str, Any]]


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_owner_creates_updates_and_closes_with_public_versions(
    client: TestClient, register: Register, campaign_payload: Payload
) -> None:
    token = register.create_organisation("Acme IA", "contact@acme.example")
    created = client.post("/api/v1/campaigns", json=campaign_payload(), headers=auth(token))
    assert created.status_code == 201, created.text
    record = created.json()
    assert record["version"] == 1
    assert record["source_domains"] == ["example.org", "blog.example.net"]
    assert record["private"]["notes"] == "internal: budget line 42"
    cid = record["id"]

    patched = client.patch(
        f"/api/v1/campaigns/{cid}", json={"retention": "2 years"}, headers=auth(token)
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["retention"] == "2 years"
    assert patched.json()["version"] == 2
    assert patched.json()["purpose"] == "Training a French language model"

    closed = client.delete(f"/api/v1/campaigns/{cid}", headers=auth(token))
    assert closed.status_code == 200
    assert closed.json()["status"] == "closed"

    versions = client.get(f"/api/v1/campaigns/{cid}/versions").json()
    assert [(v["version"], v["change"], v["status"]) for v in versions] == [
        (1, "created", "active"),
        (2, "updated", "active"),
        (3, "closed", "closed"),
    ]
    assert versions[0]["declaration"]["retention"] == "3 years"
    assert all("notes" not in v["declaration"] for v in versions)
    again = client.patch(
        f"/api/v1/campaigns/{cid}", json={"retention": "1 year"}, headers=auth(token)
    )
    assert again.status_code == 409


def test_no_organisation_reads_private_fields_or_changes_another_campaign(
    client: TestClient, register: Register, campaign_payload: Payload
) -> None:
    owner = register.create_organisation("Acme IA", "contact@acme.example")
    other = register.create_organisation("Rival", "contact@rival.example")
    cid = client.post("/api/v1/campaigns", json=campaign_payload(), headers=auth(owner)).json()[
        "id"
    ]

    for headers in ({}, auth(other), auth("mreg_not-a-token")):
        seen = client.get(f"/api/v1/campaigns/{cid}", headers=headers)
        assert seen.status_code == 200
        assert seen.json()["private"] is None
        assert "budget" not in seen.text and "contact@acme.example" not in seen.text

    assert (
        client.patch(
            f"/api/v1/campaigns/{cid}", json={"title": "x"}, headers=auth(other)
        ).status_code
        == 403
    )
    assert client.delete(f"/api/v1/campaigns/{cid}", headers=auth(other)).status_code == 403
    anonymous = client.patch(f"/api/v1/campaigns/{cid}", json={"title": "x"})
    assert anonymous.status_code == 401
    assert anonymous.headers["www-authenticate"] == "Bearer"
    assert client.get(f"/api/v1/campaigns/{cid}").json()["title"] == "Corpus français 2026"
    listing = client.get("/api/v1/campaigns", params={"domain": "example.org"}, headers=auth(other))
    assert "budget" not in listing.text
    assert client.get("/api/v1/export").text.count("budget") == 0
    assert client.get("/api/v1/organisation/objections", headers=auth(other)).json() == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"start_date": "not-a-date"}, "start_date"),
        ({"controller": {"name": "A", "email": "not-an-email"}}, "controller.email"),
        ({"user_agents": []}, "user_agents"),
        ({"source_domains": ["exa mple"]}, "source_domains.0"),
        ({"legal_basis": "because"}, "legal_basis"),
        ({"ip_ranges": ["300.1.1.0/24"]}, "ip_ranges.0"),
        ({"lia_url": None}, "lia_url"),
        ({"end_date": "2025-01-01"}, "end_date"),
        ({"unknown_field": 1}, "unknown_field"),
        ({"title": "bad\x00title"}, "title"),
    ],
)
def test_bad_payload_gets_422_naming_the_field(
    client: TestClient,
    register: Register,
    campaign_payload: Payload,
    change: dict[str, Any],
    field: str,
) -> None:
    token = register.create_organisation("Acme IA", "contact@acme.example")
    response = client.post(
        "/api/v1/campaigns", json=campaign_payload(**change), headers=auth(token)
    )
    assert response.status_code == 422
    assert field in response.json()["message"]


def test_patch_keeps_coherence(
    client: TestClient, register: Register, campaign_payload: Payload
) -> None:
    token = register.create_organisation("Acme IA", "contact@acme.example")
    cid = client.post("/api/v1/campaigns", json=campaign_payload(), headers=auth(token)).json()[
        "id"
    ]
    response = client.patch(
        f"/api/v1/campaigns/{cid}", json={"end_date": "2020-01-01"}, headers=auth(token)
    )
    assert response.status_code == 422
    assert "end_date" in response.json()["detail"]
    response = client.patch(f"/api/v1/campaigns/{cid}", json={"title": None}, headers=auth(token))
    assert response.status_code == 422
    assert "title" in response.json()["detail"]


def test_tokens_are_hashed_rotated_and_revoked(
    client: TestClient, register: Register, campaign_payload: Payload
) -> None:
    first = register.create_organisation("Acme IA", "contact@acme.example")
    with register.engine.connect() as connection:
        from sqlalchemy import text

        stored = [row[0] for row in connection.execute(text("SELECT token_hash FROM api_tokens"))]
    assert first not in stored and len(stored[0]) == 64
    second = register.rotate_token("Acme IA")
    assert register.authenticate(first) is None
    assert (
        client.post("/api/v1/campaigns", json=campaign_payload(), headers=auth(first)).status_code
        == 401
    )
    assert (
        client.post("/api/v1/campaigns", json=campaign_payload(), headers=auth(second)).status_code
        == 201
    )
    assert register.revoke_tokens("Acme IA") == 1
    assert (
        client.post("/api/v1/campaigns", json=campaign_payload(), headers=auth(second)).status_code
        == 401
    )
    with pytest.raises(RegisterError, match="already exists"):
        register.create_organisation("Acme IA", "x@acme.example")
    with pytest.raises(RegisterError, match="no organisation"):
        register.rotate_token("Nobody")


def test_unknown_campaign_is_404(client: TestClient) -> None:
    assert client.get("/api/v1/campaigns/999").status_code == 404
    assert client.get("/api/v1/campaigns/999/versions").status_code == 404
    assert client.get("/api/v1/campaigns/0").status_code == 422
