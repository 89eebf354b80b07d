"""Benchmarks of the forecast engine; prints figures, asserts nothing.

1. The core: one forecast of a 32-member, 10-candidate consensus race with 100,000
   samples (simulation only, then the full forecast with kingmakers, no explanations),
   against the floor measured in the same run: drawing 16-bit random numbers for
   candidates x members x samples on one thread and nothing else; and against every
   draw the simulation consumes (the field's column too, and three rows per column for
   the common latent, standing and count constraints). Wall time on every core the
   simulation may use and on one thread, then CPU time on one thread (the work itself;
   on a loaded machine the steadier ratio).
2. The bundled NATO race: a forecast with explanations, and a weekly timeline.
3. Explained forecasts of generated races with many evidence items (--items).
Run: ./run bench   (or .venv/bin/python benchmarks/engine.py --repeat 7 --items 1000 10000)
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import platform
import resource
import statistics
import time
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from kingmaker.engine import Params, build_beliefs, forecast, threads
from kingmaker.engine.forecast import run, statements
from kingmaker.engine.timeline import days_between, forecast_series
from kingmaker.races import load_bundled
from kingmaker.records import Race


def consensus_race(
    rid: str, name: str, members: int, cands: list[str], ev: list[dict[str, Any]]
) -> Race:
    """A consensus race of ``members`` members M0.. with candidates ``cands`` and ``ev``."""
    return Race.model_validate(
        {
            "id": rid,
            "name": name,
            "opened": "2024-01-01",
            "post": {"name": "Chair"},
            "rule": {"kind": "consensus"},
            "bodies": [
                {
                    "id": "b",
                    "name": "Body",
                    "members": [{"id": f"M{i}", "name": f"M{i}"} for i in range(members)],
                }
            ],
            "candidates": [{"id": c, "name": c} for c in cands],
            "evidence": ev,
        }
    )


def synthetic_race(members: int = 32, candidates: int = 10) -> Race:
    """A consensus race with declared candidates and a spread of stances."""
    rng = np.random.default_rng(1)
    cands = [f"c{i}" for i in range(candidates)]
    ev: list[dict[str, Any]] = []
    for i, c in enumerate(cands):
        ev.append(
            {
                "id": f"k{i}",
                "kind": "candidacy",
                "date": "2024-01-05",
                "candidate": c,
                "status": "declared",
                "source": {"url": "https://example.org/k"},
                "producer": "curated:bench",
            }
        )
    for j in range(60):
        ev.append(
            {
                "id": f"s{j}",
                "kind": "stance",
                "date": f"2024-02-{1 + j % 28:02d}",
                "member": f"M{rng.integers(members)}",
                "candidate": cands[rng.integers(3)],
                "stance": ["support", "support", "oppose", "neutral"][j % 4],
                "source": {"url": "https://example.org/s"},
                "producer": "curated:bench",
            }
        )
    return consensus_race("bench", "Benchmark race", members, cands, ev)


def evidence_race(items: int, members: int = 32, candidates: int = 10, seed: int = 2) -> Race:
    """A consensus race with ``items`` evidence items over 200 days, as news reads: stances
    (85%, many reports of the same statement), candidacy reports (10%) and counts (5%)."""
    rng = np.random.default_rng(seed)
    cands = [f"c{i}" for i in range(candidates)]
    start = dt.date(2024, 1, 1)
    ev: list[dict[str, Any]] = []
    for j in range(items):
        day = str(start + dt.timedelta(days=int(rng.integers(1, 200))))
        u = rng.random()
        cand = cands[min(int(rng.exponential(2.5)), candidates - 1)]
        common = {
            "date": day,
            "source": {"url": f"https://example.org/{j}"},
            "producer": "curated:bench",
        }
        if u < 0.85:
            ev.append(
                {
                    "id": f"s{j}",
                    "kind": "stance",
                    "member": f"M{rng.integers(members)}",
                    "candidate": cand,
                    "stance": ["support", "support", "oppose", "neutral"][rng.integers(4)],
                    "confidence": float(rng.choice([1.0, 0.8, 0.6])),
                    **common,
                }
            )
        elif u < 0.95:
            status = ["mentioned", "interested", "declared", "declared", "withdrawn"]
            ev.append(
                {
                    "id": f"k{j}",
                    "kind": "candidacy",
                    "candidate": cand,
                    "status": status[rng.integers(5)],
                    "confidence": float(rng.choice([1.0, 0.7, 0.4])),
                    **common,
                }
            )
        else:
            ev.append(
                {
                    "id": f"n{j}",
                    "kind": "count",
                    "candidate": cands[rng.integers(3)],
                    "count": int(rng.integers(5, 30)),
                    "of": members,
                    **common,
                }
            )
    return consensus_race(
        "bench-evidence", "Benchmark race with many evidence items", members, cands, ev
    )


def floor(candidates: int, members: int, samples: int) -> None:
    """Only 16-bit draws: each candidate's stream, ``members`` rows of ``samples``."""
    words = -(-samples // 4)
    for c in range(candidates):
        g = np.random.Generator(np.random.SFC64(np.random.SeedSequence(0, spawn_key=(c,))))
        g.bit_generator.random_raw(members * words)


def timed(
    fn: Callable[[], Any], repeat: int, clock: Callable[[], float] = time.perf_counter
) -> tuple[float, float]:
    """Median and best time in seconds (wall, or ``clock``) over ``repeat`` runs after
    one warm-up."""
    fn()
    times = []
    for _ in range(repeat):
        t0 = clock()
        fn()
        times.append(clock() - t0)
    return statistics.median(times), min(times)


@contextlib.contextmanager
def _threads(n: int) -> Iterator[None]:
    """Run the block with the simulation on at most ``n`` threads."""
    before = os.environ.get("KINGMAKER_THREADS")
    os.environ["KINGMAKER_THREADS"] = str(n)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("KINGMAKER_THREADS", None)
        else:
            os.environ["KINGMAKER_THREADS"] = before


def cpu_name() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--samples", type=int, default=100_000)
    ap.add_argument(
        "--items",
        type=int,
        nargs="*",
        default=[1_000],
        help="evidence items of generated races to explain (e.g. 1000 10000)",
    )
    args = ap.parse_args()

    print(
        f"machine: {cpu_name()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"numpy {np.__version__}"
    )
    race, day, params = synthetic_race(), dt.date(2024, 3, 1), Params()
    beliefs = build_beliefs(race, day, params)
    simulation = lambda: run(race, beliefs, args.samples, 0, params)  # noqa: E731
    columns = len(beliefs.candidate_ids)  # the named candidates and the field
    cores = threads.available()
    print(
        f"the simulation's columns run on {cores} thread(s) (KINGMAKER_THREADS caps them); "
        "the floor is one thread's draws"
    )
    for n in sorted({1, cores}):
        with _threads(n):
            sim, sim_best = timed(simulation, args.repeat)
            low, low_best = timed(lambda: floor(10, 32, args.samples), args.repeat)
        print(
            f"simulate 32 members x 10 candidates x {args.samples:,} samples, {n} thread(s), "
            f"wall: median {sim * 1e3:.1f} ms, best {sim_best * 1e3:.1f} ms; floor median "
            f"{low * 1e3:.1f} ms; simulation / floor: {sim / low:.2f}x "
            f"(best {sim_best / low_best:.2f}x)"
        )
    with _threads(1):  # CPU time of one thread: the work itself, steadier under load
        clock = time.process_time
        sim, sim_best = timed(simulation, args.repeat, clock)
        low, low_best = timed(lambda: floor(10, 32, args.samples), args.repeat, clock)
        used, used_best = timed(lambda: floor(columns, 35, args.samples), args.repeat, clock)
    print(
        f"simulate, same race, one thread, CPU: median {sim * 1e3:.1f} ms, best "
        f"{sim_best * 1e3:.1f} ms; floor median {low * 1e3:.1f} ms: simulation / floor "
        f"{sim / low:.2f}x (best {sim_best / low_best:.2f}x)"
    )
    print(
        f"  every draw the simulation consumes ({columns} columns x 35 rows): median "
        f"{used * 1e3:.1f} ms, best {used_best * 1e3:.1f} ms; simulation / those draws: "
        f"{sim / used:.2f}x (best {sim_best / used_best:.2f}x)"
    )
    med, best = timed(lambda: forecast(race, day, samples=args.samples, explain=False), args.repeat)
    print(
        f"forecast (beliefs + simulation + kingmakers), same race: median {med * 1e3:.1f} ms, "
        f"best {best * 1e3:.1f} ms"
    )

    nato = load_bundled("nato-sg-2024")
    c0 = time.process_time()
    med, best = timed(lambda: forecast(nato, dt.date(2024, 6, 20), samples=20_000), 5)
    cpu = (time.process_time() - c0) / 6
    print(
        f"NATO 2024-06-20, 20,000 samples, with explanations of every statement: "
        f"median {med:.3f} s, best {best:.3f} s ({cpu:.3f} s CPU each)"
    )
    days = days_between(dt.date(2023, 10, 28), dt.date(2024, 6, 26), 7)
    t0 = time.perf_counter()
    forecast_series(nato, days, samples=10_000)
    el = time.perf_counter() - t0
    print(
        f"NATO weekly timeline, {len(days)} forecasts x 10,000 samples: {el:.2f} s "
        f"({el / len(days) * 1e3:.0f} ms each)"
    )
    for n in args.items:
        big = evidence_race(n)
        big_day = dt.date(2024, 7, 20)
        groups = len(statements(big.evidence_until(big_day)))
        t0, c0 = time.perf_counter(), time.process_time()
        forecast(big, big_day, samples=20_000)
        print(
            f"generated race, {n:,} evidence items ({groups:,} statements), 20,000 samples, "
            f"explained: {time.perf_counter() - t0:.2f} s ({time.process_time() - c0:.2f} s CPU)"
        )
    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    print(f"load average: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory: {peak:.0f} MiB")


if __name__ == "__main__":
    main()
