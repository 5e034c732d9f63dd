from __future__ import annotations

from datetime import UTC, datetime

import pytest

from mockserver.vendors.meetergo import ics

START = datetime(2030, 5, 7, 10, 0, tzinfo=UTC)


def event(**overrides: object) -> ics.Event:
    values: dict[str, object] = {
        "uid": "a1@meetergo.com",
        "sequence": 2,
        "start": START,
        "end": datetime(2030, 5, 7, 10, 30, tzinfo=UTC),
        "stamp": datetime(2030, 5, 6, 7, 8, 9, tzinfo=UTC),
        "summary": "Demo; with, commas\nand a newline",
        "organizer": ics.Person("host@example.com", "Hanna Host"),
        "attendees": (ics.Person("a@example.com", "Doe, Jane"), ics.Person("b@example.com")),
        "comment": "Schedule conflict",
    }
    values.update(overrides)
    return ics.Event(**values)  # type: ignore[arg-type]


def test_a_cancellation_is_an_itip_cancel_with_status_cancelled() -> None:
    text = ics.render(event(), "CANCEL", "CANCELLED")
    lines = ics.unfold(text)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "METHOD:CANCEL" in lines
    assert "STATUS:CANCELLED" in lines
    assert "UID:a1@meetergo.com" in lines
    assert "SEQUENCE:2" in lines
    assert "DTSTART:20300507T100000Z" in lines
    assert "DTEND:20300507T103000Z" in lines
    assert "DTSTAMP:20300506T070809Z" in lines
    assert "ORGANIZER;CN=Hanna Host:mailto:host@example.com" in lines
    assert 'ATTENDEE;CN="Doe, Jane";ROLE=REQ-PARTICIPANT:mailto:a@example.com' in lines
    assert "ATTENDEE;ROLE=REQ-PARTICIPANT:mailto:b@example.com" in lines
    assert "COMMENT:Schedule conflict" in lines
    assert "SUMMARY:Demo\\; with\\, commas\\nand a newline" in lines
    assert lines.index("BEGIN:VEVENT") < lines.index("UID:a1@meetergo.com") < lines.index("END:VEVENT")


def test_every_line_ends_in_crlf_and_fits_75_octets() -> None:
    text = ics.render(event(summary="Ünïcödé " * 40, description="x" * 300), "CANCEL", "CANCELLED")
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")
    for line in text.split("\r\n")[:-1]:
        assert len(line.encode("utf-8")) <= 75
    assert f"SUMMARY:{'Ünïcödé ' * 40}" in ics.unfold(text)
    assert f"DESCRIPTION:{'x' * 300}" in ics.unfold(text)


def test_folding_never_splits_a_multibyte_character() -> None:
    pieces = ics.fold("SUMMARY:" + "€" * 60)
    assert len(pieces) > 1
    for piece in pieces:
        piece.encode("utf-8")  # each piece is whole characters
        assert len(piece.encode("utf-8")) <= 75
    assert pieces[1].startswith(" ")
    assert "".join(p.removeprefix(" ") for p in pieces) == "SUMMARY:" + "€" * 60


def _fold_by_character(line: str) -> list[str]:
    """The folding rule spelled out one character at a time (what `ics.fold` must equal)."""
    pieces: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > (ics.LINE_OCTETS if not pieces else ics.LINE_OCTETS - 1):
            pieces.append(current)
            current, size = "", 0
        current += char
        size += width
    pieces.append(current)
    return [pieces[0], *(" " + piece for piece in pieces[1:])]


def test_folding_equals_the_character_by_character_rule() -> None:
    for alphabet in ("aZ:;, ", "aé€😀 "):
        for length in [*range(160), 222, 223, 224, 1000]:
            line = "".join(alphabet[(i * 7 + length) % len(alphabet)] for i in range(length))
            assert ics.fold(line) == _fold_by_character(line), (alphabet, length)


def test_uninviting_an_attendee_carries_no_status() -> None:
    lines = ics.unfold(ics.render(event(), "CANCEL", None))
    assert "METHOD:CANCEL" in lines
    assert not any(line.startswith("STATUS") for line in lines)


def test_an_active_appointment_is_a_request_with_accepted_attendees() -> None:
    lines = ics.unfold(ics.render(event(comment=""), "REQUEST", "CONFIRMED"))
    assert "METHOD:REQUEST" in lines and "STATUS:CONFIRMED" in lines
    assert "ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED:mailto:b@example.com" in lines
    assert not any(line.startswith("COMMENT") for line in lines)


def test_a_kept_rendering_differs_only_in_dtstamp_and_follows_every_change() -> None:
    """`render` keeps everything but DTSTAMP per event: a later stamp changes only that line, a
    changed field or method renders anew, and a kept text equals a fresh one."""
    first = ics.render(event(), "CANCEL", "CANCELLED")
    later_stamp = datetime(2031, 2, 3, 4, 5, 6, tzinfo=UTC)
    later = ics.render(event(stamp=later_stamp), "CANCEL", "CANCELLED")
    assert [a for a, b in zip(first.split("\r\n"), later.split("\r\n"), strict=True) if a != b] == [
        "DTSTAMP:20300506T070809Z"
    ]
    assert "DTSTAMP:20310203T040506Z\r\n" in later
    changed = ics.render(event(sequence=3), "CANCEL", "CANCELLED")
    assert "SEQUENCE:3\r\n" in changed
    assert "METHOD:REQUEST\r\n" in ics.render(event(), "REQUEST", "CONFIRMED")
    kept = ics.render(event(), "CANCEL", "CANCELLED")
    ics._RENDERED.clear()
    assert ics.render(event(), "CANCEL", "CANCELLED") == kept == first


def test_the_kept_renderings_are_bounded_and_the_oldest_go_first(monkeypatch: pytest.MonkeyPatch) -> None:
    """Full, the cache drops its oldest entry for each new one (not all at once: emptying it whole
    was a pause of over a millisecond under load), and what it keeps still renders the same."""
    monkeypatch.setattr(ics, "_RENDERED", type(ics._RENDERED)())
    monkeypatch.setattr(ics, "_RENDERED_LIMIT", 3)
    texts = [ics.render(event(sequence=n), "CANCEL", "CANCELLED") for n in range(5)]
    assert len(ics._RENDERED) == 3
    assert [key[1] for key in ics._RENDERED] == [2, 3, 4]  # the sequences kept: the newest three
    assert ics.render(event(sequence=0), "CANCEL", "CANCELLED") == texts[0]  # rendered anew, the same
    assert [key[1] for key in ics._RENDERED] == [3, 4, 0]
