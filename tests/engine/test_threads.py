"""The simulation on several threads gives one thread's numbers, and a separable rule
judged column by column gives the whole rule pass's (engine/threads.py, RuleBase.separable)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from test_monotone import SINGLE, TWO_STAGE, generated

from conftest import TODAY, D, acceptances
from kingmaker.engine import Params, build_beliefs, forecast, threads
from kingmaker.engine.forecast import run
from kingmaker.errors import UsageError
from kingmaker.records import Race
from kingmaker.rules import RuleBase

AS_OF = D("2024-06-01")
P = Params()
STANCES = [
    (0, "a", "support", 10, 1.0),
    (1, "a", "oppose", 40, 0.8),
    (2, "b", "support", 60, 0.9),
    (4, "c", "oppose", 90, 1.0),
    (5, "b", "neutral", 20, 0.6),
    (6, "a", "support", 120, 0.7),
]


def _with_count(race: Race) -> Race:
    """``race`` with an anonymous count of backers of ``a`` (a count constraint)."""
    row = {
        "id": "n1",
        "kind": "count",
        "date": "2024-05-01",
        "candidate": "a",
        "count": 5,
        "of": 8,
        "source": {"url": "https://example.org/n"},
        "producer": "curated:test",
    }
    data = race.model_dump(mode="json")
    data["evidence"].append(row)
    return Race.model_validate(data)


def _on(monkeypatch: pytest.MonkeyPatch, n: int) -> None:
    monkeypatch.setenv("KINGMAKER_THREADS", str(n))
    monkeypatch.setattr(threads, "MIN_WORK", 0)  # thread even these small races


@pytest.mark.parametrize("rule", SINGLE + TWO_STAGE, ids=lambda r: str(r)[:60])
def test_threads_give_one_threads_forecast(rule: dict[str, Any], monkeypatch: Any) -> None:
    race = _with_count(generated(rule, STANCES, ["declared", "interested", "mentioned"]))
    out = []
    for n in (1, 2, 3):
        _on(monkeypatch, n)
        f = forecast(race, AS_OF, today=TODAY, samples=3000, params=P)  # explained: cached
        out.append(f.model_dump_json())
    assert out[0] == out[1] == out[2]


def test_threads_are_used_where_the_work_is_large(monkeypatch: Any) -> None:
    """The columns really run on the pool's threads (else the test above proves nothing)."""
    seen: set[str] = set()
    import threading

    from kingmaker.engine import simulate as sim

    column = sim._column

    def spy(*a: Any, **kw: Any) -> Any:
        seen.add(threading.current_thread().name.split("_")[0])
        return column(*a, **kw)

    monkeypatch.setattr(sim, "_column", spy)
    _on(monkeypatch, 2)
    race = generated(SINGLE[0], STANCES, ["declared"] * 3)
    forecast(race, AS_OF, today=TODAY, samples=2000, params=P, explain=False)
    assert seen == {"kingmaker-sim"}
    seen.clear()
    monkeypatch.setenv("KINGMAKER_THREADS", "1")
    forecast(race, AS_OF, today=TODAY, samples=2000, params=P, explain=False)
    assert seen == {"MainThread"}


@pytest.mark.parametrize(
    "rule",
    [
        {"kind": "consensus"},
        {"kind": "double-majority", "member_share": 0.55, "weight_share": 0.65},
        {"kind": "threshold-veto", "threshold": 4, "veto_group": "P"},
        {
            "kind": "two-stage",
            "propose": {"kind": "threshold-veto", "threshold": 3, "veto_group": "P", "body": "one"},
            "confirm": {"kind": "consensus", "body": "two"},
        },
    ],
    ids=lambda r: str(r["kind"]),
)
def test_a_separable_rule_column_by_column_decides_as_the_whole_pass(
    rule: dict[str, Any], monkeypatch: Any
) -> None:
    race = _with_count(generated(rule, STANCES, ["declared", "declared", "interested"]))
    assert race.rule.separable
    b = build_beliefs(race, AS_OF, P)
    from kingmaker.engine import simulate as sim

    monkeypatch.setattr(sim, "_LEAN_BYTES", 0)  # lean where the rule can be (consensus)
    by_column = run(race, b, 4000, 7, P)
    monkeypatch.setattr(type(race.rule), "separable", property(lambda self: False))
    whole = run(race, b, 4000, 7, P)
    assert np.array_equal(by_column.winners, whole.winners)
    assert np.array_equal(acceptances(by_column), acceptances(whole))
    assert by_column.relented is not None and whole.relented is not None
    assert np.array_equal(by_column.relented, whole.relented)
    assert 0 < (by_column.winners == 0).mean() < 1  # a real contest, not a foregone one


