"""Cronofy's documented errors (docs.cronofy.com: Errors, Cancel a Meeting Agent, Delete Event).

Only 422 has a body: `{"errors": {"<parameter>": [{"key": "errors.required", "description":
"required"}]}}` — `code` is the `key`, `message` the `description`. Every other error is
answered without a body (content_type None). Rows marked `inferred` apply a documented status to
an operation whose page does not list it.
"""

from __future__ import annotations

from tests.documented import DocumentedError

_REQUIRED = "errors.required"


def _bodiless(
    operation: str, statuses: tuple[int, ...], inferred: tuple[int, ...] = ()
) -> list[DocumentedError]:
    return [
        DocumentedError(operation, status, None, None, None, inferred=status in inferred)
        for status in statuses
    ]


ERRORS: list[DocumentedError] = [
    # DELETE /v1/meeting_agents
    *_bodiless("cancelMeetingAgent", (401, 402, 403, 429, 500), inferred=(403, 429, 500)),
    DocumentedError("cancelMeetingAgent", 422, _REQUIRED, "required"),
    # POST /v1/meeting_agents
    *_bodiless("scheduleMeetingAgent", (401, 402, 403, 429, 500), inferred=(403, 429, 500)),
    DocumentedError("scheduleMeetingAgent", 422, _REQUIRED, "required"),
    # POST /v1/calendars/{calendar_id}/events (upsert; meeting_agent.profile_id "none")
    *_bodiless("upsertEvent", (401, 402, 403, 404, 423, 429, 500), inferred=(402, 429, 500)),
    DocumentedError("upsertEvent", 422, _REQUIRED, "required"),
    # DELETE /v1/calendars/{calendar_id}/events — the Delete Event page lists 401, 403, 404, 422
    *_bodiless("deleteEvent", (401, 403, 404, 423, 429, 500), inferred=(423, 429, 500)),
    DocumentedError("deleteEvent", 422, _REQUIRED, "required"),
]
