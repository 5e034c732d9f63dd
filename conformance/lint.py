"""`cancel-contracts lint`: OpenAPI validity plus this project's own rules for a vendor spec.

Each problem is one line: `file: $.json.path: message`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from openapi_spec_validator import OpenAPIV30SpecValidator

from cancel_contracts.specs import resolve as _resolve

METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
ERROR_MEDIA_TYPES = ("application/json", "text/plain")


@dataclass(frozen=True)
class Problem:
    file: str
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.path}: {self.message}"


def _pointer(parts: Any) -> str:
    text = "$"
    for part in parts:
        text += (
            f"[{part}]"
            if isinstance(part, int)
            else f".{part}"
            if "/" not in str(part) and "{" not in str(part)
            else f"['{part}']"
        )
    return text


def _operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for route, item in (spec.get("paths") or {}).items():
        if not isinstance(item, dict):
            continue
        for method in METHODS:
            operation = item.get(method)
            if isinstance(operation, dict):
                yield route, method, operation


def house_rules(spec: dict[str, Any], file: str) -> list[Problem]:
    """The project's rules on top of OpenAPI validity (see CONTRIBUTING.md)."""
    problems: list[Problem] = []

    def add(parts: list[Any], message: str) -> None:
        problems.append(Problem(file, _pointer(parts), message))

    version = str(spec.get("openapi", ""))
    if not version.startswith("3.0."):
        add(["openapi"], f"must be 3.0.x (Connexion 3.3 rejects {version or 'a missing version'})")
    for index, server in enumerate(spec.get("servers") or []):
        url = str(server.get("url", "")) if isinstance(server, dict) else ""
        after_scheme = url.split("://", 1)[-1]
        if "/" in after_scheme.rstrip("/"):
            add(
                ["servers", index, "url"],
                "servers hold the vendor's origin only; put the whole path in `paths`",
            )
    seen_ids: dict[str, str] = {}
    for route, method, operation in _operations(spec):
        base = ["paths", route, method]
        op_id = operation.get("operationId")
        if not op_id:
            add(base, "every operation needs an operationId")
        elif op_id in seen_ids:
            add([*base, "operationId"], f"duplicate operationId {op_id!r} (also at {seen_ids[op_id]})")
        else:
            seen_ids[op_id] = f"{method.upper()} {route}"
        if not operation.get("description") and not operation.get("summary"):
            add(base, "say what the vendor says: a summary or description is required")
        responses = operation.get("responses") or {}
        if not any(str(code).startswith("2") for code in responses):
            add([*base, "responses"], "no success response documented")
        for code, response in responses.items():
            response = _resolve(spec, response)
            if not str(code).startswith(("4", "5")) or not isinstance(response, dict):
                continue
            for media, content in (response.get("content") or {}).items():
                content = _resolve(spec, content)
                if not isinstance(content, dict):
                    continue
                if not content.get("examples") and "example" not in content:
                    add(
                        [*base, "responses", str(code), "content", media],
                        "a documented error needs a named example",
                    )
    return problems


def lint_document(spec: Any, file: str) -> list[Problem]:
    if not isinstance(spec, dict):
        return [Problem(file, "$", "not an OpenAPI document (top level is not a mapping)")]
    problems = [
        Problem(file, _pointer(list(error.absolute_path)), error.message.split("\n", 1)[0])
        for error in OpenAPIV30SpecValidator(spec).iter_errors()
    ]
    return problems + house_rules(spec, file)


def lint_file(path: Path) -> list[Problem]:
    try:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        return [Problem(str(path), "$", f"cannot read: {error.strerror or error}")]
    except yaml.YAMLError as error:
        return [Problem(str(path), "$", f"not valid YAML: {error}")]
    return lint_document(spec, str(path))
