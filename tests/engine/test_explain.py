"""Incremental explanations equal the full recomputation: beliefs without each statement
built from the day's reading (Ablations) equal beliefs rebuilt from the other evidence,
and explained forecasts equal those made by rebuilding and re-simulating everything
(NATO 2023-24 and generated races with every kind of statement)."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import numpy as np
import pytest

from conftest import TODAY, D, acceptances, candidacy, make_race, member, stance
from kingmaker.engine import Params, build_beliefs, forecast
from kingmaker.engine.beliefs import Beliefs
from kingmaker.engine.explain import Ablations
from kingmaker.engine.forecast import (
    DEADLOCK_ID,
    contribution,
    explain_sample_count,
    mixed_shares,
    run,
    statements,
)
from kingmaker.engine.params import default_params
from kingmaker.races import load_bundled
from kingmaker.records import Race

SRC = {"producer": "curated:test"}
AS_OF = D("2024-06-01")


def _src(eid: str) -> dict[str, Any]:
    return {"source": {"url": f"https://example.org/{eid}"}, **SRC}


def generated_race(seed: int, rule: dict[str, Any]) -> Race:
    """A race with repeated stances (several reports of one statement, objections lifted),
    candidacy reports (withdrawals, rumours), candidates first named by a stance, counts,
    polls, a ballot, vacancy reports and a member who left."""
    rng = random.Random(seed)
    cands = "abcdef"
    members = [
        member(f"M{i}", weight=1 + (i % 3 if rule["kind"] == "double-majority" else 0))
        for i in range(11)
    ]
    members.append(member("X", left="2024-03-01"))
    ev: list[dict[str, Any]] = []

    def day() -> str:
        return str(D("2024-01-02") + dt.timedelta(days=rng.randrange(140)))

    for i in range(14):
        status = rng.choice(["mentioned", "interested", "declared", "declared", "withdrawn"])
        conf = rng.choice([1.0, 0.9, 0.4])
        ev.append(candidacy(f"c{i}", day(), rng.choice(cands[:5]), status, confidence=conf))
    for i in range(70):
        mid = rng.choice([m["id"] for m in members])
        value = rng.choice(["support", "support", "oppose", "neutral"])
        lifted = value == "support" and rng.random() < 0.2
        conf = rng.choice([1.0, 0.8, 0.5])
        ev.append(
            stance(f"s{i}", day(), mid, rng.choice(cands), value, lifted=lifted, confidence=conf)
        )
    for i in range(9):
        cid, when = rng.choice("abc"), day()
        for j in range(rng.randint(1, 2)):  # wire copies: one statement, several reports
            ev.append(
                {
                    "id": f"n{i}.{j}",
                    "kind": "count",
                    "date": when,
                    "candidate": cid,
                    "count": 7 + i % 4,
                    "of": 11,
                    **_src(f"n{i}.{j}"),
                }
            )
    for i in range(4):
        ev.append(
            {
                "id": f"p{i}",
                "kind": "poll",
                "date": day(),
                "round": i + 1,
                "candidate": "cd"[i % 2],
                "encourage": 5 + i,
                "discourage": 2,
                **_src(f"p{i}"),
            }
        )
    ev.append(
        {
            "id": "b1",
            "kind": "ballot",
            "date": day(),
            "round": 1,
            "tallies": {"a": 4, "b": 3},
            "votes": {"M0": "a", "M1": "b"},
            **_src("b1"),
        }
    )
    for i in range(3):
        ev.append({"id": f"v{i}", "kind": "vacancy", "date": day(), "incumbent": "Someone",
                   **_src(f"v{i}")})  # fmt: skip
    return make_race(members=members, candidates=cands, rule=rule, evidence=ev)


RULES = [
    {"kind": "consensus"},
    {"kind": "threshold-veto", "threshold": 7},
    {"kind": "supermajority", "fraction": 0.67},
    {"kind": "double-majority", "member_share": 0.55, "weight_share": 0.65},
    {"kind": "majority", "of": "votes_cast"},
]


def _same(a: Beliefs, b: Beliefs) -> None:
    assert a.same_numbers(b)
    assert a.candidate_ids == b.candidate_ids and a.status == b.status
    assert list(a.episodes.items()) == list(b.episodes.items())  # in the same order
    assert [c.key() for c in a.counts] == [c.key() for c in b.counts]
    assert a.used == b.used and a.decided == b.decided
    for x, y in ((a.accept, b.accept), (a.backing, b.backing), (a.stand, b.stand)):
        assert x.tobytes() == y.tobytes()


def _check_ablations(race: Race, day: dt.date) -> int:
    params = default_params()[1]
    items = race.evidence_until(day)
    ablations = Ablations(race, day, params, items)
    groups = statements(items)
    for group in groups:
        ids = {e.id for e in group}
        rebuilt = build_beliefs(race, day, params, evidence=[e for e in items if e.id not in ids])
        _same(ablations.without(group), rebuilt)
    return len(groups)


def test_beliefs_without_each_nato_statement_equal_a_rebuild() -> None:
    nato = load_bundled("nato-sg-2024")
    assert _check_ablations(nato, D("2024-06-20")) > 90
    assert _check_ablations(nato, D("2024-02-15")) > 10


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_beliefs_without_each_generated_statement_equal_a_rebuild(seed: int) -> None:
    race = generated_race(seed, RULES[seed % len(RULES)])
    kinds = {g[0].kind for g in statements(race.evidence_until(AS_OF))}
    assert kinds == {"stance", "candidacy", "count", "poll", "ballot", "vacancy"}
    _check_ablations(race, AS_OF)
    _check_ablations(race, D("2024-02-20"))


def full_recomputation(race: Race, day: dt.date, seed: int, samples: int) -> dict[str, Any]:
    """The explanations as they were computed before they were incremental: beliefs
    rebuilt from all the other evidence and every candidate re-simulated, per statement."""
    params = default_params()[1]
    race = race.usable(0.5)
    beliefs = build_beliefs(race, day, params)
    samples = explain_sample_count(samples, len(beliefs.member_ids), len(beliefs.candidate_ids))
    items = race.evidence_until(day)
    shares, dead, _ = mixed_shares(beliefs, run(race, beliefs, samples, seed, params), params)
    full = {**dict(zip(beliefs.candidate_ids, shares, strict=True)), DEADLOCK_ID: dead}
    deltas: dict[str, list[tuple[float, list[Any]]]] = {k: [] for k in full}
    for group in statements(items):
        ids = {e.id for e in group}
        alt = build_beliefs(race, day, params, evidence=[e for e in items if e.id not in ids])
        if alt.same_numbers(beliefs):
            continue
        shares, dead, _ = mixed_shares(alt, run(race, alt, samples, seed, params), params)
        without = {**dict(zip(alt.candidate_ids, shares, strict=True)), DEADLOCK_ID: dead}
        for k, p in full.items():
            d = float(p - without.get(k, 0.0))
            if d != 0:
                deltas[k].append((d, group))
    return {
        k: tuple(
            contribution(race, g, d).model_dump()
            for d, g in sorted(v, key=lambda t: -abs(t[0]))[:5]
        )
        for k, v in deltas.items()
        if v
    }


def _explained(race: Race, day: dt.date, seed: int, samples: int) -> dict[str, Any]:
    fc = forecast(race, day, samples=500, seed=seed, explain_samples=samples, today=TODAY)
    assert fc.explanations
    return {k: tuple(c.model_dump() for c in v) for k, v in fc.explanations.items()}


def test_nato_explanations_equal_the_full_recomputation() -> None:
    nato = load_bundled("nato-sg-2024")
    for day, seed in ((D("2024-06-20"), 0), (D("2024-03-01"), 5)):
        assert _explained(nato, day, seed, 2000) == full_recomputation(nato, day, seed, 2000)


@pytest.mark.parametrize("rule", RULES, ids=[r["kind"] for r in RULES])
def test_generated_explanations_equal_the_full_recomputation(rule: dict[str, Any]) -> None:
    race = generated_race(7, rule)
    for day in (AS_OF, D("2024-02-20")):
        assert _explained(race, day, 3, 1000) == full_recomputation(race, day, 3, 1000)


@pytest.mark.parametrize("lean", [False, True])
def test_a_changed_column_is_simulated_again_and_the_others_reused(
    lean: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kingmaker.engine import simulate as sim
    from kingmaker.engine.simulate import ColumnCache

    monkeypatch.setattr(sim, "_LEAN_BYTES", 0 if lean else 1 << 40)
    race = generated_race(4, {"kind": "consensus"})
    params = Params()
    beliefs = build_beliefs(race, AS_OF, params)
    cache = ColumnCache()
    first = run(race, beliefs, 1000, 0, params, cache)
    changed = beliefs.accept.copy()
    changed[0, 0] = 0.5 * changed[0, 0]
    alt = Beliefs(**{**beliefs.__dict__, "accept": changed})
    again, fresh = run(race, alt, 1000, 0, params, cache), run(race, alt, 1000, 0, params)
    assert (again.accept is None) == lean
    assert np.array_equal(again.winners, fresh.winners)
    assert np.array_equal(acceptances(again), acceptances(fresh))
    assert np.array_equal(acceptances(again)[1:], acceptances(first)[1:])
    assert not np.array_equal(again.acceptances(0), first.acceptances(0))
