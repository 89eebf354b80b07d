"""Fit the engine's free parameters by maximum likelihood on resolved races.

The objective is the mean, over races, of the mean daily log score of the eventual
winner (each race counts once, however long it ran). Parameters are searched with
Nelder-Mead on an unbounded transform (logit for shares, log for positive values) from
the current values; the simulation's random numbers are fixed (common random numbers),
so the objective is deterministic. ``leave_one_out`` refits without each race and scores
it, which is the honest estimate of how the model does on a race it has not seen.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize

from kingmaker.backtest.replay import METHODS, Replay, replay
from kingmaker.engine import MODEL, Params
from kingmaker.engine.params import ParamsFile
from kingmaker.errors import BacktestError
from kingmaker.records import Race

# The free parameters and their transform: "share" lives in (0, 1), "positive" in (0, inf).
FREE: dict[str, str] = {
    "target_oppose": "share",
    "half_life_days": "positive",
    "field_share": "share",
    "field_half_life_days": "positive",
    "correlation": "share",
    "bandwagon": "share",
    "switch_rate": "share",
    "roll_call_stick": "share",
    "switch_power": "positive",
}


def _to_x(params: Params, names: Sequence[str]) -> np.ndarray:
    vals = params.model_dump()
    out = []
    for n in names:
        v = float(vals[n])
        out.append(math.log(v / (1 - v)) if FREE[n] == "share" else math.log(v))
    return np.array(out)


def _from_x(base: Params, names: Sequence[str], x: np.ndarray) -> Params:
    upd = {}
    for n, xi in zip(names, x, strict=True):
        if FREE[n] == "share":
            upd[n] = float(np.clip(1 / (1 + math.exp(-xi)), 1e-3, 0.999))
        else:
            lo, hi = _bounds(n)
            upd[n] = float(np.clip(math.exp(xi), lo, hi))
    return Params.model_validate({**base.model_dump(), **upd})


def _bounds(name: str) -> tuple[float, float]:
    """Allowed range of a positive parameter, from the Params field's own limits."""
    lo, hi = 1e-3, 3650.0
    for m in Params.model_fields[name].metadata:
        lo = float(getattr(m, "gt", None) or getattr(m, "ge", None) or lo)
        hi = float(getattr(m, "le", None) or getattr(m, "lt", None) or hi)
    return max(lo, 1e-3), hi


def objective(replays: Sequence[Replay]) -> float:
    """Mean over races of the mean daily log score (higher is better).

    Raises:
        BacktestError: no race has a day to replay.
    """
    means = [rp.mean("kingmaker", "log") for rp in replays if rp.days]
    if not means:
        raise BacktestError("no race has a day to replay before its decision; add races")
    return sum(means) / len(means)


@dataclass(frozen=True)
class FitSettings:
    """How hard to look: days between replayed forecasts, samples, objective evaluations."""

    every: int = 7
    samples: int = 1_000
    max_evaluations: int = 60
    names: tuple[str, ...] = tuple(FREE)


@dataclass(frozen=True)
class Fit:
    """Fitted parameters and the in-sample objective."""

    params: Params
    log_score: float
    evaluations: int
    races: tuple[str, ...]


def score_races(races: Sequence[Race], params: Params, settings: FitSettings) -> float:
    """The objective for ``params`` on ``races``."""
    return objective(
        [replay(r, params=params, every=settings.every, samples=settings.samples) for r in races]
    )


def fit(
    races: Sequence[Race],
    *,
    start: Params | None = None,
    settings: FitSettings | None = None,
    on_step: Callable[[int, float], None] | None = None,
) -> Fit:
    """Maximise the objective over the free parameters on ``races``."""
    base = start or Params()
    cfg = settings or FitSettings()
    names = cfg.names
    calls = 0

    def loss(x: np.ndarray) -> float:
        nonlocal calls
        calls += 1
        value = score_races(races, _from_x(base, names, x), cfg)
        if on_step is not None:
            on_step(calls, value)
        return -value

    res = minimize(
        loss,
        _to_x(base, names),
        method="Nelder-Mead",
        options={"maxfev": cfg.max_evaluations, "xatol": 1e-2, "fatol": 1e-3},
    )
    return Fit(_from_x(base, names, res.x), -float(res.fun), calls, tuple(r.id for r in races))


def leave_one_out(
    races: Sequence[Race],
    *,
    start: Params | None = None,
    settings: FitSettings | None = None,
    on_step: Callable[[str, int, float], None] | None = None,
) -> dict[str, tuple[Params, Replay]]:
    """For each race: parameters fitted on the others, and its replay under them."""
    cfg = settings or FitSettings()
    if len(races) < 2:
        raise BacktestError("leaving one race out needs at least two races")
    out = {}
    for held in races:
        train = [r for r in races if r.id != held.id]
        step = None if on_step is None else (lambda i, v, h=held.id: on_step(h, i, v))
        f = fit(train, start=start, settings=cfg, on_step=step)
        out[held.id] = (
            f.params,
            replay(held, params=f.params, every=cfg.every, samples=cfg.samples),
        )
    return out


def fit_params_file(
    races: Sequence[Race],
    settings: FitSettings,
    *,
    loo: bool = False,
    on_step: Callable[[str, int, float], None] | None = None,
) -> ParamsFile:
    """Fit on all ``races`` (and, with ``loo``, without each) into a parameter file."""
    step = None if on_step is None else (lambda i, v: on_step("all races", i, v))
    full = fit(races, settings=settings, on_step=step)
    held = {
        race_id: {
            f"{m}.{metric}": rp.mean(m, metric)
            for m in METHODS
            for metric in ("brier", "log", "relative_log", "rank")
        }
        for race_id, (_, rp) in (
            leave_one_out(races, settings=settings, on_step=on_step).items() if loo else ()
        )
    }
    today = dt.date.today()
    return ParamsFile(
        model=MODEL,
        name=f"fit-{today.isoformat()}",
        created=today,
        fitted_on=full.races,
        method=f"Nelder-Mead on {', '.join(settings.names)}; mean daily log score per race, "
        f"every {settings.every} days, {settings.samples} samples, seed 0",
        in_sample_log_score=full.log_score,
        leave_one_out=held,
        values=full.params,
    )
