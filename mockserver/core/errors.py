"""Errors that carry the vendor's own answer, and failures the framework reports.

A vendor's `errors.py` builds every `VendorError`; the HTTP layer only sends `error.reply`.
A `Failure` is vendor-neutral (what went wrong with the request) and each vendor maps it to its
own documented error.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from mockserver.core.exchange import Reply
from mockserver.core.values import fast_init


class VendorError(Exception):
    """A rule refused the request; `reply` is exactly what the vendor would send."""

    def __init__(self, reply: Reply, name: str = "") -> None:
        super().__init__(name or f"HTTP {reply.status}")
        self.reply = reply
        self.name = name


class FailureKind(enum.Enum):
    UNKNOWN_PATH = "unknown_path"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    MALFORMED_BODY = "malformed_body"  # not JSON, or not UTF-8
    BODY_TOO_LARGE = "body_too_large"
    MISSING_BODY = "missing_body"
    INVALID_BODY = "invalid_body"  # JSON that breaks the request schema
    INVALID_PARAMETER = "invalid_parameter"  # path, query or header parameter
    INTERNAL = "internal"


@fast_init
@dataclass(frozen=True, slots=True)
class Failure:
    """What the framework found wrong with a request, before any vendor rule ran.

    `field` is the JSON path of the offending value (for a missing property, the path of the
    property itself); `reason` is the JSON-Schema keyword that failed (`required`, `type`,
    `maxLength`, `format`, `enum`, `additionalProperties`, …) or "" when not a schema problem.
    """

    kind: FailureKind
    message: str
    field: tuple[str | int, ...] = ()
    reason: str = ""
    location: str = "body"  # body | path | query | header
    value: Any = None  # the offending value, where there is one
    method: str = ""  # the request's method and path (with the /<vendor> prefix removed)
    path: str = ""
    allowed: tuple[str, ...] = ()  # for METHOD_NOT_ALLOWED: the methods the path does accept

    @property
    def field_name(self) -> str:
        names = [str(part) for part in self.field if not isinstance(part, int)]
        return names[-1] if names else ""

    @property
    def dotted(self) -> str:
        return ".".join(str(part) for part in self.field)
