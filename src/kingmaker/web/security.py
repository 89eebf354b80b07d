"""Who may write, and the guards every request passes: sessions, CSRF, body size, headers.

- Reading needs nothing. Writing needs the server's write token: as ``Authorization:
  Bearer <token>`` (scripts), or by logging in once in the browser, which sets a signed,
  HttpOnly, SameSite=Lax session cookie. Wrong tokens, by either way, are throttled per
  address.
- A write made with the session cookie must also carry the session's CSRF token (the
  ``csrf_token`` form field or the ``X-CSRF-Token`` header), and an ``Origin`` header, when
  the browser sends one, must be this server.
- Request bodies over the upload limit are refused with 413 before they are read whole.
- A server bound to localhost answers only requests addressed to localhost by name
  (``Host`` header), so a web page elsewhere cannot reach it by DNS rebinding.
- Every response carries a Content-Security-Policy that allows only this server's own
  scripts, so text that slipped past escaping still could not run.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import ipaddress
import json
import secrets
import threading
import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from fastapi import Request
from starlette.datastructures import FormData
from starlette.responses import HTMLResponse, JSONResponse, Response

from kingmaker.web.settings import WebSettings

COOKIE = "kingmaker_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
REVIEWER_HEADER = "x-reviewer"
MAX_NAME = 60
FORM_OVERHEAD = 64 * 1024  # multipart headers and the other fields beside an upload
LOCAL_NAMES = ("localhost", "127.0.0.1", "[::1]")  # Host names a localhost server answers
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",  # no-referrer makes form posts say Origin: null
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
}

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class HTTPProblem(Exception):
    """An error to answer with ``status`` and a one-line ``message`` (JSON or a page)."""

    def __init__(self, status: int, message: str, kind: str = "error") -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.kind = kind


@dataclass(frozen=True)
class Session:
    """A browser's session: a random id, and the reviewer name once logged in."""

    sid: str
    writer: bool = False
    name: str = ""


@dataclass(frozen=True)
class Writer:
    """Who is writing: the reviewer name recorded with review decisions."""

    name: str
    via: str  # "token" or "session"


def _sign(secret: bytes, payload: bytes) -> str:
    return hmac.new(secret, payload, hashlib.sha256).hexdigest()


def encode_session(settings: WebSettings, session: Session) -> str:
    """The cookie value: the session as base64 JSON, a dot, and its signature."""
    body = base64.urlsafe_b64encode(json.dumps(session.__dict__).encode()).decode()
    return f"{body}.{_sign(settings.secret, body.encode())}"


def decode_session(settings: WebSettings, value: str | None) -> Session | None:
    """The session in a cookie value, or None when it is absent, forged or malformed."""
    if not value or value.count(".") != 1:
        return None
    body, sig = value.split(".")
    if not hmac.compare_digest(sig, _sign(settings.secret, body.encode())):
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(body.encode()))
        return Session(sid=str(data["sid"]), writer=bool(data["writer"]), name=str(data["name"]))
    except (ValueError, KeyError, TypeError):
        return None


def new_session() -> Session:
    """A fresh anonymous session."""
    return Session(sid=secrets.token_urlsafe(16))


def session_of(request: Request) -> Session:
    """The request's session (a new anonymous one when it has none); the middleware sets
    the cookie when it is new."""
    found: Session = request.state.session
    return found


def csrf_token(settings: WebSettings, session: Session) -> str:
    """The CSRF token of a session: forms and scripts send it back with every write."""
    return _sign(settings.secret, f"csrf:{session.sid}".encode())


def clean_name(name: str) -> str:
    """A reviewer name: printable, trimmed, at most ``MAX_NAME`` characters."""
    text = " ".join("".join(ch for ch in name if ch.isprintable()).split())[:MAX_NAME]
    if not text:
        raise HTTPProblem(422, "give a reviewer name (letters, up to 60 characters)", "invalid")
    return text


def check_token(settings: WebSettings, token: str) -> bool:
    """Whether ``token`` is the server's write token (constant-time comparison)."""
    want = settings.write_token
    return want is not None and hmac.compare_digest(token.encode(), want.encode())


