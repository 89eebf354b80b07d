"""Sessions that end, forwarded headers believed only from a named proxy, and the headers
and log lines of the hardening in issue 16 (security items 1, 2 and 4)."""

from __future__ import annotations

import asyncio
import gc
import logging
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient

from kingmaker.errors import WebError
from kingmaker.service import Kingmaker
from kingmaker.web import WebSettings, create_app
from kingmaker.web import app as web_app
from kingmaker.web.security import COOKIE, SessionStore
from kingmaker.web.settings import SESSION_ENV

from .conftest import BEARER, NATO, TOKEN, csrf_of, make_client, settings

INGEST = f"/api/races/{NATO}/ingest"
HOUR = 3600.0


def _logged_in(client: TestClient) -> tuple[str, str]:
    """Log ``client`` in; its session cookie and that session's CSRF token."""
    token = csrf_of(client.get("/login").text)
    r = client.post("/login", data={"token": TOKEN, "name": "alice", "csrf_token": token})
    assert r.status_code == 303, r.text
    cookie = client.cookies[COOKIE]
    return cookie, csrf_of(client.get("/").text)


def _post_with(client: TestClient, cookie: str, csrf: str) -> int:
    client.cookies.set(COOKIE, cookie)
    r = client.post(INGEST, headers={"X-CSRF-Token": csrf}, data={"text": ""})
    return r.status_code


def test_a_cookie_captured_before_logout_cannot_write_after_it(browser: TestClient) -> None:
    cookie, csrf = _logged_in(browser)
    thief = TestClient(browser.app, base_url="http://localhost", follow_redirects=False)
    assert _post_with(thief, cookie, csrf) == 422  # let in: only the empty text is wrong
    r = browser.post("/logout", data={"csrf_token": csrf})
    assert r.status_code == 303
    assert _post_with(thief, cookie, csrf) == 401  # the copy ended with the session


def test_a_new_login_ends_the_session_before_it(browser: TestClient) -> None:
    first, csrf = _logged_in(browser)
    _logged_in(browser)
    thief = TestClient(browser.app, base_url="http://localhost", follow_redirects=False)
    assert _post_with(thief, first, csrf) == 401


def test_sessions_expire_on_the_server(km: Kingmaker, monkeypatch: pytest.MonkeyPatch) -> None:
    client = make_client(km, write_token=TOKEN, session_hours=12.0)
    cookie, csrf = _logged_in(client)
    other = TestClient(client.app, base_url="http://localhost", follow_redirects=False)
    assert _post_with(other, cookie, csrf) == 422
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 11.9 * HOUR)
    assert _post_with(other, cookie, csrf) == 422
    monkeypatch.setattr(time, "time", lambda: real() + 12.1 * HOUR)
    assert _post_with(other, cookie, csrf) == 401


def test_the_server_holds_a_login_no_longer_than_its_lifetime() -> None:
    # the cookie's signed end is one check; the server's own table is the other
    store = SessionStore()
    store.add("a", time.time() + 60)
    store.add("b", time.time() - 1)
    assert store.live("a") and not store.live("b") and not store.live("c")
    store.revoke("a")
    assert not store.live("a")
    small = SessionStore(size=2)
    for sid in "xyz":
        small.add(sid, time.time() + 60)
    assert len(small) == 2 and not small.live("x") and small.live("z")


def test_the_cookie_expires_with_the_session(km: Kingmaker) -> None:
    cookie = make_client(km, session_hours=12.0).get("/").headers["set-cookie"]
    # The cookie lives as long as the session has left: 12 h less the seconds the request
    # took (a minute at most, even on a loaded machine).
    age = re.search(r"Max-Age=(\d+)", cookie)
    assert age is not None and 43140 <= int(age.group(1)) <= 43200
    assert "Expires=" in cookie and "GMT" in cookie


def test_the_session_lifetime_comes_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(SESSION_ENV, "0.5")
    assert WebSettings().session_seconds == 1800
    monkeypatch.setenv(SESSION_ENV, "soon")
    with pytest.raises(WebError, match="not a number of hours"):
        WebSettings()
    monkeypatch.delenv(SESSION_ENV)
    assert WebSettings().session_hours == 12.0
    for bad in (0.0, -1.0, float("nan"), float("inf")):
        with pytest.raises(WebError, match="session lifetime"):
            WebSettings(session_hours=bad)


def test_permissions_policy_on_every_answer_and_hsts_only_over_https(km: Kingmaker) -> None:
    plain = make_client(km)
    for url in ("/", "/api/races", "/nope", "/static/style.css"):
        r = plain.get(url)
        assert "camera=()" in r.headers["permissions-policy"], url
        assert "strict-transport-security" not in r.headers, url
    secure = TestClient(create_app(km, settings()), base_url="https://localhost")
    r = secure.get("/")
    assert r.headers["strict-transport-security"].startswith("max-age=")


