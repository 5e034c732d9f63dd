"""`fast_init`: the same dataclass, built through its slots."""

from __future__ import annotations

import dataclasses
import inspect
from dataclasses import FrozenInstanceError, dataclass, field
from typing import ClassVar

import pytest

from mockserver.core.exchange import Call, Reply
from mockserver.core.values import fast_init


@dataclass(frozen=True, slots=True)
class Plain:
    name: str
    count: int = 3
    tags: dict[str, str] = field(default_factory=dict)


@fast_init
@dataclass(frozen=True, slots=True)
class Quick:
    name: str
    count: int = 3
    tags: dict[str, str] = field(default_factory=dict)


def test_same_signature_as_the_dataclass() -> None:
    assert str(inspect.signature(Quick.__init__)) == str(inspect.signature(Plain.__init__))
    assert Quick.__init__.__qualname__ == "Quick.__init__"


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [(("a",), {}), (("a", 5), {}), (("a",), {"tags": {"k": "v"}}), ((), {"name": "a", "count": 0})],
)
def test_builds_what_the_dataclass_builds(args: tuple[object, ...], kwargs: dict[str, object]) -> None:
    quick, plain = Quick(*args, **kwargs), Plain(*args, **kwargs)  # type: ignore[arg-type]
    assert dataclasses.astuple(quick) == dataclasses.astuple(plain)
    assert repr(quick) == repr(plain).replace("Plain", "Quick")


def test_a_default_factory_runs_per_instance() -> None:
    first, second = Quick("a"), Quick("b")
    assert first.tags == {} and first.tags is not second.tags


def test_still_frozen_and_replaceable() -> None:
    quick = Quick("a")
    with pytest.raises(FrozenInstanceError):
        quick.name = "b"  # type: ignore[misc]
    assert dataclasses.replace(quick, count=7) == Quick("a", 7)
    assert quick == Quick("a") and quick != Quick("b")


def test_missing_and_unknown_arguments_are_refused_as_before() -> None:
    with pytest.raises(TypeError):
        Quick()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Quick("a", nope=1)  # type: ignore[call-arg]


def test_the_per_request_values_use_it() -> None:
    for cls in (Call, Reply):
        assert "_set0" in cls.__init__.__code__.co_freevars, cls


def test_refuses_what_it_cannot_build_the_same_way() -> None:
    @dataclass(slots=True)
    class Mutable:
        name: str

    @dataclass(frozen=True)
    class Unslotted:
        name: str

    @dataclass(frozen=True, slots=True)
    class PostInit:
        name: str

        def __post_init__(self) -> None:
            pass

    @dataclass(frozen=True, slots=True)
    class KeywordOnly:
        name: str = field(kw_only=True)

    @dataclass(frozen=True, slots=True)
    class NotInInit:
        name: str = field(init=False, default="x")

    @dataclass(frozen=True, slots=True)
    class WithInitVar:
        name: str
        extra: dataclasses.InitVar[int] = 0

    @dataclass(frozen=True, slots=True)
    class WithClassVar:
        name: str
        shared: ClassVar[int] = 0

    @dataclass(frozen=True, slots=True)
    class Clashing:
        _set0: str

    for cls in (Mutable, Unslotted, PostInit, KeywordOnly, NotInInit, WithInitVar, Clashing):
        with pytest.raises(TypeError, match="@fast_init"):
            fast_init(cls)
    assert fast_init(WithClassVar)("a").name == "a"  # a class variable is no field: nothing to refuse
