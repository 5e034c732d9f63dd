"""`cancel-contracts docs`: progress while writing, and errors that say what was wrong and what to do."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from cancel_contracts.cli import main
from cancel_contracts.docs.site import SWAGGER_ASSETS, VENDOR_PAGES


def test_writes_every_page_and_reports_progress(built_site: tuple[Path, str]) -> None:
    out, output = built_site
    for page in VENDOR_PAGES:
        assert (out / f"{page.name}.html").is_file() and (out / f"{page.name}-errors.html").is_file()
        assert (out / "specs" / f"{page.name}.json").is_file()
        assert f"  {page.name:<9} reference" in output
    for name in SWAGGER_ASSETS:
        assert (out / "assets" / name).is_file()
    assert output.startswith(f"Building the API docs into {out}")
    assert f"open {out / 'index.html'}" in output


def test_no_page_refers_to_another_host(built_site: tuple[Path, str]) -> None:
    out, _ = built_site
    for page in out.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert 'src="http' not in text and 'href="http' not in text and "//cdn" not in text, page.name
    assert b"sourceMappingURL" not in (out / "assets" / "swagger-ui-bundle.js").read_bytes()


def test_out_is_a_file(tmp_path: Path) -> None:
    target = tmp_path / "taken"
    target.write_text("x", encoding="utf-8")
    result = CliRunner().invoke(main, ["docs", "--out", str(target)])
    assert result.exit_code == 2
    assert "is a file" in result.output and "--out" in result.output


def test_out_cannot_be_created(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    result = CliRunner().invoke(main, ["docs", "--out", str(blocker / "site")])
    assert result.exit_code == 2
    assert f"cannot create {blocker / 'site'}" in result.output
    assert "pick a directory you can write to with --out" in result.output


def test_bad_mock_url(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["docs", "--out", str(tmp_path / "s"), "--mock-url", "localhost:8000"])
    assert result.exit_code == 2
    assert "not an http(s) URL" in result.output and "http://127.0.0.1:8000" in result.output
    assert not (tmp_path / "s").exists()


def test_missing_out_names_the_option() -> None:
    result = CliRunner().invoke(main, ["docs"])
    assert result.exit_code == 2
    assert "Missing option '--out'" in result.output
