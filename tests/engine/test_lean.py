"""A lean run (engine/simulate.py: a rule that counts acceptances, the run too large to
keep them all) keeps no (C, M, S) array and gives a full run's numbers: the same winners,
the same acceptances when redrawn, the same forecasts with their kingmakers."""

from __future__ import annotations

import numpy as np
import pytest
from test_monotone import generated
from test_threads import STANCES, _with_count

from conftest import TODAY, D, acceptances
from kingmaker.engine import Params, build_beliefs, forecast
from kingmaker.engine import simulate as sim
from kingmaker.engine.forecast import run
from kingmaker.records import Race

AS_OF = D("2024-06-01")
P = Params()
CONSENSUS = {"kind": "consensus"}


def _race(count: bool) -> Race:
    """The generated consensus race with members of equal weight (weighted support
    reads who accepts)."""
    race = generated(CONSENSUS, STANCES, ["declared", "declared", "interested"])
    data = race.model_dump(mode="json")
    for m in data["bodies"][0]["members"]:
        m["weight"] = 1.0
    race = Race.model_validate(data)
    return _with_count(race) if count else race


@pytest.mark.parametrize("count", [False, True], ids=["plain", "count constraint"])
def test_a_lean_run_redraws_what_a_full_run_keeps(
    count: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    race = _race(count)
    b = build_beliefs(race, AS_OF, P)
    assert race.rule.counts_suffice(b.electorate)
    assert sim.objectors(b, race.rule)  # a public objector: its rows are kept
    monkeypatch.setattr(sim, "_LEAN_BYTES", 1 << 40)
    full = run(race, b, 5000, 3, P)
    monkeypatch.setattr(sim, "_LEAN_BYTES", 0)
    lean = run(race, b, 5000, 3, P)
    assert full.accept is not None and lean.accept is None
    assert np.array_equal(lean.winners, full.winners)
    assert full.relented is not None and lean.relented is not None
    assert np.array_equal(lean.relented, full.relented)
    assert np.array_equal(acceptances(lean), full.accept)
    assert 0 < (lean.winners == 0).mean() < 1


@pytest.mark.parametrize("explain", [False, True])
def test_lean_and_full_runs_give_the_same_forecast(
    explain: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    race = _race(True)
    out = []
    for limit in (1 << 40, 0):
        monkeypatch.setattr(sim, "_LEAN_BYTES", limit)
        f = forecast(race, AS_OF, today=TODAY, samples=4000, params=P, explain=explain)
        assert f.kingmakers
        out.append(f.model_dump_json())
    assert out[0] == out[1]


def test_a_rule_that_reads_who_accepts_is_never_lean(monkeypatch: pytest.MonkeyPatch) -> None:
    """A veto holder's acceptance, not the count, decides a threshold-veto rule."""
    race = generated(
        {"kind": "threshold-veto", "threshold": 4, "veto_group": "P"}, STANCES, ["declared"] * 3
    )
    b = build_beliefs(race, AS_OF, P)
    assert not race.rule.counts_suffice(b.electorate)
    monkeypatch.setattr(sim, "_LEAN_BYTES", 0)
    assert run(race, b, 2000, 1, P).accept is not None
