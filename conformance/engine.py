"""Runs the three layers for each vendor and tells listeners what happens, as typed events.

The engine knows the target only by URL; reporters (console, JUnit, pytest) are event handlers.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from cancel_contracts.specs import VENDORS
from conformance.events import (
    CaseFinished,
    Event,
    Layer,
    LayerFinished,
    LayerStarted,
    Result,
    RunFinished,
    RunStarted,
)
from conformance.resilience_layer import run_resilience
from conformance.scenario_layer import run_scenarios
from conformance.setup import admin, fixtures_map
from conformance.spec_layer import SpecRun, run_spec

DEFAULT_SEED = 20240621


class TargetError(Exception):
    """Bad configuration or an unreachable target: nothing was checked."""


@dataclass(frozen=True)
class Options:
    vendors: tuple[str, ...]
    url: str
    admin_url: str | None = None  # None: probe /__admin at the target's root
    fixtures_map: Path | None = None
    headers: dict[str, str] = field(default_factory=dict)
    max_examples: int = 10
    seed: int | None = DEFAULT_SEED
    workers: int = 1
    # Layer.RESILIENCE is off by default: it needs a target that honours the mock's fault injection.
    layers: tuple[Layer, ...] = (Layer.SPEC, Layer.ENVELOPE, Layer.SCENARIOS)


@dataclass(frozen=True)
class Plan:
    """What a run will do, resolved before any check runs (so errors are exit 2, not failures)."""

    options: Options
    admin_url: str | None
    setup: str
    profiles: dict[str, fixtures_map.VendorProfile]

    def base_url(self, vendor: str) -> str:
        root = self.options.url.rstrip("/")
        return f"{root}/{vendor}" if len(self.options.vendors) > 1 else root


def plan(options: Options) -> Plan:
    unknown = [vendor for vendor in options.vendors if vendor not in VENDORS]
    if unknown:
        raise TargetError(f"unknown vendor(s) {unknown}; known: {', '.join(VENDORS)}")
    if options.admin_url and options.fixtures_map:
        raise TargetError("--admin-url and --fixtures-map exclude each other: pick how records get set up")
    url = httpx.URL(options.url)
    if url.scheme not in ("http", "https") or not url.host:
        raise TargetError(f"--url {options.url!r} is not an http(s) URL")
    if options.fixtures_map is not None:
        try:
            profiles = fixtures_map.load(options.fixtures_map, VENDORS)
        except fixtures_map.FixturesMapError as error:
            raise TargetError(f"bad fixtures map: {error}") from None
    else:
        profiles = fixtures_map.mock_profile(VENDORS)
    with httpx.Client(timeout=5) as client:
        try:
            client.get(options.url)
        except httpx.HTTPError as error:
            raise TargetError(
                f"target {options.url} is unreachable ({type(error).__name__}: {error})"
            ) from None
        admin_url: str | None
        if options.fixtures_map is not None:
            admin_url, setup = None, f"fixtures map {options.fixtures_map}"
        else:
            admin_url = options.admin_url or admin.default_url(options.url)
            problem = admin.probe(client, admin_url)
            if problem and options.admin_url:
                raise TargetError(f"admin API unreachable: {problem}")
            if problem:
                admin_url, setup = None, f"no admin API ({problem}); scenarios needing records are skipped"
            else:
                setup = f"admin API {admin_url}, one X-Mock-Session per scenario and per spec run"
    return Plan(options, admin_url, setup, profiles)


def _spec_results(plan: Plan, vendor: str) -> list[Result]:
    profile = plan.profiles.get(vendor, fixtures_map.VendorProfile())
    headers = {**profile.headers, **plan.options.headers}
    if plan.admin_url is not None:
        headers[admin.SESSION_HEADER] = admin.new_session(vendor)
    run = SpecRun(
        vendor=vendor,
        base_url=plan.base_url(vendor),
        headers=headers,
        parameters=profile.parameters,
        max_examples=plan.options.max_examples,
        seed=plan.options.seed,
        workers=plan.options.workers,
        sanitize=plan.options.fixtures_map is not None,
    )
    return list(run_spec(run))


def execute(plan: Plan) -> Iterator[Event]:
    options = plan.options
    started = time.monotonic()
    yield RunStarted(options.vendors, options.url, plan.admin_url, plan.setup)
    results: list[Result] = []
    for vendor in options.vendors:
        spec_layers = [layer for layer in (Layer.SPEC, Layer.ENVELOPE) if layer in options.layers]
        if spec_layers:
            for layer in spec_layers:
                yield LayerStarted(vendor, layer)
            layer_started = time.monotonic()
            spec_results = [r for r in _spec_results(plan, vendor) if r.layer in spec_layers]
            for result in spec_results:
                yield CaseFinished(result)
            for layer in spec_layers:
                mine = tuple(r for r in spec_results if r.layer is layer)
                yield LayerFinished(vendor, layer, mine, time.monotonic() - layer_started)
            results += spec_results
        profile = plan.profiles.get(vendor, fixtures_map.VendorProfile())
        http_layers = ((Layer.SCENARIOS, run_scenarios), (Layer.RESILIENCE, run_resilience))
        for http_layer, runner in http_layers:
            if http_layer not in options.layers:
                continue
            yield LayerStarted(vendor, http_layer)
            layer_started = time.monotonic()
            layer_results = asyncio.run(
                runner(vendor, plan.base_url(vendor), plan.admin_url, profile, dict(options.headers))
            )
            for result in layer_results:
                yield CaseFinished(result)
            yield LayerFinished(vendor, http_layer, tuple(layer_results), time.monotonic() - layer_started)
            results += layer_results
    yield RunFinished(tuple(results), time.monotonic() - started)


def run(options: Options) -> Iterator[Event]:
    """Plan (raises TargetError) and execute."""
    return execute(plan(options))
