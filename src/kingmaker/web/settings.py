"""What a kingmaker web server is told at start: where it listens, who may write, limits.

``WebSettings`` is plain data; ``kingmaker serve`` fills it from its options and the
environment (``KINGMAKER_WRITE_TOKEN``, ``KINGMAKER_SESSION_HOURS``), tests build it
directly.
"""

from __future__ import annotations

import ipaddress
import math
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field

from kingmaker.errors import WebError

TOKEN_ENV = "KINGMAKER_WRITE_TOKEN"
SESSION_ENV = "KINGMAKER_SESSION_HOURS"
SESSION_HOURS = 12.0  # a login lasts this long unless KINGMAKER_SESSION_HOURS says otherwise
MIN_TOKEN = 16  # characters; a shorter write token is refused
MAX_UPLOAD = 2 * 2**20  # bytes of one uploaded or pasted document
MAX_HOURS = 24.0 * 366  # the longest session lifetime taken
UPLOAD_SUFFIXES = (".txt", ".text", ".md", ".html", ".htm", ".jsonl", ".json")


@dataclass(frozen=True)
class WebSettings:
    """How the web app runs.

    Attributes:
        write_token: The token that unlocks writing (ingest, review). None: the server is
            read-only for everyone.
        host: Address to bind; localhost unless told otherwise.
        port: Port to bind.
        max_upload: Largest document accepted for ingest, in bytes.
        samples: Monte Carlo samples of a page's forecast.
        timeline_samples: Samples of each day of the page's chart.
        timeline_every: Days between points of the page's chart.
        secret: Key that signs session cookies and CSRF tokens; random per start, so a
            restart logs everybody out.
        session_hours: How long a session (a login) lasts, checked by the server; the
            cookie expires then too. Default: ``KINGMAKER_SESSION_HOURS`` or 12.
        trusted_proxies: Addresses or networks of reverse proxies whose
            ``X-Forwarded-For`` and ``X-Forwarded-Proto`` are believed. Empty (the
            default): those headers are ignored, whoever sends them.
        cache_size: Most forecasts and timelines kept in memory (least recently used
            dropped first).
        compute_rate: New (uncached) forecasts one client address may cause per second,
            on average; the rest are refused with 429.
        compute_burst: New forecasts one client address may cause at once.
        compute_parallel: Most forecasts computed at the same time (the rest wait).
    """

    write_token: str | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    max_upload: int = MAX_UPLOAD
    samples: int = 20_000
    timeline_samples: int = 4_000
    timeline_every: int = 7
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False)
    session_hours: float = field(default_factory=lambda: _session_hours(os.environ))
    trusted_proxies: tuple[str, ...] = ()
    cache_size: int = 128
    compute_rate: float = 1.0
    compute_burst: int = 30
    compute_parallel: int = 2

    def __post_init__(self) -> None:
        if self.write_token is not None and len(self.write_token) < MIN_TOKEN:
            raise WebError(
                f"the write token must be at least {MIN_TOKEN} characters; "
                "make one with: python -c 'import secrets; print(secrets.token_urlsafe())'"
            )
        if not 0 < self.port < 65536:
            raise WebError(f"port {self.port} is not between 1 and 65535")
        if self.max_upload < 1:
            raise WebError("max_upload must be at least 1 byte")
        if not (math.isfinite(self.session_hours) and 0 < self.session_hours <= MAX_HOURS):
            raise WebError(
                f"the session lifetime must be more than 0 and at most {MAX_HOURS:g} hours, "
                f"not {self.session_hours}"
            )
        for proxy in self.trusted_proxies:
            try:
                ipaddress.ip_network(proxy, strict=False)
            except ValueError:
                raise WebError(
                    f"trusted proxy {proxy!r} is not an IP address or network "
                    "(like 10.0.0.5 or 10.0.0.0/24)"
                ) from None
        if self.cache_size < 1 or self.compute_burst < 1 or self.compute_parallel < 1:
            raise WebError("cache_size, compute_burst and compute_parallel must be at least 1")
        if not (math.isfinite(self.compute_rate) and self.compute_rate > 0):
            raise WebError(f"compute_rate must be a positive number, not {self.compute_rate}")

    @property
    def session_seconds(self) -> int:
        """The session lifetime in whole seconds (at least one)."""
        return max(1, round(self.session_hours * 3600))

    @property
    def writable(self) -> bool:
        """Whether anybody can write (a write token is set)."""
        return self.write_token is not None

    @property
    def local_only(self) -> bool:
        """Whether the server is reachable only from this machine."""
        if self.host == "localhost":
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False

    @classmethod
    def from_env(cls, **overrides: object) -> WebSettings:
        """Settings with the write token from ``KINGMAKER_WRITE_TOKEN`` unless given."""
        token = overrides.pop("write_token", None) or os.environ.get(TOKEN_ENV) or None
        return cls(write_token=token, **overrides)  # type: ignore[arg-type]


def _session_hours(env: Mapping[str, str]) -> float:
    """The session lifetime from ``KINGMAKER_SESSION_HOURS``, or the default."""
    given = env.get(SESSION_ENV, "").strip()
    if not given:
        return SESSION_HOURS
    try:
        return float(given)
    except ValueError:
        raise WebError(
            f"{SESSION_ENV}={given!r} is not a number of hours (like 12 or 0.5)"
        ) from None
