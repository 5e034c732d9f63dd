"""Every page of the docs in headless Chromium, from the static build and from the running mock:
the pages render their operations and error tables, load nothing from outside 127.0.0.1 and log no
console error. A screenshot of each page is saved under the test's temp dir."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from cancel_contracts import specs
from cancel_contracts.docs import catalog
from cancel_contracts.docs.catalog import operations
from cancel_contracts.docs.site import VENDOR_PAGES
from cancel_contracts.pytest_plugin import MockServer
from tests.docs.browser import CHROMIUM, Browser, Visit

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        CHROMIUM is None,
        reason="Debian's chromium is not installed (bash scripts/test installs it; or apt-get install chromium)",
    ),
]

REFERENCE_READY = "document.body.dataset.ready === 'true' && document.querySelectorAll('.opblock').length > 0"
ERRORS_READY = "document.querySelectorAll('tr.cc-error').length > 0"
INDEX_READY = "document.querySelectorAll('tr[data-vendor]').length > 0"

PAGES: list[tuple[str, str]] = [("index.html", INDEX_READY), ("admin.html", REFERENCE_READY)]
for _page in VENDOR_PAGES:
    PAGES += [(f"{_page.name}.html", REFERENCE_READY), (f"{_page.name}-errors.html", ERRORS_READY)]


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    chromium = Browser(tmp_path_factory.mktemp("chromium") / "profile")
    try:
        yield chromium
    finally:
        chromium.close()


@pytest.fixture(params=["static", "mock"])
def root(request: pytest.FixtureRequest) -> str:
    """Where the site is served: the build of `cancel-contracts docs` by http.server, or the mock's /docs."""
    if request.param == "static":
        url: str = request.getfixturevalue("static_site")
        return url
    server: MockServer = request.getfixturevalue("cancel_contracts_server")
    return server.url + "/docs"


def assert_stayed_local(visit: Visit, root: str) -> None:
    origin = urlsplit(root)
    for url in visit.requests:
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about"):
            continue
        assert parts.hostname == "127.0.0.1" and parts.port == origin.port, f"{visit.url} requested {url}"
    assert not visit.failures, f"{visit.url}: failed requests {visit.failures}"
    assert not visit.console_errors, f"{visit.url}: console errors {visit.console_errors}"


def operation_count(name: str) -> int:
    return len(operations(specs.load(name)))


@pytest.mark.parametrize(("page", "ready"), PAGES, ids=[page for page, _ in PAGES])
def test_page_renders_offline_without_errors(
    browser: Browser, root: str, page: str, ready: str, tmp_path: Path
) -> None:
    visit = browser.visit(f"{root}/{page}", ready)
    browser.screenshot(tmp_path / f"{page}.png")
    assert visit.ready, f"{page} did not render ({ready}); screenshot in {tmp_path}"
    assert_stayed_local(visit, root)
    assert (tmp_path / f"{page}.png").stat().st_size > 1000
    name = page.removesuffix(".html").removesuffix("-errors")
    if page == "index.html":
        assert browser.evaluate("document.querySelectorAll('tr[data-vendor]').length") == len(VENDOR_PAGES)
    elif page.endswith("-errors.html"):
        shown = browser.evaluate(
            "Array.from(document.querySelectorAll('tr.cc-error')).filter(r => r.offsetHeight > 0).length"
        )
        assert shown == len(catalog(name))
        assert browser.evaluate("document.querySelectorAll('tr.cc-operation').length") == operation_count(
            name
        )
    else:
        # Swagger UI rendered one block per operation of the spec, and the mock is the only server.
        assert browser.evaluate("document.querySelectorAll('.opblock').length") == operation_count(
            "admin" if name == "admin" else name
        )
        servers = browser.evaluate(
            "Array.from(document.querySelectorAll('.servers option')).map(o => o.value)"
        )
        assert servers == (["/__admin"] if name == "admin" else [f"/{name}"])
        if name != "admin":
            wanted = next(p for p in VENDOR_PAGES if p.name == name).credentials
            authorized = browser.evaluate("JSON.stringify(Object.keys(ui.authSelectors.authorized().toJS()))")
            assert sorted(json.loads(authorized)) == sorted(wanted)


def test_try_it_out_reaches_the_mock(
    browser: Browser, cancel_contracts_server: MockServer, tmp_path: Path
) -> None:
    """On the mock's /docs page, "Try it out" + "Execute" cancels a Cronofy agent in the chosen session."""
    root = cancel_contracts_server.url + "/docs"
    visit = browser.visit(f"{root}/cronofy.html", REFERENCE_READY)
    assert visit.ready
    session = f"browser-{uuid.uuid4()}"
    browser.evaluate(
        f"(() => {{ const s = document.getElementById('cc-session'); s.value = {json.dumps(session)}; }})()"
    )
    browser.evaluate(
        "document.querySelector('#operations-meeting_agents-cancelMeetingAgent .opblock-summary-control')"
        " ? document.querySelector('#operations-meeting_agents-cancelMeetingAgent .opblock-summary-control').click()"
        " : document.querySelector('[id$=\"-cancelMeetingAgent\"] .opblock-summary-control').click()"
    )
    block = "document.querySelector('[id$=\"-cancelMeetingAgent\"]')"
    visit = browser.visit_current(f"!!{block}.querySelector('.try-out__btn')")
    browser.evaluate(f"{block}.querySelector('.try-out__btn').click()")
    browser.visit_current(f"!!{block}.querySelector('.execute')")
    browser.evaluate(f"{block}.querySelector('.execute').click()")
    visit = browser.visit_current(
        f"!!{block}.querySelector('.live-responses-table tbody .response-col_status')"
    )
    browser.screenshot(tmp_path / "try-it-out.png")
    status = browser.evaluate(
        f"{block}.querySelector('.live-responses-table tbody .response-col_status').textContent"
    )
    assert status.strip().startswith("202"), status
    assert_stayed_local(visit, root)
    journal = httpx.get(
        cancel_contracts_server.url + "/__admin/requests", headers={"X-Mock-Session": session}
    ).json()["requests"]
    assert [(r["vendor"], r["method"], r["status"]) for r in journal] == [("cronofy", "DELETE", 202)]
