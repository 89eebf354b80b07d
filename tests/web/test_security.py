"""Security of the web app: read-only by default, the write token, CSRF on forms, escaping
of article text, upload limits, no path traversal, no open redirect, safe headers."""

from __future__ import annotations

import contextlib
import re
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient

from kingmaker.errors import StoreError, WebError
from kingmaker.service import Kingmaker
from kingmaker.web import WebSettings, create_app
from kingmaker.web.security import HTTPProblem, LoginThrottle
from kingmaker.web.views import Views

from .conftest import BEARER, NATO, STANCE_TEXT, TOKEN, csrf_of, make_client, settings

XSS_TITLE = '<script>window.__pwned=1</script>"><img src=x onerror="window.__pwned=1">'
XSS_TEXT = (
    "NATO Secretary General race: <script>alert('x')</script> and "
    '<img src=x onerror="alert(1)"> and <a href="javascript:alert(1)">click</a>. ' + STANCE_TEXT
)


def ingest_xss(client: TestClient) -> dict[str, object]:
    r = client.post(
        f"/api/races/{NATO}/ingest",
        headers=BEARER,
        data={
            "text": XSS_TEXT,
            "title": XSS_TITLE,
            "url": "javascript:alert(document.cookie)",
            "date": "2024-03-01",
        },
    )
    assert r.status_code == 200, r.text
    return dict(r.json())


def no_live_markup(html: str) -> None:
    """No injected tag or handler survives, and no javascript: link exists."""
    assert "<script>alert" not in html and "<script>window" not in html
    assert "<img src=x" not in html and 'onerror="' not in html
    assert not re.search(r'href="\s*javascript:', html, re.I)


def test_article_text_is_escaped_everywhere(writer: TestClient, km: Kingmaker) -> None:
    report = ingest_xss(writer)
    article = report["articles"][0]  # type: ignore[index]
    items = report["items"]
    assert items, "the stance sentence after the markup is still read"
    for url in (
        f"/races/{NATO}/articles/{article}",
        f"/races/{NATO}/review",
        f"/races/{NATO}?as_of=2024-03-01",
    ):
        html = writer.get(url).text
        no_live_markup(html)
    page = writer.get(f"/races/{NATO}/articles/{article}").text
    assert "&lt;script&gt;alert(" in page  # shown as text, not run
    api = writer.get(f"/api/races/{NATO}/articles/{article}").json()
    assert api["article"]["link"] is None or api["article"]["link"]["href"] is None


