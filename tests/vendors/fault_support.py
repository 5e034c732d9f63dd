"""What every vendor's forced-error tests share: force a documented error, compare two replies."""

from __future__ import annotations

from typing import Any

from cancel_contracts import specs
from mockserver.core.exchange import Call, Reply
from mockserver.vendors.plugin import Throttle, Vendor


def forced(vendor: Vendor, name: str, call: Call, throttle: Throttle | None = None) -> Reply:
    assert vendor.fault is not None
    reply = vendor.fault(name, call, throttle)
    assert reply is not None, f"{name!r} does not resolve for {call.operation_id}"
    return reply


def same(one: Reply, other: Reply) -> None:
    """Byte for byte: status, content type, headers and encoded body."""
    assert (one.status, one.content_type, dict(one.headers)) == (
        other.status,
        other.content_type,
        dict(other.headers),
    )
    assert one.encoded() == other.encoded()


def examples(spec_name: str, operation_id: str) -> list[tuple[str, Any]]:
    """(example name, value) of every named example of the operation's error responses."""
    spec = specs.load(spec_name)
    found = []
    for item in spec["paths"].values():
        for operation in item.values():
            if not isinstance(operation, dict) or operation.get("operationId") != operation_id:
                continue
            for status, response in operation["responses"].items():
                media_types = (
                    (specs.resolve(spec, response).get("content") or {}) if int(status) >= 400 else {}
                )
                for media in media_types.values():
                    for name, example in media.get("examples", {}).items():
                        found.append((name, specs.resolve(spec, example)["value"]))
    return found
