"""`public`: what a vendor shows of a record, against the key-by-key filter it replaced."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from mockserver.vendors.plugin import MOCK_FIELD_PREFIX, public

# Keys that stress the one-string search: the prefix at the start, inside, after a NUL, with NULs.
KEYS = st.one_of(
    st.text(max_size=6),
    st.builds(lambda rest: MOCK_FIELD_PREFIX + rest, st.text(max_size=6)),
    st.builds(lambda a, b: a + "\0" + MOCK_FIELD_PREFIX + b, st.text(max_size=3), st.text(max_size=3)),
    st.builds(lambda a: "a" + MOCK_FIELD_PREFIX + a, st.text(max_size=3)),
    st.sampled_from(["x-mock-a", "x-mock-a\0b", "b\0x-mock-a", "x-mock-", "\0", "x-mock"]),
)


def oracle(record: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in record.items() if not key.startswith(MOCK_FIELD_PREFIX)}


@given(st.dictionaries(KEYS, st.integers(), max_size=8))
def test_public_drops_exactly_the_mock_fields_in_order(record: dict[str, Any]) -> None:
    shown = public(record)
    assert shown == oracle(record)
    assert list(shown) == list(oracle(record))
    assert shown is not record


def test_public_keeps_a_record_without_mock_fields_whole() -> None:
    record = {"id": "1", "subject": "x-mock-in-a-value", "nested": {"x-mock-inner": 1}}
    assert public(record) == record
    assert public({"x-mock-mailbox": "a", "id": "1", "x-mock-error": "E"}) == {"id": "1"}
