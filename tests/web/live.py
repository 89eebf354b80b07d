"""A real kingmaker web server and a headless Chromium for the browser tests.

``live_server`` runs the app with uvicorn in a background thread on a free localhost port
over a SQLite file; ``launch_chromium`` starts the system Chromium through Playwright (no
browser download); ``Watch`` records what a browser context must never do: reach another
machine, log a console error, or throw.
"""

from __future__ import annotations

import json
import os
import re
import socket
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn
from urllib.parse import urlsplit

import pytest
import uvicorn

from kingmaker.service import Kingmaker
from kingmaker.store import open_store
from kingmaker.web import WebSettings, create_app

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Route

CHROMIUM_VAR = "KINGMAKER_CHROMIUM"
REQUIRE_VAR = "KINGMAKER_REQUIRE_SERVICES"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-proxy-server",  # a proxy from the environment must not see localhost traffic
]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
STARTUP_S = 20.0


def unavailable(reason: str) -> NoReturn:
    """Skip the browser tests for ``reason``, or fail them when services are required."""
    if os.environ.get(REQUIRE_VAR) == "1":
        pytest.fail(f"a browser is required ({REQUIRE_VAR}=1) but {reason}", pytrace=False)
    pytest.skip(
        f"no browser for the web tests: {reason}; install Debian's chromium or set {CHROMIUM_VAR}"
    )


def chromium_path() -> Path:
    """The Chromium to drive: ``$KINGMAKER_CHROMIUM`` or /usr/bin/chromium (skip if absent)."""
    path = Path(os.environ.get(CHROMIUM_VAR) or DEFAULT_CHROMIUM)
    if not (path.is_file() and os.access(path, os.X_OK)):
        unavailable(f"{path} is not an executable file")
    return path


@contextmanager
def launch_chromium() -> Iterator[Browser]:
    """A headless system Chromium driven by Playwright's sync API, closed on exit."""
    path = chromium_path()
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        unavailable("the playwright package is not installed (pip install -e '.[dev]')")
    with sync_playwright() as pw:
        try:
            browser = pw.chromium.launch(executable_path=str(path), args=CHROMIUM_ARGS)
        except Error as exc:
            unavailable(f"{path} did not start ({str(exc).splitlines()[0]})")
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class LiveServer:
    """A running server: its base URL and the service behind it."""

    url: str
    km: Kingmaker
    settings: WebSettings

    def get_json(self, path: str) -> Any:
        """GET ``path`` from the server (never through a proxy) and decode its JSON."""
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(self.url + path, timeout=5) as response:
            return json.load(response)


@contextmanager
def live_server(
    db: Path, settings: WebSettings, *, review_threshold: float = 0.99
) -> Iterator[LiveServer]:
    """The app over a SQLite store at ``db``, served by uvicorn in a background thread.

    Args:
        db: The store file (created with the bundled races).
        settings: The app's settings; the port is replaced by a free one.
        review_threshold: Machine items below this confidence wait for review.

    Yields:
        The server, once ``/api/health`` answers; it is stopped on exit.
    """
    km = Kingmaker(open_store(db), review_threshold=review_threshold)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))  # bound here and handed over: no race for the port
    port = sock.getsockname()[1]
    settings = replace(settings, port=port)
    config = uvicorn.Config(
        create_app(km, settings), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    live = LiveServer(url=f"http://127.0.0.1:{port}", km=km, settings=settings)
    try:
        _wait_healthy(live, thread)
        yield live
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
        km.close()


def _wait_healthy(live: LiveServer, thread: threading.Thread) -> None:
    deadline = time.monotonic() + STARTUP_S
    last: Exception | None = None
    while time.monotonic() < deadline:
        if not thread.is_alive():
            raise RuntimeError(f"the server at {live.url} stopped while starting")
        try:
            if live.get_json("/api/health").get("ok"):
                return
        except OSError as exc:
            last = exc
        time.sleep(0.05)
    raise RuntimeError(f"the server at {live.url} did not answer /api/health: {last}")


@dataclass
class Watch:
    """What the pages of one browser context did that they must not do.

    Every request to a host other than this machine is recorded and aborted; console
    errors (CSP violations among them) and uncaught page errors are recorded.
    ``allow`` takes patterns of console errors a test expects (a 404 page's own load).
    """

    outside: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    allow: list[re.Pattern[str]] = field(default_factory=list)

    def attach(self, context: BrowserContext) -> None:
        """Guard every request and page of ``context`` from now on."""
        context.route("**/*", self._route)
        context.on("page", self._page)

    def _route(self, route: Route) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if parts.hostname in LOCAL_HOSTS or parts.scheme == "file":  # a saved snapshot's files
            route.continue_()
        else:
            self.outside.append(url)
            route.abort("blockedbyclient")

    def _page(self, page: Page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.console.append(f"page error: {exc}"))

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            where = message.location.get("url", "")
            self.console.append(f"{message.text} ({where})")

    def assert_clean(self) -> None:
        """Fail when a page reached another machine or logged an unexpected error."""
        assert self.outside == [], f"requests left the machine: {self.outside}"
        errors = [e for e in self.console if not any(p.search(e) for p in self.allow)]
        assert errors == [], f"console or page errors: {errors}"
