"""Benchmark of the full backtest: every bundled resolved race, replayed day by day.

Prints the wall time per race and in total (2,000 samples a day, as `kingmaker backtest`),
then the time to score and tabulate the replays (both phases, calibration).
Run: ./run kingmaker ... or .venv/bin/python benchmarks/backtest.py [--samples N] [--every D]
"""

from __future__ import annotations

import argparse
import platform
import resource
import time

from kingmaker.backtest import Replay, replay
from kingmaker.backtest.report import calibration, table_rows
from kingmaker.races import bundled_race_dirs, load_bundled


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--samples", type=int, default=2_000)
    ap.add_argument("--every", type=int, default=1)
    args = ap.parse_args()
    print(f"machine: {platform.machine()}, Python {platform.python_version()}")
    total_days, t_all = 0, time.perf_counter()
    replays: list[Replay] = []
    for race_id in bundled_race_dirs():
        race = load_bundled(race_id)
        if race.resolution is None:
            continue
        t0 = time.perf_counter()
        rp = replay(race, every=args.every, samples=args.samples)
        replays.append(rp)
        el = time.perf_counter() - t0
        total_days += len(rp.days)
        print(
            f"{race_id:28s} {len(rp.days):4d} days  {el:6.2f} s  "
            f"({el / max(len(rp.days), 1) * 1e3:.0f} ms a day)"
        )
    el = time.perf_counter() - t_all
    t0 = time.perf_counter()
    table_rows(replays)
    calibration(replays)
    print(f"score tables and calibration: {(time.perf_counter() - t0) * 1e3:.0f} ms")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"full backtest: {total_days} days in {el:.1f} s, {args.samples:,} samples a day; "
        f"peak memory {peak:.0f} MiB"
    )


if __name__ == "__main__":
    main()
