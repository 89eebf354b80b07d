"""Fetching feeds and pages over HTTP(S) politely: the one place kingmaker reaches the network.

``Fetcher.get`` sends a conditional request (the ETag and Last-Modified of the body read
before), retries what may pass (no answer, a timeout, 429, 5xx) with exponential backoff,
keeps a minimum interval between requests to one host, names itself in the User-Agent,
and streams the body, stopping at a size limit. It never raises for what a server or the
network does: the outcome, good or bad, is a ``Fetched`` with a one-line ``error``.
``Fetcher.post_json`` sends an alert to a webhook under the same rules.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlsplit

import httpx

from kingmaker.errors import IngestError


def _version() -> str:
    try:
        return importlib.metadata.version("kingmaker")
    except importlib.metadata.PackageNotFoundError:  # run from a source tree, not installed
        return "unknown"


USER_AGENT = f"kingmaker/{_version()} (news watcher for selection-race forecasts)"
MAX_BYTES = 10 * 2**20
"""Largest body read (a feed or a page; a long article page is well under 1 MiB)."""
RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})


def is_url(text: str) -> bool:
    """Whether an input names an http(s) URL rather than a file."""
    return text.lower().startswith(("http://", "https://"))


def check_url(url: str) -> str:
    """The URL, stripped, when it is an absolute http(s) URL with a host.

    Raises:
        IngestError: naming the URL and what to fix.
    """
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise IngestError(f"'{url}' is not an http:// or https:// URL with a host")
    return url


@dataclass(frozen=True)
class FetchSettings:
    """How politely and how long to fetch.

    Attributes:
        timeout: Seconds to wait to connect, and between bytes of an answer.
        max_seconds: Seconds one attempt may take in all (a server trickling bytes).
        retries: Attempts after the first, for what may pass on its own.
        backoff: Seconds before the first retry; doubled before each next one.
        max_backoff: Longest wait before a retry (also caps a server's Retry-After).
        host_interval: Least seconds between the starts of two requests to one host.
        max_bytes: Largest body read; a larger one is refused, and read no further.
        user_agent: How kingmaker names itself to servers.
    """

    timeout: float = 20.0
    max_seconds: float = 60.0
    retries: int = 3
    backoff: float = 1.0
    max_backoff: float = 60.0
    host_interval: float = 1.0
    max_bytes: int = MAX_BYTES
    user_agent: str = USER_AGENT


@dataclass(frozen=True)
class Fetched:
    """The outcome of one fetch (after its retries).

    Attributes:
        url: The URL asked for.
        status: HTTP status of the last answer; None when no answer came.
        data: The body, on a 200 answer read whole; else None.
        etag: ETag of the answer (for the next conditional request).
        last_modified: Last-Modified of the answer, as sent.
        error: Why nothing usable came, in one line; None on success and on 304.
        attempts: Requests sent.
    """

    url: str
    status: int | None = None
    data: bytes | None = None
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None
    attempts: int = 0

    @property
    def not_modified(self) -> bool:
        """The server said the body is the one read before (304)."""
        return self.status == 304

    @property
    def sha256(self) -> str | None:
        """Digest of the body, when one was read."""
        return None if self.data is None else hashlib.sha256(self.data).hexdigest()


class HostPacer:
    """Keeps a least interval between the starts of requests to one host (thread-safe)."""

    def __init__(
        self,
        interval: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.interval = interval
        self._clock = clock
        self._sleep = sleep
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, url: str) -> float:
        """Wait until a request to the URL's host may start; the seconds waited."""
        parts = urlsplit(url)
        host = f"{(parts.hostname or '').lower()}:{parts.port or ''}"
        with self._lock:
            now = self._clock()
            start = max(now, self._next.get(host, now))
            self._next[host] = start + self.interval
        if start > now:
            self._sleep(start - now)
        return start - now


class _TooBig(Exception):
    """The body is over the size limit."""


class _TooSlow(Exception):
    """The attempt took longer than ``max_seconds``."""


@dataclass
class Fetcher:
    """An HTTP client with kingmaker's manners; close it when done.

    Args:
        settings: Timeouts, retries, pacing and limits.
        sleep: How to wait (tests pass a recorder).
        transport: An httpx transport in place of the network (tests).
    """

    settings: FetchSettings = field(default_factory=FetchSettings)
    sleep: Callable[[float], None] = time.sleep
    transport: httpx.BaseTransport | None = None
    _client: httpx.Client = field(init=False, repr=False)
    _pacer: HostPacer = field(init=False, repr=False)

    def __post_init__(self) -> None:
        s = self.settings
        self._client = httpx.Client(
            headers={"User-Agent": s.user_agent},
            timeout=httpx.Timeout(s.timeout),
            follow_redirects=True,
            max_redirects=5,
            transport=self.transport,
        )
        self._pacer = HostPacer(s.host_interval, sleep=self.sleep)

    def close(self) -> None:
        """Close the connections."""
        self._client.close()

    def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str = "application/rss+xml, application/atom+xml, application/xml;q=0.9, "
        "text/html;q=0.8, */*;q=0.5",
    ) -> Fetched:
        """GET a URL, conditionally when ``etag`` or ``last_modified`` is given.

        Returns:
            200: the body in ``data``; 304: ``not_modified``; anything else: ``error``.
        """
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self._send(url, "GET", headers=headers)

    def post_json(self, url: str, payload: Mapping[str, Any]) -> Fetched:
        """POST a JSON document (an alert to a webhook); success is any 2xx answer."""
        return self._send(url, "POST", json=dict(payload))

    def _send(
        self, url: str, method: str, *, headers: dict[str, str] | None = None, json: Any = None
    ) -> Fetched:
        try:
            url = check_url(url)
        except IngestError as exc:
            return Fetched(url=url, error=str(exc))
        s = self.settings
        attempts = 0
        while True:
            attempts += 1
            self._pacer.wait(url)
            outcome, wait = self._attempt(url, method, headers, json)
            outcome = replace(outcome, attempts=attempts)
            if wait is None or attempts > s.retries:
                if wait is not None and outcome.error:
                    tries = "try" if attempts == 1 else "tries"
                    outcome = replace(outcome, error=f"{outcome.error} after {attempts} {tries}")
                return outcome
            backoff = min(s.backoff * 2 ** (attempts - 1), s.max_backoff)
            self.sleep(max(backoff, min(wait, s.max_backoff)))

    def _attempt(
        self, url: str, method: str, headers: dict[str, str] | None, json: Any
    ) -> tuple[Fetched, float | None]:
        """One request: its outcome, and the least seconds to wait before retrying it
        (None: do not retry)."""
        s = self.settings
        started = time.monotonic()
        try:
            with self._client.stream(method, url, headers=headers, json=json) as response:
                status = response.status_code
                got = Fetched(
                    url=url,
                    status=status,
                    etag=response.headers.get("ETag"),
                    last_modified=response.headers.get("Last-Modified"),
                )
                if status == 304 or (method == "POST" and 200 <= status < 300):
                    return got, None
                if status != 200:
                    why = f"HTTP {status} {response.reason_phrase}".rstrip()
                    failed = replace(got, error=why)
                    if status in RETRY_STATUSES:
                        return failed, _retry_after(response.headers.get("Retry-After"))
                    return failed, None
                data = self._read(response, started)
        except _TooBig:
            limit = s.max_bytes / 2**20
            return Fetched(
                url=url, status=200, error=f"over the {limit:g} MiB limit; not read further"
            ), None
        except _TooSlow:
            return Fetched(url=url, error=f"took over {s.max_seconds:g} s; stopped"), 0.0
        except httpx.TimeoutException:
            return Fetched(url=url, error=f"timed out (no answer within {s.timeout:g} s)"), 0.0
        except httpx.TooManyRedirects:
            return Fetched(url=url, error="too many redirects"), None
        except httpx.UnsupportedProtocol as exc:
            return Fetched(url=url, error=f"cannot fetch ({_one_line(exc)})"), None
        except httpx.TransportError as exc:
            return Fetched(url=url, error=f"no answer ({_one_line(exc)})"), 0.0
        return replace(got, data=data), None

    def _read(self, response: httpx.Response, started: float) -> bytes:
        """The body, streamed, refused past ``max_bytes`` (declared or read) or
        ``max_seconds``."""
        s = self.settings
        declared = response.headers.get("Content-Length", "")
        if declared.isascii() and declared.isdigit() and int(declared) > s.max_bytes:
            raise _TooBig
        parts: list[bytes] = []
        got = 0
        for chunk in response.iter_bytes():
            got += len(chunk)
            if got > s.max_bytes:
                raise _TooBig
            if time.monotonic() - started > s.max_seconds:
                raise _TooSlow
            parts.append(chunk)
        return b"".join(parts)


def _retry_after(value: str | None) -> float:
    """Seconds a Retry-After header asks for (0 when absent or a date)."""
    with contextlib.suppress(ValueError, TypeError):
        return max(0.0, float(value))  # type: ignore[arg-type]
    return 0.0


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text[:200] or type(exc).__name__
