"""Demo stage of the public register (REG-01..REG-04).

Starts a register on loopback, publishes the workspace's campaign from its policy, has the owner
of one demo site prove control of it (well-known file on a loopback server) and object, then
syncs the signed feed into the workspace so that the crawl that follows refuses that site.
"""

from __future__ import annotations

import html
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

from moisson.demo.stage import DemoContext, StageReport
from moisson.optout.register_client import DOMAINS_FILE, sync
from moisson.registry.proof import WELL_KNOWN_PATH
from moisson.registry.publish import publish
from moisson.registry.server import BackgroundServer
from moisson.registry.service import Register
from moisson.registry.settings import RegisterSettings

__all__ = ("DEFAULT_OBJECTION_DOMAIN", "demo_stage")

# A demo site whose robots.txt allows everything: the register is what refuses it.
DEFAULT_OBJECTION_DOMAIN = "carnet-voyage.example"
DEMO_CONTACT = "dpo@demo-sas.example"


class _OwnerSite(ThreadingHTTPServer):
    """The site owner's web server: serves the register's challenge token for one host."""

    def __init__(self, domain: str) -> None:
        self.domain = domain
        self.token = ""
        super().__init__(("127.0.0.1", 0), _OwnerHandler)


class _OwnerHandler(BaseHTTPRequestHandler):
    server: _OwnerSite

    def do_GET(self) -> None:
        host = (self.headers.get("Host") or "").split(":")[0].lower()
        if self.path == WELL_KNOWN_PATH and host == self.server.domain and self.server.token:
            body = (self.server.token + "\n").encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
        else:
            body = b"not found\n"
            self.send_response(404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        return


def _objection_domain(ctx: DemoContext) -> str:
    chosen = ctx.state.get("objection_domain")
    if isinstance(chosen, str) and chosen:
        return chosen
    try:
        from moisson.demo.sites import DemoWeb

        hosts = DemoWeb.generate().hosts
    except ImportError:
        return DEFAULT_OBJECTION_DOMAIN
    return DEFAULT_OBJECTION_DOMAIN if DEFAULT_OBJECTION_DOMAIN in hosts else hosts[0]


def demo_stage(ctx: DemoContext) -> StageReport:
    """Publish, object, sync; the crawl stage then honours ``optout/register-domains.txt``."""
    domain = _objection_domain(ctx)
    database = ctx.out_dir / "register.sqlite"
    database.unlink(missing_ok=True)
    owner = _OwnerSite(domain)
    owner_thread = threading.Thread(target=owner.serve_forever, daemon=True)
    owner_thread.start()
    settings = RegisterSettings(
        database_url=f"sqlite:///{database}",
        resolve={domain: f"127.0.0.1:{owner.server_address[1]}"},
    )
    register = Register.open(settings)
    try:
        with BackgroundServer(register) as server, httpx.Client(timeout=30.0) as http:
            settings.base_url = server.url
            token = register.create_organisation("Démo SAS", DEMO_CONTACT)
            campaign = publish(
                ctx.workspace, server.url, token, contact_email=DEMO_CONTACT, http=http
            )
            challenge = http.post(f"{server.url}/api/v1/domain-challenges", json={"domain": domain})
            challenge.raise_for_status()
            owner.token = challenge.json()["token"]
            objection = http.post(
                f"{server.url}/api/v1/objections/domain",
                json={
                    "challenge_id": challenge.json()["id"],
                    "token": owner.token,
                    "method": "http",
                },
            )
            objection.raise_for_status()
            ack = objection.json()
            result = sync(ctx.workspace, server.url)
            found = http.get(f"{server.url}/api/v1/campaigns", params={"domain": f"www.{domain}"})
            declared = [c["id"] for c in found.json()]
    finally:
        register.close()
        owner.shutdown()
        owner.server_close()
    from moisson.optout import LocalOptoutList

    honoured = LocalOptoutList.load(ctx.workspace).match_host(domain) == domain
    ctx.state["objection_domain"] = domain
    ctx.state["register_campaign_id"] = campaign["id"]
    summary = {
        "campaign": campaign["id"],
        "objection": ack["reference"],
        "routed_to": ack["routed_to"],
        "feed_domains": result.total,
        "listed_for_crawl": honoured,
    }
    rows = [
        (
            "Campaign published",
            f"#{campaign['id']} version {campaign['version']}: {campaign['title']}",
        ),
        (
            "Declared source domains",
            ", ".join(campaign["source_domains"]) or "none (categories only)",
        ),
        ("Search “who collects www." + domain + "?”", f"campaigns {declared}"),
        (
            "Domain objection",
            f"{domain}, proven by {WELL_KNOWN_PATH}; reference {ack['reference']}",
        ),
        (
            "Routed to / deadline",
            f"{ack['routed_to']} organisation(s), answer due {ack['deadline'][:10]}",
        ),
        (
            "Signed feed synced",
            f"{result.total} domain(s) in optout/{DOMAINS_FILE}, cursor {result.cursor}",
        ),
        ("Crawl opt-out list covers it", "yes" if honoured else "NO"),
    ]
    body = "".join(
        f"<tr><th scope='row'>{html.escape(k)}</th><td>{html.escape(str(v))}</td></tr>"
        for k, v in rows
    )
    fragment = (
        "<p>A register ran on loopback; the demo controller declared its campaign from the "
        "workspace policy, the owner of one site objected, and the signed opt-out feed was synced "
        "into the workspace (REG-01..REG-04).</p>"
        f"<table><tbody>{body}</tbody></table>"
    )
    return StageReport("public register", summary, fragment, ok=honoured)
