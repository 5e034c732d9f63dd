"""Bearer credentials from the `tokens` fixtures: API keys and access tokens, scopes and plan.

Order of checks (inferred; Cronofy documents each status, not their order): a credential that is
missing or not recognised → 401; the credential's `x-mock-error` (429/500); the scope the
operation needs → 403; for Meeting Agent calls, the plan → 402.
"""

from __future__ import annotations

from dataclasses import dataclass

from mockserver.core.errors import VendorError
from mockserver.core.exchange import Call
from mockserver.core.store import Records
from mockserver.core.values import fast_init
from mockserver.vendors.cronofy import errors

API_KEY = "api_key"
ACCESS_TOKEN = "access_token"

# Meeting Agents: "Required plan: Emerging". Plans that include it (inferred: Emerging and above).
MEETING_AGENT_PLANS = frozenset({"emerging", "growth", "enterprise"})

# operationId → (credential kinds accepted, scope required, Meeting Agents plan required)
# The documentation shows Meeting Agent calls with both `{API_KEY}` and `{ACCESS_TOKEN}`; calendar
# event calls with `{ACCESS_TOKEN}` only. `meeting_agents` stands for the dashboard's Meeting
# Agents feature toggle (inferred); `create_event`/`delete_event` are Cronofy's scopes.
_AGENT_KINDS = frozenset({API_KEY, ACCESS_TOKEN})
_EVENT_KINDS = frozenset({ACCESS_TOKEN})
REQUIREMENTS: dict[str, tuple[frozenset[str], str, bool]] = {
    "scheduleMeetingAgent": (_AGENT_KINDS, "meeting_agents", True),
    "cancelMeetingAgent": (_AGENT_KINDS, "meeting_agents", True),
    "upsertEvent": (_EVENT_KINDS, "create_event", False),
    "deleteEvent": (_EVENT_KINDS, "delete_event", False),
}


@fast_init
@dataclass(frozen=True, slots=True)
class Principal:
    token: str
    kind: str
    scopes: frozenset[str]
    plan: str
    account_id: str | None = None

    @property
    def has_meeting_agents_plan(self) -> bool:
        return self.plan in MEETING_AGENT_PLANS


def bearer(call: Call) -> str | None:
    header = call.header("authorization") or ""
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def authenticate(call: Call, records: Records) -> Principal | None:
    """The caller, or the documented refusal. A request that matched no operation (unknown path or
    method) is left to the router, which answers 404 whatever the credentials (inferred)."""
    if call.operation_id not in REQUIREMENTS:
        return None
    token = bearer(call)
    record = records.read("tokens", token) if token else None
    if token is None or record is None:
        raise errors.unauthorized()
    kinds, scope, needs_plan = REQUIREMENTS[call.operation_id]
    if record.get("kind", ACCESS_TOKEN) not in kinds:
        raise errors.unauthorized()
    refusal: VendorError | None = errors.mock_error(record.get("x-mock-error"))
    if refusal is not None:
        raise refusal
    principal = Principal(
        token=token,
        kind=str(record.get("kind", ACCESS_TOKEN)),
        scopes=frozenset(str(scope) for scope in record.get("scopes", [])),
        plan=str(record.get("plan", "emerging")).lower(),
        account_id=record.get("account_id"),
    )
    if scope not in principal.scopes:
        raise errors.forbidden(scope)
    if needs_plan and not principal.has_meeting_agents_plan:
        raise errors.payment_required()
    return principal
