"""Monotonicity over generated races, for every rule and stage: more support from a member
never lowers a candidate's chance, and an objection from a veto holder never raises it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter

from conftest import TODAY, D, candidacy, make_race, member, stance
from kingmaker.engine import Params, forecast
from kingmaker.records import Evidence, Race

AS_OF = D("2024-06-01")
SAMPLES = 1500
# Common random numbers keep the same draws with and without the extra report; the slack
# covers the few samples an anonymous count's constraint may reassign.
SLACK = 1e-9

SINGLE = [
    {"kind": "consensus"},
    {"kind": "supermajority", "fraction": 0.67},
    {"kind": "majority"},
    {"kind": "majority", "of": "votes_cast"},
    {"kind": "supermajority", "fraction": 0.67, "of": "votes_cast"},
    {"kind": "double-majority", "member_share": 0.55, "weight_share": 0.65},
    {"kind": "threshold-veto", "threshold": 4, "veto_group": "P"},
]
TWO_STAGE = [
    {
        "kind": "two-stage",
        "propose": {"kind": "threshold-veto", "threshold": 3, "veto_group": "P", "body": "one"},
        "confirm": {"kind": "majority", "of": of, "body": "two"},
    }
    for of in ("votes_cast", "members")
] + [
    {
        "kind": "two-stage",
        "propose": {
            "kind": "double-majority",
            "member_share": 0.55,
            "weight_share": 0.65,
            "body": "one",
        },
        "confirm": {"kind": "majority", "body": "two"},
    }
]

rows = st.lists(
    st.tuples(
        st.integers(0, 7),
        st.sampled_from("abc"),
        st.sampled_from(["support", "oppose", "neutral"]),
        st.integers(0, 150),
        st.floats(0.05, 1.0),
    ),
    max_size=10,
)
statuses = st.lists(
    st.sampled_from(["mentioned", "interested", "declared"]), min_size=3, max_size=3
)


def generated(rule: dict[str, Any], stances: list[Any], stats: list[str]) -> Race:
    members = [
        member(f"M{i}", weight=1 + i % 3, groups=["P"] if i in (0, 4) else ["G"]) for i in range(8)
    ]
    ev = [candidacy(f"c{c}", "2024-01-02", c, s) for c, s in zip("abc", stats, strict=True)]
    ev += [
        stance(f"s{i}", str(D("2024-01-03") + dt.timedelta(days=d)), f"M{m}", c, v, confidence=q)
        for i, (m, c, v, d, q) in enumerate(stances)
    ]
    if rule["kind"] != "two-stage":
        return make_race(members=members, candidates="abc", rule=rule, evidence=ev)
    base = make_race(members=members, candidates="abc")
    return Race.model_validate(
        {
            **base.model_dump(exclude={"bodies", "rule", "evidence"}),
            "evidence": ev,
            "bodies": [
                {"id": "one", "name": "One", "members": members[:4]},
                {"id": "two", "name": "Two", "members": members[4:]},
            ],
            "rule": rule,
        }
    )


def chance(race: Race, seed: int) -> float:
    return forecast(
        race, AS_OF, samples=SAMPLES, seed=seed, explain=False, today=TODAY, params=Params()
    ).probability("a")


def plus(race: Race, row: dict[str, Any]) -> Race:
    return race.with_evidence((*race.evidence, TypeAdapter(Evidence).validate_python(row)))


@given(
    rule=st.sampled_from(SINGLE + TWO_STAGE),
    stances=rows,
    stats=statuses,
    m=st.integers(0, 7),
    conf=st.floats(0.1, 1.0),
    seed=st.integers(0, 1000),
)
@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,  # the same examples every run: CI must not flake (see the known case)
    suppress_health_check=[HealthCheck.too_slow],
)
def test_more_support_never_lowers_a_candidates_chance(
    rule: dict[str, Any], stances: list[Any], stats: list[str], m: int, conf: float, seed: int
) -> None:
    race = generated(rule, stances, stats)
    extra = stance("extra", "2024-05-31", f"M{m}", "a", "support", confidence=conf)
    assert chance(plus(race, extra), seed) >= chance(race, seed) - SLACK


@given(
    rule=st.sampled_from(
        [r for r in SINGLE if r["kind"] in ("consensus", "threshold-veto")] + TWO_STAGE
    ),
    stances=rows,
    stats=statuses,
    veto_holder=st.sampled_from([0, 4]),
    conf=st.floats(0.1, 1.0),
    seed=st.integers(0, 1000),
)
@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,  # the same examples every run: CI must not flake (see the known case)
    suppress_health_check=[HealthCheck.too_slow],
)
def test_an_objection_from_a_veto_holder_never_raises_a_chance(
    rule: dict[str, Any],
    stances: list[Any],
    stats: list[str],
    veto_holder: int,
    conf: float,
    seed: int,
) -> None:
    race = generated(rule, stances, stats)
    if rule["kind"] == "two-stage" and veto_holder == 4:
        veto_holder = 0  # the veto holder of the proposing body
    extra = stance("extra", "2024-05-31", f"M{veto_holder}", "a", "oppose", confidence=conf)
    assert chance(plus(race, extra), seed) <= chance(race, seed) + SLACK


@pytest.mark.parametrize("seed", [11, 13, 26, 36])
def test_the_two_stage_case_where_an_objection_once_raised_a_chance(seed: int) -> None:
    """Model v6 let this objection raise the candidate's chance (0.07768 -> 0.07807 at
    seed 11): the member, on record, was tied to the body more loosely than when silent,
    so in a sample where the body cooled to the candidate the objector accepted it. Since
    v7 a stance moves the member from its silent self in the stance's direction only."""
    rule = TWO_STAGE[2]
    race = generated(rule, [(0, "b", "support", 0, 1.0)], ["mentioned", "declared", "mentioned"])
    extra = stance("extra", "2024-05-31", "M0", "a", "oppose", confidence=0.125)
    assert chance(plus(race, extra), seed) <= chance(race, seed) + SLACK
