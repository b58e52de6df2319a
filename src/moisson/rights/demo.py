"""The rights stage of ``moisson demo``: one access and one erasure request, end to end.

A made-up person known to appear in the demo corpus (``ctx.state["demo_person"]``, or the
ground truth of the demo web) asks for a copy of their data, then for its erasure. The report
shows the deadlines, the copy (JSON and HTML), the new dataset version, the suppression list
and the output filter at work. People are named by a keyed-hash prefix, never in clear.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Iterator
from typing import Any

from moisson.demo.stage import DemoContext, StageReport
from moisson.persons.index import PersonIndex, build_person_index
from moisson.rights.find import find_person
from moisson.rights.identifiers import SuppliedIdentifiers, hash_identifiers
from moisson.rights.output_filter import OutputFilter
from moisson.rights.requests import RequestDesk
from moisson.store import DatasetStore
from moisson.workspace import Workspace

__all__ = ("demo_stage",)


def _candidates(ctx: DemoContext) -> Iterator[SuppliedIdentifiers]:
    given = ctx.state.get("demo_person")
    if given is not None:
        yield SuppliedIdentifiers(
            emails=[e for e in [getattr(given, "email", None)] if e],
            phones=[p for p in [getattr(given, "phone", None)] if p],
            names=[n for n in [getattr(given, "name", None)] if n],
        )
    try:
        from moisson.demo.sites import DemoWeb
    except ImportError:
        return
    counts: dict[str, tuple[Any, int]] = {}
    for truth in DemoWeb.generate().documents():
        if truth.refusal is None:
            for person in truth.persons:
                _, n = counts.get(person.email, (person, 0))
                counts[person.email] = (person, n + 1)
    for person, _ in sorted(counts.values(), key=lambda item: -item[1]):
        yield SuppliedIdentifiers(emails=[person.email], phones=[person.phone], names=[person.name])


def _pick(
    ws: Workspace, dataset: str, candidates: Iterable[SuppliedIdentifiers]
) -> SuppliedIdentifiers | None:
    """The first candidate the index finds by a strong identifier (email or phone)."""
    for supplied in candidates:
        strong = SuppliedIdentifiers(emails=supplied.emails, phones=supplied.phones)
        hashed, _ = hash_identifiers(ws, strong)
        if hashed and find_person(ws, dataset, hashed).status == "found":
            return supplied
    return None


def demo_stage(ctx: DemoContext) -> StageReport:
    """Access then erasure for one person of the demo corpus (RGT-02 to RGT-06)."""
    ws = ctx.workspace
    dataset = str(ctx.state.get("dataset", "demo"))
    store = DatasetStore(ws)
    latest = store.latest(dataset)
    if latest.version not in PersonIndex.versions(ws, dataset):
        build_person_index(ws, dataset, latest.version)
    person = _pick(ws, dataset, _candidates(ctx))
    if person is None:
        return StageReport(
            "rights requests",
            {"status": "no known person found in the corpus"},
            "<p>No person of the demo ground truth was found in the dataset by email or phone.</p>",
            ok=False,
        )
    ref = ws.keyed_hash(person.emails[0].lower(), purpose="person")[:10] if person.emails else "?"
    desk = RequestDesk(ws, actor="demo")
    access = desk.new("access", person, dataset=dataset)
    desk.verify(access.id, method="reply from the email address (demo)")
    access = desk.close(access.id)
    erasure = desk.new("erasure", person, dataset=dataset)
    desk.verify(erasure.id, method="reply from the email address (demo)")
    erasure = desk.close(erasure.id)
    (done,) = erasure.outcome["datasets"]
    if done["new_version"] is not None:
        ctx.state["dataset_version"] = done["new_version"]
    hashed, _ = hash_identifiers(ws, person)
    after = find_person(ws, dataset, hashed, version=done["new_version"] or latest.version)
    filt = OutputFilter.from_workspace(ws)
    sample = f"You can reach them at {person.emails[0]}." if person.emails else ""
    filtered = filt.check(sample)
    copy = access.outcome["copy"]
    summary = {
        "person": f"#{ref}",
        "access_documents": copy["documents"],
        "erased_documents": done["removed_documents"] + done["redacted_documents"],
        "new_version": done["new_version"],
        "after_erasure": after.status,
        "output_filter_masked": filtered.changed,
    }
    body = (
        f"<p>Person <code>#{ref}</code> (keyed-hash prefix of their email).</p>"
        f"<h4>Access (request {access.id}, due {access.due_at.date().isoformat()})</h4>"
        f"<p>{copy['documents']} document(s) in the copy: <code>{html.escape(copy['json'])}</code> and "
        f"<code>{html.escape(copy['html'])}</code>.</p>"
        f"<blockquote>{html.escape(access.reply or '')}</blockquote>"
        f"<h4>Erasure (request {erasure.id}, due {erasure.due_at.date().isoformat()})</h4>"
        f"<blockquote>{html.escape(erasure.reply or '').replace(chr(10), '<br>')}</blockquote>"
        f"<p>Find on the new version: <strong>{after.status}</strong>. "
        f"Output filter on a generation quoting their email: "
        f"<strong>{'masked' if filtered.changed else 'NOT masked'}</strong>.</p>"
    )
    ok = after.status == "not_found" and filtered.changed and copy["documents"] > 0
    return StageReport("rights requests", summary, body, ok=ok)
