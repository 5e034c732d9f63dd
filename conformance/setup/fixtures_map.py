"""Credentials and ids per vendor: the shipped mock profile, or a user's `--fixtures-map` YAML.

```yaml
zoho:
  headers: {Authorization: "Zoho-oauthtoken 1000.xxx"}   # sent with every spec-driven request
  parameters: {version: v8}                              # fixed values for spec-driven requests
  scenarios:                                             # per-scenario {vars}; against a target
    zoho.cancel.already_cancelled:                       #   without the admin API, a scenario
      event_id: "4876876000001081143"                    #   not listed here is skipped
      token: "1000.xxx"
```
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

PROFILES = Path(__file__).resolve().parent.parent / "profiles"
KEYS = ("headers", "parameters", "scenarios")


class FixturesMapError(ValueError):
    pass


@dataclass(frozen=True)
class VendorProfile:
    headers: dict[str, str] = field(default_factory=dict)
    parameters: dict[str, Any] = field(default_factory=dict)
    scenarios: dict[str, dict[str, str]] = field(default_factory=dict)


def _mapping(value: Any, where: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise FixturesMapError(f"{where}: expected a mapping, got {type(value).__name__}")
    return value


def parse(document: Any, source: str, vendors: tuple[str, ...]) -> dict[str, VendorProfile]:
    profiles: dict[str, VendorProfile] = {}
    for vendor, raw in _mapping(document, source).items():
        if vendor not in vendors:
            raise FixturesMapError(f"{source}: unknown vendor {vendor!r} (known: {', '.join(vendors)})")
        section = _mapping(raw, f"{source}: {vendor}")
        unknown = sorted(set(section) - set(KEYS))
        if unknown:
            raise FixturesMapError(f"{source}: {vendor}: unknown keys {unknown} (allowed: {', '.join(KEYS)})")
        scenarios = {
            str(name): {
                str(k): str(v) for k, v in _mapping(values, f"{source}: {vendor}.scenarios.{name}").items()
            }
            for name, values in _mapping(section.get("scenarios"), f"{source}: {vendor}.scenarios").items()
        }
        profiles[vendor] = VendorProfile(
            headers={
                str(k): str(v)
                for k, v in _mapping(section.get("headers"), f"{source}: {vendor}.headers").items()
            },
            parameters=dict(_mapping(section.get("parameters"), f"{source}: {vendor}.parameters")),
            scenarios=scenarios,
        )
    return profiles


def load(path: Path, vendors: tuple[str, ...]) -> dict[str, VendorProfile]:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise FixturesMapError(f"{path}: cannot read: {error.strerror or error}") from None
    except yaml.YAMLError as error:
        raise FixturesMapError(f"{path}: not valid YAML: {error}") from None
    return parse(document, str(path), vendors)


def mock_profile(vendors: tuple[str, ...]) -> dict[str, VendorProfile]:
    """The mock's default credentials and ids (`profiles/mock.yaml`)."""
    return load(PROFILES / "mock.yaml", vendors)
