"""Domain and personal objections: proof of control, email confirmation, routing, deadlines (REG-03)."""

from __future__ import annotations

import email as email_parser
import email.policy as email_policy
import re
import socket
import struct
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from fastapi.testclient import TestClient

from moisson.registry.app import create_app
from moisson.registry.mail import SmtpMailSender
from moisson.registry.proof import UdpTxtResolver, dns_name
from moisson.registry.server import free_port
from moisson.registry.service import Register, hash_identifier

Payload = Callable[..., dict[str, Any]]


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


class _WellKnownServer(ThreadingHTTPServer):
    """A website owner's server on loopback: serves ``files[(host, path)]``."""

    def __init__(self) -> None:
        self.files: dict[tuple[str, str], str] = {}
        super().__init__(("127.0.0.1", 0), _WellKnownHandler)


class _WellKnownHandler(BaseHTTPRequestHandler):
    server: _WellKnownServer

    def do_GET(self) -> None:
        host = (self.headers.get("Host") or "").split(":")[0]
        body = self.server.files.get((host, self.path))
        self.send_response(200 if body is not None else 404)
        data = (body or "not found").encode()
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        return


@pytest.fixture
def owner_site() -> Iterator[_WellKnownServer]:
    server = _WellKnownServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


class _DnsServer:
    """A real (tiny) authoritative DNS server on loopback UDP answering TXT queries (RFC 1035)."""

    def __init__(self, records: dict[str, list[str]]) -> None:
        self.records = records
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.address = self.sock.getsockname()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                query, peer = self.sock.recvfrom(512)
            except OSError:
                return
            qid = struct.unpack(">H", query[:2])[0]
            labels, offset = [], 12
            while query[offset]:
                labels.append(query[offset + 1 : offset + 1 + query[offset]].decode())
                offset += query[offset] + 1
            question = query[12 : offset + 5]
            answers = b""
            texts = self.records.get(".".join(labels).lower(), [])
            for value in texts:
                rdata = bytes([len(value)]) + value.encode()
                answers += b"\xc0\x0c" + struct.pack(">HHIH", 16, 1, 60, len(rdata)) + rdata
            rcode = 0 if texts else 3
            header = struct.pack(">HHHHHH", qid, 0x8400 | rcode, 1, len(texts), 0, 0)
            self.sock.sendto(header + question + answers, peer)

    def close(self) -> None:
        self.sock.close()


def test_domain_objection_by_well_known_file_is_routed_and_published(
    make_register: Callable[..., Register],
    registry_db_url: str,
    owner_site: _WellKnownServer,
    campaign_payload: Payload,
) -> None:
    port = owner_site.server_address[1]
    register = make_register(registry_db_url, resolve={"blog.example.org": f"127.0.0.1:{port}"})
    with TestClient(create_app(register)) as client:
        acme = register.create_organisation("Acme IA", "contact@acme.example")
        other = register.create_organisation("Other", "contact@other.example")
        covering = client.post(
            "/api/v1/campaigns", json=campaign_payload(), headers=auth(acme)
        ).json()
        client.post(
            "/api/v1/campaigns",
            json=campaign_payload(source_domains=["elsewhere.example"]),
            headers=auth(other),
        )
        challenge = client.post(
            "/api/v1/domain-challenges", json={"domain": "Blog.Example.org"}
        ).json()
        assert challenge["domain"] == "blog.example.org"
        filing = {"challenge_id": challenge["id"], "token": challenge["token"], "method": "http"}

        refused = client.post("/api/v1/objections/domain", json=filing)
        assert refused.status_code == 403
        assert "/.well-known/moisson-register.txt" in refused.json()["detail"]
        assert client.get("/api/v1/optout/domains").json()["added"] == []

        owner_site.files[("blog.example.org", "/.well-known/moisson-register.txt")] = challenge[
            "token"
        ]
        filed = client.post("/api/v1/objections/domain", json=filing)
        assert filed.status_code == 201, filed.text
        ack = filed.json()
        assert ack["status"] == "confirmed" and ack["routed_to"] == 1
        deadline = datetime.fromisoformat(ack["deadline"])
        assert timedelta(days=29) < deadline - datetime.now(UTC) <= timedelta(days=30)
        assert client.get(f"/api/v1/objections/{ack['reference']}").json()["routed_to"] == 1
        assert client.get("/api/v1/optout/domains").json()["added"] == ["blog.example.org"]

        routes = client.get("/api/v1/organisation/objections", headers=auth(acme)).json()
        assert [(r["domain"], r["campaign_id"], r["status"]) for r in routes] == [
            ("blog.example.org", covering["id"], "open")
        ]
        assert client.get("/api/v1/organisation/objections", headers=auth(other)).json() == []
        seen = client.get(f"/api/v1/campaigns/{covering['id']}", headers=auth(acme)).json()
        assert seen["private"]["open_objections"] == 1
        assert (
            client.patch(
                f"/api/v1/organisation/objections/{routes[0]['id']}",
                json={"status": "done"},
                headers=auth(other),
            ).status_code
            == 404
        )
        assert (
            client.patch(
                f"/api/v1/organisation/objections/{routes[0]['id']}",
                json={"status": "done"},
                headers=auth(acme),
            ).status_code
            == 204
        )
        assert (
            client.get("/api/v1/organisation/objections", headers=auth(acme)).json()[0]["status"]
            == "done"
        )
        wrong = client.post("/api/v1/objections/domain", json={**filing, "token": "x" * 32})
        assert wrong.status_code == 404


