"""The error catalog lists every documented error of each vendor (the spec test's tables), and its
"how to provoke" commands really provoke that error on the mock."""

from __future__ import annotations

import importlib
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from cancel_contracts import specs
from cancel_contracts.docs import catalog
from cancel_contracts.pytest_plugin import MockSession
from tests.docs.test_readme import CURL
from tests.documented import DocumentedError

TABLES: dict[str, list[DocumentedError]] = {
    vendor: importlib.import_module(f"tests.documented.{vendor}").ERRORS for vendor in specs.VENDORS
}
ROWS = [(vendor, row) for vendor, rows in TABLES.items() for row in rows]


class ErrorRows(HTMLParser):
    """The `tr.cc-error` rows of an error catalog page: their data attributes and their text."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict[str, str]] = []
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "tr" and "cc-error" in (found.get("class") or "").split():
            self.rows.append({k: v or "" for k, v in found.items()} | {"text": ""})
            self._depth = 1
        elif tag == "tr" and self._depth:
            self._depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr" and self._depth:
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._depth:
            self.rows[-1]["text"] += data


def page_rows(site: Path, vendor: str) -> list[dict[str, str]]:
    parser = ErrorRows()
    parser.feed((site / f"{vendor}-errors.html").read_text(encoding="utf-8"))
    return parser.rows


def lists(row: DocumentedError, shown: dict[str, str]) -> bool:
    if shown["data-status"] != str(row.status) or row.operation not in shown["data-operations"].split():
        return False
    if (row.content_type or "") != shown["data-content-type"]:
        return False
    texts = {shown["data-code"], shown["data-message"]}
    return all(
        wanted is None or wanted in texts or wanted in shown["text"] for wanted in (row.code, row.message)
    )


@pytest.mark.parametrize(
    ("vendor", "row"), ROWS, ids=[f"{v}-{r.operation}-{r.status}-{r.code or r.message}" for v, r in ROWS]
)
def test_catalog_page_lists_the_documented_error(
    built_site: tuple[Path, str], vendor: str, row: DocumentedError
) -> None:
    shown = page_rows(built_site[0], vendor)
    assert shown, f"{vendor}-errors.html has no error rows"
    assert any(lists(row, entry) for entry in shown), (
        f"{vendor}-errors.html does not list {row.operation} {row.status} {row.code!r} {row.message!r}"
    )


@pytest.mark.parametrize("vendor", specs.VENDORS)
def test_every_row_has_status_body_and_operations(built_site: tuple[Path, str], vendor: str) -> None:
    entries = catalog(vendor)
    shown = page_rows(built_site[0], vendor)
    assert len(shown) == len(entries)
    for entry, row in zip(entries, shown, strict=True):
        assert row["data-status"] == str(entry.status)
        assert row["data-operations"].split() == list(entry.operations)
        if entry.body is None:
            assert "no body" in row["text"]


@pytest.mark.slow
@pytest.mark.skipif(CURL is None, reason="curl is not installed (the catalog's commands use it)")
@pytest.mark.parametrize("vendor", specs.VENDORS)
def test_provoking_commands_answer_the_documented_status(
    cancel_contracts_mock: MockSession, vendor: str
) -> None:
    """Each runnable curl sequence of the catalog, run as shown, ends with the entry's status."""
    ran = 0
    for entry in catalog(vendor, cancel_contracts_mock.url):
        for provocation in entry.provocations:
            if not provocation.runnable:
                continue
            script = "set -e\n" + "\n".join(provocation.commands)
            done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=60)
            statuses = [int(s) for s in re.findall(r"HTTP/1\.1 (\d{3}) ", done.stdout)]
            assert statuses, f"{provocation.scenario}: no response\n{done.stderr}"
            assert statuses[-1] == entry.status, (
                f"{vendor} {entry.status} {entry.name}: {provocation.scenario} answered {statuses[-1]}\n"
                + "\n".join(provocation.commands)
            )
            ran += 1
    assert ran, f"{vendor}: no runnable provocation"
