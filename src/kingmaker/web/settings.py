"""What a kingmaker web server is told at start: where it listens, who may write, limits.

``WebSettings`` is plain data; ``kingmaker serve`` fills it from its options and the
environment (``KINGMAKER_WRITE_TOKEN``), tests build it directly.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from dataclasses import dataclass, field

from kingmaker.errors import WebError

TOKEN_ENV = "KINGMAKER_WRITE_TOKEN"
MIN_TOKEN = 16  # characters; a shorter write token is refused
MAX_UPLOAD = 2 * 2**20  # bytes of one uploaded or pasted document
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
    """

    write_token: str | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    max_upload: int = MAX_UPLOAD
    samples: int = 20_000
    timeline_samples: int = 4_000
    timeline_every: int = 7
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False)

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
