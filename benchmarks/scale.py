"""Benchmark of kingmaker on every core and on a Dask LocalCluster; prints figures and
checks that each parallel run equals the run in one process.

For each part it prints the wall time, the CPU time (this process and its worker
processes; a LocalCluster's workers are not counted) and the speed-up over one process,
each parallel run timed from starting its workers to stopping them:
starting the workers, a timeline, a backtest, a fit, an ingest with extraction and a
backfill of a date-partitioned archive (generated as by benchmarks/ingest.py). The load
average is printed too: on a shared machine the speed-up is what the other work leaves.

Run: .venv/bin/python benchmarks/scale.py [--jobs 2] [--articles 2000] [--parts ...]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ingest import generate, load_now, news_rows

PARTS = ("start", "timeline", "backtest", "fit", "ingest", "backfill")


def cpu() -> float:
    """CPU seconds of this process and its finished children."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def timed(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    wall, c = time.perf_counter(), cpu()
    out = fn()
    return out, time.perf_counter() - wall, cpu() - c


def row(what: str, how: str, wall: float, cpu_s: float, base: float | None, same: str) -> None:
    speed = f"{base / wall:6.2f}" if base else "     -"
    print(f"{what:<10} {how:<24} {wall:8.1f} {cpu_s:8.1f} {speed:>8} {same:>6}", flush=True)


def start_costs(jobs: int) -> None:
    from kingmaker.newsdesk import read_articles  # noqa: F401 - what an ingest worker imports
    from kingmaker.parallel import Workers

    def pool() -> None:
        with Workers(jobs) as w:
            w.map(_import_task, list(range(jobs)), chunks=jobs)

    _, wall, c = timed(pool)
    row("start", f"pool of {jobs} (spaCy)", wall, c, None, "")
    for processes in (False, True):
        _, wall, c = timed(lambda p=processes: Workers(jobs, "local", processes=p).close())
        row("start", f"LocalCluster {'procs' if processes else 'threads'}", wall, c, None, "")


def _import_task(_: Any, chunk: list[int]) -> list[int]:
    from kingmaker.extract.pipeline import get_pipeline  # noqa: F401

    return chunk


def timeline(jobs: int) -> None:
    from kingmaker.engine.timeline import days_between, forecast_series
    from kingmaker.parallel import Workers
    from kingmaker.races import load_bundled
    from kingmaker.spread import forecast_days

    race = load_bundled("nato-sg-2024")
    days = days_between(dt.date(2023, 10, 1), dt.date(2024, 6, 25), 1)
    one, w1, c1 = timed(lambda: forecast_series(race, days, samples=10_000, seed=0))
    row("timeline", f"{len(days)} days, 1 process", w1, c1, None, "")

    def spread() -> Any:
        with Workers(jobs) as w:
            return forecast_days(w, race, days, samples=10_000, seed=0)

    many, wn, cn = timed(spread)
    same = [f.model_dump() for f in one] == [f.model_dump() for f in many]
    row("timeline", f"{jobs} processes", wn, cn, w1, "same" if same else "DIFF")


def backtest(jobs: int) -> None:
    from kingmaker.backtest import replay
    from kingmaker.parallel import Workers
    from kingmaker.races import bundled_race_dirs, load_bundled
    from kingmaker.spread import replay_races

    races = [r for r in (load_bundled(d) for d in bundled_race_dirs()) if r.resolution]
    one, w1, c1 = timed(lambda: [replay(r, every=14, samples=1_000) for r in races])
    row("backtest", f"{len(races)} races, 1 process", w1, c1, None, "")
    for how, sched in ((f"{jobs} processes", None), (f"LocalCluster of {jobs}", "local")):

        def spread(sched: str | None = sched) -> Any:
            with Workers(jobs, sched) as w:
                return replay_races(w, races, every=14, samples=1_000)

        many, wn, cn = timed(spread)
        same = all(
            [d.as_dict() for d in a.days] == [d.as_dict() for d in b.days]
            for a, b in zip(one, many, strict=True)
        )
        row("backtest", how, wn, cn, w1, "same" if same else "DIFF")


