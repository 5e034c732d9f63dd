"""What every vendor's forced-error tests share: force a documented error, compare two replies."""

from __future__ import annotations

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