def check_csrf(settings: WebSettings, session: Session, sent: str | None) -> None:
    """Raise a 403 problem unless ``sent`` is the session's CSRF token (compared as bytes,
    so any text, ASCII or not, is simply wrong)."""
    want = csrf_token(settings, session).encode()
    if not sent or not hmac.compare_digest(sent.encode(), want):
        raise HTTPProblem(403, "missing or stale CSRF token; reload the page and try again", "csrf")


async def read_form(request: Request) -> FormData:
    """The request's form, parsed once (Starlette keeps it) with the upload limits: one
    file, a few fields, and no part over the upload limit."""
    settings: WebSettings = request.app.state.settings
    return await request.form(
        max_files=1, max_fields=20, max_part_size=settings.max_upload + FORM_OVERHEAD
    )


def client_address(request: Request) -> str:
    """The address a request came from, as the throttle counts it (the proxy's address
    when the server sits behind one)."""
    return request.client.host if request.client else "unknown"


async def require_writer(request: Request) -> Writer:
    """Dependency of every write route: who writes, or a 401/403 problem saying why not."""
    settings: WebSettings = request.app.state.settings
    if not settings.writable:
        raise HTTPProblem(
            403,
            "this server is read-only; start it with --write-token (or KINGMAKER_WRITE_TOKEN) "
            "to ingest and review",
            "read_only",
        )
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        throttle: LoginThrottle = request.app.state.login_throttle
        token = auth[7:].strip()
        if not throttle.verify(client_address(request), lambda: check_token(settings, token)):
            raise HTTPProblem(401, "the bearer token is not this server's write token", "auth")
        return Writer(name=clean_name(request.headers.get(REVIEWER_HEADER, "api")), via="token")
    session = session_of(request)
    if not session.writer:
        raise HTTPProblem(401, "log in with the write token first (/login)", "auth")
    origin = request.headers.get("origin")
    if origin is not None and origin != _own_origin(request):
        raise HTTPProblem(403, "cross-site request refused (the Origin is not this server)", "csrf")
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and "form" in request.headers.get("content-type", ""):
        sent = str((await read_form(request)).get(CSRF_FIELD) or "")
    check_csrf(settings, session, sent)
    return Writer(name=session.name, via="session")


def _own_origin(request: Request) -> str:
    host = request.headers.get("host", "")
    return f"{request.url.scheme}://{host}"