def test_domain_objection_by_dns_txt_record(
    make_register: Callable[..., Register], sqlite_url: str
) -> None:
    records: dict[str, list[str]] = {}
    dns = _DnsServer(records)
    try:
        register = make_register(
            sqlite_url, txt_resolver=UdpTxtResolver(server=dns.address, timeout=2)
        )
        with TestClient(create_app(register)) as client:
            challenge = client.post(
                "/api/v1/domain-challenges", json={"domain": "mairie.example"}
            ).json()
            filing = {"challenge_id": challenge["id"], "token": challenge["token"], "method": "dns"}
            assert client.post("/api/v1/objections/domain", json=filing).status_code == 403
            records[dns_name("mairie.example")] = ["v=spf1 -all", challenge["dns_value"]]
            filed = client.post("/api/v1/objections/domain", json=filing)
            assert filed.status_code == 201, filed.text
            assert client.get("/api/v1/optout/domains").json()["added"] == ["mairie.example"]
    finally:
        dns.close()


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[str] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope.content.decode("utf-8", "replace"))
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[_Inbox, int]]:
    inbox = _Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


def test_personal_objection_counts_only_once_confirmed_by_email(
    make_register: Callable[..., Register],
    registry_db_url: str,
    smtp: tuple[_Inbox, int],
    campaign_payload: Payload,
    tmp_path: Path,
) -> None:
    inbox, port = smtp
    register = make_register(
        registry_db_url, mail=SmtpMailSender(port=port), base_url="http://register.test"
    )
    email = "Jeanne.Martin@Exemple.fr"
    with TestClient(create_app(register)) as client:
        acme = register.create_organisation("Acme IA", "contact@acme.example")
        client.post("/api/v1/campaigns", json=campaign_payload(), headers=auth(acme))
        filed = client.post(
            "/api/v1/objections/person",
            json={
                "email": email,
                "identifiers": [{"type": "PHONE", "value": "06 12 34 56 78"}],
                "language": "fr",
            },
        )
        assert filed.status_code == 202, filed.text
        assert filed.json()["status"] == "pending_confirmation"
        email_hash = hash_identifier("jeanne.martin@exemple.fr")
        phone_hash = hash_identifier("+33612345678")
        assert email_hash[5:] not in client.get(f"/api/v1/optout/identifiers/{email_hash[:5]}").text

        assert len(inbox.messages) == 1
        message = email_parser.message_from_string(inbox.messages[0], policy=email_policy.default)
        assert message["To"] == email
        assert message["Subject"].startswith("Confirmez")
        body = message.get_body()
        assert body is not None
        token = re.search(r"token=([A-Za-z0-9_-]+)", body.get_content())
        assert token is not None
        page = client.get(f"/objections/confirm?token={token.group(1)}")
        assert 'name="token"' in page.text  # GET only shows a button
        assert email_hash[5:] not in client.get(f"/api/v1/optout/identifiers/{email_hash[:5]}").text

        confirmed = client.post(f"/api/v1/objections/confirm/{token.group(1)}")
        assert confirmed.status_code == 200, confirmed.text
        assert confirmed.json()["status"] == "confirmed"
        assert confirmed.json()["routed_to"] == 1
        for value in (email_hash, phone_hash):
            lines = client.get(f"/api/v1/optout/identifiers/{value[:5].upper()}").text.split()
            assert value[5:] in lines
        assert client.post(f"/api/v1/objections/confirm/{token.group(1)}").status_code == 404
        routes = client.get("/api/v1/organisation/objections", headers=auth(acme)).json()
        assert routes[0]["kind"] == "person" and routes[0]["identifiers"] == 2
        assert "exemple" not in str(routes).lower()
        assert client.get("/api/v1/optout/identifiers/xyz12").status_code == 422

    # The address is nowhere in the database, in any case (stored: hashes only).
    from sqlalchemy import inspect, text

    with register.engine.connect() as connection:
        for table in inspect(connection).get_table_names():
            dump = str(connection.execute(text(f"SELECT * FROM {table}")).all()).lower()
            assert "jeanne" not in dump and "612345678" not in dump, table


