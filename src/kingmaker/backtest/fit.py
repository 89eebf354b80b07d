"""Fit the engine's free parameters by maximum likelihood on resolved races.

The objective is the mean, over races, of the mean daily log score of the outcome as
seen that day (the winner once named, the field before), each race counting once however
long it ran: the likelihood of what happened, including "someone not yet named wins",
without which the field's share would be fitted to nothing.

The search starts with a scan: each free parameter in turn is tried at a few points spread
over its range, the others held, and kept at the best (an objective may have two optima
along one parameter, and a local search stops at the one nearer its start). Then a compass
(pattern) search on a lattice: each free parameter in turn,
transformed to an unbounded scale (logit for shares, log for positive values) and kept
within its bounds, is stepped up and down; a step that improves the objective is taken
and the walk goes on in that direction with the stride doubled while it improves; when
a whole sweep improves nothing the step halves, until it is below ``min_step``. It
converges (to a point no step of the final size improves) and needs no gradient,
which a Monte Carlo objective on common random numbers (piecewise constant) does not
have. Each race's score at each
lattice point is computed once and shared by every fit (``RaceScorer``), so leaving each
race out in turn costs little more than one fit.

The deadlock base rate is not searched: it is the share of the races fitted on that ended
without a decision, with half a race added to each side (Jeffreys' prior):
(k + 0.5) / (n + 1).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from kingmaker.backtest.replay import METHODS, Replay, replay
from kingmaker.engine import FIELD_ID, MODEL, Params
from kingmaker.engine.params import ParamsFile
from kingmaker.errors import BacktestError
from kingmaker.parallel import Workers
from kingmaker.records import Race

# The parameters a fit may search: transform ("share" in (0, 1), "positive" in (0, inf))
# and bounds.
FREE: dict[str, tuple[str, float, float]] = {
    "stand_backing": ("positive", 0.05, 20.0),
    "convergence": ("share", 0.05, 0.995),
    "relent": ("share", 0.01, 0.99),
    "endorsement_weight": ("share", 0.01, 0.95),
    "outgroup_discount": ("share", 0.01, 0.95),
    "target_oppose": ("share", 0.02, 0.9),
    "half_life_days": ("positive", 20.0, 2000.0),
    "field_share": ("share", 0.02, 0.9),
    "correlation": ("share", 0.05, 0.95),
    "bandwagon": ("share", 0.02, 0.98),
    "lean_power": ("positive", 0.02, 4.0),
    "group_vote_pull": ("positive", 0.05, 10.0),
    "outgroup_discount_approval": ("share", 0.01, 0.95),
}
# The ones searched by default: the structure v2 added, and the field's share. v3's lean
# is not searched: its power is the urn's (1), a reading of the evidence, not a fit.
FITTED = (
    "stand_backing",
    "convergence",
    "relent",
    "endorsement_weight",
    "outgroup_discount",
    "field_share",
    "outgroup_discount_approval",
)


def _fwd(name: str, v: float) -> float:
    kind, _, _ = FREE[name]
    return math.log(v / (1 - v)) if kind == "share" else math.log(v)


def _back(name: str, x: float) -> float:
    kind, lo, hi = FREE[name]
    v = 1 / (1 + math.exp(-x)) if kind == "share" else math.exp(x)
    return float(min(max(v, lo), hi))


def _to_x(params: Params, names: Sequence[str]) -> np.ndarray:
    vals = params.model_dump()
    return np.array([_fwd(n, min(max(float(vals[n]), FREE[n][1]), FREE[n][2])) for n in names])


def _from_x(base: Params, names: Sequence[str], x: np.ndarray) -> Params:
    upd = {n: _back(n, float(xi)) for n, xi in zip(names, x, strict=True)}
    return Params.model_validate({**base.model_dump(), **upd})


def _bounds_x(names: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """The free parameters' bounds on the transformed scale."""
    lo = np.array([_fwd(n, FREE[n][1]) for n in names])
    hi = np.array([_fwd(n, FREE[n][2]) for n in names])
    return lo, hi


def _clip_x(names: Sequence[str], x: np.ndarray) -> np.ndarray:
    out: np.ndarray = np.clip(x, *_bounds_x(names))
    return out


