"""Events as Graph shows them: mock-only fields removed, `dateTimeTimeZone` values in Graph's form
(`2030-01-15T10:00:00.0000000`, no offset), `@odata.etag` from the change key, `@odata.context`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mockserver.core.store import Record
from mockserver.vendors.graph.mailboxes import Mailbox
from mockserver.vendors.plugin import public

METADATA = "https://graph.microsoft.com/v1.0/$metadata#"


def graph_date_time(value: str) -> str:
    """`2030-01-15T10:00:00Z` (fixture form) → `2030-01-15T10:00:00.0000000` (Graph's form)."""
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1]
    if len(text) == 19 and "T" in text:
        text += ".0000000"
    return text


def _zoned(value: Any) -> Any:
    if isinstance(value, dict) and isinstance(value.get("dateTime"), str):
        return {
            **value,
            "dateTime": graph_date_time(value["dateTime"]),
            "timeZone": value.get("timeZone") or "UTC",
        }
    return value


def event(record: Mapping[str, Any]) -> Record:
    shown = public(record)
    for name in ("start", "end"):
        if name in shown:
            shown[name] = _zoned(shown[name])
    if shown.get("changeKey"):
        shown = {"@odata.etag": f'W/"{shown["changeKey"]}"', **shown}
    return shown


def entity(record: Mapping[str, Any], mailbox: Mailbox) -> Record:
    return {"@odata.context": f"{METADATA}{mailbox.context}/events/$entity", **event(record)}


def collection(records: list[Mapping[str, Any]], mailbox: Mailbox, next_link: str | None) -> Record:
    page: Record = {
        "@odata.context": f"{METADATA}{mailbox.context}/events",
        "value": [event(r) for r in records],
    }
    if next_link:
        page["@odata.nextLink"] = next_link
    return page
