"""Replay a resolved race day by day, forecasting with only what was known each day,
and score kingmaker and the baselines on the same days.

Each day is in one of two phases. On a *named* day the eventual winner is a named
candidate in the forecast (or the race ended in deadlock, an outcome every day has): the
forecast is scored on the winner. On a day *before the winner is named* the only outcome
that can be right is "the field" (someone not yet named), so those days measure how much
room a forecast left for a newcomer, not whether it picked the winner. Reports keep the
two apart; the headline is the named days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from kingmaker.backtest.baselines import active_options, endorsements, uniform
from kingmaker.backtest.checks import check_backtestable
from kingmaker.backtest.scores import Score, score
from kingmaker.engine import DEADLOCK_ID, FIELD_ID, Params, build_beliefs, forecast
from kingmaker.engine.timeline import days_between
from kingmaker.records import Race

METHODS = ("kingmaker", "uniform", "endorsements")
PHASES = ("named", "unnamed", "all")
Phase = Literal["named", "unnamed", "all"]
LAST_DAYS = 30  # the closing window for the "winner ranked first" share


@dataclass(frozen=True)
class Day:
    """One replayed day: each method's probabilities, the outcome and the scores."""

    race_id: str
    as_of: dt.date
    winner: str  # outcome id that won, as seen that day ('field' if not yet named)
    n_options: int
    probs: dict[str, dict[str, float]]  # method -> outcome -> probability
    scores: dict[str, Score]
    decided: dt.date  # day of the decision

    @property
    def named(self) -> bool:
        """Whether the eventual winner (or deadlock) is an outcome of this day's forecast."""
        return self.winner != FIELD_ID

    @property
    def days_left(self) -> int:
        """Days from this forecast to the decision (1 for the day before)."""
        return (self.decided - self.as_of).days

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: the day, its outcome and phase, each method's probabilities and scores."""
        return {
            "as_of": self.as_of.isoformat(),
            "winner": self.winner,
            "named": self.named,
            "days_left": self.days_left,
            "n_options": self.n_options,
            "probs": self.probs,
            "scores": {m: asdict(s) for m, s in self.scores.items()},
        }

    def in_phase(self, phase: Phase) -> bool:
        """Whether the day counts for ``phase``: named, unnamed, or all."""
        return phase == "all" or (phase == "named") == self.named


@dataclass(frozen=True)
class Replay:
    """A race's replay: its days and the warnings its checks raised."""

    race: Race
    days: list[Day]
    warnings: list[str] = field(default_factory=list)

    def phase_days(self, phase: Phase = "all") -> list[Day]:
        """The replayed days of one phase (see the module docstring)."""
        return [d for d in self.days if d.in_phase(phase)]

    def mean(self, method: str, metric: str, phase: Phase = "all") -> float:
        """Mean of one score over the days of ``phase`` (None values skipped; NaN if none)."""
        vals = [getattr(d.scores[method], metric) for d in self.phase_days(phase)]
        return _mean([v for v in vals if v is not None])

    def first_late(self, method: str, last: int = LAST_DAYS) -> float:
        """Share of the named days within ``last`` days of the decision on which the winner
        ranked first (ties shared); NaN if the winner was not named in that window."""
        return _mean(
            [d.scores[method].first for d in self.phase_days("named") if d.days_left <= last]
        )

    def late_days(self, last: int = LAST_DAYS) -> int:
        """How many named days fall within ``last`` days of the decision."""
        return sum(1 for d in self.phase_days("named") if d.days_left <= last)


def _mean(vals: Sequence[float]) -> float:
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
            Day(
                race.id,
                day,
                winner,
                n,
                probs,
                {m: score(p, winner, n) for m, p in probs.items()},
                race.resolution.date,
            )
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
