"""Who may write, and the guards every request passes: sessions, CSRF, body size, headers.

- Reading needs nothing. Writing needs the server's write token: as ``Authorization:
  Bearer <token>`` (scripts), or by logging in once in the browser, which sets a signed,
  HttpOnly, SameSite=Lax session cookie that expires with the session. The server keeps
  the logged-in sessions: logging out, or the session's lifetime passing, ends one for
  good, whoever still holds a copy of its cookie. Wrong tokens, by either way, are
  throttled per address (the connecting address: forwarded headers count only from a
  proxy the operator named).
- A write made with the session cookie must also carry the session's CSRF token (the
  ``csrf_token`` form field or the ``X-CSRF-Token`` header), and an ``Origin`` header, when
  the browser sends one, must be this server.
- Request bodies over the upload limit are refused with 413 before they are read whole.
- A server bound to localhost answers only requests addressed to localhost by name
  (``Host`` header), so a web page elsewhere cannot reach it by DNS rebinding.
- Every response carries a Content-Security-Policy that allows only this server's own
  scripts, so text that slipped past escaping still could not run, a Permissions-Policy
  that turns off camera, microphone and the like, and, over https, HSTS.
"""

from __future__ import annotations

import email.utils
import hashlib
import hmac
import html
import ipaddress
import secrets
import threading
import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

from fastapi import Request
from itsdangerous import BadSignature, Signer, URLSafeSerializer
from starlette.datastructures import FormData
from starlette.responses import HTMLResponse, JSONResponse, Response

from kingmaker.errors import KingmakerError
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
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}
HSTS = ("strict-transport-security", "max-age=31536000")  # only on answers over https

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class HTTPProblem(KingmakerError):
    """An error of the web front end itself (a bad body, a login, a limit), in the tree as
    every error is, answered with its own ``status`` and a one-line ``message``."""

    def __init__(self, status: int, message: str, kind: str = "error") -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.kind = kind


@dataclass(frozen=True)
class Session:
    """A browser's session: a random id, the reviewer name once logged in, and when it
    ends (Unix time; 0 until the server sets it)."""

    sid: str
    writer: bool = False
    name: str = ""
    expires: float = 0.0


class SessionStore:
    """The logged-in sessions this server holds, each with its end: a writing session
    counts only while it is here, so logging out (``revoke``) ends it for every copy of
    its cookie. Ended sessions are forgotten; at most ``size`` are kept (the oldest
    login is dropped first, which logs it out)."""

    def __init__(self, size: int = 10_000) -> None:
        self.size = size
        self._ends: dict[str, float] = {}  # oldest login first
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._ends)

    def add(self, sid: str, expires: float) -> None:
        """Hold session ``sid`` until ``expires`` (Unix time)."""
        with self._lock:
            now = time.time()
            for old in [s for s, end in self._ends.items() if end <= now]:
                del self._ends[old]
            while len(self._ends) >= self.size:
                del self._ends[next(iter(self._ends))]
            self._ends[sid] = expires

    def revoke(self, sid: str) -> None:
        """End session ``sid`` now."""
        with self._lock:
            self._ends.pop(sid, None)

    def live(self, sid: str) -> bool:
        """Whether session ``sid`` is held and has not expired."""
        with self._lock:
            return self._ends.get(sid, 0.0) > time.time()


@dataclass(frozen=True)
class Writer:
    """Who is writing: the reviewer name recorded with review decisions."""

    name: str
    via: str  # "token" or "session"


_SIGNING = {"digest_method": hashlib.sha256}  # itsdangerous signs with HMAC-SHA1 by default


def encode_session(settings: WebSettings, session: Session) -> str:
    """The cookie value: the session as JSON, signed (itsdangerous, HMAC-SHA256)."""
    serializer = URLSafeSerializer(settings.secret, "session", signer_kwargs=_SIGNING)
    return serializer.dumps(session.__dict__)


