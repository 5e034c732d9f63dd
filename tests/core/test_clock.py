"""The instant formats: RFC 3339 to the second in UTC, iCalendar's UTC form."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

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


def test_the_kept_second_never_answers_for_another() -> None:
    """`format_instant` keeps the last second's text: instants that alternate between seconds (and
    between zones naming the same second) each get their own."""
    base = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)
    plus_one = timezone(timedelta(hours=1))
    for offset in (0, 0.4, 0.999_999, 1, 0.5, 61, 0, 3600 * 24, 0):
        instant = base + timedelta(seconds=offset)
        assert format_instant(instant) == instant.strftime("%Y-%m-%dT%H:%M:%SZ")
        assert format_instant(instant.astimezone(plus_one)) == instant.strftime("%Y-%m-%dT%H:%M:%SZ")


@given(st.datetimes(timezones=st.just(UTC)), st.datetimes(timezones=st.just(UTC)))
def test_format_instant_is_strftime_whatever_came_before(first: datetime, second: datetime) -> None:
    for instant in (first, second, first):
        assert format_instant(instant) == f"{instant.year:04d}" + instant.strftime("-%m-%dT%H:%M:%SZ")
