"""Searching the register by domain, crawler and text, as JSON and as pages (REG-02)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from moisson.registry.domains import agent_token, domain_candidates, normalise_domain
from moisson.registry.i18n import negotiate
from moisson.registry.service import Register

Payload = Callable[..., dict[str, Any]]


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def declared(client: TestClient, register: Register, campaign_payload: Payload) -> dict[str, int]:
    acme = register.create_organisation("Acme IA", "contact@acme.example")
    beta = register.create_organisation("Beta Labs", "contact@beta.example")
    ids = {}
    ids["acme"] = client.post(
        "/api/v1/campaigns", json=campaign_payload(), headers=auth(acme)
    ).json()["id"]
    ids["beta"] = client.post(
        "/api/v1/campaigns",
        json=campaign_payload(
            title="Archive of municipal bulletins",
            purpose="Summarising public notices",
            user_agents=["BetaCrawler/0.3"],
            source_domains=["www.example.org", "mairie.example"],
        ),
        headers=auth(beta),
    ).json()["id"]
    return ids


def _ids(client: TestClient, **params: str) -> list[int]:
    response = client.get("/api/v1/campaigns", params=params)
    assert response.status_code == 200, response.text
    return [c["id"] for c in response.json()]


def test_domain_search_matches_parent_declarations(
    client: TestClient, declared: dict[str, int]
) -> None:
    acme, beta = declared["acme"], declared["beta"]
    assert _ids(client, domain="example.org") == [acme]
    assert sorted(_ids(client, domain="www.example.org")) == sorted([acme, beta])
    assert sorted(_ids(client, domain="https://WWW.Example.org/page")) == sorted([acme, beta])
    assert _ids(client, domain="deep.blog.example.net") == [acme]
    assert _ids(client, domain="example.net") == []
    assert _ids(client, domain="other.example") == []


def test_hot_path_answers_like_the_documented_route(
    client: TestClient, declared: dict[str, int]
) -> None:
    hot = client.get("/api/v1/campaigns?domain=www.example.org")
    routed = client.get("/api/v1/campaigns?domain=www.example.org&limit=50")  # through FastAPI
    assert hot.status_code == routed.status_code == 200
    assert hot.json() == routed.json() and len(hot.json()) == 2
    assert hot.headers["cache-control"] == routed.headers["cache-control"]
    assert hot.headers["content-type"] == routed.headers["content-type"]
    assert client.get("/api/v1/campaigns?domain=%E2%80%8B").status_code == 422


def test_agent_and_text_search(client: TestClient, declared: dict[str, int]) -> None:
    assert _ids(client, agent="acmebot") == [declared["acme"]]
    assert _ids(client, agent="AcmeBot/9.9 (+https://elsewhere)") == [declared["acme"]]
    assert _ids(client, agent="betacrawler") == [declared["beta"]]
    assert _ids(client, q="municipal") == [declared["beta"]]
    assert _ids(client, q="beta labs") == [declared["beta"]]
    assert _ids(client, q="nothing-like-this") == []
    assert len(_ids(client)) == 2
    assert len(_ids(client, limit="1")) == 1


def test_bad_search_is_422(client: TestClient) -> None:
    response = client.get("/api/v1/campaigns", params={"domain": "not a domain"})
    assert response.status_code == 422
    assert "domain" in response.json()["detail"]
    assert client.get("/api/v1/campaigns", params={"limit": "0"}).status_code == 422


def test_search_pages_without_javascript(client: TestClient, declared: dict[str, int]) -> None:
    page = client.get("/campaigns", params={"domain": "www.example.org", "lang": "en"})
    assert page.status_code == 200
    assert '<html lang="en">' in page.text
    assert f'href="/campaigns/{declared["beta"]}"' in page.text
    assert "Archive of municipal bulletins" in page.text
    client.cookies.clear()
    campaign = client.get(
        f"/campaigns/{declared['acme']}", headers={"Accept-Language": "fr-FR,fr;q=0.9"}
    )
    assert '<html lang="fr">' in campaign.text
    assert "Responsable du traitement" in campaign.text
    assert "Intérêt légitime (RGPD art. 6(1)(f))" in campaign.text
    assert "budget" not in campaign.text
    assert client.get("/campaigns/424242").status_code == 404
    bad = client.get("/campaigns", params={"domain": "not a domain"})
    assert bad.status_code == 422 and 'role="alert"' in bad.text


def test_language_negotiation_and_switch(client: TestClient) -> None:
    assert negotiate(None, None, "de-DE,fr;q=0.8,en;q=0.5") == "fr"
    assert negotiate(None, "en", "fr") == "en"
    assert negotiate("fr", "en", "en") == "fr"
    assert negotiate(None, None, None) == "en"
    chosen = client.get("/", params={"lang": "fr"})
    assert '<html lang="fr">' in chosen.text and chosen.cookies.get("moisson_register_lang") == "fr"
    remembered = client.get("/", headers={"Accept-Language": "en"})
    assert '<html lang="fr">' in remembered.text  # the explicit choice wins over the browser's
    assert 'href="/?lang=en"' in remembered.text


def test_domain_helpers() -> None:
    assert normalise_domain("Bücher.Example.") == "xn--bcher-kva.example"
    assert domain_candidates("a.b.example.org") == [
        "a.b.example.org",
        "b.example.org",
        "example.org",
    ]
    assert agent_token("Moisson-Bot/1.0 (+https://x)") == "moisson-bot"
    for bad in ("", "localhost", "-bad.example", "a..example", "x" * 64 + ".example"):
        with pytest.raises(ValueError, match="domain"):
            normalise_domain(bad)


def test_both_catalogues_have_every_message() -> None:
    from moisson.registry.i18n import MESSAGES

    assert MESSAGES["fr"].keys() == MESSAGES["en"].keys()
    assert all(MESSAGES["fr"][k] != MESSAGES["en"][k] for k in ("site_title", "skip", "send"))
