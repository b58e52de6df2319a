"""Read the rights pillar's request table defensively: counts by kind and outcome (RGT-03).

The rights pillar owns its tables; this module only reflects the table (no import of its ORM
classes) and reads the kind, status and due-date columns, so the documents keep working while
that schema evolves. No identifier is read: only counts leave this module.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import MetaData, Table, func, inspect, literal, select

from moisson.ledger import Ledger
from moisson.reports.facts import Known, Missing, RightsSummary

__all__ = ("read_rights_summary",)

_CMD = "moisson rights request new (the rights pillar records requests)"
_KIND_COLUMNS = ("kind", "request_type", "type", "right")
_STATUS_COLUMNS = ("status", "state", "outcome")
_DUE_COLUMNS = ("due_at", "due_on", "due_date", "deadline")
_CLOSED = frozenset(
    {"done", "closed", "completed", "refused", "rejected", "answered", "cancelled", "fulfilled"}
)


def _first(columns: list[str], wanted: tuple[str, ...]) -> str | None:
    return next((c for c in wanted if c in columns), None)


def read_rights_summary(ledger: Ledger) -> Known[RightsSummary] | Missing:
    inspector = inspect(ledger.engine)
    names = [n for n in inspector.get_table_names() if "request" in n and "right" in n]
    if not names:
        return Missing(
            "rights_requests", _CMD, "the rights request table does not exist in this ledger"
        )
    table_name = sorted(names, key=len)[0]
    columns = [c["name"] for c in inspector.get_columns(table_name)]
    kind_col, status_col = _first(columns, _KIND_COLUMNS), _first(columns, _STATUS_COLUMNS)
    if kind_col is None or status_col is None:
        return Missing("rights_requests", _CMD, f"table {table_name} has no kind/status columns")
    due_col = _first(columns, _DUE_COLUMNS)
    table = Table(table_name, MetaData(), autoload_with=ledger.engine)
    due: Any = table.c[due_col] if due_col else None
    if due is not None and "extended_due_at" in columns:  # RGT-03: an extension moves the deadline
        due = func.coalesce(table.c["extended_due_at"], due)
    closed = table.c["closed_at"] if "closed_at" in columns else None
    cols: list[Any] = [
        table.c[kind_col],
        table.c[status_col],
        due if due is not None else literal(None),
        closed if closed is not None else literal(None),
    ]
    by_kind: Counter[str] = Counter()
    by_status: Counter[str] = Counter()
    open_count = overdue = 0
    now = datetime.now(UTC)
    with ledger.engine.connect() as conn:
        for row in conn.execute(select(*cols)):
            kind, status = str(row[0]), str(row[1])
            by_kind[kind] += 1
            by_status[status] += 1
            is_closed = row[3] is not None if closed is not None else status.lower() in _CLOSED
            if not is_closed:
                open_count += 1
                deadline = row[2]
                if isinstance(deadline, datetime):
                    deadline = deadline if deadline.tzinfo else deadline.replace(tzinfo=UTC)
                    overdue += deadline < now
    summary = RightsSummary(
        total=sum(by_kind.values()),
        by_kind=dict(sorted(by_kind.items())),
        by_status=dict(sorted(by_status.items())),
        open=open_count,
        overdue=overdue,
    )
    return Known(
        "rights_requests", summary, (f"ledger table {table_name} ({kind_col}, {status_col})",)
    )
