"""The legal clock of a request (art. 12(3) GDPR, RGT-03).

One calendar month from receipt, clamped to the end of shorter months (31 January -> 28 or
29 February), as the CJEU and Regulation 1182/71 count months. An extension adds two further
months, must carry a reason and must be decided while the first month runs.
"""

from __future__ import annotations

import calendar
from datetime import datetime

from moisson.errors import RightsError

__all__ = ("EXTENSION_MONTHS", "add_months", "due_date", "extended_due_date", "require_aware")

EXTENSION_MONTHS = 2


def require_aware(moment: datetime, what: str) -> datetime:
    """Legal deadlines on naive datetimes are bugs: refuse them."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        msg = f"{what} must be a timezone-aware datetime, got {moment.isoformat()}"
        raise RightsError(msg)
    return moment


def add_months(moment: datetime, months: int) -> datetime:
    """``moment`` plus calendar months, the day clamped to the target month's last day."""
    index = moment.year * 12 + (moment.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def due_date(received_at: datetime) -> datetime:
    """One calendar month from receipt (art. 12(3))."""
    return add_months(require_aware(received_at, "received_at"), 1)


def extended_due_date(received_at: datetime) -> datetime:
    """Receipt plus three months: the first month and "two further months" (art. 12(3))."""
    return add_months(require_aware(received_at, "received_at"), 1 + EXTENSION_MONTHS)