def named_days_mean(rp: Replay, method: str = "kingmaker", metric: str = "log") -> float:
    """Mean daily score over the days on which the winner is named (all days if none)."""
    days = [d for d in rp.days if d.winner != FIELD_ID] or rp.days
    vals = [getattr(d.scores[method], metric) for d in days]
    vals = [v for v in vals if v is not None]
    return sum(vals) / len(vals) if vals else float("nan")


def race_value(rp: Replay, metric: str = "log") -> float:
    """A race's mean daily score as the fit maximises it: the log score, or minus the
    Brier score (so that higher is better for both); NaN without days."""
    if not rp.days:
        return float("nan")
    value = rp.mean("kingmaker", metric)
    return -value if metric == "brier" else value


def objective(replays: Sequence[Replay], metric: str = "log") -> float:
    """Mean over races of the race's mean daily score (higher is better; see ``race_value``).

    Raises:
        BacktestError: no race has a day to replay.
    """
    means = [race_value(rp, metric) for rp in replays if rp.days]
    if not means:
        raise BacktestError("no race has a day to replay before its decision; add races")
    return sum(means) / len(means)


def deadlock_base_rate(races: Sequence[Race]) -> float:
    """(races without a decision + 0.5) / (races + 1): the deadlock base rate."""
    stuck = sum(1 for r in races if r.resolution is not None and r.resolution.winner is None)
    return (stuck + 0.5) / (len(races) + 1)


def with_base_rate(start: Params | None, races: Sequence[Race]) -> Params:
    """``start`` (or the starting values) with the deadlock base rate of ``races``."""
    return (start or Params()).model_copy(update={"deadlock_rate": deadlock_base_rate(races)})


@dataclass(frozen=True)
class FitSettings:
    """How hard to look: days between replayed forecasts, samples, objective evaluations,
    the free parameters, the first step (on the transformed scale) and the last."""

    every: int = 7
    samples: int = 1_000
    max_evaluations: int = 200
    names: tuple[str, ...] = FITTED
    first_step: float = 1.0
    min_step: float = 0.125
    # Before the compass search, each parameter in turn is tried at this many points spread
    # evenly over its range (on the transformed scale), the others held: the search starts
    # from the best, so an objective with two optima along one parameter is not left at the
    # one nearer the starting value. 0 or 1: no scan.
    scan: int = 5
    metric: str = "log"  # "log" (maximised: maximum likelihood) or "brier" (minimised)
    jobs: int = 1  # processes scoring races and fitting leave-one-race-out folds in parallel
    scheduler: str | None = None  # a Dask scheduler (or "local") to do it on instead


@dataclass(frozen=True)
class Fit:
    """Fitted parameters and the in-sample objective (higher is better)."""

    params: Params
    objective: float
    evaluations: int
    races: tuple[str, ...]
    converged: bool = False


def _score_one(args: tuple[Race, Params, FitSettings]) -> float:
    race, params, cfg = args
    rp = replay(race, params=params, every=cfg.every, samples=cfg.samples)
    return race_value(rp, cfg.metric)


@dataclass
class RaceScorer:
    """Each race's mean daily score at a parameter point, computed once (the cache is
    shared by every fit that uses this scorer)."""

    settings: FitSettings
    cache: dict[tuple[str, tuple[float, ...]], float] = field(default_factory=dict)
    runs: int = 0
    workers: Workers | None = None  # scores a point's races in parallel when set

    def __call__(self, race: Race, params: Params, key: tuple[float, ...]) -> float:
        return self.many([race], params, key)[0]

    def many(self, races: Sequence[Race], params: Params, key: tuple[float, ...]) -> list[float]:
        """The scores of ``races`` at one point (computing those not cached)."""
        todo = list({r.id: r for r in races if (r.id, key) not in self.cache}.values())
        if self.workers is not None and len(todo) > 1:
            args = [(r, params, self.settings) for r in todo]
            vals = self.workers.map(_score_task, args, chunks=len(args))
        else:
            vals = [_score_one((r, params, self.settings)) for r in todo]
        for r, v in zip(todo, vals, strict=True):
            self.runs += 1
            self.cache[(r.id, key)] = v
        return [self.cache[(r.id, key)] for r in races]


