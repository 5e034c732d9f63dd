"""The mock's admin API (`/__admin`, specs/admin.yaml) as the conformance suite uses it."""

from __future__ import annotations

import uuid

import httpx

SESSION_HEADER = "X-Mock-Session"


def default_url(url: str) -> str:
    """`/__admin` at the root of the target's origin."""
    parsed = httpx.URL(url)
    return str(parsed.copy_with(path="/__admin", query=None, fragment=None))


def probe(client: httpx.Client, admin_url: str) -> str | None:
    """None when the admin API answers its health check, else why not."""
    try:
        response = client.get(admin_url.rstrip("/") + "/health")
    except httpx.HTTPError as error:
        return f"{admin_url} did not answer ({type(error).__name__}: {error})"
    if response.status_code != 200:
        return f"{admin_url}/health answered {response.status_code}"
    return None


def new_session(label: str) -> str:
    """A fresh X-Mock-Session name: seeded from the default fixtures on first use."""
    return f"conformance-{label}-{uuid.uuid4().hex[:10]}"
