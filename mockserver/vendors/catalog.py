"""A vendor's documented errors, read from its spec: what a fault name may stand for.

Shared by the five vendors' `faults.py` (a vendor still never imports another vendor): each builds
one `ErrorCatalog` with its own way of reading an error code out of an example body.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from cancel_contracts import specs
from cancel_contracts.specs import resolve

THROTTLED = "throttled"
_METHODS = ("get", "put", "post", "delete", "patch")


@dataclass(frozen=True)
class Documented:
    """One documented error of an operation: its example's name (None without a body) and code."""

    status: int
    name: str | None
    code: str | None


class ErrorCatalog:
    def __init__(self, spec: str, code_of: Callable[[Any], str | None], throttled: str | None = None) -> None:
        """`throttled`: the name the special fault name `throttled` stands for (None: itself)."""
        self.spec = spec
        self._code_of = code_of
        self._throttled = throttled
        self.documented = cache(self._documented)
        self.names = cache(self._names)

    def _documented(self, operation_id: str) -> tuple[Documented, ...]:
        """The operation's documented errors, in the spec's order."""
        spec = specs.load(self.spec)
        found: list[Documented] = []
        for item in spec.get("paths", {}).values():
            for method in _METHODS:
                operation = item.get(method)
                if not isinstance(operation, dict) or operation.get("operationId") != operation_id:
                    continue
                for status, response in (operation.get("responses") or {}).items():
                    if not str(status).isdigit() or int(status) < 400:
                        continue
                    content = resolve(spec, response).get("content") or {}
                    if not content:
                        found.append(Documented(int(status), None, None))
                    for media in content.values():
                        for name, example in (resolve(spec, media).get("examples") or {}).items():
                            value = resolve(spec, example).get("value")
                            found.append(Documented(int(status), str(name), self._code_of(value)))
        return tuple(found)

    def find(self, name: str, operation_id: str) -> Documented | None:
        """The documented error `name` stands for: an example name, else a code, else a status."""
        wanted = name.strip().lower()
        if wanted == THROTTLED and self._throttled is not None:
            wanted = self._throttled.lower()
        rows = self.documented(operation_id)
        for key in (lambda row: row.name, lambda row: row.code, lambda row: str(row.status)):
            for row in rows:
                if (key(row) or "").lower() == wanted:
                    return row
        return None

    def _names(self, operation_id: str) -> frozenset[str]:
        """Every name `find` accepts for the operation, lower-cased (for messages and validation)."""
        rows = self.documented(operation_id)
        found = {THROTTLED} if self.find(THROTTLED, operation_id) else set()
        for row in rows:
            found.update(text.lower() for text in (row.name, row.code, str(row.status)) if text)
        return frozenset(found)
