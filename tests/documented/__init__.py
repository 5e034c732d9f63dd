"""Each vendor document's list of errors, as data (copied from the vendor documents; tests never
read the shared vendor folder outside the repo). One module per vendor exports `ERRORS`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DocumentedError:
    """One documented error.

    `code`: the vendor's identifier where it has one (Zoho `code`, Graph `error.code`, meetergo
    `error`, Cronofy 422 `key`), else None. `message`: the exact documented text (Meetbit's whole
    text/plain body), else None. `content_type`: None for a response without a body.
    `operation`: the operationId the error belongs to.
    """

    operation: str
    status: int
    code: str | None
    message: str | None
    content_type: str | None = "application/json"
    inferred: bool = False
