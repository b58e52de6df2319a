"""Hash chain of the audit log (RGT-07): each entry commits to the previous one.

``hash = sha256(prev_hash || canonical_json(id, at, actor, action, subject, details))``. Changing,
removing or reordering any entry breaks every later hash; :func:`verify_chain` finds the first.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from moisson.errors import TamperedLedgerError

__all__ = ("GENESIS", "entry_hash", "verify_chain")

GENESIS = "0" * 64


def _iso(at: datetime) -> str:
    if at.tzinfo is None:  # SQLite returns naive datetimes; they were stored as UTC
        at = at.replace(tzinfo=UTC)
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def entry_hash(
    prev_hash: str,
    *,
    entry_id: int,
    at: datetime,
    actor: str,
    action: str,
    subject: str,
    details: dict[str, Any],
) -> str:
    body = json.dumps(
        [entry_id, _iso(at), actor, action, subject, details],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(f"{prev_hash}{body}".encode()).hexdigest()


def verify_chain(entries: Iterable[Any]) -> int:
    """Check every entry (objects with the AuditEntry fields, in id order); return the count."""
    prev = GENESIS
    count = 0
    for entry in entries:
        if entry.prev_hash != prev:
            msg = f"audit log entry {entry.id}: previous-hash link broken (entry removed or reordered)"
            raise TamperedLedgerError(msg, entry_id=entry.id)
        try:
            expected = entry_hash(
                prev,
                entry_id=entry.id,
                at=entry.at,
                actor=entry.actor,
                action=entry.action,
                subject=entry.subject,
                details=entry.details,
            )
        except (AttributeError, TypeError, ValueError, OverflowError) as exc:
            # A column emptied or retyped outside moisson (e.g. ``at`` set to NULL) cannot be
            # hashed: that is a modified entry too, named like any other (RGT-07).
            msg = (
                f"audit log entry {entry.id}: a stored value cannot be hashed "
                f"({type(exc).__name__}): entry modified"
            )
            raise TamperedLedgerError(msg, entry_id=entry.id) from None
        if entry.hash != expected:
            msg = f"audit log entry {entry.id}: content does not match its hash (entry modified)"
            raise TamperedLedgerError(msg, entry_id=entry.id)
        prev = entry.hash
        count += 1
    return count