def score_races(races: Sequence[Race], params: Params, settings: FitSettings) -> float:
    """The objective for ``params`` on ``races``."""
    return objective(
        [replay(r, params=params, every=settings.every, samples=settings.samples) for r in races],
        settings.metric,
    )


def fit(
    races: Sequence[Race],
    *,
    start: Params | None = None,
    settings: FitSettings | None = None,
    on_step: Callable[[int, float], None] | None = None,
    scorer: RaceScorer | None = None,
) -> Fit:
    """Maximise the objective over the free parameters on ``races`` (compass search from
    ``start``; the deadlock rate is not searched, see ``with_base_rate``)."""
    cfg = settings or FitSettings()
    base = start or Params()
    names = cfg.names
    score = scorer or RaceScorer(cfg)
    calls = 0

    def value(x: np.ndarray) -> float:
        nonlocal calls
        calls += 1
        key = (*(round(float(v), 6) for v in x), base.deadlock_rate)
        params = _from_x(base, names, x)
        vals = score.many(races, params, key)
        vals = [v for v in vals if not math.isnan(v)]
        if not vals:
            raise BacktestError("no race has a day to replay before its decision; add races")
        out = sum(vals) / len(vals)
        if on_step is not None:
            on_step(calls, out)
        return out

    x = _clip_x(names, _to_x(base, names))
    best = value(x)
    if cfg.scan > 1:
        lo, hi = _bounds_x(names)
        for i in range(len(names)):
            for point in np.linspace(lo[i], hi[i], cfg.scan):
                if calls >= cfg.max_evaluations:
                    break
                y = x.copy()
                y[i] = point
                if y[i] == x[i]:
                    continue
                v = value(y)
                if v > best + 1e-9:
                    x, best = y, v
    step = cfg.first_step
    converged = False
    while calls < cfg.max_evaluations:
        improved = False
        for i in range(len(names)):
            for sign in (1.0, -1.0):
                # Walk along this parameter while it pays, doubling the stride each time.
                stride, moved = step, False
                while calls < cfg.max_evaluations:
                    y = x.copy()
                    y[i] += sign * stride
                    y = _clip_x(names, y)
                    if y[i] == x[i]:
                        break
                    v = value(y)
                    if v <= best + 1e-9:
                        break
                    x, best, improved, moved = y, v, True, True
                    stride *= 2
                if moved:
                    break  # no need to try the other direction
        if not improved:
            if calls >= cfg.max_evaluations:
                break  # out of budget before every step of this size was tried
            step /= 2
            if step < cfg.min_step:
                converged = True
                break
    return Fit(_from_x(base, names, x), best, calls, tuple(r.id for r in races), converged)


def _fold(
    held: Race,
    train: Sequence[Race],
    start: Params | None,
    cfg: FitSettings,
    scorer: RaceScorer | None = None,
    on_step: Callable[[int, float], None] | None = None,
) -> tuple[Params, Replay]:
    """Fit without ``held`` (on ``train``) and replay ``held`` under the fitted values."""
    f = fit(train, start=with_base_rate(start, train), settings=cfg, on_step=on_step, scorer=scorer)
    return f.params, replay(held, params=f.params, every=cfg.every, samples=cfg.samples)


def _score_task(_: Any, chunk: Sequence[tuple[Race, Params, FitSettings]]) -> list[float]:
    return [_score_one(args) for args in chunk]


def _fold_task(
    _: Any, chunk: Sequence[tuple[Race, Sequence[Race], Params | None, FitSettings]]
) -> list[tuple[Params, Replay]]:
    return [_fold(*args) for args in chunk]


