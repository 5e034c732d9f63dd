"""Layer 4, only when asked (`check --resilience`): the target's answers under injected faults.

For a target that implements the mock's fault injection (our mock, or a team's own stand-in that
honours `X-Mock-Fault` and `/__admin/faults`), every operation is driven through every error its
spec documents, through throttling and through added latency, and each answer must keep the
contract: the documented status, the vendor's envelope and code, and the headers the spec
declares for that status (Graph's and Meetbit's `Retry-After`, Meetbit's `RateLimit-*`).

A valid request for each operation is taken from the vendor's scenarios (the first step that
expects a success on that path); an operation no scenario shows is skipped with that reason.
"""

from __future__ import annotations

import re
import time
import uuid
from dataclasses import dataclass

import httpx

from cancel_contracts import specs
from cancel_contracts.specs import resolve as _resolve
from conformance.checks import RULES
from conformance.checks.common import Answer, error_problems, media_type
from conformance.events import Layer, Problem, Result, Status
from conformance.playback import SESSION_HEADER, MissingVariable, build_request, curl_line
from conformance.scenario import Scenario, Step, load
from conformance.setup.fixtures_map import VendorProfile

FAULT_HEADER = "X-Mock-Fault"
_METHODS = ("get", "put", "post", "delete", "patch")


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str
    pattern: re.Pattern[str]
    errors: tuple[tuple[int, str | None, tuple[str, ...]], ...]  # status, example name, required headers