def test_security_headers_on_every_answer(reader: TestClient) -> None:
    for url in ("/", f"/races/{NATO}", "/api/races", "/races/nope", "/static/style.css"):
        h = reader.get(url).headers
        csp = h["content-security-policy"]
        assert (
            "script-src 'self'" in csp
            and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
        )
        assert "frame-ancestors 'none'" in csp
        assert h["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("page", ["/", f"/races/{NATO}", f"/races/{NATO}/review", "/api/docs"])
def test_pages_load_nothing_from_elsewhere(reader: TestClient, page: str) -> None:
    html = reader.get(page).text
    for src in re.findall(r'(?:src|href)="([^"]+)"', html):
        if src.startswith(("http://", "https://", "//")):
            # only evidence source links point elsewhere, and they are links, not loads
            assert re.search(rf'<a href="{re.escape(src)}"', html), src
        else:
            assert reader.get(src.split("?")[0]).status_code == 200, src


def test_read_only_server_refuses_writes(reader: TestClient) -> None:
    r = reader.post(f"/api/races/{NATO}/ingest", headers=BEARER, data={"text": STANCE_TEXT})
    assert r.status_code == 403 and r.json()["error"]["kind"] == "read_only"
    assert "read-only" in reader.get("/").text
    assert 'id="ingest"' not in reader.get(f"/races/{NATO}/review").text


def test_wrong_or_missing_token_is_refused(writer: TestClient) -> None:
    url = f"/api/races/{NATO}/ingest"
    r = writer.post(url, headers={"Authorization": "Bearer nope"}, data={"text": STANCE_TEXT})
    assert r.status_code == 401
    r = writer.post(url, data={"text": STANCE_TEXT})
    assert r.status_code == 401 and "log in" in r.json()["error"]["message"]


def test_login_with_a_wrong_token_fails(km: Kingmaker) -> None:
    client = make_client(km, write_token=TOKEN)
    csrf = csrf_of(client.get("/login").text)
    r = client.post("/login", data={"token": "wrong", "name": "eve", "csrf_token": csrf})
    assert r.status_code == 401 and "Wrong token" in r.text
    r = client.post("/login", data={"token": TOKEN, "name": "eve", "csrf_token": "forged"})
    assert r.status_code == 403


def test_session_writes_need_the_csrf_token(browser: TestClient) -> None:
    page = browser.get(f"/races/{NATO}/review").text
    assert 'id="ingest"' in page
    csrf = csrf_of(page)
    url = f"/api/races/{NATO}/ingest"
    form = {"text": STANCE_TEXT, "date": "2024-03-01"}
    assert browser.post(url, data=form).status_code == 403
    assert browser.post(url, data={**form, "csrf_token": "x" * 64}).status_code == 403
    r = browser.post(
        url, data={**form, "csrf_token": csrf}, headers={"Origin": "https://evil.example"}
    )
    assert r.status_code == 403 and "Origin" in r.json()["error"]["message"]
    r = browser.post(url, data={**form, "csrf_token": csrf}, headers={"Accept": "text/html"})
    assert r.status_code == 303 and r.headers["location"].startswith(f"/races/{NATO}/articles/")
    article = browser.get(r.headers["location"]).text
    assert "<mark" in article and "alice" in article


def test_form_review_redirects_back_and_records_the_reviewer(
    browser: TestClient, km: Kingmaker
) -> None:
    csrf = csrf_of(browser.get("/").text)
    r = browser.post(
        f"/api/races/{NATO}/ingest",
        data={"text": STANCE_TEXT, "date": "2024-03-01", "csrf_token": csrf},
    )
    stance = next(i for i in r.json()["items"] if i["kind"] == "stance")
    back = f"/races/{NATO}/articles/{r.json()['articles'][0]}"
    r = browser.post(
        f"/api/races/{NATO}/evidence/{stance['id']}/review",
        data={"decision": "accept", "csrf_token": csrf, "next": back},
        headers={"Accept": "text/html"},
    )
    assert r.status_code == 303 and r.headers["location"] == back
    assert km.store.reviews(NATO, stance["id"])[-1].reviewer == "alice"


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example", "\\\\evil", "x"])
def test_no_open_redirect(browser: TestClient, target: str) -> None:
    csrf = csrf_of(browser.get("/").text)
    r = browser.post(
        f"/api/races/{NATO}/evidence/e001/review",
        data={"decision": "accept", "csrf_token": csrf, "next": target},
        headers={"Accept": "text/html"},
    )
    assert r.status_code == 303 and r.headers["location"] == f"/races/{NATO}/review"


def test_forged_session_cookie_is_ignored(km: Kingmaker) -> None:
    client = make_client(km, write_token=TOKEN)
    client.cookies.set("kingmaker_session", "eyJzaWQiOiAiYSIsICJ3cml0ZXIiOiB0cnVlfQ.00")
    r = client.post(f"/api/races/{NATO}/ingest", data={"text": STANCE_TEXT})
    assert r.status_code == 401


def test_oversized_uploads_are_refused(writer: TestClient) -> None:
    url = f"/api/races/{NATO}/ingest"
    big = b"NATO Secretary General " * (3 * 2**20 // 23)
    r = writer.post(url, headers=BEARER, files={"file": ("big.txt", big, "text/plain")})
    assert r.json()["error"]["message"] == "the request is over the 2 MiB upload limit; send less"
    r = writer.post(url, headers=BEARER, data={"text": "NATO " * (2**20 // 2)})
    assert r.status_code == 413


def test_small_limit_is_enforced_on_the_file_itself(km: Kingmaker) -> None:
    client = make_client(km, write_token=TOKEN, max_upload=1000)
    r = client.post(
        f"/api/races/{NATO}/ingest",
        headers=BEARER,
        files={"file": ("a.txt", b"NATO Rutte " * 200, "text/plain")},
    )
    assert r.json()["error"]["message"] == "'a.txt' is over the 1,000 bytes upload limit"


@pytest.mark.parametrize(
    ("name", "data", "status", "words"),
    [
        ("photo.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, 415, "not a kind of file"),
        ("notes.txt", b"\x00\x01\x02\x03binary" * 100, 422, "notes.txt: binary data"),
        ("empty.txt", b"", 422, "empty"),
        ("../../etc/passwd.txt", b"NATO Secretary General Rutte", 200, ""),
    ],
)
def test_bad_uploads_get_a_clear_message(
    writer: TestClient, name: str, data: bytes, status: int, words: str
) -> None:
    r = writer.post(
        f"/api/races/{NATO}/ingest",
        headers=BEARER,
        data={"date": "2024-03-01"},
        files={"file": (name, data, "application/octet-stream")},
    )
    assert r.status_code == status, r.text
    if status != 200:
        assert words in r.json()["error"]["message"]
    else:  # the path in the file name is dropped: it never names a file on the server
        assert "/etc/" not in r.text


def test_bad_dates_and_modes_are_refused(writer: TestClient) -> None:
    url = f"/api/races/{NATO}/ingest"
    r = writer.post(url, headers=BEARER, data={"text": STANCE_TEXT, "date": "March"})
    assert r.status_code == 422 and "YYYY-MM-DD" in r.json()["error"]["message"]
    r = writer.post(url, headers=BEARER, data={"text": STANCE_TEXT, "mode": "gpu"})
    assert r.status_code == 422


@pytest.mark.parametrize(
    "url",
    [
        "/static/../app.py",
        "/static/%2e%2e/app.py",
        "/static/..%2fapp.py",
        "/static/%2e%2e/%2e%2e/store/sqlite.py",
        "/races/..%2F..%2Fetc%2Fpasswd",
        f"/races/{NATO}/articles/..%2F..%2Fetc%2Fpasswd",
    ],
)
def test_no_path_traversal(reader: TestClient, url: str) -> None:
    r = reader.get(url)
    assert r.status_code == 404
    assert "import " not in r.text and "root:" not in r.text


def test_unknown_pages_are_404_pages(reader: TestClient) -> None:
    r = reader.get("/races/no-such-race")
    assert r.status_code == 404 and "text/html" in r.headers["content-type"]
    assert 'id="error-message"' in r.text and "no race &#39;no-such-race&#39;" in r.text


def test_settings_refuse_short_tokens_and_default_to_localhost() -> None:
    with pytest.raises(WebError, match="at least 16"):
        WebSettings(write_token="short")
    s = WebSettings()
    assert s.host == "127.0.0.1" and s.local_only and not s.writable
    assert not WebSettings(host="0.0.0.0").local_only


def test_many_wrong_tokens_are_throttled(km: Kingmaker) -> None:
    client = make_client(km, write_token=TOKEN)
    csrf = csrf_of(client.get("/login").text)
    form = {"token": "wrong", "name": "eve", "csrf_token": csrf}
    codes = [client.post("/login", data=form).status_code for _ in range(6)]
    assert codes == [401] * 5 + [429]
    r = client.post("/login", data={**form, "token": TOKEN})
    assert r.status_code == 429  # even the right token waits out the minute


def test_session_cookie_is_http_only_and_lax(km: Kingmaker) -> None:
    # Lax, not Strict: a reviewer who follows a link to the dashboard from elsewhere stays
    # logged in; writes still need the CSRF token and a matching Origin
    cookie = make_client(km).get("/").headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    over_https = TestClient(create_app(km, settings()), base_url="https://localhost")
    assert "; Secure" in over_https.get("/").headers["set-cookie"]


def test_wrong_bearer_tokens_are_throttled_too(writer: TestClient) -> None:
    url = f"/api/races/{NATO}/ingest"
    wrong = {**BEARER, "Authorization": "Bearer not-the-token-at-all"}
    codes = [writer.post(url, headers=wrong, data={"text": "x"}).status_code for _ in range(6)]
    assert codes == [401] * 5 + [429]
    r = writer.post(url, headers=BEARER, data={"text": STANCE_TEXT})
    assert r.status_code == 429 and r.json()["error"]["kind"] == "throttled"


def _fail(throttle: LoginThrottle, address: str) -> bool:
    return throttle.verify(address, lambda: False)


def test_the_throttle_forgets_quiet_addresses() -> None:
    throttle = LoginThrottle(limit=2, window=0.05, size=3)
    for address in ("a", "b", "c"):
        _fail(throttle, address)
    assert len(throttle) == 3
    time.sleep(0.06)
    _fail(throttle, "d")  # the table is full: the stale addresses go
    assert len(throttle) == 1
    _fail(throttle, "d")
    with pytest.raises(HTTPProblem):
        throttle.verify("d", lambda: True)  # throttled: even the right token waits
    assert throttle.verify("a", lambda: True)


def test_the_throttle_table_stays_bounded_under_many_addresses() -> None:
    throttle = LoginThrottle(limit=2, window=60, size=100)
    for n in range(1000):
        _fail(throttle, f"10.0.{n // 256}.{n % 256}")
    assert len(throttle) == 100  # full of recent failures: the longest quiet went
    _fail(throttle, "10.0.3.231")  # the newest survive
    with pytest.raises(HTTPProblem):
        throttle.verify("10.0.3.231", lambda: True)


def test_a_full_throttle_costs_no_scan_per_wrong_token() -> None:
    throttle = LoginThrottle(limit=2, window=60)  # 4,096 addresses
    for n in range(throttle.size):
        _fail(throttle, f"10.1.{n // 256}.{n % 256}")
    start = time.perf_counter()
    for n in range(2000):  # each new address drops the longest quiet
        _fail(throttle, f"10.2.{n // 256}.{n % 256}")
    assert len(throttle) == throttle.size
    assert time.perf_counter() - start < 2.0  # a scan of the table each took 24 s


def test_a_full_throttle_drops_nobody_for_an_address_it_holds() -> None:
    throttle = LoginThrottle(limit=2, window=60, size=3)
    for address in ("1.1.1.1", "1.1.1.1", "2.2.2.2", "3.3.3.3"):
        _fail(throttle, address)
    _fail(throttle, "3.3.3.3")  # already counted: no room needed, 1.1.1.1 stays locked out
    with pytest.raises(HTTPProblem):
        throttle.verify("1.1.1.1", lambda: True)


def test_the_throttle_counts_ipv6_by_network() -> None:
    throttle = LoginThrottle(limit=2, window=60)
    _fail(throttle, "2001:db8::1")
    _fail(throttle, "2001:db8::ffff:2")  # same /64: same sender
    with pytest.raises(HTTPProblem):
        throttle.verify("2001:db8::42", lambda: True)
    assert throttle.verify("2001:db8:0:1::1", lambda: True)  # another /64
    _fail(throttle, "::ffff:10.0.0.1")  # an IPv4 address written as IPv6 counts as IPv4
    _fail(throttle, "10.0.0.1")
    with pytest.raises(HTTPProblem):
        throttle.verify("10.0.0.1", lambda: True)


def test_parallel_wrong_tokens_cannot_pass_the_count() -> None:
    throttle = LoginThrottle(limit=5, window=60)
    checked = []

    def guess() -> None:
        with contextlib.suppress(HTTPProblem):
            throttle.verify("10.9.9.9", lambda: checked.append(1) or False)

    with ThreadPoolExecutor(16) as pool:
        for _ in range(64):
            pool.submit(guess)
    assert len(checked) == 5  # exactly `limit` tokens were compared


def test_non_ascii_csrf_tokens_are_refused_not_crashed(km: Kingmaker) -> None:
    client = make_client(km, write_token=TOKEN)
    csrf = csrf_of(client.get("/login").text)
    r = client.post("/login", data={"token": TOKEN, "name": "x", "csrf_token": "é"})
    assert r.status_code == 403
    r = client.post("/login", data={"token": "é", "name": "x", "csrf_token": csrf})
    assert r.status_code == 401  # a wrong token, non-ASCII or not
    r = client.post("/login", data={"token": TOKEN, "name": "x", "csrf_token": csrf})
    assert r.status_code == 303
    r = client.post(
        f"/api/races/{NATO}/ingest",
        headers={"x-csrf-token": "été".encode()},
        data={"text": STANCE_TEXT},
    )
    assert r.status_code == 403 and r.json()["error"]["kind"] == "csrf"


def test_a_local_server_answers_local_names_only(km: Kingmaker) -> None:
    r = make_client(km).get("/api/races", headers={"host": "attacker.example"})
    assert r.status_code == 400  # DNS rebinding: a page elsewhere cannot read the dashboard
    assert r.json()["error"]["kind"] == "host"
    assert "open it at http://localhost:8000/" in r.json()["error"]["message"]
    assert r.headers["x-frame-options"] == "DENY"  # refusals carry the headers too
    for host in ("127.0.0.1:8000", "localhost", "[::1]:8000", "LOCALHOST:1"):
        assert make_client(km).get("/", headers={"host": host}).status_code == 200, host
    for host in ("", "::1", "127.0.0.1.attacker.example", "localhost.attacker.example:80"):
        assert make_client(km).get("/", headers={"host": host}).status_code == 400, host
    on_v6 = make_client(km, host="::1")
    assert on_v6.get("/", headers={"host": "[::1]:8000"}).status_code == 200
    other = make_client(km, host="127.0.0.2")  # any loopback address the server is bound to
    assert other.get("/", headers={"host": "127.0.0.2:8000"}).status_code == 200
    public = make_client(km, host="0.0.0.0")
    assert public.get("/", headers={"host": "kingmaker.example"}).status_code == 200


def test_crashes_are_answered_with_the_security_headers(
    km: Kingmaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = TestClient(
        create_app(km, settings()), base_url="http://localhost", raise_server_exceptions=False
    )

    def crash(self: object) -> None:
        raise RuntimeError("/secret/path/store.db exploded")

    monkeypatch.setattr(Views, "races", crash)
    r = client.get("/api/races")
    assert r.status_code == 500 and r.json()["error"]["kind"] == "internal"
    assert "secret" not in r.text
    assert r.headers["content-security-policy"].startswith("default-src 'self'")
    assert r.headers["x-frame-options"] == "DENY"


def test_store_paths_stay_out_of_messages(
    writer: TestClient, km: Kingmaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    label = km.store._label  # type: ignore[attr-defined]

    def answer(message: str) -> str:
        """What a visitor is told when the store fails with ``message``."""

        def fail(*args: object) -> None:
            raise StoreError(message)

        monkeypatch.setattr(Kingmaker, "decide", fail)
        r = writer.post(
            f"/api/races/{NATO}/evidence/x/review", headers=BEARER, json={"decision": "accept"}
        )
        assert r.status_code == 503 and r.json()["error"]["kind"] == "store"
        return str(r.json()["error"]["message"])

    busy = answer(f"{label} is busy (another kingmaker is writing); try again")
    assert busy == "the store is busy; try again" and str(label) not in busy
    unreachable = answer(  # the driver's reason names the server: the log has it
        "cannot connect to postgresql://kim:***@db.internal:5432/km (connection to "
        'server at "10.1.2.3", port 5432 failed: timeout expired); check the URL'
    )
    assert "10.1.2.3" not in unreachable
    nested = answer(
        'cannot connect to the store (connection to server at "db.internal" (10.0.0.5), '
        'port 5432 failed: near ")": bad); check the URL'
    )
    assert nested == "cannot connect to the store; check the URL"


def test_multipart_text_may_use_the_whole_upload_limit(writer: TestClient) -> None:
    # Starlette's own part limit is 1 MiB; ours is the upload limit (2 MiB)
    text = "NATO Secretary General " * (3 * 2**20 // 2 // 23)
    r = writer.post(
        f"/api/races/{NATO}/ingest",
        headers=BEARER,
        data={"text": text, "mode": "gpu"},  # a bad mode: refused after the text is read
        files={"file": ("", b"", "application/octet-stream")},
    )
    assert r.status_code == 422 and "mode" in r.json()["error"]["message"]


def test_malformed_forms_are_invalid_requests(writer: TestClient) -> None:
    fields = {f"f{i}": "x" for i in range(30)}
    r = writer.post(
        f"/api/races/{NATO}/ingest",
        headers=BEARER,
        data=fields,
        files={"file": ("a.txt", b"NATO", "text/plain")},
    )
    assert r.status_code == 400 and r.json()["error"]["kind"] == "invalid"


def test_an_oversized_form_gets_a_page_that_leads_back(writer: TestClient) -> None:
    review = f"/races/{NATO}/review"
    big = b"NATO Secretary General " * (3 * 2**20 // 23)
    r = writer.post(
        f"/api/races/{NATO}/ingest",
        headers={**BEARER, "accept": "text/html", "referer": f"http://localhost{review}"},
        files={"file": ("big.txt", big, "text/plain")},
    )
    assert r.status_code == 413 and r.headers["content-type"].startswith("text/html")
    assert "over the 2 MiB upload limit" in r.text and f'href="{review}" id="back"' in r.text
    assert r.headers["x-frame-options"] == "DENY"
