"""The signed, incremental opt-out feed and its client: sync and k-anonymity lookups (REG-03, REG-04)."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from moisson.errors import OptoutError
from moisson.optout import LocalOptoutList
from moisson.optout.register_client import RegisterClient, sync
from moisson.registry.server import BackgroundServer
from moisson.registry.signing import SIGNATURE_HEADER, verify
from moisson.registry.tables import DomainFeedEntry, IdentifierHash, Objection
from moisson.workspace import Workspace


def _object(server: BackgroundServer, domain: str, action: str = "add") -> None:
    """Record a proven domain objection (or its withdrawal) straight in the register's store."""
    from datetime import UTC, datetime

    with server.register.session() as s:
        s.add(DomainFeedEntry(domain=domain, action=action, created_at=datetime.now(UTC)))


def test_feed_is_signed_incremental_and_cacheable(live_register: BackgroundServer) -> None:
    _object(live_register, "a.example")
    _object(live_register, "b.example")
    url = f"{live_register.url}/api/v1/optout/domains"
    first = httpx.get(url)
    assert first.status_code == 200
    body = first.json()
    assert body["added"] == ["a.example", "b.example"] and body["cursor"] == 2
    key = httpx.get(f"{live_register.url}/api/v1/optout/public-key").json()["public_key"]
    assert verify(first.content, first.headers[SIGNATURE_HEADER], key)
    assert not verify(
        first.content.replace(b"a.example", b"c.example"), first.headers[SIGNATURE_HEADER], key
    )

    again = httpx.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.content == b""

    _object(live_register, "a.example", "remove")
    _object(live_register, "d.example")
    later = httpx.get(url, params={"since": body["cursor"]}).json()
    assert later == {"since": 2, "cursor": 4, "added": ["d.example"], "removed": ["a.example"]}
    assert httpx.get(url, params={"since": -1}).status_code == 422


def test_sync_writes_the_list_the_optout_engine_reads(
    live_register: BackgroundServer, workspace: Workspace
) -> None:
    _object(live_register, "blog.example.org")
    first = sync(workspace, live_register.url)
    assert (first.added, first.total, first.not_modified) == (1, 1, False)
    assert LocalOptoutList.load(workspace).match_host("www.blog.example.org") == "blog.example.org"
    state = json.loads((workspace.root / "optout" / "register-state.json").read_text())
    assert state["cursor"] == 1 and state["public_key"]

    sync(workspace, live_register.url)  # empty page after the cursor: stores its ETag
    unchanged = sync(workspace, live_register.url)
    assert unchanged.not_modified and unchanged.total == 1

    _object(live_register, "blog.example.org", "remove")
    _object(live_register, "mairie.example")
    changed = sync(workspace, live_register.url)
    assert (changed.added, changed.removed, changed.total) == (1, 1, 1)
    listed = LocalOptoutList.load(workspace)
    assert listed.match_host("blog.example.org") is None
    assert listed.match_host("mairie.example") == "mairie.example"


def test_sync_refuses_a_feed_signed_by_another_key(
    live_register: BackgroundServer, tmp_path: Path
) -> None:
    _object(live_register, "a.example")
    folder = tmp_path / "ws"
    (folder / "optout").mkdir(parents=True)
    pinned = "A" * 43 + "="  # another (pinned) key
    state = {"register": live_register.url, "cursor": 0, "etag": None, "public_key": pinned}
    (folder / "optout" / "register-state.json").write_text(json.dumps(state))
    with pytest.raises(OptoutError, match="signature"):
        sync(folder, live_register.url)
    assert not (folder / "optout" / "register-domains.txt").exists()
    with pytest.raises(OptoutError, match="unreachable"):
        sync(folder, "http://127.0.0.1:9")


def test_identifier_lookup_sends_only_a_prefix(live_register: BackgroundServer) -> None:
    from datetime import UTC, datetime

    from moisson.registry.service import hash_identifier

    now = datetime.now(UTC)
    confirmed, pending = hash_identifier("jeanne@exemple.fr"), hash_identifier("+33612345678")
    with live_register.register.session() as s:
        objection = Objection(
            reference="r1", kind="person", status="confirmed", created_at=now, deadline=now
        )
        s.add(objection)
        s.flush()
        s.add(
            IdentifierHash(
                objection_id=objection.id, prefix=confirmed[:5], suffix=confirmed[5:], active=True
            )
        )
        s.add(
            IdentifierHash(
                objection_id=objection.id, prefix=pending[:5], suffix=pending[5:], active=False
            )
        )
    seen: list[str] = []
    http = httpx.Client(event_hooks={"request": [lambda request: seen.append(str(request.url))]})
    with RegisterClient(live_register.url, http=http) as client:
        assert client.identifier_objected("jeanne@exemple.fr")
        assert not client.identifier_objected("+33612345678")  # not confirmed
        assert not client.identifier_objected("someone@else.example")
    assert seen and all("jeanne" not in url and confirmed not in url for url in seen)
    assert any(url.endswith(f"/identifiers/{confirmed[:5]}") for url in seen)
