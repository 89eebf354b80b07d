"""Benchmarks of the forecast engine; prints figures, asserts nothing.

1. The core: one forecast of a 32-member, 10-candidate consensus race with 100,000
   samples (simulation only, then the full forecast with kingmakers, no explanations).
2. The bundled NATO race: a forecast with explanations, and a weekly timeline.
Run: ./run bench   (or .venv/bin/python benchmarks/engine.py --repeat 7)
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import resource
import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from kingmaker.engine import Params, build_beliefs, forecast
from kingmaker.engine.forecast import run
from kingmaker.engine.timeline import days_between, forecast_series
from kingmaker.races import load_bundled
from kingmaker.records import Race


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
    return Race.model_validate(
        {
            "id": "bench",
            "name": "Benchmark race",
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


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """Median and best wall time in seconds over ``repeat`` runs after one warm-up."""
    fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), min(times)


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
    args = ap.parse_args()

    print(
        f"machine: {cpu_name()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"numpy {np.__version__}"
    )
    race, day, params = synthetic_race(), dt.date(2024, 3, 1), Params()
    beliefs = build_beliefs(race, day, params)
    med, best = timed(lambda: run(race, beliefs, args.samples, 0, params), args.repeat)
    print(
        f"simulate 32 members x 10 candidates x {args.samples:,} samples: "
        f"median {med * 1e3:.1f} ms, best {best * 1e3:.1f} ms"
    )
    med, best = timed(lambda: forecast(race, day, samples=args.samples, explain=False), args.repeat)
    print(
        f"forecast (beliefs + simulation + kingmakers), same race: median {med * 1e3:.1f} ms, "
        f"best {best * 1e3:.1f} ms"
    )

    nato = load_bundled("nato-sg-2024")
    med, _ = timed(lambda: forecast(nato, dt.date(2024, 6, 20), samples=20_000), 3)
    print(
        f"NATO 2024-06-20, 20,000 samples, with explanations of every statement: median {med:.2f} s"
    )
    days = days_between(dt.date(2023, 10, 28), dt.date(2024, 6, 26), 7)
    t0 = time.perf_counter()
    forecast_series(nato, days, samples=10_000)
    el = time.perf_counter() - t0
    print(
        f"NATO weekly timeline, {len(days)} forecasts x 10,000 samples: {el:.2f} s "
        f"({el / len(days) * 1e3:.0f} ms each)"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory: {peak:.0f} MiB")


if __name__ == "__main__":
    main()