def test_personal_objection_rejects_bad_identifiers(client: TestClient) -> None:
    response = client.post(
        "/api/v1/objections/person",
        json={"email": "a@b.example", "identifiers": [{"type": "PHONE", "value": "not a phone"}]},
    )
    assert response.status_code == 422
    assert "identifiers[0].value" in response.json()["detail"]
    response = client.post("/api/v1/objections/person", json={"email": "nope"})
    assert response.status_code == 422 and "email" in response.json()["message"]


def test_withdrawal_needs_a_new_proof_and_publishes_a_removal(
    make_register: Callable[..., Register], sqlite_url: str, owner_site: _WellKnownServer
) -> None:
    port = owner_site.server_address[1]
    register = make_register(sqlite_url, resolve={"mairie.example": f"127.0.0.1:{port}"})
    path = ("mairie.example", "/.well-known/moisson-register.txt")
    with TestClient(create_app(register)) as client:
        first = client.post("/api/v1/domain-challenges", json={"domain": "mairie.example"}).json()
        owner_site.files[path] = first["token"]
        filing = {"challenge_id": first["id"], "token": first["token"]}
        assert client.post("/api/v1/objections/domain", json=filing).status_code == 201
        reused = client.post("/api/v1/objections/domain/withdraw", json=filing)
        assert reused.status_code == 409 and "already used" in reused.json()["detail"]
        cursor = client.get("/api/v1/optout/domains").json()["cursor"]

        second = client.post("/api/v1/domain-challenges", json={"domain": "mairie.example"}).json()
        owner_site.files[path] = second["token"]
        withdrawn = client.post(
            "/api/v1/objections/domain/withdraw",
            json={"challenge_id": second["id"], "token": second["token"]},
        )
        assert withdrawn.json() == {"withdrawn": 1}
        later = client.get("/api/v1/optout/domains", params={"since": cursor}).json()
        assert later["removed"] == ["mairie.example"] and later["added"] == []


