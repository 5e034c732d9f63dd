"""What `cancel-contracts serve` does not re-check while it starts is checked here.

`serve` (`mockserver.http.serving.build_app`) mounts only the shipped specs and seeds the shipped
fixtures, so it leaves out Connexion's schema check of each spec (`shipped_specs_trusted`) and the
record check of the vendors' own `fixtures.yaml` (`check_shipped_fixtures=False`). These tests are
where both checks still run on every shipped file, and they pin that `--fixtures` files are checked.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from connexion.exceptions import InvalidSpecification
from connexion.spec import Specification

from cancel_contracts import specs
from mockserver.core.fixtures import FixtureError
from mockserver.http.serving import ServeOptions, build_service, shipped_specs_trusted
from mockserver.service import MockService


@pytest.mark.parametrize("name", [*specs.VENDORS, "admin"])
def test_connexion_accepts_the_shipped_spec(name: str) -> None:
    assert Specification.load(specs.load(name)).spec["paths"]


def test_the_same_specification_with_connexions_check_left_out() -> None:
    for name in (*specs.VENDORS, "admin"):
        checked = Specification.load(specs.load(name))
        with shipped_specs_trusted():
            trusted = Specification.load(specs.load(name))
        assert trusted.spec == checked.spec and trusted.raw == checked.raw, name


def test_connexions_check_is_back_once_the_app_is_built() -> None:
    broken = {**specs.load("zoho"), "paths": {"/x": {"get": {"responses": "not a mapping"}}}}
    with shipped_specs_trusted():
        Specification.load(broken)
    with pytest.raises(InvalidSpecification):
        Specification.load(broken)


def test_the_shipped_fixtures_pass_the_record_check() -> None:
    service = MockService()  # raises FixtureError on any record the specs refuse
    assert service._check._built, "no record was checked"
    trusting = MockService(check_shipped_fixtures=False)
    assert trusting.fixtures.records == service.fixtures.records


def test_serve_checks_the_fixture_files_it_is_given(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text('zoho:\n  events:\n    - {id: "1", Event_Title: 42}\n', encoding="utf-8")
    with pytest.raises(FixtureError, match=r"bad\.yaml: zoho\.events\[0\] \(key 1\) field Event_Title"):
        build_service(ServeOptions(fixtures=(str(bad),)))
