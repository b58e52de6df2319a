"""Request workflow (RGT-03) with every step in the hash-chained audit log (RGT-07)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from rights_corpus import Corpus, ingest, make_corpus

from moisson.errors import RightsError
from moisson.ledger import Ledger
from moisson.rights.identifiers import SuppliedIdentifiers
from moisson.rights.requests import RequestDesk
from moisson.workspace import Workspace

RECEIVED = datetime(2025, 1, 31, 10, tzinfo=UTC)


@pytest.fixture
def corpus(workspace: Workspace) -> Corpus:
    c = make_corpus(workspace, people=8, docs=50)
    ingest(workspace, c)
    return c


def _who(corpus: Corpus, pid: int = 1) -> SuppliedIdentifiers:
    p = corpus.people[pid]
    return SuppliedIdentifiers(
        emails=[p.email], phones=[p.phone_forms()[1]], names=[p.name_forms()[1]]
    )


def test_new_request_is_due_one_calendar_month_later(workspace: Workspace, corpus: Corpus) -> None:
    view = RequestDesk(workspace).new(
        "access", _who(corpus), dataset="corpus", received_at=RECEIVED
    )
    assert view.due_at == datetime(2025, 2, 28, 10, tzinfo=UTC)
    assert view.status == "received"
    assert view.identifier_types == ["EMAIL", "PERSON", "PHONE"]


def test_unknown_kind_is_refused(workspace: Workspace) -> None:
    with pytest.raises(RightsError, match="unknown request kind 'deletion'"):
        RequestDesk(workspace).new("deletion", SuppliedIdentifiers(emails=["a@b.fr"]))


def test_extension_needs_a_reason_and_the_first_month(workspace: Workspace, corpus: Corpus) -> None:
    desk = RequestDesk(workspace)
    first = desk.new("erasure", _who(corpus), received_at=RECEIVED)
    with pytest.raises(RightsError, match="reason"):
        desk.extend(first.id, reason="  ", now=RECEIVED + timedelta(days=3))
    extended = desk.extend(
        first.id, reason="many datasets to process", now=RECEIVED + timedelta(days=27)
    )
    assert extended.deadline == datetime(2025, 4, 30, 10, tzinfo=UTC)
    with pytest.raises(RightsError, match="already extended"):
        desk.extend(first.id, reason="again", now=RECEIVED + timedelta(days=28))
    late = desk.new("erasure", _who(corpus), received_at=RECEIVED)
    with pytest.raises(RightsError, match="first month ended on 2025-02-28"):
        desk.extend(late.id, reason="too late", now=datetime(2025, 3, 1, tzinfo=UTC))


def test_refusal_needs_a_basis_and_a_reason(workspace: Workspace, corpus: Corpus) -> None:
    desk = RequestDesk(workspace)
    view = desk.new("erasure", _who(corpus), received_at=RECEIVED)
    with pytest.raises(RightsError, match="unknown refusal basis"):
        desk.refuse(view.id, basis="because", reason="x")
    refused = desk.refuse(
        view.id, basis="art12-5-excessive", reason="Fifth identical request this month."
    )
    assert refused.status == "refused"
    assert "12(5)" in (refused.reply or "")
    with pytest.raises(RightsError, match="is refused: cannot verify"):
        desk.verify(view.id, method="email reply")


def test_close_needs_identity_verification(workspace: Workspace, corpus: Corpus) -> None:
    desk = RequestDesk(workspace)
    view = desk.new("access", _who(corpus), dataset="corpus")
    with pytest.raises(RightsError, match="verify the requester's identity first"):
        desk.close(view.id)


def test_overdue_requests_are_listed_first(workspace: Workspace, corpus: Corpus) -> None:
    desk = RequestDesk(workspace)
    recent = desk.new("access", _who(corpus), received_at=datetime(2025, 6, 1, tzinfo=UTC))
    old = desk.new("erasure", _who(corpus), received_at=datetime(2025, 3, 1, tzinfo=UTC))
    done = desk.new("access", _who(corpus), received_at=datetime(2025, 1, 1, tzinfo=UTC))
    desk.refuse(done.id, basis="art12-5-unfounded", reason="Not a data subject request.")
    now = datetime(2025, 6, 15, tzinfo=UTC)
    listed = desk.list_requests(now=now)
    assert [v.id for v in listed] == [old.id, recent.id, done.id]
    assert listed[0].is_overdue(now) and not listed[1].is_overdue(now)


def test_every_step_is_audited_without_identifiers(workspace: Workspace, corpus: Corpus) -> None:
    desk = RequestDesk(workspace)
    view = desk.new("access", _who(corpus), dataset="corpus")
    desk.verify(view.id, method="reply from the email address")
    desk.close(view.id)
    with Ledger.open(workspace) as ledger:
        entries = [e for e in ledger.audit_entries() if e.subject == f"rights-request:{view.id}"]
        assert [e.action for e in entries] == [
            "rights.request.new",
            "rights.request.verify",
            "rights.request.close",
        ]
        assert ledger.verify() >= 3
        log = json.dumps([e.details for e in ledger.audit_entries()]).lower()
    person = corpus.people[1]
    for clear in (person.email.lower(), person.phone_digits[1:], person.last.lower()):
        assert clear not in log
