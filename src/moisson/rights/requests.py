"""The request workflow (art. 12, 15-21 GDPR; RGT-03, RGT-07).

States: ``received`` -> ``verified`` (identity checked, art. 12(6)) -> ``completed``, or
``refused`` from either of the first two with a legal basis. An extension (art. 12(3)) is a
date, not a state: it needs a reason and must be decided before the first month ends. Every
step is an entry of the hash-chained audit log, with the request id and never an identifier:
the request keeps keyed hashes of what the person supplied; clear values are used for one
find (free-text scan) at intake and then dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from moisson.errors import RightsError
from moisson.ledger import Ledger
from moisson.ledger.models import aware
from moisson.rights.access import build_access_copy, write_access_copy
from moisson.rights.deadlines import due_date, extended_due_date, require_aware
from moisson.rights.erasure import apply_to_data
from moisson.rights.find import (
    DocumentHit,
    FindResult,
    MatchSpan,
    fill_metadata,
    find_person,
    models_for,
    scan_free_text,
)
from moisson.rights.identifiers import HashedIdentifier, SuppliedIdentifiers, hash_identifiers
from moisson.rights.reply import reply_text
from moisson.rights.tables import RequestIdentifierRow, RightsRequestRow
from moisson.store import DatasetStore
from moisson.workspace import Workspace

__all__ = ("KINDS", "REFUSAL_BASES", "RequestDesk", "RequestView")

KINDS = ("access", "erasure", "rectification", "objection", "restriction")
REFUSAL_BASES = {
    "art12-5-unfounded": "manifestly unfounded request (art. 12(5)(b) GDPR)",
    "art12-5-excessive": "excessive, in particular repetitive, request (art. 12(5)(b) GDPR)",
    "art11-cannot-identify": "the controller cannot identify the person (art. 11(2) GDPR)",
    "art12-6-identity": "identity could not be confirmed (art. 12(6) GDPR)",
    "art17-3-exemption": "an exemption of art. 17(3) GDPR applies",
    "art21-compelling": "compelling legitimate grounds override the objection (art. 21(1) GDPR)",
}


@dataclass(frozen=True)
class RequestView:
    """A request as shown by ``list`` / ``show`` (no identifier, only their types)."""

    id: int
    kind: str
    status: str
    dataset: str | None
    received_at: datetime
    due_at: datetime
    extended_due_at: datetime | None
    extension_reason: str | None
    verified_at: datetime | None
    refusal_basis: str | None
    refusal_reason: str | None
    closed_at: datetime | None
    identifier_types: list[str]
    outcome: dict[str, Any]
    reply: str | None

    @property
    def deadline(self) -> datetime:
        return self.extended_due_at or self.due_at

    def is_open(self) -> bool:
        return self.status in {"received", "verified"}

    def is_overdue(self, now: datetime) -> bool:
        return self.is_open() and now > self.deadline

    def to_json(self, now: datetime | None = None) -> dict[str, Any]:
        data = {
            k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in self.__dict__.items()
        }
        data["deadline"] = self.deadline.isoformat()
        if now is not None:
            data["overdue"] = self.is_overdue(now)
        return data


def _view(row: RightsRequestRow) -> RequestView:
    def opt(value: datetime | None) -> datetime | None:
        return aware(value) if value is not None else None

    return RequestView(
        id=row.id,
        kind=row.kind,
        status=row.status,
        dataset=row.dataset,
        received_at=aware(row.received_at),
        due_at=aware(row.due_at),
        extended_due_at=opt(row.extended_due_at),
        extension_reason=row.extension_reason,
        verified_at=opt(row.verified_at),
        refusal_basis=row.refusal_basis,
        refusal_reason=row.refusal_reason,
        closed_at=opt(row.closed_at),
        identifier_types=sorted({i.label for i in row.identifiers}),
        outcome=dict(row.outcome or {}),
        reply=row.reply,
    )


class RequestDesk:
    """Intake and handling of rights requests for one workspace."""

    def __init__(self, workspace: Workspace, *, actor: str = "moisson") -> None:
        self.workspace = workspace
        self.actor = actor

    def _audit(self, ledger: Ledger, action: str, request_id: int, details: dict[str, Any]) -> None:
        ledger.append_audit(
            f"rights.request.{action}",
            actor=self.actor,
            subject=f"rights-request:{request_id}",
            details=details,
        )

    def _row(self, ledger: Ledger, request_id: int) -> RightsRequestRow:
        with ledger.session() as s:
            row = s.get(RightsRequestRow, request_id)
            if row is None:
                msg = f"no rights request {request_id} in {self.workspace.root}"
                raise RightsError(msg)
            return row

    # -- intake --------------------------------------------------------------------------
    def new(
        self,
        kind: str,
        supplied: SuppliedIdentifiers,
        *,
        dataset: str | None = None,
        received_at: datetime | None = None,
    ) -> RequestView:
        """Record a request: keyed hashes of the identifiers, due date, free-text scan results."""
        if kind not in KINDS:
            msg = f"unknown request kind '{kind}': use one of {', '.join(KINDS)}"
            raise RightsError(msg)
        received = require_aware(received_at or datetime.now(UTC), "received_at")
        hashed, unusable = hash_identifiers(self.workspace, supplied)
        scan: dict[str, Any] = {}
        free = supplied.free_text()
        if free:  # clear values are needed for the text scan: run it now, keep only positions
            store = DatasetStore(self.workspace)
            for name in [dataset] if dataset else store.datasets():
                for v in store.versions(name):
                    found = scan_free_text(self.workspace, name, v.version, free)
                    if found:
                        scan.setdefault(name, {})[str(v.version)] = [list(f) for f in found]
        with Ledger.open(self.workspace) as ledger:
            with ledger.session() as s:
                row = RightsRequestRow(
                    kind=kind,
                    status="received",
                    dataset=dataset,
                    received_at=received,
                    due_at=due_date(received),
                    scan_matches=scan,
                    outcome={"unusable_identifier_types": sorted(set(unusable))}
                    if unusable
                    else {},
                )
                row.identifiers = [
                    RequestIdentifierRow(label=h.label, key_hash=h.key_hash) for h in hashed
                ]
                s.add(row)
                s.flush()
                view = _view(row)
            self._audit(
                ledger,
                "new",
                view.id,
                {
                    "kind": kind,
                    "dataset": dataset,
                    "due_at": view.due_at.isoformat(),
                    "identifier_types": view.identifier_types,
                    "identifier_count": len(hashed),
                },
            )
        return view

    def list_requests(
        self, *, now: datetime | None = None, include_closed: bool = True
    ) -> list[RequestView]:
        """Requests, overdue ones first, then by deadline."""
        moment = now or datetime.now(UTC)
        with Ledger.open(self.workspace) as ledger, ledger.session() as s:
            views = [_view(r) for r in s.execute(select(RightsRequestRow)).scalars()]
        if not include_closed:
            views = [v for v in views if v.is_open()]
        return sorted(
            views, key=lambda v: (not v.is_overdue(moment), not v.is_open(), v.deadline, v.id)
        )

    def show(self, request_id: int) -> RequestView:
        with Ledger.open(self.workspace) as ledger:
            return _view(self._row(ledger, request_id))

    # -- steps ---------------------------------------------------------------------------
    def verify(self, request_id: int, *, method: str, now: datetime | None = None) -> RequestView:
        """Record that the requester's identity was checked, and how (art. 12(6))."""
        if not method.strip():
            msg = "identity verification needs a method (e.g. 'reply from the email address')"
            raise RightsError(msg)
        moment = require_aware(now or datetime.now(UTC), "now")
        with Ledger.open(self.workspace) as ledger:
            with ledger.session() as s:
                row = s.get(RightsRequestRow, request_id)
                self._require(row, request_id, {"received"}, "verify")
                assert row is not None  # for mypy; _require raised otherwise
                row.status, row.verified_at, row.verification = "verified", moment, method
                view = _view(row)
            self._audit(ledger, "verify", request_id, {"method": method})
        return view

    def extend(self, request_id: int, *, reason: str, now: datetime | None = None) -> RequestView:
        """Extend by two months (art. 12(3)): with a reason, within the first month, once."""
        if not reason.strip():
            msg = "an extension needs a reason that is sent to the person (art. 12(3) GDPR)"
            raise RightsError(msg)
        moment = require_aware(now or datetime.now(UTC), "now")
        with Ledger.open(self.workspace) as ledger:
            with ledger.session() as s:
                row = s.get(RightsRequestRow, request_id)
                self._require(row, request_id, {"received", "verified"}, "extend")
                assert row is not None
                if row.extended_due_at is not None:
                    msg = f"request {request_id} was already extended"
                    raise RightsError(msg)
                if moment > aware(row.due_at):
                    msg = (
                        f"request {request_id}: the first month ended on "
                        f"{aware(row.due_at).date().isoformat()}; an extension must be decided within it"
                    )
                    raise RightsError(msg)
                row.extended_due_at = extended_due_date(aware(row.received_at))
                row.extension_reason = reason
                view = _view(row)
            self._audit(
                ledger,
                "extend",
                request_id,
                {"reason": reason, "due_at": view.deadline.isoformat()},
            )
        return view

    def refuse(
        self, request_id: int, *, basis: str, reason: str, now: datetime | None = None
    ) -> RequestView:
        """Refuse with a legal basis and a reason the person receives (art. 12(4))."""
        if basis not in REFUSAL_BASES:
            msg = f"unknown refusal basis '{basis}': use one of {', '.join(REFUSAL_BASES)}"
            raise RightsError(msg)
        if not reason.strip():
            msg = "a refusal needs a reason given to the person (art. 12(4) GDPR)"
            raise RightsError(msg)
        moment = require_aware(now or datetime.now(UTC), "now")
        with Ledger.open(self.workspace) as ledger:
            with ledger.session() as s:
                row = s.get(RightsRequestRow, request_id)
                self._require(row, request_id, {"received", "verified"}, "refuse")
                assert row is not None
                row.status, row.refusal_basis, row.refusal_reason = "refused", basis, reason
                row.closed_at = moment
                row.reply = (
                    f"We cannot act on your request: {REFUSAL_BASES[basis]}. {reason} You may lodge a "
                    "complaint with the CNIL and seek a judicial remedy (art. 12(4) GDPR)."
                )
                view = _view(row)
            self._audit(ledger, "refuse", request_id, {"basis": basis, "reason": reason})
        return view

    def hashed_identifiers(self, request_id: int) -> list[HashedIdentifier]:
        with Ledger.open(self.workspace) as ledger:
            row = self._row(ledger, request_id)
            return [HashedIdentifier(i.label, i.key_hash) for i in row.identifiers]

    def find(self, request_id: int, *, version: int | None = None) -> list[FindResult]:
        """Run find for a request's stored hashes (and its intake scan) on its dataset(s)."""
        with Ledger.open(self.workspace) as ledger:
            row = self._row(ledger, request_id)
            hashed = [HashedIdentifier(i.label, i.key_hash) for i in row.identifiers]
            scan = dict(row.scan_matches or {})
            dataset = row.dataset
        store = DatasetStore(self.workspace)
        results = []
        for name in [dataset] if dataset else store.datasets():
            result = find_person(self.workspace, name, hashed, version=version)
            _merge_scan(self.workspace, result, scan.get(name, {}), hashed)
            results.append(result)
        return results

    def close(self, request_id: int, *, now: datetime | None = None) -> RequestView:
        """Carry the request out and record the reply (RGT-03, RGT-04, RGT-05)."""
        moment = require_aware(now or datetime.now(UTC), "now")
        view = self.show(request_id)
        if view.status != "verified":
            msg = f"request {request_id} is {view.status}: verify the requester's identity first"
            raise RightsError(msg)
        results = self.find(request_id)
        hashed = self.hashed_identifiers(request_id)
        outcome: dict[str, Any] = {"find": [_summary(r) for r in results]}
        if all(r.status == "cannot_identify" for r in results) and results:
            msg = (
                f"request {request_id}: the person cannot be identified with what they supplied "
                f"(art. 11); ask for: {', '.join(results[0].would_help)}, or refuse with basis "
                "art11-cannot-identify"
            )
            raise RightsError(msg)
        if view.kind == "access":
            copy = build_access_copy(self.workspace, request_id, results, now=moment)
            json_path, html_path = write_access_copy(self.workspace, copy)
            outcome["copy"] = {
                "json": str(json_path),
                "html": str(html_path),
                "documents": len(copy["documents"]),
            }
        else:
            outcome["datasets"] = [
                apply_to_data(
                    self.workspace, r, hashed, kind=view.kind, request_id=request_id, now=moment
                ).to_json()
                for r in results
                if r.status != "cannot_identify"
            ]
        reply = reply_text(view.kind, outcome, self.workspace.policy)
        with Ledger.open(self.workspace) as ledger:
            with ledger.session() as s:
                row = s.get(RightsRequestRow, request_id)
                assert row is not None
                row.status, row.closed_at, row.outcome, row.reply = (
                    "completed",
                    moment,
                    outcome,
                    reply,
                )
                view = _view(row)
            self._audit(
                ledger, "close", request_id, {"kind": view.kind, "outcome": _audit_outcome(outcome)}
            )
        return view

    @staticmethod
    def _require(
        row: RightsRequestRow | None, request_id: int, states: set[str], step: str
    ) -> None:
        if row is None:
            msg = f"no rights request {request_id}"
            raise RightsError(msg)
        if row.status not in states:
            msg = f"request {request_id} is {row.status}: cannot {step} it"
            raise RightsError(msg)


