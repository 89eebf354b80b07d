"""``kingmaker serve --workers``: several server processes over one PostgreSQL store.

The server runs as a user starts it (a subprocess, two workers) on a fresh schema of the
test server. Clients open a new connection for every request, so the workers share them
out; reads and writes (reviews through a browser session, ingests with the token) run at
once, then every answer, from either worker, shows every write, the log holds each
decision once, and both workers answered. A session ended through one worker is ended in
all, and wrong tokens count across workers. Stores one process owns are refused, and a
SQLite file is served with a warning.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import psycopg
import pytest
from typer.testing import CliRunner

import pgserver
from kingmaker.cli import app
from kingmaker.errors import WebError
from kingmaker.service import open_store
from kingmaker.web import WebSettings, workers
from kingmaker.web.workers import WorkerConfig, check_store

from .conftest import NATO, TOKEN

API = f"/api/races/{NATO}"
START_S = 60  # a loaded CI machine starts two workers (imports, store) in 5-20 s
TEXTS = (  # two articles, far enough apart not to be near copies of each other
    "Hungary's prime minister Viktor Orbán said on Friday that Hungary would back Mark Rutte "
    "to become NATO Secretary General.",
    "Romania's president Klaus Iohannis announced his own candidacy for NATO Secretary "
    "General, saying the alliance needs a leader from the eastern flank.",
)


def workers_of(pid: int) -> list[int]:
    """The uvicorn worker processes (multiprocessing spawns) under the server ``pid``."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    found = []
    for child in map(int, children):
        try:
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
        except OSError:
            continue
        if b"spawn_main" in cmdline:
            found.append(child)
    return sorted(found)


def backends(url: str) -> dict[int, int]:
    """kingmaker process id -> its connections open on the server, named as the store
    names them ("kingmaker <pid>")."""
    with psycopg.connect(url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT application_name, count(*) FROM pg_stat_activity "
            "WHERE application_name LIKE 'kingmaker %' GROUP BY 1"
        ).fetchall()
    return {int(name.split()[1]): n for name, n in rows}


def answered_since(url: str, since: float) -> set[int]:
    """The kingmaker processes whose connections ran a statement after ``since`` (epoch)."""
    with psycopg.connect(url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT DISTINCT application_name FROM pg_stat_activity WHERE application_name "
            "LIKE 'kingmaker %%' AND state_change > to_timestamp(%s)",
            (since,),
        ).fetchall()
    return {int(name.split()[1]) for (name,) in rows}


def wait_until(check: Callable[[], bool], what: str, seconds: float = START_S) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} within {seconds} s")
        time.sleep(0.1)


@pytest.fixture
def server(pg_database: Callable[..., str], tmp_path: Path) -> Iterator[tuple[str, str, list[int]]]:
    """``kingmaker serve --workers 2`` on a fresh schema: (base URL, store URL, worker pids)."""
    if not Path("/proc/self/task").exists():
        pytest.skip("finding the worker processes reads /proc (Linux)")
    url = pg_database()
    port = pgserver.free_port()
    log = tmp_path / "serve.log"
    env = {**os.environ, "KINGMAKER_WRITE_TOKEN": TOKEN}
    command = [sys.executable, "-m", "kingmaker", "--db", url, "serve", "--port", str(port),
               "--workers", "2", "--pool-size", "3", "--samples", "200"]  # fmt: skip
    with log.open("wb") as out:
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
    try:

        def ready() -> bool:
            if proc.poll() is not None:
                raise AssertionError(f"the server exited:\n{log.read_text()}")
            pids = workers_of(proc.pid)
            return len(pids) == 2 and set(pids) <= set(backends(url))

        wait_until(ready, "two workers with their store open")
        base = f"http://127.0.0.1:{port}"
        wait_until(lambda: _healthy(base), "the server answering")
        yield base, url, workers_of(proc.pid)
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    assert "Traceback" not in log.read_text(), log.read_text()


def _healthy(base: str) -> bool:
    try:
        return httpx.get(f"{base}/api/health", timeout=5, trust_env=False).status_code == 200
    except httpx.TransportError:
        return False


def fresh(base: str, cookies: dict[str, str] | None = None) -> httpx.Client:
    """A client that opens a new connection for every request, so that any worker may
    answer each one."""
    return httpx.Client(
        base_url=base,
        cookies=cookies,
        timeout=60,
        trust_env=False,
        limits=httpx.Limits(max_keepalive_connections=0),
        follow_redirects=False,
    )


def log_in(base: str) -> tuple[dict[str, str], str]:
    """A browser session logged in with the token as 'alice': its cookies and CSRF token."""
    with fresh(base) as client:
        page = client.get("/login")
        csrf = re.search(r'name="csrf-token" content="([^"]+)"', page.text)
        assert csrf, page.text[:300]
        r = client.post(
            "/login",
            data={"token": TOKEN, "name": "alice", "csrf_token": csrf.group(1), "next": "/"},
        )
        assert r.status_code == 303, r.text
        cookies = dict(client.cookies)
        home = client.get("/races/" + NATO)
        csrf = re.search(r'name="csrf-token" content="([^"]+)"', home.text)
        assert csrf
    return cookies, csrf.group(1)


