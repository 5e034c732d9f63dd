"""Assemble the docs site: pages, specs as JSON/JS, and the Swagger UI assets of `swagger_ui_bundle`."""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

from cancel_contracts import specs
from cancel_contracts.docs import templates as t
from cancel_contracts.docs.catalog import CatalogEntry, Operation, catalog, operations

DEFAULT_MOCK_URL = "http://127.0.0.1:8000"
ADMIN = "admin"
# Swagger UI files copied into `assets/` (their source-map comments removed: no map is shipped).
SWAGGER_ASSETS = ("swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png")
SHOWN_PROVOCATIONS = 3

Progress = Callable[[str], None]


class DocsError(Exception):
    """The site cannot be written; the message says what was wrong and what to do."""


@dataclass(frozen=True)
class VendorPage:
    name: str
    label: str
    # security scheme name → value pre-filled under "Authorize" (the README's default credentials)
    credentials: dict[str, str]


VENDOR_PAGES = (
    VendorPage("zoho", "Zoho CRM", {"zohoOAuthToken": "Zoho-oauthtoken 1000.mock.zoho.all"}),
    VendorPage("graph", "Microsoft Graph", {"bearerAuth": "mock.adele.readwrite"}),
    VendorPage("meetbit", "Meetbit", {"AccessKeyId": "mbk_default", "AccessKeySecret": "mbs_default_secret"}),
    VendorPage("cronofy", "Cronofy", {"api_key": "cronofy-api-key", "access_token": "cronofy-access-token"}),
    VendorPage(
        "meetergo",
        "meetergo",
        {
            "bearerAuth": "ak_live:00000000-0000-4000-8000-000000000001:mocksecret",
            "apiUserId": "0a000000-0000-4000-8000-000000000001",
        },
    ),
)


def swagger_ui_directory() -> Path:
    try:
        import swagger_ui_bundle
    except ImportError as error:
        raise DocsError(
            "the Swagger UI assets (package swagger-ui-bundle) are not installed; "
            "reinstall cancel-contracts (pip install -e .) so its dependencies come along"
        ) from error
    directory = Path(str(swagger_ui_bundle.swagger_ui_path))
    missing = [name for name in SWAGGER_ASSETS if not (directory / name).is_file()]
    if missing:
        raise DocsError(
            f"swagger-ui-bundle at {directory} lacks {', '.join(missing)}; "
            "reinstall it (pip install --force-reinstall swagger-ui-bundle)"
        )
    return directory


def _asset(path: Path) -> bytes:
    data = path.read_bytes()
    if path.suffix in (".js", ".css"):
        lines = data.split(b"\n")
        data = b"\n".join(line for line in lines if b"sourceMappingURL=" not in line)
    return data