def _client_from(km: Kingmaker, host: str, **kw: Any) -> TestClient:
    app = create_app(km, settings(write_token=TOKEN, **kw))
    return TestClient(app, base_url="http://localhost", client=(host, 40000))


def _wrong(client: TestClient, forwarded: str | None = None) -> int:
    headers = {**BEARER, "Authorization": "Bearer not-the-token-at-all"}
    if forwarded is not None:
        headers["X-Forwarded-For"] = forwarded
    return client.post(INGEST, headers=headers, data={"text": "x"}).status_code


def test_forwarded_headers_are_ignored_unless_a_proxy_is_named(km: Kingmaker) -> None:
    client = _client_from(km, "127.0.0.1")
    codes = [_wrong(client, f"10.0.0.{i}") for i in range(6)]
    assert codes == [401] * 5 + [429]
    assert _wrong(client, "10.0.0.99") == 429  # a new header does not get back in
    secure = client.get("/", headers={"X-Forwarded-Proto": "https"})
    assert "strict-transport-security" not in secure.headers


def test_a_named_proxy_forwards_each_client_address(km: Kingmaker) -> None:
    client = _client_from(km, "10.1.2.3", trusted_proxies=("10.1.2.0/24",))
    assert [_wrong(client, "203.0.113.7") for _ in range(6)] == [401] * 5 + [429]
    assert _wrong(client, "203.0.113.8") == 401  # another visitor behind the proxy
    fresh = TestClient(client.app, base_url="http://localhost", client=("10.1.2.3", 1))
    r = fresh.get("/", headers={"X-Forwarded-Proto": "https"})
    assert "strict-transport-security" in r.headers and "; Secure" in r.headers["set-cookie"]
    # a client that is not the proxy cannot claim to be forwarded
    outsider = TestClient(client.app, base_url="http://localhost", client=("10.9.9.9", 1))
    assert [_wrong(outsider, f"198.51.100.{i}") for i in range(6)] == [401] * 5 + [429]


def test_a_bad_proxy_address_is_refused() -> None:
    with pytest.raises(WebError, match="not an IP address or network"):
        WebSettings(trusted_proxies=("proxy.example",))


@contextmanager
def _served(km: Kingmaker, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """``web.serve`` as ``kingmaker serve`` runs it (uvicorn with the options it passes),
    on a free port in a thread; yields the base URL."""
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(gc, "freeze", lambda: None)  # the test process goes on collecting
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append({"app": app, **kw}))
    web_app.serve(km, WebSettings(write_token=TOKEN))
    (call,) = calls
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    options = {k: v for k, v in call.items() if k not in ("app", "host", "port")}
    server = uvicorn.Server(uvicorn.Config(call["app"], host="127.0.0.1", port=port, **options))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        yield f"http://localhost:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def test_the_served_app_ignores_forged_forwarding_from_localhost(
    km: Kingmaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    # uvicorn by itself believes X-Forwarded-For from 127.0.0.1: serve must turn that off
    monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)
    with _served(km, monkeypatch) as url, httpx.Client(base_url=url, trust_env=False) as http:
        headers = {"Authorization": "Bearer not-the-token-at-all"}
        codes = [
            http.post(
                "/api/races/nato-sg-2024/ingest",
                headers={**headers, "X-Forwarded-For": f"10.0.0.{i}"},
                data={"text": "x"},
            ).status_code
            for i in range(6)
        ]
    assert codes == [401] * 5 + [429]


def test_a_client_gone_mid_upload_is_one_log_line(
    km: Kingmaker, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(km, settings(write_token=TOKEN))
    body = b'--b\r\nContent-Disposition: form-data; name="text"\r\n\r\nHungary'
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": INGEST,
        "raw_path": INGEST.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"localhost"),
            (b"authorization", f"Bearer {TOKEN}".encode()),
            (b"content-type", b"multipart/form-data; boundary=b"),
            (b"content-length", b"100000"),
        ],
        "client": ("127.0.0.1", 5000),
        "server": ("127.0.0.1", 8000),
    }
    messages = iter(
        [
            {"type": "http.request", "body": body, "more_body": True},
            {"type": "http.disconnect"},
        ]
    )

    async def receive() -> dict[str, Any]:
        return next(messages, {"type": "http.disconnect"})

    async def send(message: dict[str, Any]) -> None:
        pass

    with caplog.at_level(logging.INFO, logger="kingmaker.web"):
        asyncio.run(app(scope, receive, send))
    records = [r for r in caplog.records if r.name == "kingmaker.web"]
    assert len(records) == 1, [r.getMessage() for r in records]
    assert records[0].exc_info is None and "went away" in records[0].getMessage()
    assert "unexpected" not in caplog.text