def leave_one_out(
    races: Sequence[Race],
    *,
    start: Params | None = None,
    settings: FitSettings | None = None,
    on_step: Callable[[str, int, float], None] | None = None,
    scorer: RaceScorer | None = None,
    workers: Workers | None = None,
) -> dict[str, tuple[Params, Replay]]:
    """For each race: parameters fitted on the others, and its replay under them.

    With ``settings.jobs`` above 1 or a ``settings.scheduler`` the folds run in that many
    processes or on that Dask cluster (on ``workers`` if given), each with a cache of its
    own (``on_step`` is then not called); the results are the same. Given a ``scorer``
    that scores in parallel (``RaceScorer.workers``), the folds run here one after the
    other on its shared cache instead, each point's races in parallel."""
    cfg = settings or FitSettings()
    if len(races) < 2:
        raise BacktestError("leaving one race out needs at least two races")
    folds = [(held, [r for r in races if r.id != held.id]) for held in races]
    parallel_scorer = scorer is not None and scorer.workers is not None
    if (cfg.jobs > 1 or cfg.scheduler is not None) and not parallel_scorer:
        pool = workers if workers is not None else Workers(cfg.jobs, cfg.scheduler)
        try:
            args = [(h, t, start, cfg) for h, t in folds]
            done = pool.map(_fold_task, args, chunks=len(args))
        finally:
            if workers is None:
                pool.close()
        return {h.id: d for (h, _), d in zip(folds, done, strict=True)}
    score = scorer or RaceScorer(cfg)
    return {
        held.id: _fold(held, train, start, cfg, score, _for_race(on_step, held.id))
        for held, train in folds
    }


def _for_race(
    on_step: Callable[[str, int, float], None] | None, race_id: str
) -> Callable[[int, float], None] | None:
    """``on_step`` with the held-out race's id filled in."""
    if on_step is None:
        return None
    return lambda i, v: on_step(race_id, i, v)


def loo_scores(rp: Replay) -> dict[str, float]:
    """A held-out race's mean daily scores per method and metric, on the days on which
    the winner is named (``method.metric``) and on every day (``method.metric.all``)."""
    out: dict[str, float] = {}
    for m in METHODS:
        for metric in ("brier", "log", "relative_log", "rank"):
            out[f"{m}.{metric}"] = named_days_mean(rp, m, metric)
            out[f"{m}.{metric}.all"] = rp.mean(m, metric)
    return out


def fit_params_file(
    races: Sequence[Race],
    settings: FitSettings,
    *,
    loo: bool = False,
    start: Params | None = None,
    on_step: Callable[[str, int, float], None] | None = None,
    folds: dict[str, ParamsFile] | None = None,
) -> ParamsFile:
    """Fit on all ``races`` (and, with ``loo``, without each) into a parameter file;
    with ``loo``, ``folds`` (if given) receives each held-out race's own parameter file,
    fitted on the others, to replay it as the leave-one-out table scored it."""
    with Workers(settings.jobs, settings.scheduler) as workers:
        scorer = RaceScorer(settings, workers=None if workers.serial else workers)
        step = None if on_step is None else (lambda i, v: on_step("all races", i, v))
        full = fit(
            races,
            start=with_base_rate(start, races),
            settings=settings,
            on_step=step,
            scorer=scorer,
        )
        done = (
            leave_one_out(races, start=start, settings=settings, on_step=on_step, scorer=scorer)
            if loo
            else {}
        )
    held = {race_id: loo_scores(rp) for race_id, (_, rp) in done.items()}
    today = dt.date.today()
    how = (
        f"mean daily {'Brier' if settings.metric == 'brier' else 'log'} score per race, "
        f"every {settings.every} days, {settings.samples} samples, seed 0; deadlock rate "
        f"(k + 0.5) / (n + 1) of the races"
    )
    search = f"compass search on {', '.join(settings.names)}"
    method = (
        f"{search} ({'converged' if full.converged else 'stopped'} after "
        f"{full.evaluations} evaluations); {how}"
    )
    if folds is not None:
        for race_id, (values, _) in done.items():
            folds[race_id] = ParamsFile(
                model=MODEL,
                name=f"fit-{today.isoformat()}-without-{race_id}",
                created=today,
                fitted_on=tuple(r for r in full.races if r != race_id),
                method=f"{search}, leaving out {race_id} to score it; {how}",
                objective=settings.metric,
                values=values,
            )
    return ParamsFile(
        model=MODEL,
        name=f"fit-{today.isoformat()}",
        created=today,
        fitted_on=full.races,
        method=method,
        in_sample_log_score=full.objective if settings.metric == "log" else None,
        objective=settings.metric,
        in_sample_objective=full.objective,
        leave_one_out=held,
        values=full.params,
    )
