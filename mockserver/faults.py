"""Fault injection for a session: the `X-Mock-Fault` header and the rules under `/__admin/faults`.

Rules live in the session's state (pseudo-vendor `__mock`), so they never leak into another
session, `/__admin/reset` drops them, and a shared store shares them between workers. Counters
move inside the same atomic transaction that reads them, so a seeded rule gives the same
sequence of outcomes on every run. The vendor renders the error it documents (`Vendor.fault`).
"""

from __future__ import annotations

import uuid
from functools import cache
from typing import Any

from cancel_contracts import specs
from mockserver.core.errors import VendorError
from mockserver.core.exchange import Call, Reply
from mockserver.core.faults import (
    HEADER,
    NONE,
    Decision,
    FaultSpecError,
    HeaderFault,
    applies,
    combine,
    normalise_rule,
    parse_header,
    step,
)
from mockserver.core.store import Store, Transaction
from mockserver.vendors.plugin import Throttle, Vendor

MOCK = "__mock"
RULES = "faults"
_METHODS = ("get", "put", "post", "delete", "patch")


@cache
def operation_ids(spec_name: str) -> tuple[str, ...]:
    spec = specs.load(spec_name)
    return tuple(
        str(operation["operationId"])
        for item in spec.get("paths", {}).values()
        for method in _METHODS
        if isinstance(item, dict)
        and isinstance(operation := item.get(method), dict)
        and "operationId" in operation
    )


def fault_names(vendor: Vendor, operation_id: str) -> frozenset[str]:
    return vendor.fault_names(operation_id) if vendor.fault_names else frozenset()


class FaultBook:
    def __init__(self, store: Store, vendors: dict[str, Vendor]) -> None:
        self._store = store
        self._vendors = vendors

    # rules ---------------------------------------------------------------------------------------
    def add(self, session: str, raws: list[Any]) -> list[dict[str, Any]]:
        """Check every rule first, then add them all in one transaction (all or nothing)."""
        rules = []
        for index, raw in enumerate(raws):
            try:
                rules.append(self._checked(raw))
            except FaultSpecError as error:
                raise FaultSpecError(f"rule {index}: {error}") from error

        def save(tx: Transaction) -> None:
            for rule in rules:
                tx.put(MOCK, RULES, rule["id"], rule)

        self._store.transact(session, save)
        return rules

    def _checked(self, raw: Any) -> dict[str, Any]:
        rule = normalise_rule(raw, uuid.uuid4().hex[:12])
        vendor = self._vendors.get(rule["vendor"])
        if vendor is None:
            raise FaultSpecError(
                f"vendor {rule['vendor']!r} is not served; served: {', '.join(self._vendors)}"
            )
        known = operation_ids(vendor.spec)
        if rule["operation"] != "*" and rule["operation"] not in known:
            raise FaultSpecError(
                f"{vendor.name} has no operation {rule['operation']!r}; operations: {', '.join(sorted(known))}"
            )
        if rule["error"] is not None:
            operations = list(known) if rule["operation"] == "*" else [rule["operation"]]
            if not any(rule["error"].lower() in fault_names(vendor, op) for op in operations):
                raise FaultSpecError(
                    f"{rule['error']!r} is not a documented error of {vendor.name} {rule['operation']}; "
                    "use an example name, code or HTTP status from the vendor's spec"
                )
        return rule

    def rules(self, session: str) -> list[dict[str, Any]]:
        return self._store.transact(session, lambda tx: tx.all(MOCK, RULES))

    def remove(self, session: str, rule_id: str | None = None) -> int:
        def drop(tx: Transaction) -> int:
            doomed = [r["id"] for r in tx.all(MOCK, RULES) if rule_id is None or r["id"] == rule_id]
            for key in doomed:
                tx.delete(MOCK, RULES, key)
            return len(doomed)

        return self._store.transact(session, drop)

    # per call ---------------------------------------------------------------------------------------
    def decide(self, call: Call) -> Decision:
        """The header's demand, else what the session's rules say (counters advance atomically)."""
        forced = self.forced(call)
        from_rules = self._store.transact(call.session, lambda tx: self.evaluate(tx, call))
        return self.merge(forced, from_rules or NONE)

    def forced(self, call: Call) -> HeaderFault | None:
        """What the `X-Mock-Fault` header demands (None: no header); raises `FaultSpecError`."""
        header = call.header(HEADER)
        return parse_header(header) if header else None

    def evaluate(self, tx: Transaction, call: Call) -> Decision | None:
        """Inside `tx`: count `call` against every rule of its session that applies to it and say
        what they decide together; None when no rule applies (then nothing was written)."""
        decisions = []
        for rule in tx.all(MOCK, RULES):
            if applies(rule, call.vendor, call.operation_id):
                updated, decision = step(rule, call.now)
                tx.put(MOCK, RULES, rule["id"], updated)
                documented = fault_names(self._vendors[call.vendor], call.operation_id)
                if decision.error is not None and decision.error.lower() not in documented:
                    # a `*` rule forces only errors this operation documents
                    decision = Decision(None, decision.latency_ms, decision.throttle)
                decisions.append(decision)
        return combine(decisions) if decisions else None

    @staticmethod
    def merge(forced: HeaderFault | None, from_rules: Decision) -> Decision:
        """The header's demand over the rules' decision."""
        if forced is None:
            return from_rules
        return Decision(
            forced.error or from_rules.error,
            forced.latency_ms + from_rules.latency_ms,
            None if forced.error else from_rules.throttle,
        )

    def refusal(self, call: Call, decision: Decision) -> VendorError | None:
        """The vendor's documented answer for a decided error or throttle, as an exception to raise."""
        if decision.error is None and decision.throttle is None:
            return None
        vendor = self._vendors[call.vendor]
        throttle = Throttle(*decision.throttle) if decision.throttle else None
        name = decision.error if decision.error is not None else "throttled"
        reply = vendor.fault(name, call, throttle) if vendor.fault else None
        if reply is None:
            known = sorted(fault_names(vendor, call.operation_id))
            reply = Reply(
                400,
                {
                    "error": "fault_unknown",
                    "message": f"{name!r} is not a documented error of {call.vendor} {call.operation_id}; "
                    f"known: {', '.join(known)}",
                },
            )
        return VendorError(reply, f"fault:{name}")
