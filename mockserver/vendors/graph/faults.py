"""Forced errors (issue #6): `fault(name, call, throttle)` → the Graph error a rule would send.

`name` is matched case-insensitively, first against the spec's example names of the operation's
error responses (`not_organizer`, `throttled`), then against Graph's `error.code` (the first
documented example with it: RequestBodyRead → unknown_parameter, BadRequest → malformed_json on a
cancel, InvalidAuthenticationToken → missing_token), then against an HTTP status (the first
documented error with it: "400" → not_organizer on a cancel, "401" → missing_token). `throttled`
is the 429 ApplicationThrottled with `Retry-After` from the throttle (else the default 30 s, as for a
fixture without `x-mock-retry-after`); the 503 takes the throttle's `Retry-After` the same way.

Every reply comes from the builder in `errors.py` that the rules and the failure mapping use, with
the call's trace (its `now` and `client-request-id`), so a forced error is the organic one for the
same call except for `request-id` (body `innerError.request-id`, the `request-id` header and, when
the client sent no `client-request-id`, that echo too): a fresh random id per answer, made only in
`errors.new_request_id`. Errors about a thing the call names (a user, a group) name the call's;
errors about a malformed request (an unknown segment or parameter, a wrong method or media type)
name what the spec example names, since the forced call has no such mistake.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from mockserver.core.exchange import Call, Reply
from mockserver.vendors.catalog import ErrorCatalog
from mockserver.vendors.graph import errors, mailboxes
from mockserver.vendors.graph.auth import Principal
from mockserver.vendors.plugin import Throttle

SPEC = "graph"

Builder = Callable[[Call, "Throttle | None"], Reply]

# The spec examples' arguments for errors about a malformed request.
EXAMPLE_PARAMETER = "reason"
EXAMPLE_DUPLICATE = "Comment"
EXAMPLE_EDM_TYPE = "Edm.String"
EXAMPLE_NODE = "StartArray"
EXAMPLE_METHOD = "GET"
EXAMPLE_MEDIA_TYPE = "text/plain"
EXAMPLE_PROPERTY = "start"
EXAMPLE_QUERY_OPTION = "$top"
EXAMPLE_USER = "nobody@contoso.com"
EXAMPLE_GROUP = "00000000-0000-0000-0000-000000000000"


def _segment(call: Call) -> str:
    return "cancelled" if call.operation_id.endswith(".cancel") else "meetings"


def _user(call: Call) -> str:
    """The user the call names: the path's `user-id`, else the token's user (`me`), else the example's."""
    principal = call.principal
    me = principal.user_id if isinstance(principal, Principal) else None
    return mailboxes.param(call.path_params, "user-id") or me or EXAMPLE_USER


def _group(call: Call) -> str:
    return mailboxes.param(call.path_params, "group-id") or EXAMPLE_GROUP


def _retry_after(throttle: Throttle | None) -> str | None:
    return str(throttle.retry_after) if throttle is not None else None


def _at(call: Call) -> errors.Trace:
    return errors.trace(call)


BUILDERS: Mapping[str, Builder] = {
    "not_organizer": lambda call, _: errors.not_organizer(_at(call)).reply,
    "unknown_parameter": lambda call, _: errors.unknown_parameter(EXAMPLE_PARAMETER, _at(call)).reply,
    "duplicate_parameter": lambda call, _: errors.duplicate_parameter(EXAMPLE_DUPLICATE, _at(call)).reply,
    "wrong_type": lambda call, _: errors.wrong_type(EXAMPLE_EDM_TYPE, _at(call)).reply,
    "not_an_object": lambda call, _: errors.unexpected_node(EXAMPLE_NODE, _at(call)).reply,
    "malformed_json": lambda call, _: errors.malformed_json(_at(call)),
    "me_with_application_token": lambda call, _: errors.me_needs_delegated(_at(call)).reply,
    "unknown_segment": lambda call, _: errors.unknown_segment_error(_segment(call), _at(call)),
    "empty_payload": lambda call, _: errors.empty_payload(_at(call)),
    "missing_property": lambda call, _: errors.missing_property(EXAMPLE_PROPERTY, _at(call)),
    "invalid_query": lambda call, _: errors.invalid_query(EXAMPLE_QUERY_OPTION, _at(call)),
    "missing_token": lambda call, _: errors.token_empty(_at(call)).reply,
    "malformed_token": lambda call, _: errors.token_not_jwt(_at(call)).reply,
    "invalid_token": lambda call, _: errors.token_invalid(_at(call)).reply,
    "expired_token": lambda call, _: errors.token_expired(_at(call)).reply,
    "access_denied": lambda call, _: errors.access_denied(_at(call)).reply,
    "item_not_found": lambda call, _: errors.item_not_found(_at(call)).reply,
    "invalid_user": lambda call, _: errors.invalid_user(_user(call), _at(call)).reply,
    "group_not_found": lambda call, _: errors.group_not_found(_group(call), _at(call)).reply,
    "method_not_allowed": lambda call, _: errors.method_not_allowed(
        EXAMPLE_METHOD, errors.allowed_methods(call.path), _at(call)
    ),
    "too_large": lambda call, _: errors.too_large(_at(call)),
    "unsupported_media_type": lambda call, _: errors.unsupported_media_type(EXAMPLE_MEDIA_TYPE, _at(call)),
    "throttled": lambda call, throttle: errors.throttled(_at(call), _retry_after(throttle)).reply,
    "general_exception": lambda call, _: errors.general_exception(_at(call)).reply,
    "service_unavailable": lambda call, throttle: (
        errors.service_unavailable(_at(call), _retry_after(throttle)).reply
    ),
}


def code_of(value: Any) -> str | None:
    """Graph's `error.code`."""
    inner = value.get("error") if isinstance(value, dict) else None
    return str(inner["code"]) if isinstance(inner, dict) and "code" in inner else None


CATALOG = ErrorCatalog(SPEC, code_of)


def fault(name: str, call: Call, throttle: Throttle | None) -> Reply | None:
    """The `FaultRenderer` (see plugin.py): Graph's answer for `name` on `call`, or None."""
    row = CATALOG.find(name, call.operation_id)
    build = BUILDERS.get(row.name or str(row.status)) if row else None
    return build(call, throttle) if build else None
