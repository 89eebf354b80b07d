"""Load check of the web dashboard; prints figures, asserts nothing.

1. ``kingmaker serve`` in its own process on a temp database: the cold time of each first
   request, then requests/s, median and p95 latency with a warm cache at concurrency 1 and
   8 (threads, one keep-alive httpx.Client each, on the same machine as the server).
2. The race page in headless Chromium (Playwright): first contentful paint,
   DOMContentLoaded, load and chart drawn; fresh browser cache each time, then once cached.
3. The server's peak resident memory (VmHWM).
Run: .venv/bin/python benchmarks/web.py [--seconds 5] [--loads 5]
"""

from __future__ import annotations

import argparse
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from kingmaker.web.settings import WebSettings

BIN = Path(sys.executable).parent / "kingmaker"
RACE = "/races/nato-sg-2024"
API = "/api/races/nato-sg-2024"
DAY = "2024-04-29"  # undecided: the forecast explains every statement
# the order of the cold column: each URL computes only what the ones before it left uncached
URLS = [
    ("race list (7 races)", "/"),
    ("forecast API", f"{API}/forecast"),
    ("race page", RACE),
    (f"forecast API as of {DAY}", f"{API}/forecast?as_of={DAY}"),
    (f"race page as of {DAY}", f"{RACE}?as_of={DAY}"),
    ("timeline API", f"{API}/timeline"),
]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def cpu_name() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def proc_kib(pid: int, key: str) -> int:
    """A ``/proc/<pid>/status`` memory figure (VmHWM, VmRSS) in KiB."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def proc_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by a process."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pct(xs: list[float], q: float) -> float:
    """The nearest-rank ``q`` quantile of ``xs``."""
    s = sorted(xs)
    return s[min(len(s) - 1, max(0, round(q * len(s) + 0.5) - 1))]


def start_server(
    db: Path | str,
    port: int,
    samples: int,
    log: Path,
    extra: Sequence[str] = (),
    wait: float = 60.0,
) -> subprocess.Popen[bytes]:
    """``kingmaker serve`` on ``db`` (a path or store URL) with ``extra`` options, once
    its health answers (within ``wait`` seconds)."""
    cmd = [str(BIN), "--db", str(db), "serve", "--port", str(port), "--samples", str(samples)]
    cmd += extra
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited with {proc.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2).status_code == 200:
                return proc
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    proc.terminate()  # not kill: uvicorn's supervisor stops its workers
    proc.wait(30)
    raise SystemExit(f"the server did not answer /api/health within {wait:g} s:\n{log.read_text()}")


@dataclass
class Load:
    """What one URL did under load at one concurrency."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    wall: float = 0.0
    server_cpu: float = 0.0


def load(base: str, url: str, concurrency: int, seconds: float, pid: int) -> Load:
    """Hit ``url`` from ``concurrency`` threads for ``seconds``; every request timed."""
    result = Load()
    lock = threading.Lock()
    clock: dict[str, float] = {}

    def start_clock() -> None:  # run once, when every worker has its connection open
        clock["cpu"] = proc_cpu(pid)
        clock["t0"] = time.perf_counter()
        clock["stop"] = clock["t0"] + seconds

    go = threading.Barrier(concurrency, action=start_clock)

    def worker() -> None:
        mine: list[float] = []
        errors = 0
        with httpx.Client(base_url=base, timeout=60) as client:
            client.get(url)  # open the keep-alive connection before the clock starts
            go.wait()
            stop = clock["stop"]
            while True:
                t0 = time.perf_counter()
                if t0 >= stop:
                    break
                r = client.get(url)
                mine.append(time.perf_counter() - t0)
                errors += r.status_code != 200
        with lock:
            result.latencies.extend(mine)
            result.errors += errors

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result.wall = time.perf_counter() - clock["t0"]
    result.server_cpu = proc_cpu(pid) - clock["cpu"]
    return result


