"""A tiny vendor that exercises every path of the HTTP layer without any real vendor's rules."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from mockserver.core.clock import parse_instant
from mockserver.core.errors import Failure, VendorError
from mockserver.core.exchange import Call, Reply
from mockserver.core.store import Records
from mockserver.vendors.plugin import Collection, Throttle, Vendor, public

HERE = Path(__file__).parent


def refuse(status: int, code: str, detail: str = "") -> VendorError:
    return VendorError(Reply(status, {"toy_error": code, "detail": detail}), code)


def authenticate(call: Call, records: Records) -> Any:
    if call.header("x-key") != "good":
        raise refuse(401, "NO_KEY")
    return "alice"


def cancel(call: Call, records: Records) -> Reply:
    thing = records.get("things", call.path_params["thing_id"])
    if thing is None:
        raise refuse(404, "NOT_FOUND")
    if thing["cancelled"]:
        raise refuse(409, "ALREADY")
    if parse_instant(thing["ends"]) < call.now:
        raise refuse(400, "ENDED")
    thing.update(cancelled=True, note=call.body["note"], by=call.principal)
    records.put("things", thing["id"], thing)
    records.emit("mail.cancellation", {"to": ["bob@example.com"], "note": call.body["note"]})
    return Reply(200, public(thing))


def get(call: Call, records: Records) -> Reply:
    thing = records.get("things", call.path_params["thing_id"])
    if thing is None:
        raise refuse(404, "NOT_FOUND")
    return Reply(200, public(thing))


def fault(name: str, call: Call, throttle: Throttle | None) -> Reply | None:
    if name.lower() in ("throttled", "429"):
        wait = throttle.retry_after if throttle else 1
        return Reply(429, {"toy_error": "SLOW_DOWN"}, headers={"Retry-After": str(wait)})
    if call.operation_id == "getThing":
        return refuse(404, "NOT_FOUND").reply if name.lower() in ("not_found_thing", "404") else None
    if name.lower() in ("already_cancelled", "already", "409"):
        return refuse(409, "ALREADY").reply
    return None


def failure(f: Failure) -> Reply:
    return Reply(
        422, {"toy_error": f.kind.value, "field": f.dotted, "reason": f.reason, "location": f.location}
    )


TOY = Vendor(
    name="toy",
    title="Toy",
    spec=str(HERE / "toy.yaml"),
    collections={"things": Collection(key="id", schema={"$ref": "#/components/schemas/Thing"})},
    operations={"cancelThing": cancel, "getThing": get},
    authenticate=authenticate,
    failure=failure,
    fixtures=HERE / "toy_fixtures.yaml",
    fault=fault,
    fault_names=lambda op: frozenset(
        {"throttled", "429", "not_found_thing", "404"}
        if op == "getThing"
        else {"throttled", "429", "already_cancelled", "already", "409"}
    ),
)


def later(now: datetime) -> str:
    return now.isoformat()