def test_routes_past_their_deadline_are_overdue(
    make_register: Callable[..., Register],
    sqlite_url: str,
    owner_site: _WellKnownServer,
    campaign_payload: Payload,
) -> None:
    port = owner_site.server_address[1]
    register = make_register(
        sqlite_url, resolve={"example.org": f"127.0.0.1:{port}"}, deadline_days=0
    )
    with TestClient(create_app(register)) as client:
        token = register.create_organisation("Acme IA", "contact@acme.example")
        client.post("/api/v1/campaigns", json=campaign_payload(), headers=auth(token))
        challenge = client.post("/api/v1/domain-challenges", json={"domain": "example.org"}).json()
        owner_site.files[("example.org", "/.well-known/moisson-register.txt")] = challenge["token"]
        client.post(
            "/api/v1/objections/domain",
            json={"challenge_id": challenge["id"], "token": challenge["token"]},
        )
        routes = client.get("/api/v1/organisation/objections", headers=auth(token)).json()
        assert [(r["status"], r["overdue"]) for r in routes] == [("open", True)]
        client.patch(
            f"/api/v1/organisation/objections/{routes[0]['id']}",
            json={"status": "done"},
            headers=auth(token),
        )
        routes = client.get("/api/v1/organisation/objections", headers=auth(token)).json()
        assert [(r["status"], r["overdue"]) for r in routes] == [("done", False)]


def test_confirmation_mail_is_throttled_per_address(client: TestClient) -> None:
    from moisson.registry.service import MAX_PENDING_PER_ADDRESS

    body = {"email": "flood@exemple.fr"}
    for _ in range(MAX_PENDING_PER_ADDRESS):
        assert client.post("/api/v1/objections/person", json=body).status_code == 202
    refused = client.post("/api/v1/objections/person", json={"email": "FLOOD@exemple.fr"})
    assert refused.status_code == 429 and "email" in refused.json()["detail"]
    assert (
        client.post("/api/v1/objections/person", json={"email": "other@exemple.fr"}).status_code
        == 202
    )


def _mailed_token(inbox: _Inbox, index: int) -> str:
    message = email_parser.message_from_string(inbox.messages[index], policy=email_policy.default)
    body = message.get_body()
    assert body is not None
    found = re.search(r"token=([A-Za-z0-9_-]+)", body.get_content())
    assert found is not None
    return found.group(1)


def test_people_withdraw_their_objections_through_their_mailbox(
    make_register: Callable[..., Register],
    registry_db_url: str,
    smtp: tuple[_Inbox, int],
    campaign_payload: Payload,
) -> None:
    """REG-03: the author of a personal objection can take it back, proven by mail again."""
    inbox, port = smtp
    register = make_register(
        registry_db_url, mail=SmtpMailSender(port=port), base_url="http://register.test"
    )
    email = "paul.durand@exemple.fr"
    email_hash = hash_identifier(email)

    def listed() -> bool:
        lookup = client.get(f"/api/v1/optout/identifiers/{email_hash[:5]}")
        return email_hash[5:] in lookup.text.split()

    with TestClient(create_app(register)) as client:
        acme = register.create_organisation("Acme IA", "contact@acme.example")
        client.post("/api/v1/campaigns", json=campaign_payload(), headers=auth(acme))
        filed = client.post("/api/v1/objections/person", json={"email": email}).json()
        client.post(f"/api/v1/objections/confirm/{_mailed_token(inbox, 0)}")
        assert listed()

        # Unknown addresses get the same answer and no mail: the register reveals nobody.
        unknown = client.post("/api/v1/objections/person/withdraw", json={"email": "x@exemple.fr"})
        asked = client.post(
            "/api/v1/objections/person/withdraw", json={"email": email.upper(), "language": "fr"}
        )
        assert unknown.status_code == asked.status_code == 202
        assert unknown.json() == asked.json()
        assert len(inbox.messages) == 2
        message = email_parser.message_from_string(inbox.messages[1], policy=email_policy.default)
        assert message["To"] == email.upper() and message["Subject"].startswith("Retirer")
        token = _mailed_token(inbox, 1)
        # A second request within the hour sends nothing more.
        client.post("/api/v1/objections/person/withdraw", json={"email": email})
        assert len(inbox.messages) == 2

        page = client.get(f"/objections/withdraw?token={token}")
        assert 'name="token"' in page.text and listed()  # GET only shows a button
        assert client.post(f"/api/v1/objections/confirm/{token}").status_code == 404
        withdrawn = client.post(f"/api/v1/objections/withdraw/{token}")
        assert withdrawn.status_code == 200, withdrawn.text
        assert [o["reference"] for o in withdrawn.json()] == [filed["reference"]]
        assert withdrawn.json()[0]["status"] == "withdrawn"
        assert not listed()
        routes = client.get("/api/v1/organisation/objections", headers=auth(acme)).json()
        assert [r["status"] for r in routes] == ["withdrawn"]
        assert client.post(f"/api/v1/objections/withdraw/{token}").status_code == 404
        status = client.get(f"/api/v1/objections/{filed['reference']}").json()
        assert status["status"] == "withdrawn"
    from moisson.registry.tables import IdentifierHash, Objection

    with register.session() as s:  # nothing about the person is kept once withdrawn
        assert s.query(IdentifierHash).count() == 0
        assert [o.email_hash for o in s.query(Objection).all()] == [None]


