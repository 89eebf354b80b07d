"""A member's dated group spells reach the model: its groups on the forecast day decide its
leaning toward a candidate whose home shares them, since v9 (before, only the lasting
``groups`` were read, and a member who joined a group mid-race leaned as if it never had)."""

from __future__ import annotations

from typing import Any

from conftest import D, candidacy, make_race, member
from kingmaker.engine import Params, build_beliefs


def _race(*, spell: bool = True) -> Any:
    joins = {"group_spells": [{"group": "Blue", "start": "2024-03-01"}]} if spell else {}
    members = [member("A", **joins), member("B", groups=["Blue"]), member("C", groups=["Red"])]
    return make_race(
        members=members,
        candidates=("blu", "red"),
        homes={"blu": "B", "red": "C"},
        rule={"kind": "majority", "of": "votes_cast"},
        evidence=[candidacy("c1", "2024-01-02", "blu"), candidacy("c2", "2024-01-02", "red")],
        format=2,
    )


def _accept(race: Any, day: str, cand: str, mem: str) -> float:
    b = build_beliefs(race, D(day), Params())
    return float(b.accept[b.candidate_ids.index(cand), b.electorate.member_ids.index(mem)])


def test_a_member_leans_to_its_groups_candidate_only_once_it_has_joined() -> None:
    race = _race()
    before, after = _accept(race, "2024-02-01", "blu", "A"), _accept(race, "2024-04-01", "blu", "A")
    assert after > before
    # without the spell nothing changes over time, and the day before it equals no spell
    plain = _race(spell=False)
    assert _accept(plain, "2024-04-01", "blu", "A") == _accept(plain, "2024-02-01", "blu", "A")
    assert before == _accept(plain, "2024-02-01", "blu", "A")
    b = build_beliefs(race, D("2024-04-01"), Params())
    assert bool(b.electorate.groups["Blue"][b.electorate.member_ids.index("A")])
