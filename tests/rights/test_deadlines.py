"""One calendar month from receipt, clamped at month end; two more months (art. 12(3), RGT-03)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from moisson.errors import RightsError
from moisson.rights.deadlines import add_months, due_date, extended_due_date


@pytest.mark.parametrize(
    ("received", "due"),
    [
        # 31 January + 1 month = last day of February, leap year or not
        (datetime(2025, 1, 31, 9, tzinfo=UTC), datetime(2025, 2, 28, 9, tzinfo=UTC)),
        (datetime(2024, 1, 31, 9, tzinfo=UTC), datetime(2024, 2, 29, 9, tzinfo=UTC)),
        (datetime(2025, 3, 31, tzinfo=UTC), datetime(2025, 4, 30, tzinfo=UTC)),
        # across the year end
        (datetime(2025, 12, 15, tzinfo=UTC), datetime(2026, 1, 15, tzinfo=UTC)),
        # the offset is kept: a Paris receipt stays a Paris deadline
        (
            datetime(2025, 5, 10, 23, 30, tzinfo=timezone(timedelta(hours=2))),
            datetime(2025, 6, 10, 23, 30, tzinfo=timezone(timedelta(hours=2))),
        ),
    ],
)
def test_due_date_is_one_calendar_month(received: datetime, due: datetime) -> None:
    assert due_date(received) == due


def test_extension_is_two_further_months() -> None:
    assert extended_due_date(datetime(2025, 1, 31, tzinfo=UTC)) == datetime(2025, 4, 30, tzinfo=UTC)
    assert extended_due_date(datetime(2025, 11, 30, tzinfo=UTC)) == datetime(
        2026, 2, 28, tzinfo=UTC
    )


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(RightsError, match="timezone-aware"):
        due_date(datetime(2025, 1, 31))


@given(
    st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1)), st.integers(0, 36)
)
def test_add_months_never_overshoots_the_target_month(moment: datetime, months: int) -> None:
    result = add_months(moment.replace(tzinfo=UTC), months)
    assert (result.year * 12 + result.month) - (moment.year * 12 + moment.month) == months
    assert result.day <= moment.day