@pytest.mark.parametrize(
    "rule",
    [
        {"kind": "majority"},
        {"kind": "supermajority", "fraction": 0.67, "of": "votes_cast"},
        TWO_STAGE[0],
    ],
    ids=lambda r: str(r["kind"]),
)
def test_rules_that_count_single_votes_are_not_separable(rule: dict[str, Any]) -> None:
    race = generated(rule, STANCES, ["declared"] * 3)
    assert isinstance(race.rule, RuleBase) and not race.rule.separable


def test_a_consensus_counted_as_drawn_is_the_consensus_of_the_acceptances() -> None:
    from kingmaker.rules import Electorate, Tally
    from kingmaker.rules.library import Consensus

    rng = np.random.default_rng(3)
    accept = rng.random((3, 4, 500)) < 0.9
    stands = rng.random((3, 500)) < 0.8
    everyone = np.ones(4, dtype=bool)
    electorate = Electorate(
        member_ids=("M0", "M1", "M2", "M3"),
        weights=np.ones(4),
        veto=~everyone,
        bodies={"b": everyone},
        groups={},
    )
    plain = Consensus().feasible(
        Tally(accept=accept, vote=accept[0, :0], stands=stands), electorate
    )
    counted = Tally(accept=accept, vote=accept[0, :0], stands=stands, accepting=accept.sum(axis=1))
    assert np.array_equal(Consensus().feasible(counted, electorate), plain)
    assert plain.any() and not plain.all()


def test_the_number_of_threads_is_checked(monkeypatch: Any) -> None:
    monkeypatch.setenv("KINGMAKER_THREADS", "two")
    with pytest.raises(UsageError, match="KINGMAKER_THREADS must be a whole number"):
        threads.available()
    monkeypatch.setenv("KINGMAKER_THREADS", "0")
    with pytest.raises(UsageError, match="1 or more"):
        threads.available()
    monkeypatch.setenv("KINGMAKER_THREADS", "1")
    assert threads.available() == 1
    monkeypatch.delenv("KINGMAKER_THREADS")
    assert threads.available() >= 1


def test_a_worker_process_simulates_on_one_thread(monkeypatch: Any) -> None:
    """A pool's workers already fill the cores: no threads of their own."""
    import multiprocessing

    monkeypatch.delenv("KINGMAKER_THREADS", raising=False)
    monkeypatch.setattr(multiprocessing, "parent_process", lambda: object())
    assert threads.available() == 1


def test_an_error_in_a_column_reaches_the_caller(monkeypatch: Any) -> None:
    _on(monkeypatch, 2)
    calls: list[int] = []

    def boom(i: int) -> None:
        calls.append(i)
        if i == 1:
            raise ValueError("column 1 failed")

    with pytest.raises(ValueError, match="column 1 failed"):
        threads.each(boom, [0, 1, 2], work=10**9)
    assert sorted(calls) == [0, 1, 2]


def test_a_runs_acceptances_are_never_overwritten_while_held(monkeypatch: Any) -> None:
    """The next run reuses the acceptance array only once nothing holds it, and then
    overwrites every cell."""
    from kingmaker.engine import simulate as sim

    monkeypatch.setattr(sim, "_REUSE_BYTES", 0)
    _on(monkeypatch, 1)
    race = generated(SINGLE[6], STANCES, ["declared"] * 3)  # one that keeps acceptances
    b = build_beliefs(race, AS_OF, P)
    first = run(race, b, 2000, 1, P)
    assert first.accept is not None
    before = first.accept.copy()
    view = first.accept[0]
    second = run(race, b, 2000, 2, P)
    assert not np.shares_memory(second.accept, first.accept)
    assert np.array_equal(first.accept, before)
    del first
    third = run(race, b, 2000, 3, P)  # the first is still held through its view
    assert not np.shares_memory(third.accept, view)
    assert not np.array_equal(third.accept, before)
    address = third.accept.ctypes.data
    del third, view
    fourth = run(race, b, 2000, 1, P)  # nothing holds the third's array now
    assert fourth.accept.ctypes.data == address
    assert np.array_equal(fourth.accept, before)  # seed 1 again: every cell rewritten
