"""The page skeletons (`string.Template`), the stylesheet and the Swagger UI start-up script.

Every value substituted into a template is HTML-escaped by the caller (`site.py`); the pages load
nothing but files of the site itself, so they work offline and from any origin.
"""

from __future__ import annotations

from string import Template

PAGE = Template(
    """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>$title · cancel-contracts</title>
<link rel="icon" type="image/png" href="assets/favicon-32x32.png">
$styles<link rel="stylesheet" href="assets/site.css">
</head>
<body data-page="$page" data-vendor="$vendor">
<header class="cc-bar">
<nav><a href="index.html">cancel-contracts API docs</a>$nav</nav>
</header>
<main>
$body
</main>
$scripts</body>
</html>
"""
)

NAV_VENDOR = Template(
    """ <span class="cc-sep">&rsaquo;</span> <strong>$label</strong>
<a href="$vendor.html"$reference_current>reference</a>
<a href="$vendor-errors.html"$errors_current>error catalog</a>
<a href="specs/$vendor.json">spec (JSON)</a>"""
)

INDEX = Template(
    """<h1>Cancel-a-meeting APIs of five vendors</h1>
<p>Generated from the OpenAPI descriptions in <code>specs/</code>. Each vendor has an interactive
reference (Swagger UI; <em>Try it out</em> sends requests to the mock when these pages are served by
<code>cancel-contracts serve</code> at <code>/docs</code>) and an error catalog: every documented error
with its status, code, message, example body and a curl sequence that provokes it on the mock.</p>
<table class="cc-table cc-vendors">
<thead><tr><th>vendor</th><th>API</th><th>operations</th><th>documented errors</th><th>mock base URL</th><th>pages</th></tr></thead>
<tbody>
$rows
</tbody>
</table>
<h2>Admin API</h2>
<p>Sessions, fixtures, state, request journal, outbox and clock of the mock:
<a href="admin.html">admin API reference</a> (base URL <code>$mock_url/__admin</code>).</p>
<p class="cc-note">curl lines in the error catalogs use <code>$mock_url</code>; each starts a session of its own
(<code>X-Mock-Session</code>), so running them never disturbs other tests.</p>
"""
)

INDEX_ROW = Template(
    """<tr data-vendor="$vendor"><th scope="row">$label</th><td>$title</td><td>$operations</td><td>$errors</td>
<td><code>$mock_url/$vendor</code></td>
<td><a href="$vendor.html">reference</a> · <a href="$vendor-errors.html">error catalog</a> · <a href="specs/$vendor.json">spec</a></td></tr>"""
)

REFERENCE = Template(
    """<section class="cc-try">
<p><strong>Try it out</strong> sends requests to <code>$server</code> on the server that serves this page:
start the mock (<code>cancel-contracts serve</code>) and open <code>http://127.0.0.1:8000/docs/$vendor.html</code>.
Requests carry <code>X-Mock-Session</code>: <label>session <input id="cc-session" value="docs" size="16"></label>
(reset it with <code>POST /__admin/reset</code>).</p>
<p>Default credentials, already filled in under <em>Authorize</em>: $credentials.</p>
</section>
<div id="swagger-ui"></div>
"""
)

ERRORS = Template(
    """<h1>$label: error catalog</h1>
<p>$count documented errors of <em>$title</em>, from the named examples of the spec's error responses
(responses documented without a body are listed once per status). <span class="cc-badge">inferred</span>
marks wording or codes the vendor document does not give (<code>x-inferred</code> in the spec).
Curl lines target the mock at <code>$mock_url</code>.</p>
<h2>Operations</h2>
<table class="cc-table cc-operations">
<thead><tr><th>operationId</th><th>method</th><th>path (after <code>$mock_url/$vendor</code>)</th><th>summary</th></tr></thead>
<tbody>
$operations
</tbody>
</table>
<h2>Errors</h2>
<table class="cc-table cc-errors">
<colgroup><col class="cc-w-status"><col class="cc-w-code"><col class="cc-w-message"><col class="cc-w-body"><col class="cc-w-provoke"></colgroup>
<thead><tr><th>status</th><th>code</th><th>message</th><th>example body</th><th>how to provoke it on the mock</th></tr></thead>
<tbody>
$rows
</tbody>
</table>
"""
)