def _summary(result: FindResult) -> dict[str, Any]:
    return {
        "dataset": result.dataset,
        "status": result.status,
        "documents": len(result.documents),
        "versions": sorted({d.dataset_version for d in result.documents}),
        "models": [m["model_id"] for m in result.models],
    }


def _audit_outcome(outcome: dict[str, Any]) -> dict[str, Any]:
    """Counts and versions only: paths and spans stay out of the log."""
    data: dict[str, Any] = {"find": outcome.get("find", [])}
    if "copy" in outcome:
        data["copy_documents"] = outcome["copy"]["documents"]
    for item in outcome.get("datasets", []):
        data.setdefault("datasets", []).append(
            {
                k: item[k]
                for k in (
                    "dataset",
                    "mode",
                    "from_version",
                    "new_version",
                    "removed_documents",
                    "redacted_documents",
                )
            }
            | {"models": [(m["model_id"], m["rights_status"]) for m in item["models"]]}
        )
    return data


def _merge_scan(
    workspace: Workspace,
    result: FindResult,
    scan: dict[str, list[list[Any]]],
    hashed: list[HashedIdentifier],
) -> None:
    """Add intake free-text scan hits to a find result (re-filling status and models)."""
    if not scan:
        return
    hits = {(d.dataset_version, d.doc_id): d for d in result.documents}
    for version, found in scan.items():
        for doc_id, shard, start, end in found:
            hit = hits.setdefault((int(version), doc_id), DocumentHit(doc_id, int(version), shard))
            hit.matches.append(MatchSpan("IDENTIFIER", int(start), int(end)))
    fill_metadata(workspace, hits)
    result.documents = sorted(hits.values(), key=lambda h: (h.dataset_version, h.doc_id))
    result.models = models_for(
        workspace, result.dataset, {h.dataset_version for h in result.documents}
    )
    if result.documents:
        result.status = "found"
        result.explanation = f"{len(result.documents)} document(s) mention the person."
        result.would_help = []