class SessionMiddleware:
    """Reads the signed session cookie into ``request.state.session`` and sets one on
    responses to requests that came without a valid one."""

    def __init__(self, app: ASGIApp, settings: WebSettings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cookies = Request(scope).cookies
        session = decode_session(self.settings, cookies.get(COOKIE))
        fresh = session is None
        scope.setdefault("state", {})["session"] = session or new_session()

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [(k.encode(), v.encode()) for k, v in HEADERS.items()]
                replaced = scope["state"].get("set_session")
                if fresh or replaced is not None:
                    value = encode_session(self.settings, replaced or scope["state"]["session"])
                    cookie = f"{COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax"
                    if scope.get("scheme") == "https":
                        cookie += "; Secure"
                    headers.append((b"set-cookie", cookie.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_cookie)


def set_session(request: Request, session: Session) -> None:
    """Replace the session; the middleware writes the new cookie on the response."""
    request.scope["state"]["set_session"] = session


def local_names(settings: WebSettings) -> frozenset[str]:
    """The ``Host`` names a server bound to localhost answers: the usual local names and
    the address it is bound to (bracketed when IPv6, as a Host header writes it)."""
    bound = settings.host.lower()
    return frozenset((*LOCAL_NAMES, f"[{bound}]" if ":" in bound else bound))


class LocalHostMiddleware:
    """Refuses, with a 400 problem, requests whose ``Host`` is not a local name, so that a
    web page elsewhere cannot read a localhost server by DNS rebinding."""

    def __init__(self, app: ASGIApp, names: frozenset[str], port: int) -> None:
        self.app = app
        self.names = names
        self.port = port

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        host = dict(scope.get("headers", [])).get(b"host", b"").decode("latin-1").lower()
        name = host.rsplit(":", 1)[0] if host.rsplit(":", 1)[-1].isdigit() else host
        if name in self.names:
            await self.app(scope, receive, send)
            return
        message = (
            "this server answers only requests addressed to it as localhost; "
            f"open it at http://localhost:{self.port}/"
        )
        response = JSONResponse(problem_body(400, message, "host"), status_code=400)
        await response(scope, receive, send)


class BodyLimitMiddleware:
    """Refuses request bodies over ``limit`` bytes with 413, by Content-Length when given,
    else while the body streams in (nothing is read past the limit)."""

    def __init__(self, app: ASGIApp, limit: int, shown: int | None = None) -> None:
        self.app = app
        self.limit = limit
        self.shown = shown or limit  # the limit people are told (the upload limit)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers", [])).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.limit):
            await self._refuse(scope, receive, send)
            return
        seen = 0
        started = False

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise _TooLarge
            return message

        async def tracking(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, tracking)
        except _TooLarge:
            if not started:
                await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        over = f"the request is over the {mib(self.shown)} upload limit; send less"
        request = Request(scope)
        response: Response = JSONResponse(problem_body(413, over, "size"), status_code=413)
        if "text/html" in request.headers.get("accept", ""):  # a form: a page, not JSON
            back = came_from(request)
            link = (
                f'<a href="{html.escape(back)}" id="back">Back to the page you came from</a> · '
                if back
                else ""
            )
            response = HTMLResponse(
                TOO_LARGE_PAGE.format(message=html.escape(over), back=link), status_code=413
            )
        await response(scope, receive, send)


TOO_LARGE_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>413 · kingmaker</title>
<link rel="stylesheet" href="/static/style.css">
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml"></head>
<body><main><h1>413 Too large</h1>
<p class="error" id="error-message" data-kind="size">{message}</p>
<p>{back}<a href="/">The races</a></p></main></body></html>
"""


class _TooLarge(Exception):
    pass


class LoginThrottle:
    """Refuses an address's logins and token writes after ``limit`` wrong tokens within
    ``window`` seconds, so that a token cannot be guessed by trying many.

    IPv6 addresses count by their /64 network (one host usually holds a whole /64).
    Addresses with no recent failure are forgotten, and the table never holds more than
    ``size`` addresses: when full of recent ones, the longest quiet is dropped.
    """

    def __init__(self, limit: int = 5, window: float = 60.0, size: int = 4096) -> None:
        self.limit = limit
        self.window = window
        self.size = size
        self._failures: dict[str, list[float]] = {}  # oldest last failure first
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._failures)

    def verify(self, address: str, check: Callable[[], bool]) -> bool:
        """Run ``check`` (does the token match?) for a request from ``address`` and record
        a failure; raise a 429 problem, without checking, when the address has failed
        ``limit`` times lately. Check and record happen together, so parallel guesses
        cannot slip past the count."""
        key = _throttle_key(address)
        with self._lock:
            now = time.monotonic()
            recent = self._recent(key, now)
            if len(recent) >= self.limit:
                raise HTTPProblem(
                    429, "too many wrong tokens from this address; wait a minute", "throttled"
                )
            if check():
                return True
            if key not in self._failures:
                self._make_room(now)
            self._failures[key] = [*recent, now]  # re-inserted: now the newest
            return False

    def _recent(self, key: str, now: float) -> list[float]:
        kept = [t for t in self._failures.pop(key, []) if now - t < self.window]
        if kept:
            self._failures[key] = kept
        return kept

    def _make_room(self, now: float) -> None:
        if len(self._failures) < self.size:
            return
        for stale in list(self._failures):
            self._recent(stale, now)
        while len(self._failures) >= self.size:
            del self._failures[next(iter(self._failures))]


def _throttle_key(address: str) -> str:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def safe_path(target: str, default: str) -> str:
    """``target`` when it is a path on this server, else ``default`` (no open redirect)."""
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


def came_from(request: Request) -> str | None:
    """The page of this server the visitor came from (its form, say), to go back to."""
    referer = urlsplit(request.headers.get("referer", ""))
    if referer.netloc != request.headers.get("host") or referer.path == request.url.path:
        return None
    path = referer.path + (f"?{referer.query}" if referer.query else "")
    return safe_path(path, "") or None


def mib(size: int) -> str:
    """A size limit for people: ``2 MiB``, ``1.5 MiB``, ``1,000 bytes``."""
    if size < 2**20:
        return f"{size:,} bytes"
    return f"{size / 2**20:.1f}".removesuffix(".0") + " MiB"


def problem_body(status: int, message: str, kind: str) -> dict[str, Any]:
    """The one shape of every JSON error: ``{"error": {"status", "kind", "message"}}``."""
    return {"error": {"status": status, "kind": kind, "message": message}}