OPERATION_ROW = Template(
    """<tr class="cc-operation" id="op-$anchor" data-operation="$operation_id"><td><code>$operation_id</code></td>
<td>$method</td><td><code>$path</code></td><td>$summary</td></tr>"""
)

ERROR_ROW = Template(
    """<tr class="cc-error" id="$anchor" data-status="$status" data-code="$code" data-message="$message_attr"
 data-content-type="$content_type" data-operations="$operations_attr">
<td class="cc-status"><a href="#$anchor">$status</a></td>
<td>$code_cell</td>
<td>$message_cell$inferred<div class="cc-summary">$summary</div><div class="cc-ops">$operations</div></td>
<td>$body_cell</td>
<td>$provoke</td>
</tr>"""
)

PROVOCATION = Template(
    """<details class="cc-provoke"$open><summary><code>$scenario</code> — $summary</summary>
<pre><code>$commands</code></pre></details>"""
)

SCRIPT = Template("""<script src="$src"></script>\n""")
STYLE = Template("""<link rel="stylesheet" href="$href">\n""")

SITE_CSS = """
:root { --cc-fg: #1b1f24; --cc-muted: #57606a; --cc-line: #d0d7de; --cc-accent: #0b5cad; --cc-soft: #f6f8fa; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--cc-fg); }
main { padding: 0 1.5rem 3rem; }
.cc-bar { background: #1b1f24; color: #fff; padding: .6rem 1.5rem; }
.cc-bar a { color: #fff; margin-right: .9rem; }
.cc-bar a[aria-current="page"] { font-weight: 700; text-decoration: underline; }
.cc-bar strong { margin-right: .9rem; }
.cc-sep { margin: 0 .5rem; color: #8c959f; }
h1 { font-size: 1.6rem; margin: 1.2rem 0 .5rem; }
h2 { font-size: 1.2rem; margin: 1.6rem 0 .5rem; }
a { color: var(--cc-accent); }
code, pre { font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
pre { background: var(--cc-soft); border: 1px solid var(--cc-line); padding: .5rem; margin: .3rem 0;
      white-space: pre-wrap; word-break: break-all; max-width: 60ch; }
.cc-table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
.cc-table th, .cc-table td { border: 1px solid var(--cc-line); padding: .4rem .5rem; text-align: left; vertical-align: top; }
.cc-table td code { overflow-wrap: anywhere; }
.cc-table thead th { background: var(--cc-soft); }
.cc-status { font-weight: 700; white-space: nowrap; }
.cc-summary, .cc-ops, .cc-note { color: var(--cc-muted); font-size: .9em; }
.cc-badge { display: inline-block; background: #fff1c2; border: 1px solid #d4a72c; border-radius: 3px;
            padding: 0 .35rem; font-size: .8em; margin-left: .3rem; }
.cc-none { color: var(--cc-muted); font-style: italic; }
.cc-try { background: #eef6ff; border: 1px solid #b6d4fe; padding: .3rem 1rem; margin: 1rem 0; }
.cc-provoke summary { cursor: pointer; }
.cc-provoke pre { max-width: none; }
.cc-errors { table-layout: fixed; }
.cc-errors pre { max-width: none; }
.cc-w-status { width: 4.5em; } .cc-w-code { width: 12%; } .cc-w-message { width: 20%; }
.cc-w-body { width: 28%; } .cc-w-provoke { width: auto; }
"""

REFERENCE_JS = """(function () {
  "use strict";
  var page = window.CANCEL_CONTRACTS;
  var session = document.getElementById("cc-session");
  var ui = SwaggerUIBundle({
    spec: page.spec,
    dom_id: "#swagger-ui",
    layout: "BaseLayout",
    presets: [SwaggerUIBundle.presets.apis],
    deepLinking: true,
    showExtensions: true,
    validatorUrl: null,
    requestInterceptor: function (request) {
      if (session && session.value) {
        request.headers["X-Mock-Session"] = session.value;
      }
      return request;
    },
    onComplete: function () {
      Object.keys(page.auth).forEach(function (name) {
        ui.preauthorizeApiKey(name, page.auth[name]);
      });
      document.body.setAttribute("data-ready", "true");
    }
  });
  window.ui = ui;
})();
"""
