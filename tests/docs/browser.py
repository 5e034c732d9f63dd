"""Headless Debian Chromium driven over the Chrome DevTools Protocol (`websockets`, sync client).

`Browser.visit(url, ready)` loads a page, waits until the JavaScript expression `ready` is true,
and reports every request the page made, every console error, uncaught exception and browser log
error. Host resolution is mapped so that any name but 127.0.0.1 fails: a page that tried to leave
127.0.0.1 shows up both as a request and as a failure.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import signal
import subprocess
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from websockets.sync.client import ClientConnection, connect

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--disable-extensions",
    "--no-default-browser-check",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
    "--window-size=1280,900",
    "--remote-debugging-port=0",
    "--remote-allow-origins=*",
)


@dataclass
class Visit:
    url: str
    requests: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    ready: bool = False


class Browser:
    def __init__(self, profile: Path) -> None:
        if CHROMIUM is None:
            raise RuntimeError("chromium is not installed")
        profile.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: close() ends the browser and its helpers
        )
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not port_file.exists() or len(port_file.read_text().splitlines()) < 2:
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.close()
                raise RuntimeError(f"chromium did not start (exit {self.process.poll()})")
            time.sleep(0.05)
        port = int(port_file.read_text().splitlines()[0])
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as response:
            targets = json.loads(response.read())
        page = next(target for target in targets if target.get("type") == "page")
        self._stack = contextlib.ExitStack()
        try:
            self.ws: ClientConnection = self._stack.enter_context(
                connect(page["webSocketDebuggerUrl"], max_size=64 * 1024 * 1024)
            )
        except Exception:
            self.close()
            raise
        self._id = 0
        self._events: list[dict[str, Any]] = []
        for domain in ("Page", "Network", "Runtime", "Log"):
            self.call(f"{domain}.enable")
        self.call("Network.setCacheDisabled", {"cacheDisabled": True})

    def call(self, method: str, params: dict[str, Any] | None = None, timeout: float = 30) -> dict[str, Any]:
        self._id += 1
        wanted = self._id
        self.ws.send(json.dumps({"id": wanted, "method": method, "params": params or {}}))
        deadline = time.monotonic() + timeout
        while True:
            message = json.loads(self.ws.recv(timeout=max(0.01, deadline - time.monotonic())))
            if message.get("id") == wanted:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                result: dict[str, Any] = message.get("result", {})
                return result
            if "method" in message:
                self._events.append(message)

    def evaluate(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result.get("result", {}).get("value")

    def visit(self, url: str, ready: str, timeout: float = 30) -> Visit:
        self._events.clear()
        self.call("Page.navigate", {"url": url})
        visit = Visit(url)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.evaluate(f"document.readyState === 'complete' && !!({ready})"):
                visit.ready = True
                break
            time.sleep(0.1)
        time.sleep(0.3)  # let late requests and console messages arrive
        self.evaluate("1")
        self._collect(visit)
        return visit

    def visit_current(self, ready: str, timeout: float = 30) -> Visit:
        """Wait on the page already open (after a click) until `ready`; report what happened since."""
        visit = Visit(str(self.evaluate("location.href")))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.evaluate(f"!!({ready})"):
                visit.ready = True
                break
            time.sleep(0.1)
        self._collect(visit)
        return visit

    def _collect(self, visit: Visit) -> None:
        urls: dict[str, str] = {}
        for event in self._events:
            method, params = event["method"], event.get("params", {})
            if method == "Network.requestWillBeSent":
                urls[params["requestId"]] = params["request"]["url"]
                visit.requests.append(params["request"]["url"])
            elif method == "Network.loadingFailed":
                visit.failures.append(f"{urls.get(params['requestId'], '?')}: {params.get('errorText')}")
            elif method == "Network.responseReceived" and params["response"]["status"] >= 400:
                visit.failures.append(f"{params['response']['url']}: HTTP {params['response']['status']}")
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                text = " ".join(
                    str(arg.get("value", arg.get("description", ""))) for arg in params.get("args", [])
                )
                visit.console_errors.append(f"console.{params['type']}: {text}")
            elif method == "Runtime.exceptionThrown":
                details = params.get("exceptionDetails", {})
                visit.console_errors.append(
                    f"exception: {details.get('exception', {}).get('description') or details.get('text')}"
                )
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                entry = params["entry"]
                visit.console_errors.append(f"log: {entry.get('text')} ({entry.get('url', '')})")
        self._events.clear()

    def screenshot(self, path: Path) -> None:
        height = self.evaluate("Math.min(document.documentElement.scrollHeight, 8000)") or 900
        self.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": 1280, "height": int(height), "deviceScaleFactor": 1, "mobile": False},
        )
        data = self.call("Page.captureScreenshot", {"format": "png"})["data"]
        self.call("Emulation.clearDeviceMetricsOverride")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))

    def close(self) -> None:
        """Close the DevTools connection, then end the browser's process group (TERM, then KILL)."""
        try:
            stack = getattr(self, "_stack", None)
            if stack is not None:
                stack.close()
        except Exception:  # a broken connection must not keep the browser alive
            pass
        finally:
            self._end_process_group()

    def _end_process_group(self) -> None:
        for sig, wait in ((signal.SIGTERM, 10.0), (signal.SIGKILL, 10.0)):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, sig)
            try:
                self.process.wait(timeout=wait)
                break
            except subprocess.TimeoutExpired:
                continue
        # helpers that outlived the main process are in the same group
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
