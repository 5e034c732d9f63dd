"""Graph's cancel rules on plain records."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from mockserver.core.errors import VendorError
from mockserver.vendors.graph import errors, rules

NOW = datetime(2030, 1, 1, 9, 0, tzinfo=UTC)
AT = errors.Trace(NOW)


def _event(**fields: object) -> dict[str, object]:
    return {"id": "AAMk=", "subject": "Sync", "isOrganizer": True, "isCancelled": False, **fields}


@pytest.mark.parametrize(
    ("body", "comment"),
    [(None, None), ({}, None), ({"comment": "a"}, "a"), ({"Comment": "b"}, "b"), ({"cOmMeNt": None}, None)],
)
def test_comment_of(body: object, comment: str | None) -> None:
    assert rules.comment_of(body, AT) == comment


@pytest.mark.parametrize("body", [{"reason": "x"}, {"comment": "a", "COMMENT": "b"}, {"comment": 1}, [], "x"])
def test_comment_of_refuses(body: object) -> None:
    with pytest.raises(VendorError) as refused:
        rules.comment_of(body, AT)
    assert refused.value.reply.status == 400
    assert refused.value.reply.body["error"]["code"] == "RequestBodyRead"


def test_only_the_organizer_may_cancel() -> None:
    rules.check_cancel(_event(), AT)
    with pytest.raises(VendorError) as refused:
        rules.check_cancel(_event(isOrganizer=False), AT)
    assert refused.value.reply.status == 400
    assert refused.value.reply.body["error"]["message"] == errors.NOT_ORGANIZER


def test_a_cancelled_organizer_event_is_not_found() -> None:
    with pytest.raises(VendorError) as refused:
        rules.check_cancel(_event(isCancelled=True), AT)
    assert refused.value.reply.body["error"]["code"] == "ErrorItemNotFound"


def test_mock_errors_come_first() -> None:
    with pytest.raises(VendorError) as refused:
        rules.check_cancel(_event(isOrganizer=False, **{"x-mock-error": "THROTTLED"}), AT)
    assert refused.value.reply.status == 429
    assert refused.value.reply.headers["Retry-After"] == errors.DEFAULT_RETRY_AFTER


def test_cancelled_copy_and_deleted() -> None:
    copy = rules.cancelled_copy(_event(isOrganizer=False), NOW)
    assert copy["isCancelled"] is True and copy["subject"] == "Canceled: Sync"
    assert copy["lastModifiedDateTime"] == "2030-01-01T09:00:00Z"
    assert rules.cancelled_copy(copy, NOW)["subject"] == "Canceled: Sync"
    moved = rules.deleted(_event(), NOW)
    assert moved["isCancelled"] is True and moved["x-mock-deleted-at"] == "2030-01-01T09:00:00Z"


def test_cancellation_mail() -> None:
    event = _event(
        organizer={"emailAddress": {"address": "a@contoso.com", "name": "A"}},
        attendees=[{"emailAddress": {"address": "b@contoso.com", "name": "B"}}, {"emailAddress": {}}],
    )
    mail = rules.cancellation_mail(event, "sorry")
    assert mail["to"] == [{"address": "b@contoso.com", "name": "B"}]
    assert mail["comment"] == "sorry" and mail["subject"] == "Canceled: Sync"
