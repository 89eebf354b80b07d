"""Replay a resolved race day by day, forecasting with only what was known each day,
and score kingmaker and the baselines on the same days."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from kingmaker.backtest.baselines import active_options, endorsements, uniform
from kingmaker.backtest.checks import check_backtestable
from kingmaker.backtest.scores import Score, score
from kingmaker.engine import DEADLOCK_ID, FIELD_ID, Params, build_beliefs, forecast
from kingmaker.engine.timeline import days_between
from kingmaker.records import Race

METHODS = ("kingmaker", "uniform", "endorsements")


@dataclass(frozen=True)
class Day:
    """One replayed day: each method's probabilities, the outcome and the scores."""

    race_id: str
    as_of: dt.date
    winner: str  # outcome id that won, as seen that day ('field' if not yet named)
    n_options: int
    probs: dict[str, dict[str, float]]  # method -> outcome -> probability
    scores: dict[str, Score]


@dataclass(frozen=True)
class Replay:
    """A race's replay: its days and the warnings its checks raised."""

    race: Race
    days: list[Day]
    warnings: list[str] = field(default_factory=list)

    def mean(self, method: str, metric: str) -> float:
        """Mean of one score over the replayed days (None values skipped)."""
        vals = [getattr(d.scores[method], metric) for d in self.days]
        vals = [v for v in vals if v is not None]
        return sum(vals) / len(vals) if vals else float("nan")


def replay_days(race: Race, every: int = 1) -> list[dt.date]:
    """From the first evidence (or the opening) to the day before the decision."""
    assert race.resolution is not None
    end = race.resolution.date - dt.timedelta(days=1)
    first = min((e.date for e in race.evidence), default=race.opened)
    start = max(first, race.opened)
    if end < start:
        return []
    return days_between(start, end, every)


def replay(
    race: Race,
    *,
    params: Params | None = None,
    every: int = 1,
    samples: int = 2_000,
    seed: int = 0,
    on_day: Callable[[dt.date], None] | None = None,
    days: Sequence[dt.date] | None = None,
) -> Replay:
    """Forecast ``race`` on each day before its decision and score every method.

    Raises:
        BacktestError: if the race has no resolution or inconsistent tallies.
    """
    warnings = check_backtestable(race)
    assert race.resolution is not None
    params = params or Params()
    out = []
    for day in days if days is not None else replay_days(race, every):
        beliefs = build_beliefs(race, day, params)
        fc = forecast(
            race,
            day,
            samples=samples,
            seed=seed,
            params=params,
            explain=False,
            today=race.resolution.date,
        )
        kingmaker = {o.id: o.probability for o in fc.outcomes}
        winner = _winner_outcome(race, beliefs.candidate_ids)
        n = len(active_options(beliefs))
        probs = {
            "kingmaker": kingmaker,
            "uniform": uniform(beliefs),
            "endorsements": endorsements(race, beliefs),
        }
        out.append(
            Day(race.id, day, winner, n, probs, {m: score(p, winner, n) for m, p in probs.items()})
        )
        if on_day is not None:
            on_day(day)
    return Replay(race, out, warnings)


def _winner_outcome(race: Race, named: Sequence[str]) -> str:
    assert race.resolution is not None
    w = race.resolution.winner
    if w is None:
        return DEADLOCK_ID
    return w if w in named else FIELD_ID
