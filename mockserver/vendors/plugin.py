"""What every vendor folder provides: one `Vendor` value, built in its `__init__.py`.

mockserver/vendors/<name>/
    __init__.py     VENDOR = Vendor(...)
    auth.py         authenticate(call, records) -> principal | raise VendorError
    rules.py        pure business rules: (state, command, now) -> result | raise VendorError
    handlers.py     OPERATIONS: operationId -> (call, records) -> Reply  (thin)
    errors.py       the ONLY place that builds this vendor's error bodies; failure(Failure) -> Reply
    fixtures.yaml   default records: at least one per documented scenario
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mockserver.core.errors import Failure
from mockserver.core.exchange import Call, Reply
from mockserver.core.store import Record, Records

Handler = Callable[[Call, Records], Reply]
Authenticator = Callable[[Call, Records], Any]
FailureRenderer = Callable[[Failure], Reply]


@dataclass(frozen=True)
class Throttle:
    """A rate limit that a fault rule imposes: what the vendor's 429 headers should say."""

    limit: int  # calls allowed per window
    remaining: int  # calls left in this window (0 when refused)
    reset_seconds: int  # seconds until the window resets
    retry_after: int  # seconds the client should wait


# (name, call, throttle) -> the vendor's documented error for `call.operation_id`, or None when
# `name` is not one of that operation's documented errors. `name` is matched case-insensitively
# against the spec's example names of the operation's error responses (e.g.
# `NOT_ALLOWED_already_cancelled`), the vendor's error code where it identifies one error
# (`DAILY_LIMIT_EXCEEDED`), or an HTTP status (`429`, `500`). The special name `throttled` asks for
# the vendor's rate-limit answer built from `throttle`. The reply must be exactly what the rule
# that organically produces that error would send for the same call (same builder in errors.py).
FaultRenderer = Callable[[str, Call, "Throttle | None"], "Reply | None"]

MOCK_FIELD_PREFIX = "x-mock-"


@dataclass(frozen=True)
class Collection:
    """A kind of record in fixtures and state.

    `key` names the field that identifies a record. `schema` validates fixture records: either
    `{"$ref": "#/components/schemas/X"}` into the vendor's spec, or an inline JSON Schema for
    mock-only records such as credentials. Fields named `x-mock-*` are mock-only facts (never
    shown to clients) and are not checked against the spec.
    """

    key: str
    schema: Mapping[str, Any] = field(default_factory=dict)
    description: str = ""


@dataclass(frozen=True)
class Vendor:
    name: str
    title: str
    spec: str  # file name under specs/
    collections: Mapping[str, Collection]
    operations: Mapping[str, Handler]
    authenticate: Authenticator
    failure: FailureRenderer
    fixtures: Path
    fault: FaultRenderer | None = None
    # operationId -> every name `fault` accepts for it, lower-cased (validation, messages, docs)
    fault_names: Callable[[str], frozenset[str]] | None = None

    def key_of(self, collection: str, record: Record) -> str:
        return str(record[self.collections[collection].key])


def public(record: Mapping[str, Any]) -> Record:
    """The record as the vendor shows it: mock-only `x-mock-*` fields removed (top level).

    The keys are searched in one string, in C, rather than one by one (a record has dozens): a
    key found there that the record does not hold (a key with a NUL in it) falls back to the
    one-by-one filter."""
    keys = "\0" + "\0".join(record)
    at = keys.find(_MOCK_MARK)
    if at < 0:
        return dict(record)
    shown = dict(record)
    while at >= 0:
        end = keys.find("\0", at + 1)
        key = keys[at + 1 : end] if end >= 0 else keys[at + 1 :]
        if key not in shown:
            return {key: value for key, value in record.items() if not key.startswith(MOCK_FIELD_PREFIX)}
        del shown[key]
        at = keys.find(_MOCK_MARK, at + 1)
    return shown


_MOCK_MARK = "\0" + MOCK_FIELD_PREFIX  # where a mock field's name starts in the joined keys
