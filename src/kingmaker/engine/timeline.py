"""Run many forecasts of one race (a timeline, a sweep) and return tidy rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from kingmaker.engine.forecast import forecast
from kingmaker.engine.params import Params
from kingmaker.engine.result import Forecast
from kingmaker.errors import ForecastError
from kingmaker.records import REVIEW_THRESHOLD, Race


def days_between(start: dt.date, end: dt.date, every: int) -> list[dt.date]:
    """``start``, ``start + every``, ... up to and including ``end`` (always ends on ``end``).

    Raises:
        ForecastError: if ``every`` < 1 or ``end`` is before ``start``.
    """
    if every < 1:
        raise ForecastError(f"every must be at least 1 day, got {every}", param="every")
    if end < start:
        raise ForecastError(f"the timeline ends ({end}) before it starts ({start}); swap them")
    days = [start + dt.timedelta(days=i) for i in range(0, (end - start).days + 1, every)]
    if days[-1] != end:
        days.append(end)
    return days


def forecast_series(
    race: Race,
    days: Iterable[dt.date],
    *,
    samples: int = 10_000,
    seed: int = 0,
    params: Params | None = None,
    on_step: Callable[[dt.date], None] | None = None,
    review_threshold: float = REVIEW_THRESHOLD,
) -> list[Forecast]:
    """One forecast per day (without explanations), same seed on every day; unreviewed
    evidence counts from ``review_threshold`` (as in ``forecast``)."""
    out = []
    for day in days:
        out.append(
            forecast(
                race, day, samples=samples, seed=seed, params=params, explain=False,
                review_threshold=review_threshold,
            )
        )  # fmt: skip
        if on_step is not None:
            on_step(day)
    return out


def tidy_rows(forecasts: Iterable[Forecast]) -> list[dict[str, object]]:
    """One row per forecast and outcome: race, as_of, outcome, name, kind, probability, se."""
    return [
        {
            "race_id": f.race_id,
            "as_of": f.as_of.isoformat(),
            "outcome": o.id,
            "name": o.name,
            "kind": o.kind,
            "probability": o.probability,
            "se": o.se,
        }
        for f in forecasts
        for o in f.outcomes
    ]
