"""The server's memory under concurrent forecasts: with the C heap bounded as ``serve``
bounds it (``limits.bound_heap``, glibc's malloc arenas; ``release_freed`` after each
computation), forecasts computed from a pool of 40 threads, two at a time, leave the
process little bigger. Without the bound each thread's arena kept the arrays it freed:
8 NATO forecasts grew the process by about 86 MiB, against about 31 MiB with it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kingmaker.web import WebSettings, limits

GROWTH_MIB = 60  # most the process may grow by (peak resident minus resident at the start)

SCRIPT = """
import datetime as dt, json, sys
from concurrent.futures import ThreadPoolExecutor
from kingmaker.service import Kingmaker
from kingmaker.store import open_store
from kingmaker.web.limits import Cache, bound_heap

def kib(field):
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith(field))

assert bound_heap()  # as serve() does, before any thread starts
km = Kingmaker(open_store(sys.argv[1]))
km.race("nato-sg-2024")
km.warm_up()  # as serve() does: the compiled loops are loaded once, at start-up
cache = Cache(size=128, parallel=2)
start = kib("VmRSS")
days = [dt.date(2024, 4, 1) + dt.timedelta(days=9 * i) for i in range(8)]

def one(day):
    return cache.get(
        ("forecast", day),
        lambda: km.forecast("nato-sg-2024", day, samples=20_000, explain=True, save=False),
    )

with ThreadPoolExecutor(40) as pool:  # as many threads as the server's pool
    list(pool.map(one, days))
print(json.dumps({"start": start, "peak": kib("VmHWM")}))
"""


@pytest.mark.skipif(
    not Path("/proc/self/status").exists() or limits._LIBC is None,
    reason="the heap bound is glibc's (Linux): elsewhere there is nothing to measure",
)
def test_concurrent_forecasts_leave_the_bounded_server_little_bigger(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path / "km.db")],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    kib = json.loads(run.stdout.strip().splitlines()[-1])
    grown = (kib["peak"] - kib["start"]) / 1024
    assert grown < GROWTH_MIB, f"8 forecasts grew the process by {grown:.0f} MiB"


def test_serve_bounds_the_heap_before_it_starts(monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    from kingmaker.web import app as web_app

    calls: list[str] = []
    monkeypatch.setattr(web_app, "bound_heap", lambda: calls.append("bound") or True)
    monkeypatch.setattr(web_app, "create_app", lambda *a: calls.append("app"))
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: calls.append("run"))

    class Service:  # what serve() asks of the service before the app starts
        def warm_up(self) -> None:
            calls.append("warm")

    web_app.serve(Service(), WebSettings())  # type: ignore[arg-type]
    assert calls == ["bound", "warm", "app", "run"]