def decode_session(settings: WebSettings, value: str | None) -> Session | None:
    """The session in a cookie value, or None when it is absent, forged, malformed or
    expired."""
    if not value:
        return None
    serializer = URLSafeSerializer(settings.secret, "session", signer_kwargs=_SIGNING)
    try:
        data = serializer.loads(value)
        found = Session(
            sid=str(data["sid"]),
            writer=bool(data["writer"]),
            name=str(data["name"]),
            expires=float(data["expires"]),
        )
    except (BadSignature, ValueError, KeyError, TypeError):
        return None
    return found if found.expires > time.time() else None


def new_session(lifetime: float = 0.0) -> Session:
    """A fresh anonymous session, ending ``lifetime`` seconds from now (when given)."""
    return Session(sid=secrets.token_urlsafe(16), expires=time.time() + lifetime if lifetime else 0)


def session_of(request: Request) -> Session:
    """The request's session (a new anonymous one when it has none); the middleware sets
    the cookie when it is new."""
    found: Session = request.state.session
    return found


def csrf_token(settings: WebSettings, session: Session) -> str:
    """The CSRF token of a session: forms and scripts send it back with every write."""
    signer = Signer(settings.secret, "csrf", digest_method=hashlib.sha256)
    return signer.get_signature(session.sid).decode()


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
    """The address a request came from, as the throttles count it: the connecting
    address, or the one a trusted proxy forwarded (``WebSettings.trusted_proxies``)."""
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
    responses to requests that came without a valid one (a writing session the server
    no longer holds is not valid), with the security headers on every response."""

    def __init__(self, app: ASGIApp, settings: WebSettings, sessions: SessionStore) -> None:
        self.app = app
        self.settings = settings
        self.sessions = sessions

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cookies = Request(scope).cookies
        session = decode_session(self.settings, cookies.get(COOKIE))
        if session is not None and session.writer and not self.sessions.live(session.sid):
            session = None  # logged out or dropped: a copy of the cookie writes no more
        fresh = session is None
        state = scope.setdefault("state", {})
        state["session"] = session or new_session(self.settings.session_seconds)

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += security_headers(scope)
                replaced = state.get("set_session")
                if fresh or replaced is not None:
                    headers.append(
                        (b"set-cookie", self._cookie(scope, replaced or state["session"]))
                    )
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_cookie)

    def _cookie(self, scope: Scope, session: Session) -> bytes:
        value = encode_session(self.settings, session)
        age = max(0, int(session.expires - time.time()))
        expires = email.utils.formatdate(session.expires, usegmt=True)
        cookie = (
            f"{COOKIE}={value}; Path=/; Max-Age={age}; Expires={expires}; HttpOnly; SameSite=Lax"
        )
        if scope.get("scheme") == "https":
            cookie += "; Secure"
        return cookie.encode()


def security_headers(scope: Scope) -> list[tuple[bytes, bytes]]:
    """The headers every answer carries (HSTS only over https)."""
    headers = [(k.encode(), v.encode()) for k, v in HEADERS.items()]
    if scope.get("scheme") == "https":
        headers.append((HSTS[0].encode(), HSTS[1].encode()))
    return headers


def set_session(request: Request, session: Session) -> None:
    """Replace the session; the middleware writes the new cookie on the response. The
    session replaced, when it could write, ends on the server (logout, or a new login);
    the new one lasts the settings' session lifetime and, when it can write, is held."""
    settings: WebSettings = request.app.state.settings
    sessions: SessionStore = request.app.state.sessions
    old = session_of(request)
    if old.writer:
        sessions.revoke(old.sid)
    session = replace(session, expires=time.time() + settings.session_seconds)
    if session.writer:
        sessions.add(session.sid, session.expires)
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
        if length is not None and (
            not (length.isascii() and length.isdigit()) or int(length) > self.limit
        ):
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
        key = throttle_key(address)
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
        """Forget the quiet addresses at the front (the table is in order of last failure
        or check), then, while full, the longest quiet: each entry is dropped once, so a
        full table costs no scan of it (one was 12 ms a wrong token at 4,096 addresses)."""
        if len(self._failures) < self.size:
            return
        failures = self._failures
        while failures and now - failures[next(iter(failures))][-1] >= self.window:
            del failures[next(iter(failures))]
        while len(failures) >= self.size:
            del failures[next(iter(failures))]


def throttle_key(address: str) -> str:
    """The key an address counts under: IPv4 as is, IPv6 by its /64 network."""
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
