"""The register's pages in a real headless Chromium: search, campaign page, objection forms,
language switch, and an axe-core accessibility check with no serious violation (REG-02, REG-03).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]
from playwright.sync_api import Browser, Page

from moisson.registry.mail import MemoryMailSender
from moisson.registry.schemas import CampaignIn
from moisson.registry.server import BackgroundServer
from moisson.registry.service import Register

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DOMAIN = "poterie.example"


class _Owner(ThreadingHTTPServer):
    token = ""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _OwnerHandler)


class _OwnerHandler(BaseHTTPRequestHandler):
    server: _Owner

    def do_GET(self) -> None:
        body = self.server.token.encode()
        self.send_response(200 if body else 404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        return


@pytest.fixture
def site(
    make_register: Callable[..., Register], sqlite_url: str
) -> Iterator[tuple[BackgroundServer, _Owner, MemoryMailSender]]:
    owner = _Owner()
    threading.Thread(target=owner.serve_forever, daemon=True).start()
    mail = MemoryMailSender()
    register = make_register(
        sqlite_url, resolve={DOMAIN: f"127.0.0.1:{owner.server_address[1]}"}, mail=mail
    )
    token = register.create_organisation("Acme IA", "c@acme.example")
    register.create_campaign(
        register.authenticate(token) or 0,
        CampaignIn.model_validate(
            {
                "title": "Corpus des artisans",
                "controller": {"name": "Acme IA", "email": "privacy@acme.example"},
                "purpose": "Entraîner un modèle de langue français",
                "legal_basis": "legitimate_interest",
                "lia_url": "https://acme.example/lia",
                "user_agents": ["AcmeBot/2.1 (+https://acme.example/bot)"],
                "start_date": "2026-01-01",
                "source_domains": [DOMAIN],
                "retention": "3 ans",
                "rights_contact": "droits@acme.example",
            }
        ),
    )
    with BackgroundServer(register) as server:
        register.settings.base_url = server.url
        yield server, owner, mail
    owner.shutdown()
    owner.server_close()


def _no_serious_violation(page: Page) -> None:
    results = Axe().run(page)
    serious = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], f"{page.url}: {serious}"


def test_search_campaign_page_and_language_switch(
    browser: Browser, site: tuple[BackgroundServer, _Owner, MemoryMailSender]
) -> None:
    server = site[0]
    page = browser.new_page(locale="en-GB", java_script_enabled=False)
    page.goto(server.url + "/")
    assert page.locator("html").get_attribute("lang") == "en"
    _no_serious_violation_js(browser, server.url + "/")
    page.get_by_label("Domain name (for example example.org)").fill(f"www.{DOMAIN}")
    page.get_by_role("button", name="Search").first.click()
    page.wait_for_url(re.compile(r"/campaigns\?domain="))
    page.get_by_role("link", name="Corpus des artisans").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Corpus des artisans"
    assert page.get_by_text("Controller").count() >= 1
    page.get_by_role("link", name="Français").click()
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_text("Responsable du traitement").count() == 1
    page.goto(server.url + "/")  # the choice is remembered
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("link", name="Aller au contenu principal").count() == 1
    for path in ("/campaigns/1", f"/campaigns?domain={DOMAIN}", "/open-data", "/docs",
                 "/objections/person/withdraw", "/objections/withdraw?token=x"):  # fmt: skip
        _no_serious_violation_js(browser, server.url + path)
    page.close()


def _no_serious_violation_js(browser: Browser, url: str) -> None:
    """axe-core needs JavaScript; the pages themselves never do."""
    page = browser.new_page()
    page.goto(url)
    _no_serious_violation(page)
    page.close()


def test_domain_objection_form(
    browser: Browser, site: tuple[BackgroundServer, _Owner, MemoryMailSender]
) -> None:
    server, owner, _ = site
    page = browser.new_page(locale="en-GB")
    page.goto(server.url + "/objections/domain")
    _no_serious_violation(page)
    page.get_by_label("Domain name").fill(DOMAIN)
    page.get_by_role("button", name="Get a verification token").click()
    token = page.locator("#challenge-token").inner_text().strip()
    _no_serious_violation(page)
    owner.token = token
    page.get_by_label("Well-known file (HTTP)").check()
    page.get_by_role("button", name="Verify and file the objection").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Objection recorded"
    assert len(page.locator("#reference").inner_text()) == 16
    _no_serious_violation(page)
    page.close()


def test_person_objection_form_and_confirmation(
    browser: Browser, site: tuple[BackgroundServer, _Owner, MemoryMailSender]
) -> None:
    server, _, mail = site
    page = browser.new_page(locale="fr-FR")
    page.goto(server.url + "/objections/person")
    assert page.locator("html").get_attribute("lang") == "fr"
    _no_serious_violation(page)
    page.get_by_label("Votre adresse électronique (pour confirmer)").fill("jeanne@exemple.fr")
    page.get_by_label("Type d'un autre identifiant (facultatif)").select_option("PHONE")
    page.get_by_label("Autre identifiant (facultatif)", exact=True).fill("06 12 34 56 78")
    page.get_by_role("button", name="Envoyer").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Consultez votre messagerie"
    to, subject, body = mail.outbox[-1]
    assert to == "jeanne@exemple.fr" and subject.startswith("Confirmez")
    link = re.search(r"http://\S+", body)
    assert link is not None
    page.goto(link.group(0))
    _no_serious_violation(page)
    page.get_by_role("button", name="Confirmer").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Opposition enregistrée"
    page.close()
