"""The instant formats: RFC 3339 to the second in UTC, iCalendar's UTC form."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from mockserver.core.clock import format_instant
from mockserver.vendors.meetergo.ics import utc
from mockserver.vendors.zoho.rules import zoho_time


def test_an_instant_is_written_to_the_second_in_utc() -> None:
    instant = datetime(2030, 1, 2, 3, 4, 5, 999_999, tzinfo=timezone(timedelta(hours=1)))
    assert format_instant(instant) == "2030-01-02T02:04:05Z"
    assert format_instant(datetime(5, 6, 7, tzinfo=UTC)) == "0005-06-07T00:00:00Z"
    assert utc(instant) == "20300102T020405Z"
    assert zoho_time(instant) == "2030-01-02T02:04:05+00:00"


def test_a_naive_instant_is_local_time() -> None:
    naive = datetime(2030, 6, 1, 12, 0, 0)
    assert format_instant(naive) == format_instant(naive.astimezone(UTC))
