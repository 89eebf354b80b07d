"""Forecasts of many days and races spread over ``kingmaker.parallel.Workers``.

A day's forecast depends on the race, the day, the settings and the seed alone (each
day draws from its own generator seeded the same), so the days can be cut into chunks,
forecast anywhere and put back in order: the results are those of one loop in one
process. ``forecast_days`` is a timeline, ``replay_races`` a backtest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from kingmaker.backtest import Replay, check_backtestable, replay
from kingmaker.backtest.replay import Day, replay_days
from kingmaker.engine import Forecast, Params
from kingmaker.engine.timeline import forecast_series
from kingmaker.parallel import Workers, chunked
from kingmaker.records import REVIEW_THRESHOLD, Race


def _forecast_chunk(shared: Any, days: Sequence[dt.date]) -> list[Forecast]:
    race, samples, seed, params, threshold = shared.value
    return forecast_series(
        race, days, samples=samples, seed=seed, params=params, review_threshold=threshold
    )


def forecast_days(
    workers: Workers,
    race: Race,
    days: Sequence[dt.date],
    *,
    samples: int = 10_000,
    seed: int = 0,
    params: Params | None = None,
    on_step: Callable[[dt.date], None] | None = None,
    review_threshold: float = REVIEW_THRESHOLD,
) -> list[Forecast]:
    """``forecast_series`` of ``race`` over ``days`` by ``workers`` (the same forecasts;
    ``on_step`` is told each day as its chunk is done)."""
    shared = workers.share((race, samples, seed, params, review_threshold))
    out: list[Forecast] = []
    for done in workers.imap(_forecast_chunk, _parts(workers, days), shared):
        out += done
        for fc in done:
            if on_step is not None:
                on_step(fc.as_of)
    return out


def _replay_chunk(shared: Any, items: Sequence[tuple[int, dt.date]]) -> list[Day]:
    races, params, samples, seed = shared.value
    out: list[Day] = []
    start = 0
    while start < len(items):  # runs of one race's days
        end = start
        while end < len(items) and items[end][0] == items[start][0]:
            end += 1
        race = races[items[start][0]]
        days = [d for _, d in items[start:end]]
        out += replay(race, params=params, samples=samples, seed=seed, days=days).days
        start = end
    return out


def replay_races(
    workers: Workers,
    races: Sequence[Race],
    *,
    params: Params | None = None,
    every: int = 1,
    samples: int = 2_000,
    seed: int = 0,
    on_day: Callable[[str, dt.date], None] | None = None,
) -> list[Replay]:
    """``replay`` of each race by ``workers``, the days of all races in one queue (the
    same replays; ``on_day`` is told each day as its chunk is done)."""
    warnings = [check_backtestable(r) for r in races]  # fails early, as replay would
    items = [(n, d) for n, r in enumerate(races) for d in replay_days(r, every)]
    shared = workers.share((list(races), params, samples, seed))
    days: list[list[Day]] = [[] for _ in races]
    n = 0
    for done in workers.imap(_replay_chunk, _parts(workers, items), shared):
        for day in done:
            days[items[n][0]].append(day)
            n += 1
            if on_day is not None:
                on_day(day.race_id, day.as_of)
    return [Replay(r, d, w) for r, d, w in zip(races, days, warnings, strict=True)]


def _parts(workers: Workers, items: Sequence[Any]) -> list[list[Any]]:
    """Chunks small enough to share the work and to show progress (4 per worker)."""
    return chunked(items, workers.size * 4) if items else []