def operations(vendor: str) -> list[Operation]:
    spec = specs.load(vendor)
    found: list[Operation] = []
    for route, item in spec.get("paths", {}).items():
        pattern = re.compile("^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(route)) + "$")
        for method in _METHODS:
            operation = item.get(method)
            if not isinstance(operation, dict):
                continue
            errors: list[tuple[int, str | None, tuple[str, ...]]] = []
            for status, response in (operation.get("responses") or {}).items():
                if not str(status).isdigit() or int(status) < 400:
                    continue
                response = _resolve(spec, response)
                required = tuple(
                    name
                    for name, header in (response.get("headers") or {}).items()
                    if _resolve(spec, header).get("required") or name.lower() == "retry-after"
                )
                names: list[str | None] = [
                    str(name)
                    for media in (response.get("content") or {}).values()
                    for name in (_resolve(spec, media).get("examples") or {})
                ]
                for name in names or [None]:
                    errors.append((int(status), name, required))
            found.append(Operation(str(operation["operationId"]), method.upper(), pattern, tuple(errors)))
    return found


def _template(operation: Operation, scenarios: list[Scenario]) -> tuple[Scenario, Step] | None:
    for scenario in scenarios:
        for step in scenario.steps:
            path = re.sub(r"\{[^}]+\}", "x", step.path)
            if step.method == operation.method and step.expect.status < 400 and operation.pattern.match(path):
                return scenario, step
    return None


class _Driver:
    def __init__(
        self,
        client: httpx.AsyncClient,
        vendor: str,
        base_url: str,
        admin_url: str | None,
        headers: dict[str, str],
    ) -> None:
        self.client, self.vendor, self.base_url, self.admin_url = client, vendor, base_url, admin_url
        self.headers = headers

    async def session(self, scenario: Scenario) -> dict[str, str]:
        if self.admin_url is None:
            return {}
        session = {SESSION_HEADER: f"resilience-{self.vendor}-{uuid.uuid4().hex[:8]}"}
        if scenario.setup:
            await self.client.post(
                self.admin_url.rstrip("/") + "/fixtures", json={self.vendor: scenario.setup}, headers=session
            )
        return session

    async def send(self, scenario: Scenario, step: Step, extra: dict[str, str]) -> tuple[httpx.Response, str]:
        request = build_request(
            self.client, self.base_url, step, dict(scenario.vars), {**self.headers, **extra}
        )
        return await self.client.send(request), curl_line(request)


def _answer(response: httpx.Response) -> Answer:
    return Answer(response.status_code, media_type(response.headers.get("content-type")), response.content)


async def _operation(driver: _Driver, operation: Operation, scenarios: list[Scenario]) -> Result:
    started = time.monotonic()
    found = _template(operation, scenarios)
    if found is None:
        return Result(
            driver.vendor,
            Layer.RESILIENCE,
            operation.operation_id,
            Status.SKIPPED,
            reason="no scenario shows a valid request for this operation",
        )
    scenario, step = found
    rules = RULES[driver.vendor]
    problems: list[Problem] = []
    try:
        for status, name, required in operation.errors:
            session = await driver.session(scenario)
            fault = f"error={name or status}"
            response, curl = await driver.send(scenario, step, {**session, FAULT_HEADER: fault})
            label = f"{FAULT_HEADER}: {fault}"
            if response.status_code != status:
                problems.append(
                    Problem("fault_status", f"{label}: expected {status}, got {response.status_code}", curl)
                )
                continue
            problems += [
                Problem("fault_envelope", f"{label}: {p}", curl)
                for p in error_problems(rules, _answer(response))
            ]
            missing = [h for h in required if h not in response.headers]
            if missing:
                problems.append(Problem("fault_headers", f"{label}: missing {', '.join(missing)}", curl))
        session = await driver.session(scenario)
        response, curl = await driver.send(scenario, step, {**session, FAULT_HEADER: "latency=25ms"})
        if response.status_code != step.expect.status:
            problems.append(
                Problem(
                    "fault_latency",
                    f"with latency=25ms: expected {step.expect.status}, got {response.status_code}",
                    curl,
                )
            )
        throttled = [e for e in operation.errors if e[0] == 429]
        if driver.admin_url is not None and throttled:
            session = await driver.session(scenario)
            rule = {
                "vendor": driver.vendor,
                "operation": operation.operation_id,
                "throttle": {"limit": 0, "window_seconds": 30},
            }
            added = await driver.client.post(
                driver.admin_url.rstrip("/") + "/faults", json=rule, headers=session
            )
            if added.status_code != 201:
                problems.append(
                    Problem(
                        "throttle",
                        f"the admin API refused a throttle rule: {added.status_code} {added.text[:200]}",
                    )
                )
            else:
                response, curl = await driver.send(scenario, step, session)
                if response.status_code != 429:
                    problems.append(
                        Problem("throttle", f"throttled call answered {response.status_code}, not 429", curl)
                    )
                else:
                    problems += [
                        Problem("throttle", p, curl) for p in error_problems(rules, _answer(response))
                    ]
                    missing = [h for h in throttled[0][2] if h not in response.headers]
                    if missing:
                        problems.append(Problem("throttle", f"429 without {', '.join(missing)}", curl))
    except MissingVariable as missing:
        return Result(
            driver.vendor,
            Layer.RESILIENCE,
            operation.operation_id,
            Status.SKIPPED,
            reason=f"no value for {{{missing.args[0]}}}",
        )
    except httpx.HTTPError as error:
        problems.append(Problem("transport", f"request failed: {error}"))
    outcome = Status.FAILED if problems else Status.PASSED
    return Result(
        driver.vendor,
        Layer.RESILIENCE,
        operation.operation_id,
        outcome,
        tuple(problems),
        seconds=time.monotonic() - started,
    )


async def run_resilience(
    vendor: str,
    base_url: str,
    admin_url: str | None,
    profile: VendorProfile,
    headers: dict[str, str],
    transport: httpx.AsyncBaseTransport | None = None,
) -> list[Result]:
    scenarios = load(vendor)
    async with httpx.AsyncClient(transport=transport, timeout=15) as client:
        driver = _Driver(client, vendor, base_url, admin_url, {**profile.headers, **headers})
        return [await _operation(driver, operation, scenarios) for operation in operations(vendor)]