def fit(jobs: int) -> None:
    from kingmaker.backtest.fit import FitSettings, fit_params_file
    from kingmaker.races import bundled_race_dirs, load_bundled

    races = [r for r in (load_bundled(d) for d in bundled_race_dirs()) if r.resolution][:10]
    cfg = FitSettings(every=28, samples=250, max_evaluations=12)
    one, w1, c1 = timed(lambda: fit_params_file(races, cfg, loo=True))
    row("fit", f"{len(races)} races + LOO, 1 proc", w1, c1, None, "")
    par = FitSettings(every=28, samples=250, max_evaluations=12, jobs=jobs)
    many, wn, cn = timed(lambda: fit_params_file(races, par, loo=True))
    same = one.values == many.values and json.dumps(one.leave_one_out) == json.dumps(
        many.leave_one_out
    )  # (NaN scores: compared as text)
    row("fit", f"{jobs} processes", wn, cn, w1, "same" if same else "DIFF")


def archive(folder: Path, count: int) -> Path:
    """``count`` generated articles as a tree of text files by date (year/month/day)."""
    root = folder / f"archive-{count}"
    for n, r in enumerate(generate(news_rows(), count, seed=1)):
        path = root / r["date"].replace("-", "/") / f"{n:07d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"date {r['date']} {r['text']}", encoding="utf-8")
    return root


def ingests(jobs: int, count: int, parts: tuple[str, ...]) -> None:
    from kingmaker.newsdesk import backfill, ingest_news
    from kingmaker.parallel import Workers
    from kingmaker.races import load_bundled
    from kingmaker.store import SQLiteStore

    with tempfile.TemporaryDirectory() as tmp:
        root = archive(Path(tmp), count)

        def run(name: str, how: Callable[[Any, list[Any]], Any]) -> tuple[list[str], Any]:
            store = SQLiteStore(str(Path(tmp) / f"{name}.db"))
            store.put_race(load_bundled("nato-sg-2024"))
            how(store, [store.get_race("nato-sg-2024")])
            ev = sorted(e.model_dump_json() for e in store.get_race("nato-sg-2024").evidence)
            store.close()
            return ev, None

        (one, _), w1, c1 = timed(
            lambda: run("one", lambda s, r: ingest_news(s, r, [root], mode="fallback"))
        )
        row("ingest", f"{count:,} files, 1 process", w1, c1, None, "")
        if "ingest" in parts:
            (many, _), wn, cn = timed(
                lambda: run(
                    "jobs", lambda s, r: ingest_news(s, r, [root], mode="fallback", jobs=jobs)
                )
            )
            row("ingest", f"{jobs} processes", wn, cn, w1, "same" if many == one else "DIFF")
        if "backfill" in parts:

            def on_cluster(s: Any, r: list[Any]) -> Any:
                with Workers(jobs, "local") as w:
                    return backfill(s, r, [root], w, mode="fallback")

            (many, _), wn, cn = timed(lambda: run("dask", on_cluster))
            row(
                "backfill", f"LocalCluster of {jobs}", wn, cn, w1, "same" if many == one else "DIFF"
            )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--articles", type=int, default=2_000)
    ap.add_argument("--parts", nargs="+", choices=PARTS, default=list(PARTS))
    args = ap.parse_args()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; load average {load_now()}"
    )
    print(f"{'part':<10} {'how':<24} {'wall s':>8} {'CPU s':>8} {'speed-up':>8} {'result':>6}")
    parts = tuple(args.parts)
    if "start" in parts:
        start_costs(args.jobs)
    if "timeline" in parts:
        timeline(args.jobs)
    if "backtest" in parts:
        backtest(args.jobs)
    if "fit" in parts:
        fit(args.jobs)
    if "ingest" in parts or "backfill" in parts:
        ingests(args.jobs, args.articles, parts)
    print(f"load average at the end {load_now()}")


if __name__ == "__main__":
    main()