def browser_timings(base: str, loads: int) -> tuple[str, list[dict[str, float]]] | None:
    """Navigation timings of the race page in Chromium: ``loads`` fresh contexts, then a
    reload in the last one (plotly.js from the browser cache). None if Chromium is absent."""
    if not os.path.exists(CHROMIUM):
        return None
    from playwright.sync_api import sync_playwright

    rendered = (
        "() => document.querySelector('#chart[data-rendered=true]') ? performance.now() : null"
    )
    timings = """() => {
        const nav = performance.getEntriesByType('navigation')[0];
        const fcp = performance.getEntriesByType('paint')
            .find(e => e.name === 'first-contentful-paint');
        const bytes = performance.getEntriesByType('resource')
            .reduce((n, e) => n + e.transferSize, nav.transferSize);
        const lib = performance.getEntriesByType('resource')
            .find(e => e.name.endsWith('/vendor/plotly.min.js'));
        const mark = name => {
            const m = performance.getEntriesByName('kingmaker:' + name, 'mark')[0];
            return m ? m.startTime : NaN;
        };
        return {fcp: fcp ? fcp.startTime : NaN, dcl: nav.domContentLoadedEventEnd,
                load: nav.loadEventEnd, bytes: bytes,
                lib_fetched: lib ? lib.responseEnd : NaN, lib_ready: mark('plotly-ready'),
                drawn: mark('chart-drawn')};
    }"""
    rows: list[dict[str, float]] = []

    def measure(context: Any, cached: bool) -> None:
        page = context.new_page()
        page.goto(base + RACE, wait_until="load")
        chart = page.wait_for_function(rendered, timeout=30_000).json_value()
        rows.append({**page.evaluate(timings), "chart": chart, "cached": cached})
        page.close()

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        version = browser.version
        for i in range(loads):
            context = browser.new_context()
            measure(context, cached=False)
            if i == loads - 1:
                measure(context, cached=True)
            context.close()
        browser.close()
    return version, rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seconds", type=float, default=5.0, help="load time per URL and level")
    ap.add_argument("--loads", type=int, default=5, help="fresh browser loads of the page")
    ap.add_argument("--samples", type=int, default=20_000, help="the server's forecast samples")
    args = ap.parse_args()

    ws = WebSettings()
    print(
        f"machine: {cpu_name()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"httpx {httpx.__version__}"
    )
    print(
        f"server: kingmaker serve (uvicorn, 1 process), temp SQLite store with the bundled races; "
        f"forecasts {args.samples:,} samples, chart every {ws.timeline_every} days x "
        f"{ws.timeline_samples:,} samples"
    )
    print(
        f"load: {args.seconds:g} s per URL and level; threads with one keep-alive httpx.Client "
        "each, gzip accepted. The client runs on the same machine and takes CPU from the server."
    )
    busy = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"load average before the run: {busy} (other work on the machine slows the wall-clock "
        "figures; srv CPU ms/req is steadier)"
    )
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        t0 = time.perf_counter()
        server = start_server(Path(tmp) / "km.db", port, args.samples, Path(tmp) / "server.log")
        try:
            print(f"server up (health answered) after {time.perf_counter() - t0:.1f} s\n")
            cold: dict[str, tuple[float, int, int]] = {}
            with httpx.Client(base_url=base, timeout=120) as client:
                for _, url in URLS:
                    t0 = time.perf_counter()
                    r = client.get(url)
                    r.raise_for_status()
                    cold[url] = (time.perf_counter() - t0, len(r.content), r.num_bytes_downloaded)

            head = (
                f"{'request':<28} {'cold ms':>8} {'KiB':>6} {'gz KiB':>6}  {'conc':>4} "
                f"{'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'srv CPU ms/req':>14} {'errors':>6}"
            )
            print(head)
            print("-" * len(head))
            for name, url in URLS:
                ms, size, wire = cold[url]
                for conc in (1, 8):
                    r = load(base, url, conc, args.seconds, server.pid)
                    n = len(r.latencies)
                    first = (
                        f"{name:<28} {ms * 1e3:>8.0f} {size / 1024:>6.0f} {wire / 1024:>6.0f}"
                        if conc == 1
                        else " " * 51
                    )
                    print(
                        f"{first}  {conc:>4} {n / r.wall:>7.1f} "
                        f"{statistics.median(r.latencies) * 1e3:>7.1f} "
                        f"{pct(r.latencies, 0.95) * 1e3:>7.1f} "
                        f"{r.server_cpu / n * 1e3:>14.1f} {r.errors:>6}"
                    )
            print(
                "cold: first request of each URL, in the order listed (a page after its API "
                "reuses the cached forecast). srv CPU: server process CPU time / requests."
            )
            after_load = proc_kib(server.pid, "VmHWM")

            print()
            found = browser_timings(base, args.loads)
            if found is None:
                print(f"browser: skipped ({CHROMIUM} not found)")
            else:
                version, rows = found
                print(
                    f"browser: Chromium {version} headless, race page {RACE}, warm server cache; "
                    "ms from navigation start"
                )
                bhead = f"{'load':<24} {'FCP':>7} {'DOMContentLoaded':>17} {'load':>7} "
                bhead += f"{'chart drawn':>12} {'KiB moved':>10}"
                print(bhead)
                print("-" * len(bhead))
                fresh = [row for row in rows if not row["cached"]]
                for label, group in (
                    (f"fresh cache, median of {len(fresh)}", fresh),
                    ("cached (a reload)", [row for row in rows if row["cached"]]),
                ):
                    m = {k: statistics.median(row[k] for row in group) for k in group[0]}
                    print(
                        f"{label:<24} {m['fcp']:>7.0f} {m['dcl']:>17.0f} {m['load']:>7.0f} "
                        f"{m['chart']:>12.0f} {m['bytes'] / 1024:>10.0f}"
                    )
                spread = ", ".join(f"{row['chart']:.0f}" for row in fresh)
                print(f"chart drawn, each fresh load: {spread} ms")
                m = {k: statistics.median(row[k] for row in fresh) for k in fresh[0]}
                print(
                    f"where the chart's time goes (fresh, median): plotly.js fetched by "
                    f"{m['lib_fetched']:.0f} ms, parsed and run by {m['lib_ready']:.0f} ms "
                    f"({m['lib_ready'] - m['lib_fetched']:.0f} ms), chart drawn by "
                    f"{m['drawn']:.0f} ms ({m['drawn'] - m['lib_ready']:.0f} ms)"
                )

            print()
            print(
                f"server peak resident memory (VmHWM): {after_load / 1024:.0f} MiB after the "
                f"HTTP load, {proc_kib(server.pid, 'VmHWM') / 1024:.0f} MiB at the end; "
                f"now {proc_kib(server.pid, 'VmRSS') / 1024:.0f} MiB"
            )
        finally:
            server.terminate()
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()


if __name__ == "__main__":
    main()
