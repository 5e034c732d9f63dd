"""The five vendors. Each folder has the same shape (see `plugin.py`); none imports another."""

from __future__ import annotations

import importlib
from collections.abc import Iterable

from mockserver.vendors.plugin import Vendor

NAMES = ("zoho", "graph", "meetbit", "cronofy", "meetergo")


def load(names: Iterable[str | Vendor] | None = None) -> dict[str, Vendor]:
    """The requested vendors (all five by default), in the canonical order.

    A `Vendor` value may be passed instead of a name (tests build tiny vendors of their own).
    """
    given = list(names or [])
    extra = {item.name: item for item in given if isinstance(item, Vendor)}
    wanted = [item for item in given if isinstance(item, str)] or ([] if extra else list(NAMES))
    unknown = [name for name in wanted if name not in NAMES]
    if unknown:
        raise ValueError(f"unknown vendor {', '.join(unknown)}; choose from {', '.join(NAMES)}")
    loaded: dict[str, Vendor] = {}
    for name in NAMES:
        if name in wanted:
            module = importlib.import_module(f"mockserver.vendors.{name}")
            vendor: Vendor = module.VENDOR
            loaded[name] = vendor
    loaded.update(extra)
    return loaded
