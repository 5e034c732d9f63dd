"""Which vendor and which session a request belongs to, read from the raw ASGI scope."""

from __future__ import annotations

from collections.abc import Iterable

from starlette.types import Scope

SESSION_HEADER = "x-mock-session"
ADMIN_PREFIX = "__admin"
DEFAULT_SESSION = "default"
SESSION_HEADER_BYTES = SESSION_HEADER.encode()


def session_of(scope: Scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == SESSION_HEADER_BYTES:
            return session_from([value])
    return DEFAULT_SESSION


def session_from(values: list[bytes] | None) -> str:
    """The session named by the `X-Mock-Session` header's values as sent (the first counts)."""
    text = values[0].decode("latin-1").strip() if values else ""
    return text or DEFAULT_SESSION


def prefix_of(path: str) -> str:
    """`/zoho/crm/v8/...` → `zoho`; `/__admin/reset` → `__admin`; `/` → ``."""
    return path.lstrip("/").split("/", 1)[0]


def vendor_of(path: str, vendors: Iterable[str]) -> str | None:
    prefix = prefix_of(path)
    return prefix if prefix in vendors else None


def vendor_path(path: str, vendor: str) -> str:
    """The path as the vendor sees it (our `/<vendor>` prefix removed)."""
    return path[len(vendor) + 1 :] or "/"