def test_two_workers_on_postgresql_share_writes_sessions_and_limits(
    server: tuple[str, str, list[int]],
) -> None:
    base, url, pids = server
    cookies, csrf = log_in(base)
    session = {"X-CSRF-Token": csrf, "Origin": base}
    bearer = {"Authorization": f"Bearer {TOKEN}", "X-Reviewer": "script"}
    with fresh(base) as client:
        stored = client.get(f"{API}/evidence").json()[:12]
    assert len(stored) == 12
    # each decision changes the item's state, so that the log records it
    decisions = {e["id"]: "reject" if e["review"] == "accepted" else "accept" for e in stored}
    items = list(decisions)
    since = time.time()
    stop = threading.Event()
    read_statuses: list[int] = []

    def review(item: str) -> int:
        with fresh(base, cookies) as client:
            r = client.post(
                f"{API}/evidence/{item}/review", data={"decision": decisions[item]}, headers=session
            )
        return r.status_code

    def ingest(text: str) -> int:
        with fresh(base) as client:
            r = client.post(
                f"{API}/ingest",
                data={"text": text, "date": "2024-04-20", "mode": "fallback"},
                headers=bearer,
            )
        return r.status_code

    def read() -> None:
        paths = [API, f"{API}/forecast", f"{API}/evidence"]
        with fresh(base) as client:
            while not stop.is_set():
                for path in paths:
                    read_statuses.append(client.get(path).status_code)

    readers = [threading.Thread(target=read) for _ in range(3)]
    for t in readers:
        t.start()
    try:
        with ThreadPoolExecutor(6) as pool:
            ingested = list(pool.map(ingest, TEXTS))
            reviewed = list(pool.map(review, items))
    finally:
        stop.set()
        for t in readers:
            t.join()
    assert ingested == [200] * len(TEXTS)
    assert reviewed == [200] * len(items)  # the session is good at either worker
    assert read_statuses and set(read_statuses) == {200}
    assert set(pids) <= answered_since(url, since)  # both workers answered

    with fresh(base) as client:  # every answer, whichever worker gives it, has every write
        for _ in range(6):
            shown = {e["id"]: e["review"] for e in client.get(f"{API}/evidence").json()}
            assert {i: shown[i] for i in items} == {
                i: {"accept": "accepted", "reject": "rejected"}[d] for i, d in decisions.items()
            }
    with open_store(url) as store:
        log = store.reviews(NATO)
        assert sorted(e.evidence_id for e in log if e.reviewer == "alice") == sorted(items)
        assert store.article_count(NATO) == len(TEXTS)

    # logging out through one worker ends the session at every worker
    with fresh(base, cookies) as client:
        r = client.post("/logout", data={"csrf_token": csrf})
        assert r.status_code == 303
    with ThreadPoolExecutor(4) as pool:
        after = list(pool.map(review, items[:8]))
    assert after == [401] * 8

    # five wrong tokens, at whichever workers, and the address is refused at all of them
    wrong = {"Authorization": "Bearer not-the-token-0123456789"}
    with fresh(base) as client:
        codes = [client.post(f"{API}/ingest", data={}, headers=wrong).status_code
                 for _ in range(9)]  # fmt: skip
    assert codes == [401] * 5 + [429] * 4


def test_stores_one_process_owns_are_refused_and_sqlite_is_a_warning(tmp_path: Path) -> None:
    for db in ("memory:", ":memory:"):
        with open_store(db) as store, pytest.raises(WebError, match="--workers 2 needs"):
            check_store(store, 2)
    with open_store(str(tmp_path / "km.db")) as store:
        warning = check_store(store, 3)
    assert warning and "3 workers share the SQLite file" in warning and "PostgreSQL" in warning


def test_serve_refuses_workers_over_a_store_in_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[int] = []
    monkeypatch.setattr(workers, "serve_workers", lambda config, n: started.append(n))
    port = str(pgserver.free_port())
    res = CliRunner().invoke(app, ["--db", "memory:", "serve", "--workers", "2", "--port", port])
    assert res.exit_code != 0 and not started
    assert "--workers 2 needs a store several processes can open" in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1


def test_workers_are_told_the_settings_and_the_signing_key() -> None:
    settings = WebSettings(
        write_token=TOKEN, port=8123, samples=300, trusted_proxies=("10.0.0.0/24",)
    )
    config = WorkerConfig("postgresql://kim@db/km", 3, 0.5, settings)
    assert WorkerConfig.from_json(config.to_json()) == config
