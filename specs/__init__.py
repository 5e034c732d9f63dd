"""The OpenAPI descriptions, shipped as package data (`cancel_contracts.specs`)."""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path
from typing import Any

import yaml

DIRECTORY = Path(__file__).resolve().parent
VENDORS = ("zoho", "graph", "meetbit", "cronofy", "meetergo")


def path(name: str) -> Path:
    """`zoho` or `zoho.yaml` → the spec file's path; an absolute path is returned as it is."""
    if Path(name).is_absolute():
        return Path(name)
    return DIRECTORY / (name if name.endswith((".yaml", ".yml")) else f"{name}.yaml")


# libyaml's parser builds the same documents as PyYAML's pure-Python one, about ten times faster
# (start-up parses every spec); without libyaml, the pure-Python loader.
_FAST_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str) -> Any:
    """`yaml.safe_load(text)`, parsed by libyaml when available. A document libyaml refuses is parsed
    again by the pure-Python loader, so errors read exactly as `yaml.safe_load`'s."""
    try:
        return yaml.load(text, Loader=_FAST_LOADER)
    except yaml.YAMLError:
        return yaml.safe_load(text)


@cache
def _load(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = parse_yaml(path(name).read_text(encoding="utf-8"))
    return loaded


def load(name: str) -> dict[str, Any]:
    """The parsed spec: a private copy (parsed once), since some consumers resolve `$ref`s in place."""
    return copy.deepcopy(_load(name))


def resolve(spec: dict[str, Any], node: Any) -> Any:
    """Follow local `$ref`s (`#/components/...`) until a real node; a dangling ref gives `{}`."""
    for _ in range(32):  # a cycle of refs ends here instead of looping
        if not (isinstance(node, dict) and "$ref" in node and str(node["$ref"]).startswith("#/")):
            return node
        target: Any = spec
        for part in str(node["$ref"])[2:].split("/"):
            key = part.replace("~1", "/").replace("~0", "~")
            target = target.get(key, {}) if isinstance(target, dict) else {}
        node = target
    return node