def test_withdrawal_links_expire(
    make_register: Callable[..., Register], registry_db_url: str, smtp: tuple[_Inbox, int]
) -> None:
    from moisson.registry.service import WITHDRAWAL_LINK_LIFETIME
    from moisson.registry.tables import Objection

    inbox, port = smtp
    register = make_register(registry_db_url, mail=SmtpMailSender(port=port))
    with TestClient(create_app(register)) as client:
        client.post("/api/v1/objections/person", json={"email": "old@exemple.fr"})
        client.post(f"/api/v1/objections/confirm/{_mailed_token(inbox, 0)}")
        form = client.post("/objections/person/withdraw", data={"email": "old@exemple.fr"})
        assert form.status_code == 200 and 'role="status"' in form.text  # the page form
        token = _mailed_token(inbox, 1)
        with register.session() as s:
            for objection in s.query(Objection).all():
                objection.withdraw_requested_at = datetime.now(UTC) - WITHDRAWAL_LINK_LIFETIME
        expired = client.post("/objections/withdraw", data={"token": token})
        assert expired.status_code == 404 and "expired" in expired.text
        assert (
            client.post(
                "/api/v1/objections/person/withdraw", json={"email": "not an address"}
            ).status_code
            == 422
        )


def test_a_failing_mail_relay_reveals_nobody_and_loses_no_request(
    make_register: Callable[..., Register], registry_db_url: str
) -> None:
    """The withdrawal mail goes after the answer: with the relay down, an address that filed
    objections gets the same answer as one that did not (no 500 that would tell them apart),
    and it can ask again as soon as the relay is back, without waiting for the hourly limit."""
    inbox = _Inbox()
    port = free_port()
    relay = Controller(inbox, hostname="127.0.0.1", port=port)
    relay.start()
    register = make_register(registry_db_url, mail=SmtpMailSender(port=port, timeout=2))
    email = "lea.moreau@exemple.fr"
    with TestClient(create_app(register)) as client:
        client.post("/api/v1/objections/person", json={"email": email})
        client.post(f"/api/v1/objections/confirm/{_mailed_token(inbox, 0)}")
        relay.stop()  # nothing listens on the port any more: connections are refused
        unknown = client.post("/api/v1/objections/person/withdraw", json={"email": "x@exemple.fr"})
        known = client.post("/api/v1/objections/person/withdraw", json={"email": email})
        assert unknown.status_code == known.status_code == 202
        assert unknown.json() == known.json()
        page = client.post("/objections/person/withdraw", data={"email": email})
        assert page.status_code == 200 and 'role="status"' in page.text
        assert len(inbox.messages) == 1

        relay = Controller(inbox, hostname="127.0.0.1", port=port)
        relay.start()
        try:
            again = client.post("/api/v1/objections/person/withdraw", json={"email": email})
            assert again.status_code == 202
            assert len(inbox.messages) == 2  # the failed request did not start the hourly limit
            token = _mailed_token(inbox, 1)
            withdrawn = client.post(f"/api/v1/objections/withdraw/{token}")
            assert withdrawn.status_code == 200 and withdrawn.json()[0]["status"] == "withdrawn"
        finally:
            relay.stop()
