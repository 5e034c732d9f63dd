from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from mockserver.http.app import create_app
from tests.conformance.targets import serving


@pytest.fixture(scope="session")
def mock_app() -> Any:
    return create_app()


@pytest.fixture(scope="session")
def mock_url(mock_app: Any) -> Iterator[str]:
    with serving(mock_app) as url:
        yield url
