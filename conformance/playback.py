"""Plays a scenario against any implementation over HTTP and says what broke.

Against a target with the mock's admin API, the scenario's `setup` records are posted to
`/__admin/fixtures` in a session of the scenario's own (`X-Mock-Session`), so scenarios never see
each other's changes. Against a real vendor, `vars` come from the user's fixtures map instead.
"""

from __future__ import annotations

import json
import re
import shlex
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx

from conformance.scenario import Expectation, Scenario, Step

SESSION_HEADER = "X-Mock-Session"
_VAR = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


class MissingVariable(KeyError):
    pass


@dataclass
class Outcome:
    scenario: Scenario
    status: str  # passed | failed | skipped
    problems: list[str] = field(default_factory=list)
    curl: str = ""
    reason: str = ""

    @property
    def passed(self) -> bool:
        return self.status == "passed"


def fill(text: str, variables: dict[str, str]) -> str:
    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in variables:
            raise MissingVariable(name)
        return variables[name]

    return _VAR.sub(replace, text)


def fill_value(value: Any, variables: dict[str, str]) -> Any:
    if isinstance(value, str):
        return fill(value, variables)
    if isinstance(value, dict):
        return {fill(str(k), variables): fill_value(v, variables) for k, v in value.items()}
    if isinstance(value, list):
        return [fill_value(item, variables) for item in value]
    return value


def subset_problems(expected: Any, actual: Any, path: str = "$") -> list[str]:
    """Every key in `expected` must be in `actual` with that value; lists compare element-wise."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{path}: expected an object, got {json.dumps(actual)[:200]}"]
        problems: list[str] = []
        for key, value in expected.items():
            if key not in actual:
                problems.append(f"{path}.{key}: missing")
            else:
                problems += subset_problems(value, actual[key], f"{path}.{key}")
        return problems
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return [f"{path}: expected a list, got {json.dumps(actual)[:200]}"]
        if len(expected) > len(actual):
            return [f"{path}: expected at least {len(expected)} items, got {len(actual)}"]
        problems = []
        for index, item in enumerate(expected):
            problems += subset_problems(item, actual[index], f"{path}[{index}]")
        return problems
    if expected != actual:
        return [f"{path}: expected {json.dumps(expected)}, got {json.dumps(actual)[:200]}"]
    return []


def media_type(value: str | None) -> str:
    return (value or "").split(";", 1)[0].strip().lower()


def check_response(expect: Expectation, response: httpx.Response) -> list[str]:
    problems: list[str] = []
    if response.status_code != expect.status:
        problems.append(
            f"status: expected {expect.status}, got {response.status_code}: {response.text[:300]}"
        )
    actual_type = media_type(response.headers.get("content-type"))
    if expect.content_type is not None and actual_type != media_type(expect.content_type):
        problems.append(f"content-type: expected {expect.content_type}, got {actual_type or 'none'}")
    if expect.empty and response.content:
        problems.append(f"body: expected none, got {response.text[:200]!r}")
    if expect.text is not None and response.text != expect.text:
        problems.append(f"body: expected text {expect.text!r}, got {response.text[:300]!r}")
    if expect.has_json:
        try:
            body = response.json()
        except ValueError:
            problems.append(f"body: expected JSON, got {response.text[:200]!r}")
        else:
            problems += subset_problems(expect.json, body)
    for name, value in expect.headers.items():
        got = response.headers.get(name)
        if got is None:
            problems.append(f"header {name}: missing")
        elif value != "*" and got != value:
            problems.append(f"header {name}: expected {value!r}, got {got!r}")
    return problems


def pick(document: Any, dotted: str) -> str:
    value = document
    for part in dotted.split("."):
        value = value[int(part)] if isinstance(value, list) else value[part]
    return str(value)


def curl_line(request: httpx.Request) -> str:
    parts = ["curl", "-i", "-X", request.method, shlex.quote(str(request.url))]
    for name, value in request.headers.items():
        if name.lower() in (
            "host",
            "content-length",
            "accept-encoding",
            "connection",
            "user-agent",
            "accept",
        ):
            continue
        parts += ["-H", shlex.quote(f"{name}: {value}")]
    if request.content:
        parts += ["--data-binary", shlex.quote(request.content.decode("utf-8", "replace"))]
    return " ".join(parts)


def build_request(
    client: httpx.AsyncClient, base: str, step: Step, variables: dict[str, str], headers: dict[str, str]
) -> httpx.Request:
    all_headers = {**headers, **fill_value(step.headers, variables)}
    url = base.rstrip("/") + fill(step.path, variables)
    if step.has_json:
        return client.build_request(
            step.method, url, json=fill_value(step.json, variables), headers=all_headers
        )
    content = None if step.body is None else fill(step.body, variables).encode("utf-8")
    return client.build_request(step.method, url, content=content, headers=all_headers)


async def play(
    client: httpx.AsyncClient,
    scenario: Scenario,
    *,
    base_url: str,
    admin_url: str | None,
    variables: dict[str, str] | None = None,
    extra_headers: dict[str, str] | None = None,
) -> Outcome:
    """Run one scenario. `base_url` replaces the vendor's origin (e.g. http://127.0.0.1:8000/zoho)."""
    headers = dict(extra_headers or {})
    names = dict(scenario.vars)
    if admin_url is not None:
        session = f"{scenario.name}-{uuid.uuid4().hex[:8]}"
        headers[SESSION_HEADER] = session
        if scenario.setup:
            seeded = await client.post(
                admin_url.rstrip("/") + "/fixtures",
                json={scenario.vendor: scenario.setup},
                headers={SESSION_HEADER: session},
            )
            if seeded.status_code != 200:
                return Outcome(
                    scenario,
                    "failed",
                    [f"setup refused by the admin API: {seeded.status_code} {seeded.text[:500]}"],
                )
    names.update(variables or {})
    curl = ""
    for index, step in enumerate(scenario.steps):
        try:
            request = build_request(client, base_url, step, names, headers)
        except MissingVariable as missing:
            return Outcome(
                scenario, "skipped", reason=f"no value for {{{missing.args[0]}}} (add it to the fixtures map)"
            )
        curl = curl_line(request)
        try:
            response = await client.send(request)
        except httpx.HTTPError as error:
            return Outcome(scenario, "failed", [f"step {index + 1}: request failed: {error}"], curl)
        problems = check_response(step.expect, response)
        if problems:
            return Outcome(
                scenario,
                "failed",
                [f"step {index + 1} ({step.method} {request.url.path}): {p}" for p in problems],
                curl,
            )
        for name, dotted in step.save.items():
            try:
                names[name] = pick(response.json(), dotted)
            except (ValueError, KeyError, IndexError, TypeError):
                return Outcome(
                    scenario, "failed", [f"step {index + 1}: cannot read {dotted} from the response"], curl
                )
    return Outcome(scenario, "passed", curl=curl)
