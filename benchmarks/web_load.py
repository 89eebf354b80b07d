"""Load check of the dashboard's limits (issue 16); prints figures, asserts nothing.

Starts ``kingmaker serve`` (with a write token) on a temporary store, then:

1. ``--clients`` threads (one keep-alive httpx.Client each, all from 127.0.0.1, so one
   client address) ask for the NATO forecast on random days for ``--seconds``: the
   per-client limit on new forecasts answers most of them 429; reported are requests/s,
   p50/p99 of the answered (200) and refused (429) requests, and how many forecasts the
   server computed.
2. The same clients read cached answers (race list, forecast, timeline of the latest day)
   while one article is ingested halfway through: requests/s, p50/p99 (also apart for
   the requests started before the write and after it, some of which wait for the
   answers it made stale), and how many answers the write made the server recompute.
3. The server's peak resident memory (VmHWM) after each phase (with several workers: the
   largest worker's and all workers' together), the CPU time the server's processes and
   the clients used, and the machine's load average before and after each phase.

``--db postgresql://user@host/db`` runs the server on PostgreSQL instead of a temporary
SQLite file: in a schema of its own, created for the run and dropped after it (the user
needs CREATE on the database). ``--workers N`` starts ``kingmaker serve --workers N``
(``--pool-size`` connections per worker); with several workers each keeps its own cache
(warmed by 5 s of the clients' requests before phase 2) and its own count of forecasts
computed, so that count is not shown.

Run: .venv/bin/python benchmarks/web_load.py [--clients 50] [--seconds 20]
     [--db postgresql://...] [--workers 4] [--pool-size 4]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import httpx

from web import cpu_name, free_port, pct, proc_cpu, proc_kib, start_server

TOKEN = "benchmark-write-token-0123456789"
RACE = "nato-sg-2024"
API = f"/api/races/{RACE}"
ARTICLE = (
    "Hungary's prime minister Viktor Orbán said on Friday that Hungary would back Mark "
    "Rutte to become NATO Secretary General."
)


@dataclass
class Phase:
    """Every request of one phase: (seconds, status), and when each started."""

    results: list[tuple[float, int]] = field(default_factory=list)
    started: list[float] = field(default_factory=list)  # time.perf_counter()
    wall: float = 0.0

    def report(self, name: str) -> None:
        n = len(self.results)
        print(f"{name}: {n} requests in {self.wall:.1f} s = {n / self.wall:.1f} req/s")
        for status in sorted({s for _, s in self.results}):
            xs = [t for t, s in self.results if s == status]
            print(f"{_line(str(status), xs)}  max {max(xs) * 1e3:8.1f} ms")

    def split(self, at: float) -> None:
        """p50/p99 of the answered requests started before ``at`` (a write), and after."""
        pairs = zip(self.started, self.results, strict=True)
        ok = [(t0, t) for t0, (t, status) in pairs if status == 200]
        for name, xs in (
            ("200 before the write", [t for t0, t in ok if t0 < at]),
            ("200 after it", [t for t0, t in ok if t0 >= at]),
        ):
            if xs:
                print(_line(name, xs))


def _line(name: str, xs: list[float]) -> str:
    """One line: how many, p50 and p99 in ms."""
    p50, p99 = pct(xs, 0.5) * 1e3, pct(xs, 0.99) * 1e3
    return f"  {name}: {len(xs):>6}  p50 {p50:8.1f} ms  p99 {p99:8.1f} ms"


def run(
    base: str,
    clients: int,
    seconds: float,
    url: Callable[[random.Random], str],
    began: threading.Event | None = None,
) -> Phase:
    """``clients`` threads asking for ``url(rng)`` for ``seconds`` from when all are
    connected (then ``began`` is set)."""
    phase = Phase()
    lock = threading.Lock()
    window = [0.0, 0.0]  # start, stop

    def start() -> None:  # once every client is connected, before any asks
        window[:] = [time.perf_counter(), time.perf_counter() + seconds]
        if began is not None:
            began.set()

    go = threading.Barrier(clients + 1, action=start)

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        mine = []
        with httpx.Client(base_url=base, timeout=120, trust_env=False) as client:
            client.get("/api/health")
            go.wait()
            while time.perf_counter() < window[1]:
                t0 = time.perf_counter()
                r = client.get(url(rng))
                mine.append((t0, time.perf_counter() - t0, r.status_code))
        with lock:
            phase.started.extend(t0 for t0, _, _ in mine)
            phase.results.extend((t, status) for _, t, status in mine)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    go.wait()
    for t in threads:
        t.join()
    phase.wall = time.perf_counter() - window[0]
    return phase


def misses(http: httpx.Client) -> int:
    """The server's cache misses so far (answers it computed)."""
    count: int = http.get("/api/health").json()["cache"]["misses"]
    return count


