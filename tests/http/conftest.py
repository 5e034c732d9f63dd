from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from mockserver.http.app import create_app
from mockserver.service import MockService
from tests.http.toy import TOY


@pytest.fixture
def service() -> MockService:
    return MockService([TOY])


@pytest.fixture
async def client(service: MockService) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(service=service)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://mock") as c:
        yield c
