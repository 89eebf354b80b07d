"""Several server processes on one port: ``kingmaker serve --workers N``.

uvicorn's supervisor (this process) listens on the port and starts N worker processes
that take turns accepting its connections. Each worker opens the store itself (with a
PostgreSQL store, a connection pool of its own) and builds the app with ``app``, from
what the supervisor put in ``KINGMAKER_SERVE_WORKER``. What must agree between workers
comes from the supervisor:

- the settings, with the key that signs session cookies and CSRF tokens, so that a cookie
  one worker set is good at the others;
- the logged-in sessions and the count of wrong tokens per address, which the supervisor
  holds and the workers ask over a local socket (a ``multiprocessing`` manager on
  127.0.0.1; a client must prove it holds a random 32-byte key before anything else), so
  that logging out ends a session everywhere and a guesser gets five tries a minute in
  all, not five per worker.

Each worker keeps its own cache of forecasts (checked against the store's race versions,
so never stale) and its own limits on new forecasts: with N workers a client may cause
up to N times as many, and the server computes up to N times ``compute_parallel`` at once.
"""

from __future__ import annotations

import atexit
import dataclasses
import gc
import json
import os
import threading
from dataclasses import dataclass
from multiprocessing.managers import BaseManager
from typing import TYPE_CHECKING, Any, Protocol, cast

from kingmaker.errors import WebError
from kingmaker.service import Kingmaker, open_store
from kingmaker.web.limits import bound_heap
from kingmaker.web.security import HTTPProblem, LoginThrottle, SessionStore
from kingmaker.web.settings import WebSettings

if TYPE_CHECKING:
    from collections.abc import Callable

    from fastapi import FastAPI

CONFIG_ENV = "KINGMAKER_SERVE_WORKER"
"""The environment variable that hands a worker its configuration (JSON)."""


@dataclass(frozen=True)
class WorkerConfig:
    """What every worker is told: the store, the service's and the app's settings."""

    db: str | None
    pool_size: int | None
    review_threshold: float
    settings: WebSettings

    def to_json(self) -> str:
        web = dataclasses.asdict(self.settings)
        web["secret"] = self.settings.secret.hex()
        return json.dumps({**dataclasses.asdict(self), "settings": web})

    @classmethod
    def from_json(cls, text: str) -> WorkerConfig:
        data = json.loads(text)
        web = data.pop("settings")
        web["secret"] = bytes.fromhex(web["secret"])
        web["trusted_proxies"] = tuple(web["trusted_proxies"])
        return cls(**data, settings=WebSettings(**web))


class Ledger:
    """The wrong-token counts of all workers, held by the supervisor: a worker compares
    the token and the ledger counts the outcome, refusing (and counting nothing) while
    the address is over the limit; count and verdict happen together."""

    def __init__(self, throttle: LoginThrottle) -> None:
        self._throttle = throttle

    def verify(self, address: str, right: bool) -> tuple[int, str, str] | bool:
        """True or False (the token was right or wrong), or the 429 problem's
        (status, message, kind) when the address tried too often lately."""
        try:
            return self._throttle.verify(address, lambda: right)
        except HTTPProblem as exc:
            return (exc.status, exc.message, exc.kind)


class SharedThrottle(LoginThrottle):
    """A worker's ``LoginThrottle``: the counting is the supervisor's ``Ledger``'s."""

    def __init__(self, ledger: Ledger) -> None:
        super().__init__()
        self._ledger = ledger

    def verify(self, address: str, check: Callable[[], bool]) -> bool:
        verdict = self._ledger.verify(address, check())
        if isinstance(verdict, bool):
            return verdict
        raise HTTPProblem(*verdict)


class Shareable(Protocol):
    """A store, as far as ``check_store`` asks it (``Store.shared_by``)."""

    def shared_by(self) -> str: ...


class _Shared(BaseManager):
    """The connection to the supervisor's shared sessions and ledger."""


_Shared.register("sessions")
_Shared.register("ledger")


def shared_state() -> tuple[tuple[str, int], bytes]:
    """Serve one ``SessionStore`` and one ``Ledger`` from this process (threads, until it
    exits) on 127.0.0.1; their address and the key a client must prove it holds."""
    sessions, ledger = SessionStore(), Ledger(LoginThrottle())

    class Server(BaseManager):
        pass

    Server.register("sessions", callable=lambda: sessions, exposed=("add", "revoke", "live"))
    Server.register("ledger", callable=lambda: ledger, exposed=("verify",))
    key = os.urandom(32)
    server = Server(address=("127.0.0.1", 0), authkey=key).get_server()
    threading.Thread(target=server.serve_forever, name="kingmaker-shared", daemon=True).start()
    host, port = cast(tuple[str, int], server.address)
    return (host, port), key


def check_store(store: Shareable, workers: int) -> str | None:
    """Refuse a store the workers cannot share; a warning to show for SQLite, else None."""
    sharing = store.shared_by()
    if sharing == "process":
        raise WebError(
            f"--workers {workers} needs a store several processes can open; {store!r} "
            "lives in this process's memory: use a database file or PostgreSQL"
        )
    if sharing == "machine":
        return (
            f"warning: {workers} workers share the SQLite file: safe on a local disk, not on "
            "a network file system; their writes wait for each other (at most 10 s, then "
            "503). For a team server, use PostgreSQL"
        )
    return None


def serve_workers(config: WorkerConfig, workers: int) -> None:
    """Run ``workers`` processes of the app with uvicorn until interrupted."""
    import uvicorn

    settings = config.settings
    address, key = shared_state()
    os.environ[CONFIG_ENV] = json.dumps(
        {"config": config.to_json(), "shared": address, "key": key.hex()}
    )
    try:
        uvicorn.run(
            f"{__name__}:app",
            factory=True,
            workers=workers,
            host=settings.host,
            port=settings.port,
            log_level="warning",
            server_header=False,
            proxy_headers=False,  # uvicorn would believe X-Forwarded-For from localhost
        )
    finally:
        os.environ.pop(CONFIG_ENV, None)


def app() -> FastAPI:
    """A worker's app (uvicorn calls it in each worker): its own store and service, the
    supervisor's sessions and ledger."""
    from kingmaker.web.app import create_app

    given = os.environ.get(CONFIG_ENV)
    if not given:
        raise WebError(f"{CONFIG_ENV} is not set: start workers with kingmaker serve --workers")
    handed = json.loads(given)
    config = WorkerConfig.from_json(handed["config"])
    host, port = handed["shared"]
    shared = _Shared(address=(host, port), authkey=bytes.fromhex(handed["key"]))
    shared.connect()
    bound_heap()  # before uvicorn starts its threads
    km = Kingmaker(
        open_store(config.db, pool_size=config.pool_size),
        review_threshold=config.review_threshold,
    )
    atexit.register(km.close)
    km.warm_up()
    proxies: Any = shared
    application = create_app(
        km,
        config.settings,
        sessions=cast(SessionStore, proxies.sessions()),
        login_throttle=SharedThrottle(cast(Ledger, proxies.ledger())),
    )
    gc.collect()
    gc.freeze()  # as the one-process server: what start-up loaded stays put
    return application
