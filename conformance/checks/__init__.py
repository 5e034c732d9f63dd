"""All checks in one registry: the vendors' error contracts and the Schemathesis checks built on them.

Importing this package registers three checks with Schemathesis (signature `(ctx, response, case)`):

- `vendor_error_envelope` (layer 2): every error answer has the vendor's content type, envelope
  and a documented code; never problem+json.
- `vendor_positive_data_acceptance` (layer 1, replaces `positive_data_acceptance`): a schema-valid
  request is accepted, or refused with one of the vendor's documented business-rule refusals.
- `vendor_unsupported_method` (layer 1, replaces `unsupported_method`): a method the path lacks gets
  the vendor's documented answer (Zoho: 400 INVALID_REQUEST_METHOD, not 405).

A check learns the vendor from the spec it runs on (`x-conformance-vendor`, added by the engine);
on any other schema it does nothing.
"""

from __future__ import annotations

from typing import Any

import schemathesis
from schemathesis.generation.meta import CoveragePhaseData, CoverageScenario

from conformance.checks import cronofy, graph, meetbit, meetergo, zoho
from conformance.checks.common import Answer, VendorRules, error_problems, media_type

Case = schemathesis.Case[Any]

VENDOR_KEY = "x-conformance-vendor"
RULES: dict[str, VendorRules] = {
    rules.name: rules for rules in (zoho.RULES, graph.RULES, meetbit.RULES, cronofy.RULES, meetergo.RULES)
}
# Which layer a failing check belongs to; every other check is layer 1 (spec).
ENVELOPE_CHECKS = frozenset({"vendor_error_envelope"})
# Schemathesis' generic checks the vendor checks above replace.
REPLACED = ("positive_data_acceptance", "unsupported_method")


def _rules(case: Case) -> VendorRules | None:
    vendor = case.operation.schema.raw_schema.get(VENDOR_KEY)
    return RULES.get(vendor) if isinstance(vendor, str) else None


def answer_of(response: schemathesis.Response) -> Answer:
    return Answer(
        response.status_code, media_type(response.headers.get("content-type", [""])[0]), response.content
    )


def _coverage_scenario(case: Case) -> Any:
    data = case.meta.phase.data if case.meta is not None else None
    return data.scenario if isinstance(data, CoveragePhaseData) else None


@schemathesis.check
def vendor_error_envelope(
    ctx: schemathesis.CheckContext, response: schemathesis.Response, case: Case
) -> bool | None:
    rules = _rules(case)
    if rules is None or response.status_code < 400:
        return None
    problems = error_problems(rules, answer_of(response))
    if problems:
        raise AssertionError(f"{rules.name} error envelope: " + "; ".join(problems))
    return None


@schemathesis.check
def vendor_positive_data_acceptance(
    ctx: schemathesis.CheckContext, response: schemathesis.Response, case: Case
) -> bool | None:
    rules = _rules(case)
    if rules is None or case.meta is None or not case.meta.generation.mode.is_positive:
        return None
    if (
        _coverage_scenario(case) is not None
        and _coverage_scenario(case) == CoverageScenario.UNSPECIFIED_HTTP_METHOD
    ):
        return None
    if response.status_code < 400 or response.status_code == 429:
        return None
    answer = answer_of(response)
    if rules.refusal(answer):
        return None
    raise AssertionError(
        f"a schema-valid request was refused with {response.status_code} "
        f"{rules.codes(answer) or answer.text[:100]!r}, "
        f"which is neither a success nor one of {rules.name}'s documented business-rule refusals"
    )


@schemathesis.check
def vendor_unsupported_method(
    ctx: schemathesis.CheckContext, response: schemathesis.Response, case: Case
) -> bool | None:
    rules = _rules(case)
    if rules is None or _coverage_scenario(case) != CoverageScenario.UNSPECIFIED_HTTP_METHOD:
        return None
    if response.request.method in ("OPTIONS", "HEAD"):
        return None
    status, code = rules.wrong_method
    answer = answer_of(response)
    got = rules.codes(answer)
    if response.status_code != status or (code is not None and code not in got):
        raise AssertionError(
            f"{response.request.method} on a path without it answered {response.status_code} {got}; "
            f"{rules.name} answers {status}{' ' + code if code else ''}"
        )
    return None
