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
3. The server's peak resident memory (VmHWM) after each phase.

Run: .venv/bin/python benchmarks/web_load.py [--clients 50] [--seconds 20]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from web import cpu_name, free_port, pct, proc_kib, start_server

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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--samples", type=int, default=20_000, help="the server's forecast samples")
    args = ap.parse_args()
    print(f"machine: {cpu_name()}, {os.cpu_count()} CPUs; {args.clients} client threads")
    os.environ["KINGMAKER_WRITE_TOKEN"] = TOKEN  # the server inherits it
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        server = start_server(Path(tmp) / "km.db", port, args.samples, Path(tmp) / "log")
        base = f"http://127.0.0.1:{port}"
        try:
            with httpx.Client(base_url=base, timeout=120, trust_env=False) as http:
                race = http.get(API).json()
                first = dt.date.fromisoformat(race["opened"])
                last = dt.date.fromisoformat(race["default_day"])
                span = (last - first).days
                print(f"server up; random days {first} .. {last} ({span + 1} days)")
                print(f"server memory at start: {proc_kib(server.pid, 'VmRSS') / 1024:.0f} MiB\n")

                before = misses(http)
                phase = run(
                    base,
                    args.clients,
                    args.seconds,
                    lambda rng: (
                        f"{API}/forecast?as_of={first + dt.timedelta(rng.randint(0, span))}"
                    ),
                )
                phase.report("1. random as_of (uncached)")
                print(f"  forecasts computed: {misses(http) - before}")
                print(f"  server peak memory: {proc_kib(server.pid, 'VmHWM') / 1024:.0f} MiB\n")

                cached = ["/", f"{API}/forecast", f"{API}/timeline"]
                for u in cached:  # warm
                    http.get(u)
                before = misses(http)
                wrote: dict[str, float] = {}

                began = threading.Event()

                def write_halfway() -> None:
                    began.wait()
                    time.sleep(args.seconds / 2)
                    wrote["peak"] = proc_kib(server.pid, "VmHWM") / 1024
                    t0 = wrote["at"] = time.perf_counter()
                    r = http.post(
                        f"{API}/ingest",
                        headers={"Authorization": f"Bearer {TOKEN}"},
                        data={"text": ARTICLE, "date": str(last), "source": "benchmark"},
                    )
                    wrote["status"], wrote["s"] = r.status_code, time.perf_counter() - t0

                writer = threading.Thread(target=write_halfway)
                writer.start()
                phase = run(base, args.clients, args.seconds, lambda rng: rng.choice(cached), began)
                writer.join()
                phase.report("2. cached pages, one ingest halfway")
                phase.split(wrote.get("at", 0.0))
                print(
                    f"  ingest: {wrote.get('status')} in {wrote.get('s', 0):.1f} s; answers "
                    f"recomputed after it: {misses(http) - before}"
                )
                print(
                    f"  server peak memory: {wrote.get('peak', 0):.0f} MiB before the ingest, "
                    f"{proc_kib(server.pid, 'VmHWM') / 1024:.0f} MiB after it (extraction)"
                )
        finally:
            server.terminate()
            server.wait(10)


if __name__ == "__main__":
    main()