@contextmanager
def store_url(given: str | None, tmp: Path) -> Iterator[str]:
    """The store the server uses: a SQLite file in ``tmp``, or a fresh schema in the
    PostgreSQL database ``given`` (dropped when the run ends)."""
    if given is None:
        yield str(tmp / "km.db")
        return
    import psycopg

    schema = f"kingmaker_bench_{os.getpid()}"
    with psycopg.connect(given, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
        try:
            joint = "&" if "?" in given else "?"
            yield f"{given}{joint}options={quote(f'-csearch_path={schema}')}"
        finally:
            admin.execute(f"DROP SCHEMA {schema} CASCADE")


def worker_pids(server: subprocess.Popen[bytes], workers: int) -> list[int]:
    """The processes that answer: the server itself, or its uvicorn workers."""
    if workers == 1:
        return [server.pid]
    pid = server.pid
    found = []
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        try:
            if b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes():
                found.append(int(child))
        except OSError:
            continue
    return sorted(found)


def wait_for_workers(server: subprocess.Popen[bytes], workers: int, db: str) -> list[int]:
    """Wait until every worker runs and holds the store open (its PostgreSQL connection,
    or the SQLite file), then a moment for uvicorn to listen; their process ids."""

    def opened(pid: int) -> bool:
        if db.startswith("postgres"):
            import psycopg

            with psycopg.connect(db, autocommit=True) as conn:
                row = conn.execute(
                    "SELECT 1 FROM pg_stat_activity WHERE application_name = %s",
                    (f"kingmaker {pid}",),
                ).fetchone()
            return row is not None
        fds = Path(f"/proc/{pid}/fd")
        return any(os.path.realpath(fd) == os.path.realpath(db) for fd in fds.iterdir())

    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        pids = worker_pids(server, workers)
        if len(pids) == workers and all(opened(pid) for pid in pids):
            time.sleep(1.0)
            return pids
        time.sleep(0.2)
    raise SystemExit(f"{workers} workers did not start within 300 s")


def memory(pids: list[int], key: str) -> str:
    """A memory figure of the answering processes: one, or the largest and the sum."""
    mib = [proc_kib(pid, key) / 1024 for pid in pids]
    if len(mib) == 1:
        return f"{mib[0]:.0f} MiB"
    return f"{max(mib):.0f} MiB the largest worker, {sum(mib):.0f} MiB all {len(mib)}"


def load() -> str:
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


@dataclass
class Usage:
    """CPU seconds the server's processes and this benchmark used during a phase."""

    pids: list[int]
    server: float = 0.0
    clients: float = 0.0

    def __post_init__(self) -> None:
        self.server = -sum(map(proc_cpu, self.pids))
        self.clients = -time.process_time()

    def report(self, wall: float) -> None:
        self.server += sum(map(proc_cpu, self.pids))
        self.clients += time.process_time()
        cores = os.cpu_count() or 1
        print(
            f"  CPU: server {self.server:.1f} s, clients {self.clients:.1f} s, of "
            f"{cores * wall:.0f} s the {cores} cores had; load average now {load()}"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--samples", type=int, default=20_000, help="the server's forecast samples")
    ap.add_argument("--db", help="a PostgreSQL URL (default: a temporary SQLite file)")
    ap.add_argument("--workers", type=int, default=1, help="server processes")
    ap.add_argument("--pool-size", type=int, default=4, help="PostgreSQL connections a worker")
    args = ap.parse_args()
    print(f"machine: {cpu_name()}, {os.cpu_count()} CPUs; {args.clients} client threads")
    print(f"load average before the run: {load()}")
    os.environ["KINGMAKER_WRITE_TOKEN"] = TOKEN  # the server inherits it
    with tempfile.TemporaryDirectory() as tmp, store_url(args.db, Path(tmp)) as db:
        port = free_port()
        options = ["--workers", str(args.workers), "--pool-size", str(args.pool_size)]
        server = start_server(db, port, args.samples, Path(tmp) / "log", options, wait=300)
        pids = wait_for_workers(server, args.workers, db)
        kind = "PostgreSQL" if args.db else "SQLite"
        print(f"server: {kind}, {args.workers} worker(s), pool {args.pool_size} a worker")
        base = f"http://127.0.0.1:{port}"
        counted = args.workers == 1  # one cache, one count of what it computed
        try:
            with httpx.Client(base_url=base, timeout=120, trust_env=False) as http:
                race = http.get(API).json()
                first = dt.date.fromisoformat(race["opened"])
                last = dt.date.fromisoformat(race["default_day"])
                span = (last - first).days
                print(f"server up; random days {first} .. {last} ({span + 1} days)")
                print(f"server memory at start: {memory(pids, 'VmRSS')}\n")

                before = misses(http) if counted else 0
                usage = Usage(pids)
                phase = run(
                    base,
                    args.clients,
                    args.seconds,
                    lambda rng: (
                        f"{API}/forecast?as_of={first + dt.timedelta(rng.randint(0, span))}"
                    ),
                )
                phase.report("1. random as_of (uncached)")
                usage.report(phase.wall)
                if counted:
                    print(f"  forecasts computed: {misses(http) - before}")
                print(f"  server peak memory: {memory(pids, 'VmHWM')}\n")

                cached = ["/", f"{API}/forecast", f"{API}/timeline"]
                for u in cached:  # warm
                    http.get(u)
                if not counted:  # every worker's cache: the clients' connections reach all
                    run(base, args.clients, 5.0, lambda rng: rng.choice(cached))
                before = misses(http) if counted else 0
                wrote: dict[str, float | str] = {}

                began = threading.Event()

                def write_halfway() -> None:
                    began.wait()
                    time.sleep(args.seconds / 2)
                    wrote["peak"] = memory(pids, "VmHWM")
                    t0 = wrote["at"] = time.perf_counter()
                    r = http.post(
                        f"{API}/ingest",
                        headers={"Authorization": f"Bearer {TOKEN}"},
                        data={"text": ARTICLE, "date": str(last), "source": "benchmark"},
                    )
                    wrote["status"], wrote["s"] = r.status_code, time.perf_counter() - t0

                writer = threading.Thread(target=write_halfway)
                writer.start()
                usage = Usage(pids)
                phase = run(base, args.clients, args.seconds, lambda rng: rng.choice(cached), began)
                writer.join()
                phase.report("2. cached pages, one ingest halfway")
                at = wrote.get("at", 0.0)
                phase.split(at if isinstance(at, float) else 0.0)
                usage.report(phase.wall)
                recomputed = f"{misses(http) - before}" if counted else "not counted (workers)"
                print(
                    f"  ingest: {wrote.get('status')} in {float(wrote.get('s', 0)):.1f} s; "
                    f"answers recomputed after it: {recomputed}"
                )
                print(
                    f"  server peak memory: {wrote.get('peak')} before the ingest, "
                    f"{memory(pids, 'VmHWM')} after it (extraction)"
                )
                if worker_pids(server, args.workers) != pids:  # uvicorn replaced one
                    print("  a worker was restarted during the run: figures are not comparable")
        finally:
            server.terminate()
            server.wait(30)


if __name__ == "__main__":
    main()
