"""The fitter: a compass search that converges, shares race scores between fits, and
leaves each race out."""

from __future__ import annotations

from typing import Any

from conftest import candidacy, make_race, stance
from kingmaker.backtest.fit import (
    FitSettings,
    RaceScorer,
    deadlock_base_rate,
    fit,
    leave_one_out,
    with_base_rate,
)
from kingmaker.engine import Params
from kingmaker.records import Race

RESOLVED = {"winner": "a", "date": "2024-03-01", "source": "https://example.org/r"}
CFG = FitSettings(every=14, samples=200, max_evaluations=40, names=("endorsement_weight",))


def race(rid: str, **kw: Any) -> Race:
    ev = [
        candidacy("c1", "2024-01-10", "a"),
        candidacy("c2", "2024-01-10", "b"),
        stance("s1", "2024-02-01", "M1", "a"),
        stance("s2", "2024-02-01", "M2", "a"),
    ]
    return make_race(id=rid, evidence=ev, resolution=kw.pop("resolution", RESOLVED), **kw)


def test_the_search_converges_and_never_worsens_the_start() -> None:
    races = [race("r1")]
    scorer = RaceScorer(CFG)
    start = Params()
    f = fit(races, start=start, settings=CFG, scorer=scorer)
    assert f.converged and f.evaluations <= CFG.max_evaluations
    first = RaceScorer(CFG)
    before = fit(
        races,
        start=start,
        settings=FitSettings(**{**CFG.__dict__, "max_evaluations": 1}),
        scorer=first,
    )
    assert f.objective >= before.objective
    runs = scorer.runs
    again = fit(races, start=start, settings=CFG, scorer=scorer)
    assert scorer.runs == runs and again.params == f.params  # every point was cached


def test_deadlock_rate_is_a_smoothed_share_of_the_library() -> None:
    races = [race("r1"), race("r2")]
    assert deadlock_base_rate(races) == 0.5 / 3
    stuck = race("r3", resolution={**RESOLVED, "winner": None})
    assert deadlock_base_rate([*races, stuck]) == 1.5 / 4
    assert with_base_rate(None, races).deadlock_rate == 0.5 / 3


def test_leave_one_out_never_fits_on_the_held_race() -> None:
    races = [race("r1"), race("r2")]
    out = leave_one_out(races, settings=CFG)
    assert set(out) == {"r1", "r2"}
    for params, rp in out.values():
        assert params.deadlock_rate == 0.5 / 2  # fitted on one race
        assert rp.days


def test_the_fold_files_hold_each_races_values_fitted_without_it() -> None:
    from kingmaker.backtest.fit import fit_params_file
    from kingmaker.engine.params import ParamsFile

    races = [race("r1"), race("r2", resolution={**RESOLVED, "winner": None}), race("r3")]
    folds: dict[str, ParamsFile] = {}
    pf = fit_params_file(races, CFG, loo=True, folds=folds)
    assert set(folds) == set(pf.leave_one_out) == {"r1", "r2", "r3"}
    direct = leave_one_out(races, settings=CFG)
    for rid, fold in folds.items():
        assert rid not in fold.fitted_on and set(fold.fitted_on) == {"r1", "r2", "r3"} - {rid}
        assert fold.values == direct[rid][0]  # the values its leave-one-out score used
        assert rid in fold.name and rid in fold.method
    assert folds["r2"].values.deadlock_rate == 0.5 / 3  # r1 and r3 chose someone
    assert folds["r1"].values.deadlock_rate == 1.5 / 3  # r2 ended in deadlock