def _json_ready(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _json_ready(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_ready(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def served_spec(name: str) -> dict[str, Any]:
    """The spec as the reference page shows it: "Try it out" goes to the mock on the page's origin."""
    spec: dict[str, Any] = _json_ready(copy.deepcopy(specs.load(name)))
    info = spec.setdefault("info", {})
    if name == ADMIN:
        spec["paths"] = {path.removeprefix("/__admin"): item for path, item in spec.get("paths", {}).items()}
        spec["servers"] = [
            {"url": "/__admin", "description": "the mock's admin API (same origin as this page)"}
        ]
        return spec
    real = ", ".join(str(server.get("url")) for server in spec.get("servers", []))
    info["description"] = (
        f"{info.get('description', '')}\n\n**On this page** the server is the mock, `/{name}` on the origin "
        f"that serves the docs; the vendor's own servers are {real}."
    )
    spec["servers"] = [
        {"url": f"/{name}", "description": "the cancel-contracts mock (same origin as this page)"}
    ]
    return spec


def _page(
    title: str, page: str, body: str, *, vendor: str = "", nav: str = "", swagger: bool = False
) -> bytes:
    scripts = ""
    styles = ""
    if swagger:
        styles = t.STYLE.substitute(href="assets/swagger-ui.css")
        scripts = "".join(
            t.SCRIPT.substitute(src=src)
            for src in (f"specs/{vendor}.js", "assets/swagger-ui-bundle.js", "assets/reference.js")
        )
    html = t.PAGE.substitute(
        title=escape(title),
        page=page,
        vendor=escape(vendor),
        nav=nav,
        body=body,
        styles=styles,
        scripts=scripts,
    )
    return html.encode("utf-8")


def _nav(page: VendorPage, current: str) -> str:
    here = ' aria-current="page"'
    return t.NAV_VENDOR.substitute(
        label=escape(page.label),
        vendor=page.name,
        reference_current=here if current == "reference" else "",
        errors_current=here if current == "errors" else "",
    )


def _credentials(page: VendorPage) -> str:
    return ", ".join(
        f"<code>{escape(scheme)}</code> = <code>{escape(value)}</code>"
        for scheme, value in page.credentials.items()
    )


def _reference(page: VendorPage, spec: dict[str, Any]) -> dict[str, bytes]:
    config = {"spec": spec, "auth": page.credentials}
    script = f"window.CANCEL_CONTRACTS = {json.dumps(config, ensure_ascii=False)};\n"
    body = t.REFERENCE.substitute(
        server=escape(f"/{page.name}"), vendor=page.name, credentials=_credentials(page) or "none"
    )
    title = f"{page.label}: reference"
    return {
        f"{page.name}.html": _page(
            title, "reference", body, vendor=page.name, nav=_nav(page, "reference"), swagger=True
        ),
        f"specs/{page.name}.js": script.encode("utf-8"),
        f"specs/{page.name}.json": json.dumps(spec, indent=2, ensure_ascii=False).encode("utf-8"),
    }


def _operation_row(operation: Operation) -> str:
    return t.OPERATION_ROW.substitute(
        anchor=escape(operation.operation_id.replace(".", "-")),
        operation_id=escape(operation.operation_id),
        method=operation.method,
        path=escape(operation.path),
        summary=escape(operation.summary),
    )


def _provoke_cell(entry: CatalogEntry) -> str:
    if not entry.provocations:
        return (
            '<p class="cc-none">No named scenario provokes this example on the default fixtures; it documents '
            "the vendor's answer (see the spec) and the mock may word the same situation as another row.</p>"
        )
    shown = entry.provocations[:SHOWN_PROVOCATIONS]
    parts = [
        t.PROVOCATION.substitute(
            open=" open" if index == 0 else "",
            scenario=escape(p.scenario),
            summary=escape(p.summary),
            commands=escape("\n".join(p.commands)),
        )
        for index, p in enumerate(shown)
    ]
    rest = entry.provocations[SHOWN_PROVOCATIONS:]
    if rest:
        names = ", ".join(f"<code>{escape(p.scenario)}</code>" for p in rest)
        parts.append(
            f'<p class="cc-note">Also: {names} (<code>conformance/scenarios/{entry.vendor}.yaml</code>).</p>'
        )
    return "\n".join(parts)


def _error_row(entry: CatalogEntry) -> str:
    inferred = (
        f' <span class="cc-badge" title="{escape(entry.inferred)}">inferred</span>' if entry.inferred else ""
    )
    if entry.body is None:
        body_cell = '<span class="cc-none">no body</span>'
    else:
        body_cell = f"<div>{escape(entry.content_type or '')}</div><pre><code>{escape(entry.body_text())}</code></pre>"
    ops = " ".join(
        f'<a href="#op-{escape(op.replace(".", "-"))}"><code>{escape(op)}</code></a>'
        for op in entry.operations
    )
    return t.ERROR_ROW.substitute(
        anchor=escape(entry.anchor),
        status=entry.status,
        code=escape(entry.code or ""),
        message_attr=escape(entry.message or ""),
        content_type=escape(entry.content_type or ""),
        operations_attr=escape(" ".join(entry.operations)),
        code_cell=f"<code>{escape(entry.code)}</code>" if entry.code else '<span class="cc-none">—</span>',
        message_cell=escape(entry.message) if entry.message else '<span class="cc-none">—</span>',
        inferred=inferred,
        summary=escape(entry.summary),
        operations=ops,
        body_cell=body_cell,
        provoke=_provoke_cell(entry),
    )


def _errors(page: VendorPage, spec: dict[str, Any], entries: list[CatalogEntry], mock_url: str) -> bytes:
    body = t.ERRORS.substitute(
        label=escape(page.label),
        title=escape(str(spec.get("info", {}).get("title", page.label))),
        count=len(entries),
        mock_url=escape(mock_url),
        vendor=page.name,
        operations="\n".join(_operation_row(op) for op, _ in operations(specs.load(page.name))),
        rows="\n".join(_error_row(entry) for entry in entries),
    )
    return _page(f"{page.label}: error catalog", "errors", body, vendor=page.name, nav=_nav(page, "errors"))


def render_site(mock_url: str = DEFAULT_MOCK_URL, progress: Progress | None = None) -> dict[str, bytes]:
    """Every file of the site (relative path → content)."""
    say = progress or (lambda _message: None)
    mock_url = mock_url.rstrip("/")
    files: dict[str, bytes] = {}
    assets = swagger_ui_directory()
    for name in SWAGGER_ASSETS:
        files[f"assets/{name}"] = _asset(assets / name)
    files["assets/site.css"] = t.SITE_CSS.encode("utf-8")
    files["assets/reference.js"] = t.REFERENCE_JS.encode("utf-8")
    rows: list[str] = []
    for page in VENDOR_PAGES:
        spec = served_spec(page.name)
        entries = catalog(page.name, mock_url)
        files.update(_reference(page, spec))
        files[f"{page.name}-errors.html"] = _errors(page, spec, entries, mock_url)
        say(
            f"  {page.name:<9} reference ({len(operations(spec))} operations), "
            f"error catalog ({len(entries)} documented errors, "
            f"{sum(1 for e in entries if e.provocations)} with a way to provoke them)"
        )
        rows.append(
            t.INDEX_ROW.substitute(
                vendor=page.name,
                label=escape(page.label),
                title=escape(str(spec.get("info", {}).get("title", ""))),
                operations=len(operations(spec)),
                errors=len(entries),
                mock_url=escape(mock_url),
            )
        )
    admin = VendorPage(ADMIN, "Admin API", {})
    files.update(_reference(admin, served_spec(ADMIN)))
    files["admin.html"] = _page(
        "Admin API: reference",
        "reference",
        t.REFERENCE.substitute(server="/__admin", vendor=ADMIN, credentials="none needed"),
        vendor=ADMIN,
        nav=' <span class="cc-sep">&rsaquo;</span> <strong>Admin API</strong> <a href="specs/admin.json">spec (JSON)</a>',
        swagger=True,
    )
    say("  admin     reference")
    files["index.html"] = _page(
        "API docs", "index", t.INDEX.substitute(rows="\n".join(rows), mock_url=escape(mock_url))
    )
    return files


def _writable_directory(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise DocsError(
            f"{out} exists and is not a directory; pass a directory to --out (it is created if missing)"
        )
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DocsError(
            f"cannot create {out}: {error.strerror or error}; pick a directory you can write to with --out"
        ) from error
    if not os.access(out, os.W_OK | os.X_OK):
        raise DocsError(
            f"cannot write to {out} (permission denied); pick a directory you can write to with --out"
        )


def build_site(out: Path, mock_url: str = DEFAULT_MOCK_URL, progress: Progress | None = None) -> list[Path]:
    """Write the site into `out` (created if missing; files of the same name are replaced)."""
    say = progress or (lambda _message: None)
    _writable_directory(out)
    say(f"Building the API docs into {out}")
    files = render_site(mock_url, say)
    written: list[Path] = []
    for relative, content in sorted(files.items()):
        target = out / relative
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        except OSError as error:
            raise DocsError(
                f"cannot write {target}: {error.strerror or error}; free some space or pick another --out"
            ) from error
        written.append(target)
    say(
        f"Wrote {len(written)} files ({sum(len(c) for c in files.values()) // 1024} KiB); open {out / 'index.html'}"
    )
    return written
