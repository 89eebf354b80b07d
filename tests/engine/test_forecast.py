"""The forecast engine: probabilities, as-of semantics, rules, counts, kingmakers, seeds."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import TODAY, D, candidacy, make_race, member, stance
from kingmaker.engine import DEADLOCK_ID, FIELD_ID, Params, build_beliefs, forecast
from kingmaker.errors import ForecastError

AS_OF = D("2024-06-01")


def fc(race: Any, day: dt.date = AS_OF, **kw: Any) -> Any:
    kw.setdefault("samples", 4000)
    kw.setdefault("explain", False)
    return forecast(race, day, today=TODAY, **kw)


def total(f: Any) -> float:
    return sum(o.probability for o in f.outcomes)


stances = st.lists(
    st.tuples(
        st.integers(0, 5),
        st.sampled_from(["a", "b", "c"]),
        st.sampled_from(["support", "oppose", "neutral"]),
        st.booleans(),
        st.integers(0, 150),
        st.floats(0.05, 1.0),
    ),
    max_size=12,
)
statuses = st.lists(
    st.sampled_from(["mentioned", "interested", "declared", "withdrawn"]), min_size=3, max_size=3
)
rules = st.sampled_from(
    [
        {"kind": "consensus"},
        {"kind": "supermajority", "fraction": 0.67},
        {"kind": "majority", "of": "votes_cast"},
        {"kind": "supermajority", "fraction": 0.67, "of": "votes_cast"},
        {"kind": "double-majority", "member_share": 0.55, "weight_share": 0.65},
        {"kind": "threshold-veto", "threshold": 4, "veto_group": "P"},
    ]
)


def random_race(rows: list[Any], stats: list[str], rule: dict[str, Any]) -> Any:
    ev = [
        candidacy(f"c{i}", "2024-01-02", c, s)
        for i, (c, s) in enumerate(zip("abc", stats, strict=True))
    ]
    for i, (m, c, v, lifted, day, conf) in enumerate(rows):
        ev.append(
            stance(
                f"s{i}",
                str(D("2024-01-03") + dt.timedelta(days=day)),
                f"M{m}",
                c,
                v,
                lifted=lifted,
                confidence=conf,
            )
        )
    members = [member(f"M{i}", weight=1 + i % 3, groups=["P"] if i < 2 else []) for i in range(6)]
    return make_race(
        members=members, candidates="abc", rule=rule, evidence=ev, homes={"a": "M0", "b": "M3"}
    )


@given(rows=stances, stats=statuses, rule=rules, seed=st.integers(0, 2**32 - 1))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_probabilities_sum_to_one(
    rows: list[Any], stats: list[str], rule: dict[str, Any], seed: int
) -> None:
    f = fc(random_race(rows, stats, rule), samples=500, seed=seed)
    assert total(f) == pytest.approx(1.0, abs=1e-9)
    assert all(0 <= o.probability <= 1 and o.se >= 0 for o in f.outcomes)
    assert {FIELD_ID, DEADLOCK_ID} <= {o.id for o in f.outcomes}


# More support never lowers a chance: tests/engine/test_monotone.py, for every rule.


def _ev(row: dict[str, Any]) -> Any:
    from pydantic import TypeAdapter

    from kingmaker.records import Evidence

    return TypeAdapter(Evidence).validate_python(row)


def test_same_seed_same_numbers_and_another_seed_differs() -> None:
    race = random_race(
        [(1, "a", "oppose", False, 10, 0.9)],
        ["declared", "declared", "mentioned"],
        {"kind": "consensus"},
    )
    a = fc(race, seed=7, explain=True).model_dump_json()
    b = fc(race, seed=7, explain=True).model_dump_json()
    c = fc(race, seed=8, explain=True).model_dump_json()
    assert a == b
    assert a != c


def test_evidence_after_the_as_of_date_changes_nothing() -> None:
    race = random_race(
        [(1, "a", "support", False, 10, 0.9)],
        ["declared", "declared", "declared"],
        {"kind": "consensus"},
    )
    later = [
        _ev(stance("late1", "2024-06-02", "M2", "a", "oppose")),
        _ev(candidacy("late2", "2024-07-01", "b", "withdrawn")),
    ]
    with_future = race.with_evidence((*race.evidence, *later))
    assert (
        fc(race, explain=True).model_dump_json() == fc(with_future, explain=True).model_dump_json()
    )
    assert fc(with_future, D("2024-07-02")).probability("b") == 0.0


def test_withdrawn_candidates_drop_out_and_unnamed_ones_are_absent() -> None:
    race = make_race(
        candidates=("a", "b", "c"),
        evidence=[
            candidacy("c1", "2024-01-02", "a"),
            candidacy("c2", "2024-01-03", "b"),
            candidacy("c3", "2024-03-01", "b", "withdrawn"),
        ],
    )
    f = fc(race)
    assert f.probability("b") == 0.0
    assert "c" not in {o.id for o in f.outcomes}  # never named by the as-of day
    assert f.probability("a") > 0.5


def test_membership_follows_join_dates() -> None:
    members = [member(f"M{i}") for i in range(4)] + [member("NEW", joined="2024-03-07")]
    race = make_race(
        members=members,
        evidence=[
            candidacy("c1", "2024-01-02", "a"),
            stance("s1", "2024-01-05", "NEW", "a", "oppose"),
        ],
    )
    assert fc(race, D("2024-03-06")).members == 4
    assert fc(race, D("2024-03-07")).members == 5
    # the newcomer's objection only counts once it is seated
    assert fc(race, D("2024-03-06")).probability("a") > fc(race, D("2024-03-07")).probability("a")


def test_consensus_makes_a_firm_block_decisive() -> None:
    race = make_race(
        evidence=[
            candidacy("c1", "2024-01-02", "a"),
            stance("s1", "2024-05-30", "M1", "a", "oppose"),
        ]
    )
    # With no blocker ever giving way and no share from endorsements, the block is final.
    params = Params(
        target_oppose=1e-6,
        correlation=0.0,
        half_life_days=1e9,
        relent=0.0,
        endorsement_weight=0.0,
        stand_mentioned=0.0,
    )
    assert fc(race, params=params).probability("a") == 0.0
    assert fc(race, params=params.model_copy(update={"target_oppose": 0.5})).probability("a") > 0


def test_home_member_backs_its_national() -> None:
    race = make_race(evidence=[candidacy("c1", "2024-01-02", "a")], homes={"a": "M2"})
    b = build_beliefs(race, AS_OF, Params())
    assert b.accept[0, 2] == Params().home_accept
    assert b.accept[0, 1] < Params().home_accept


def test_an_anonymous_count_raises_the_candidate_and_binds_unnamed_members() -> None:
    ev = [candidacy("c1", "2024-01-02", "a"), candidacy("c2", "2024-01-02", "b")]
    race = make_race(12, evidence=ev, rule={"kind": "supermajority", "fraction": 0.75})
    params = Params(prior_accept=0.6, correlation=0.0)
    count = {
        "id": "n1",
        "kind": "count",
        "date": "2024-05-01",
        "candidate": "a",
        "count": 10,
        "of": 12,
        "source": {"url": "https://example.org/n"},
        "producer": "curated:test",
    }
    counted = race.with_evidence((*race.evidence, _ev(count)))
    assert (
        fc(counted, params=params).probability("a") > fc(race, params=params).probability("a") + 0.2
    )
    b = build_beliefs(counted, AS_OF, params)
    assert b.counts[0].needed == 10 and int(b.counts[0].pool.sum()) == 12


def test_kingmakers_are_the_members_whose_stance_is_open() -> None:
    race = make_race(
        8,
        evidence=[
            candidacy("c1", "2024-01-02", "a"),
            *[stance(f"s{i}", "2024-05-01", f"M{i}", "a", "support") for i in range(6)],
            stance("s9", "2024-05-20", "M7", "a", "oppose"),
        ],
    )
    strict = Params(relent=0.0, endorsement_weight=0.0)  # a block is never undone
    f = fc(race, samples=8000, explain=True, params=strict)
    assert f.leader.id == "a"
    assert f.kingmakers[0].member == "M7"
    assert f.kingmakers[0].stance == "oppose"
    assert f.kingmakers[0].if_blocks == 0.0  # consensus: its block is decisive
    moved = {c.summary: c.delta for c in f.explanations["a"]}
    assert moved["Member M7 opposes A"] < 0


def test_an_appointment_settles_the_race() -> None:
    appt = {
        "id": "ap",
        "kind": "appointment",
        "date": "2024-05-15",
        "candidate": "b",
        "source": {"url": "https://example.org/ap"},
        "producer": "curated:test",
    }
    race = make_race(evidence=[candidacy("c1", "2024-01-02", "a"), _ev(appt).model_dump()])
    f = fc(race)
    assert f.decided and f.probability("b") == 1.0 and total(f) == 1.0
    assert not fc(race, D("2024-05-14")).decided


def _read_appointment(aid: str, url: str, **kw: Any) -> dict[str, Any]:
    """An appointment of b as the extractor writes one: unreviewed, confidence 0.85."""
    row = {
        "id": aid,
        "kind": "appointment",
        "date": "2024-05-15",
        "candidate": "b",
        "source": {"url": url},
        "producer": "extract:test",
        "confidence": 0.85,
        "review": "pending",
    }
    return _ev({**row, **kw}).model_dump()


def test_one_unreviewed_report_of_an_appointment_does_not_end_a_live_race() -> None:
    race = make_race(
        evidence=[
            candidacy("c1", "2024-01-02", "a"),
            _read_appointment("ap1", "https://www.example.org/news/1"),
            _read_appointment("ap2", "https://example.org/news/2"),  # the same site again
        ]
    )
    f = fc(race)
    assert not f.decided and f.probability("b") < 1.0
    accepted = make_race(
        evidence=[
            candidacy("c1", "2024-01-02", "a"),
            _read_appointment("ap1", "https://example.org/news/1", review="accepted"),
        ]
    )
    assert fc(accepted).decided  # a person confirmed it


def test_two_sites_reporting_the_same_appointment_settle_the_race() -> None:
    race = make_race(
        evidence=[
            candidacy("c1", "2024-01-02", "a"),
            _read_appointment("ap1", "https://example.org/news/1"),
            _read_appointment("ap2", "https://example.net/story", date="2024-05-16"),
        ]
    )
    assert fc(race).decided and fc(race).probability("b") == 1.0
    assert not fc(race, D("2024-05-15")).decided  # one site so far
    low = make_race(
        evidence=[
            candidacy("c1", "2024-01-02", "a"),
            _read_appointment("ap1", "https://example.org/news/1", confidence=0.6),
            _read_appointment("ap2", "https://example.net/story", confidence=0.6),
        ]
    )
    assert not fc(low).decided  # below appointment_confidence, however many report it


def test_two_stage_selection_over_two_bodies() -> None:
    race = make_race(
        candidates=("a",),
        evidence=[candidacy("c1", "2024-01-02", "a")],
        rule={
            "kind": "two-stage",
            "propose": {"kind": "threshold-veto", "body": "council", "threshold": 3},
            "confirm": {"kind": "majority", "body": "assembly", "of": "members"},
        },
        bodies=[
            {"id": "council", "name": "Council", "members": [member(f"C{i}") for i in range(5)]},
            {"id": "assembly", "name": "Assembly", "members": [member(f"A{i}") for i in range(9)]},
        ],
    )
    f = fc(race)
    assert f.members == 14 and total(f) == pytest.approx(1.0)
    assert f.probability("a") > 0.5


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"samples": 0}, "samples must be between 1"),
        ({"samples": -5}, "samples must be between 1"),
    ],
)
def test_bad_sample_counts_are_refused(kw: dict[str, Any], message: str) -> None:
    with pytest.raises(ForecastError, match=message):
        fc(make_race(), **kw)


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (D("2027-01-01"), "is in the future"),
        (D("2023-12-31"), "before race test-race opened"),
    ],
)
def test_bad_as_of_dates_are_refused(day: dt.date, message: str) -> None:
    with pytest.raises(ForecastError, match=message):
        fc(make_race(), day)


def test_explanations_of_large_bodies_use_fewer_samples_never_below_a_floor() -> None:
    from kingmaker.engine.forecast import explain_sample_count

    assert explain_sample_count(10_000, 32, 10) == 10_000  # NATO-sized: unchanged
    assert explain_sample_count(500, 32, 10) == 500  # never more than asked
    assert explain_sample_count(10_000, 650, 12) == 1_000  # the Commons: the floor
    assert 1_000 < explain_sample_count(10_000, 200, 10) < 10_000
