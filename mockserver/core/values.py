"""Per-request values: frozen, slotted dataclasses that are quick to build.

A frozen dataclass's generated `__init__` stores each field with `object.__setattr__` (the class's
own `__setattr__` refuses): about 0.2 µs a field on CPython 3.11, so a `Call` (eleven fields) took
2 µs to build, and a request builds several such values (its `Call` twice, a `Reply`, a principal).
`fast_init` gives such a class an `__init__` that stores each field through its slot's descriptor
instead: the same signature, defaults and default factories, the same instance, about half the
time (`benchmarks/inprocess.py`: 3-4 % of a request). Everything else stays the dataclass's own:
assignment still raises `FrozenInstanceError`, and `dataclasses.replace`, equality, `repr` and
hashing work as before.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


class _Factory:
    """The default of a field with a `default_factory` (shown as the dataclass shows it)."""

    def __repr__(self) -> str:
        return "<factory>"


_FACTORY = _Factory()


def fast_init(cls: type[T]) -> type[T]:
    """Decorate a `@dataclass(frozen=True, slots=True)` class (put `@fast_init` above `@dataclass`).
    Refuses, at import, a class it cannot build the same way: not a frozen slotted dataclass, or
    with `__post_init__`, init-only variables, keyword-only fields or fields left out of `__init__`."""
    params = getattr(cls, "__dataclass_params__", None)
    if params is None or not params.frozen or "__slots__" not in cls.__dict__:
        raise TypeError(f"{cls.__qualname__}: @fast_init takes a @dataclass(frozen=True, slots=True) class")
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    generated = list(inspect.signature(vars(cls)["__init__"]).parameters.values())[1:]
    if hasattr(cls, "__post_init__") or [(p.name, p.kind) for p in generated] != [
        (f.name, inspect.Parameter.POSITIONAL_OR_KEYWORD) for f in fields
    ]:  # init-only variables, keyword-only fields, fields left out of `__init__`
        raise TypeError(f"{cls.__qualname__}: @fast_init builds plain positional fields only")
    setattr(cls, "__init__", _init(cls, fields))  # noqa: B010 - mypy refuses assigning a method
    return cls


def _init(cls: type, fields: tuple[dataclasses.Field[Any], ...]) -> Callable[..., None]:
    """`__init__(self, <fields>)`: each field stored through its slot (closure names `_set0`...)."""
    scope: dict[str, Any] = {"_FACTORY": _FACTORY}
    params, lines = [], []
    for n, f in enumerate(fields):
        scope[f"_set{n}"] = getattr(cls, f.name).__set__
        value = f.name
        if f.default is not dataclasses.MISSING:
            scope[f"_default{n}"] = f.default
            params.append(f"{f.name}=_default{n}")
        elif f.default_factory is not dataclasses.MISSING:
            scope[f"_factory{n}"] = f.default_factory
            params.append(f"{f.name}=_FACTORY")
            value = f"_factory{n}() if {f.name} is _FACTORY else {f.name}"
        else:
            params.append(f.name)
        lines.append(f"_set{n}(self, {value})")
    clash = {f.name for f in fields} & {*scope, "self"}
    if clash:  # a field would hide one of the names above
        raise TypeError(f"{cls.__qualname__}: @fast_init cannot build a field named {sorted(clash)[0]}")
    body = "\n".join(f"        {line}" for line in lines) or "        pass"
    source = (
        f"def _make({', '.join(scope)}):\n"
        f"    def __init__(self, {', '.join(params)}):\n{body}\n"
        f"    return __init__\n"
    )
    namespace: dict[str, Any] = {}
    exec(source, namespace)
    init: Callable[..., None] = namespace["_make"](**scope)
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__annotations__ = dict(vars(cls)["__init__"].__annotations__)  # the dataclass's own
    init.__module__ = cls.__module__
    return init
