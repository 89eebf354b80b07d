"""What keeps reads from overwhelming the server: a bounded cache that computes each
missing answer once, a cap on forecasts computed at once, and a per-client rate limit on
new (uncached) forecasts.

- ``Cache`` is an LRU map of at most ``size`` answers. When many requests ask for the same
  missing answer at once, one computes it and the others wait for it (single flight).
- At most ``parallel`` answers are computed at the same time; the rest wait their turn,
  so memory stays bounded however many clients ask.
- ``ComputeLimiter`` gives each client address a token bucket: a request that names a
  day (``as_of`` or ``until``) and makes the server compute something new takes one token
  (one per request, however many answers it computes); an empty bucket answers 429.
  Cached answers are never limited, nor are the pages of each race's default day: there
  are only a few of those, recomputed once after a write, whoever asks first.
- ``bound_heap`` and ``release_freed`` keep the C heap from growing with the threads
  (glibc only): a forecast's arrays, freed, stayed resident in the malloc arena of the
  thread that computed them (up to 8 arenas per core), and under load the server grew
  by over 100 MiB that way.
"""

from __future__ import annotations

import contextvars
import ctypes
import platform
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from fastapi import Request

from kingmaker.web.security import (
    ASGIApp,
    HTTPProblem,
    Receive,
    Scope,
    Send,
    client_address,
    throttle_key,
)

T = TypeVar("T")
DAY_PARAMS = ("as_of", "until")  # the query parameters that pick a forecast's day
M_ARENA_MAX = -8  # glibc's mallopt parameter: most malloc arenas
HEAP_ARENAS = 2  # the server's: as many as forecasts computed at once by default


def _glibc() -> ctypes.CDLL | None:
    """The running process's C library where it is glibc (mallopt, malloc_trim), or None."""
    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        return None
    try:
        return ctypes.CDLL(None)
    except OSError:
        return None


_LIBC = _glibc()


def bound_heap(arenas: int = HEAP_ARENAS) -> bool:
    """Let the process's threads share at most ``arenas`` malloc arenas (glibc: else up
    to 8 per core, each keeping what its threads freed); whether it was set. For a
    server, before it starts its threads."""
    return _LIBC is not None and _LIBC.mallopt(M_ARENA_MAX, arenas) == 1


def release_freed() -> None:
    """Give the memory freed in the C heap back to the system (glibc's malloc_trim),
    so that one large computation does not leave the server that much bigger."""
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


@dataclass
class Asker:
    """The client of the request being answered, and whether it has paid already (or
    never pays: a request naming no day)."""

    address: str
    charged: bool = False


ASKER: contextvars.ContextVar[Asker | None] = contextvars.ContextVar(
    "kingmaker_asker", default=None
)


class ComputeLimiter:
    """Token buckets per client address: ``burst`` tokens, refilled at ``rate`` per second.

    IPv6 addresses count by their /64 network. The table holds at most ``size``
    addresses; when full, the longest quiet is dropped (it had a full bucket anyway or
    soon would).
    """

    def __init__(self, rate: float, burst: int, size: int = 4096) -> None:
        self.rate = rate
        self.burst = burst
        self.size = size
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._buckets)

    def take(self, address: str) -> None:
        """Take a token for ``address``, or raise a 429 problem when it has none left."""
        key = throttle_key(address)
        with self._lock:
            now = time.monotonic()
            tokens, last = self._buckets.pop(key, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - last) * self.rate)
            if tokens < 1:
                self._buckets[key] = (tokens, now)
                wait = max(1, round((1 - tokens) / self.rate))
                raise HTTPProblem(
                    429,
                    f"too many new forecasts from this address; wait {wait} s, "
                    "or ask for a day already shown",
                    "throttled",
                )
            while len(self._buckets) >= self.size:
                self._buckets.popitem(last=False)
            self._buckets[key] = (tokens - 1, now)

    def charge(self) -> None:
        """Take a token for the request being answered, once per request (nothing when
        there is no request: a test or a script calling the views directly)."""
        asker = ASKER.get()
        if asker is None or asker.charged:
            return
        self.take(asker.address)
        asker.charged = True


class AskerMiddleware:
    """Records the client address of each HTTP request for ``ComputeLimiter.charge``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        names_day = any(k in DAY_PARAMS for k in request.query_params)
        token = ASKER.set(Asker(client_address(request), charged=not names_day))
        try:
            await self.app(scope, receive, send)
        finally:
            ASKER.reset(token)


class _Flight:
    """One computation under way, which other requests for the same key wait for."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.ok = False
        self.value: Any = None


class Cache:
    """A thread-safe LRU map from keys to computed values, computing each missing key once.

    Args:
        size: Most values kept.
        parallel: Most computations running at once (nested ones, made by a computation
            for another key, do not count twice).
        before_compute: Called before each computation (the rate limit); what it raises
            is raised to the caller, and nothing is computed.
    """

    def __init__(
        self,
        size: int = 128,
        parallel: int = 2,
        before_compute: Callable[[], None] | None = None,
    ) -> None:
        self.size = size
        self._data: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self._flights: dict[tuple[Any, ...], _Flight] = {}
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(parallel)
        self._holding = threading.local()
        self._before = before_compute
        self.hits = 0
        self.misses = 0
        self.waits = 0  # requests that waited for another's computation instead of computing

    def __len__(self) -> int:
        return len(self._data)

    def get(
        self, key: tuple[Any, ...], compute: Callable[[], T], keep: Callable[[], bool] | None = None
    ) -> T:
        """The cached value of ``key``; if missing, computed (outside the lock, once for
        all who ask meanwhile) and kept if ``keep()`` (when given) says it is still good
        once computed. Those who waited get the value either way; if the computation
        failed, each of them tries again itself."""
        while True:
            with self._lock:
                if key in self._data:
                    self._data.move_to_end(key)
                    self.hits += 1
                    value: T = self._data[key]
                    return value
                flight = self._flights.get(key)
                if flight is None:
                    flight = self._flights[key] = _Flight()
                    break
                self.waits += 1
            flight.done.wait()
            if flight.ok:
                waited: T = flight.value
                return waited
        try:
            if self._before is not None:
                self._before()
            with self._lock:
                self.misses += 1  # computed (a refused computation is no miss)
            value = self._run(compute)
            flight.value, flight.ok = value, True
            if keep is None or keep():
                with self._lock:
                    self._data[key] = value
                    while len(self._data) > self.size:
                        self._data.popitem(last=False)
            return value
        finally:
            with self._lock:
                del self._flights[key]
            flight.done.set()

    def _run(self, compute: Callable[[], T]) -> T:
        if getattr(self._holding, "slot", False):  # nested: this thread holds a slot
            return compute()
        with self._slots:
            self._holding.slot = True
            try:
                return compute()
            finally:
                self._holding.slot = False
                release_freed()  # its arrays, freed: not kept for the next one
