"""Static API docs generated from the specs: an index, one Swagger UI page and one error catalog per vendor.

`build_site(out)` writes the site to a directory (`cancel-contracts docs --out DIR`); `render_site()`
returns the same files in memory (the mock serves them at `/docs`). Nothing here imports the mock
or the conformance suite: the specs come from `cancel_contracts.specs`, the scenarios (how to
provoke each error) are read as YAML data.
"""

from __future__ import annotations

from cancel_contracts.docs.catalog import CatalogEntry, catalog
from cancel_contracts.docs.site import DocsError, build_site, render_site

__all__ = ["CatalogEntry", "DocsError", "build_site", "catalog", "render_site"]
