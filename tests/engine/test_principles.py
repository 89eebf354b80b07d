"""The principles of the forecast model (docs/model.md), each on a small race made for it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pytest

from conftest import TODAY, D, candidacy, make_race, member, stance
from kingmaker.engine import DEADLOCK_ID, FIELD_ID, Params, build_beliefs, forecast
from kingmaker.records import Race

AS_OF = D("2024-06-01")
P = Params()


def fc(race: Race, day: dt.date = AS_OF, **kw: Any) -> Any:
    kw.setdefault("samples", 4000)
    kw.setdefault("explain", False)
    kw.setdefault("params", P)
    return forecast(race, day, today=TODAY, **kw)


def test_standing_rises_with_backing() -> None:
    """A person most members back, though only mentioned, is likely to stand."""
    backers = [stance(f"s{i}", "2024-05-20", f"M{i}", "b") for i in range(8)]
    race = make_race(10, evidence=[candidacy("c1", "2024-01-02", "a"), *backers])
    b = build_beliefs(race, AS_OF, P)
    i = b.candidate_ids.index("b")
    assert b.status[i] == "mentioned" and b.stand[i] > 0.9
    f = fc(race)
    assert f.probability("b") > f.probability("a")


def test_a_withdrawal_reported_firmly_means_not_standing() -> None:
    ev = [candidacy("c1", "2024-01-02", "a"), candidacy("w", "2024-03-01", "a", "withdrawn")]
    firm = make_race(evidence=[*ev[:1], {**ev[1], "confidence": 0.7}])
    rumour = make_race(evidence=[*ev[:1], {**ev[1], "confidence": 0.3}])
    assert build_beliefs(firm, AS_OF, P).stand[0] == 0.0
    s = build_beliefs(rumour, AS_OF, P).stand[0]
    assert s == pytest.approx(P.stand_declared * 0.7, abs=1e-9)


def test_a_large_consensus_body_accepts_a_sole_unopposed_candidate() -> None:
    """164 silent members follow the body's lean: no deadlock from independent draws."""
    race = make_race(164, candidates=("a",), evidence=[candidacy("c1", "2024-01-02", "a")])
    alone = P.model_copy(
        update={"field_share": 0.0, "endorsement_weight": 0.0, "vote_endorsement_pull": 0.0}
    )
    f = fc(race, D("2024-01-03"), params=alone)
    assert f.probability(DEADLOCK_ID) == pytest.approx(P.deadlock_rate)
    assert f.probability("a") > 0.85


def test_a_blocked_front_runner_makes_way_for_someone_else_not_deadlock() -> None:
    ev = [
        candidacy("c1", "2024-01-02", "a"),
        stance("o", "2024-05-31", "M1", "a", "oppose", confidence=1.0),
    ]
    strict = P.model_copy(update={"target_oppose": 1e-6, "relent": 0.0})
    f = fc(make_race(candidates=("a",), evidence=ev), params=strict)
    assert f.probability(DEADLOCK_ID) == pytest.approx(P.deadlock_rate)
    assert f.probability(FIELD_ID) > 0.8


def test_an_objection_lowers_acceptance_even_below_a_low_prior() -> None:
    members = [member("M0", groups=["red"]), *(member(f"M{i}", groups=["blue"]) for i in (1, 2))]
    race = make_race(
        members=members, candidates=("a",), evidence=[candidacy("c", "2024-01-02", "a")]
    )
    race = race.model_copy(
        update={"candidates": (race.candidates[0].model_copy(update={"groups": ("red",)}),)}
    )
    prior = build_beliefs(race, AS_OF, P).accept[0, 1]
    obj = stance("o", "2024-05-30", "M1", "a", "oppose")
    after = build_beliefs(race.with_evidence((*race.evidence, _ev(obj))), AS_OF, P).accept[0, 1]
    assert after < prior


def test_support_in_one_body_lifts_only_its_own_group_in_the_other() -> None:
    council = [member(f"C{i}", groups=["red" if i < 2 else "blue"]) for i in range(4)]
    parliament = [member(f"P{i}", groups=["red" if i < 3 else "blue"]) for i in range(6)]
    race = Race.model_validate(
        {
            **make_race().model_dump(exclude={"bodies", "rule", "evidence", "candidates"}),
            "bodies": [
                {"id": "council", "name": "Council", "members": council},
                {"id": "parliament", "name": "Parliament", "members": parliament},
            ],
            "rule": {
                "kind": "two-stage",
                "propose": {"kind": "majority", "body": "council"},
                "confirm": {"kind": "majority", "body": "parliament"},
            },
            "candidates": [{"id": "a", "name": "A"}],
            "evidence": [
                candidacy("c", "2024-01-02", "a"),
                stance("s0", "2024-05-30", "C0", "a"),
                stance("s1", "2024-05-30", "C1", "a"),
            ],
        }
    )
    b = build_beliefs(race, AS_OF, P)
    col = {m: i for i, m in enumerate(b.member_ids)}
    assert b.accept[0, col["P0"]] > b.accept[0, col["P4"]]


def un_race(evidence: list[dict[str, Any]], of: str) -> Race:
    sc = [member(f"P{i}", groups=["P5"]) for i in range(5)] + [member(f"E{i}") for i in range(10)]
    ga = [member(f"G{i}") for i in range(20)]
    return Race.model_validate(
        {
            **make_race().model_dump(exclude={"bodies", "rule", "evidence", "candidates"}),
            "bodies": [
                {"id": "sc", "name": "Security Council", "members": sc},
                {"id": "ga", "name": "General Assembly", "members": ga},
            ],
            "rule": {
                "kind": "two-stage",
                "propose": {
                    "kind": "threshold-veto",
                    "body": "sc",
                    "threshold": 9,
                    "veto_group": "P5",
                },
                "confirm": {"kind": "majority", "body": "ga", "of": of},
            },
            "candidates": [{"id": c, "name": c.upper()} for c in "abc"],
            "evidence": [candidacy(f"c{c}", "2024-01-02", c) for c in "abc"] + evidence,
        }
    )


@pytest.mark.parametrize("of", ["votes_cast", "members"])
def test_a_permanent_members_objection_bites_in_every_mode(of: str) -> None:
    objection = stance("o", "2024-05-30", "P0", "a", "oppose", confidence=0.95)
    clean, vetoed = un_race([], of), un_race([objection], of)
    assert build_beliefs(clean, AS_OF, P).votes is None  # acceptances, not ballots
    before, after = fc(clean).probability("a"), fc(vetoed).probability("a")
    assert after < 0.8 * before
    b = build_beliefs(vetoed, AS_OF, P)
    assert b.accept[0, b.member_ids.index("P0")] < build_beliefs(clean, AS_OF, P).accept[0, 0]


def test_the_field_does_not_jump_on_the_vacancy_date() -> None:
    race = make_race(evidence=[candidacy("c1", "2024-01-02", "a")])
    post = race.post.model_copy(update={"vacancy_date": D("2024-04-01")})
    race = race.model_copy(update={"post": post})
    before = build_beliefs(race, D("2024-03-31"), P).field_prior
    on = build_beliefs(race, D("2024-04-01"), P).field_prior
    assert abs(on - before) < 0.01


def test_endorsement_share_counts_backers_and_tallies() -> None:
    backers = [stance(f"s{i}", "2024-05-20", f"M{i}", "a") for i in range(3)]
    race = make_race(evidence=[candidacy("c1", "2024-01-02", "a"), *backers])
    b = build_beliefs(race, AS_OF, P)
    assert b.endorse is not None
    assert b.candidate_ids == ("a", FIELD_ID)
    assert b.endorse.tolist() == pytest.approx([4 / 5, 1 / 5])


def _ev(row: dict[str, Any]) -> Any:
    from pydantic import TypeAdapter

    from kingmaker.records import Evidence

    return TypeAdapter(Evidence).validate_python(row)


def test_a_firm_block_is_decisive_in_the_kingmaker_table_though_blockers_usually_relent() -> None:
    """Under consensus, "if blocks" is the leader's chance when the member holds firm.

    With eight of ten members backing the leader, about 94% of the blocked samples are
    settled by the blockers giving way (``relent`` 0.2); those samples must not make a
    holdout's block look harmless.
    """
    backers = [stance(f"s{i}", "2024-05-20", f"M{i}", "a") for i in range(2, 10)]
    ev = [
        candidacy("c1", "2024-01-02", "a"),
        *backers,
        stance("o", "2024-05-31", "M1", "a", "oppose", confidence=1.0),
    ]
    params = P.model_copy(
        update={"relent": 0.2, "endorsement_weight": 0.0, "vote_endorsement_pull": 0.0}
    )
    f = fc(make_race(10, candidates=("a",), evidence=ev), explain=True, params=params)
    assert f.kingmakers[0].member == "M1"
    holdout = f.kingmakers[0]
    assert holdout.if_blocks < 0.2 < 0.5 < holdout.if_accepts


def voting_race(backers: dict[str, int], n: int = 30, **kw: Any) -> Race:
    """A body of ``n`` electing by majority of members; ``backers[c]`` members back ``c``."""
    rows, i = [], 0
    for c, k in backers.items():
        for _ in range(k):
            rows.append(stance(f"s{i}", "2024-05-20", f"M{i}", c))
            i += 1
    ev = [candidacy(f"c{c}", "2024-01-02", c) for c in backers] + rows
    return make_race(n, candidates=tuple(backers), rule={"kind": "majority"}, evidence=ev, **kw)


def test_silent_members_of_a_voting_body_follow_the_public_lean() -> None:
    """Six public backers against two, in a body of 30: the silent 22 lean the same way."""
    race = voting_race({"a": 6, "b": 2})
    bare = P.model_copy(
        update={"endorsement_weight": 0.0, "vote_endorsement_pull": 0.0, "field_share": 0.0}
    )
    urn = fc(race, params=bare.model_copy(update={"lean_power": 1.0}))
    off = fc(race, params=bare.model_copy(update={"lean_power": 0.0}))
    assert urn.probability("a") > off.probability("a") + 0.1
    assert urn.probability("a") > 0.7 > urn.probability("b")


def test_a_body_without_public_backing_has_no_lean() -> None:
    race = voting_race({"a": 0, "b": 0})
    f = fc(
        race,
        samples=8000,
        params=P.model_copy(update={"endorsement_weight": 0.0, "vote_endorsement_pull": 0.0}),
    )
    assert abs(f.probability("a") - f.probability("b")) < 0.05


def test_a_group_of_nearly_everyone_does_not_pull_votes_but_a_faction_does() -> None:
    """The home member of ``b`` is in a group; only a group smaller than the body pulls."""

    def chance_b(in_group: int) -> float:
        members = [member(f"M{i}", groups=["g"] if i < in_group else []) for i in range(20)]
        race = voting_race({"a": 0, "b": 0}, members=members, homes={"b": "M0"})
        bare = P.model_copy(
            update={"endorsement_weight": 0.0, "vote_endorsement_pull": 0.0, "field_share": 0.0}
        )
        return float(fc(race, samples=8000, params=bare).probability("b"))

    everyone, faction = chance_b(20), chance_b(6)
    assert everyone < 0.6
    assert faction > everyone + 0.05


def test_majority_of_members_counts_one_vote_each() -> None:
    """Three candidates, each accepted by every member: one vote each elects no one with
    a third of the votes, where counting approvals would have made all three feasible."""
    from kingmaker.engine.beliefs import electorate_on
    from kingmaker.rules import Tally
    from kingmaker.rules.library import Majority

    race = voting_race({"a": 0, "b": 0, "c": 0}, n=9)
    electorate = electorate_on(race, AS_OF)
    accept = np.ones((3, 9, 1), dtype=bool)
    stands = np.ones((3, 1), dtype=bool)
    split = np.array([0, 0, 0, 1, 1, 1, 2, 2, 2], dtype=np.int16)[:, None]
    rule = Majority()
    by_vote = rule.feasible(Tally(accept=accept, vote=split, stands=stands), electorate)
    assert not by_vote.any()
    two_thirds = np.array([0, 0, 0, 0, 0, 0, 1, 1, 2], dtype=np.int16)[:, None]
    won = rule.feasible(Tally(accept=accept, vote=two_thirds, stands=stands), electorate)
    assert won[:, 0].tolist() == [True, False, False]
    # Called without votes (no engine draws them), the rule counts acceptances.
    no_votes = np.empty((0, 1), dtype=np.int16)
    assert rule.feasible(Tally(accept=accept, vote=no_votes, stands=stands), electorate).all()


def test_rival_parties_discount_a_nominee_less_where_they_approve_than_where_they_vote() -> None:
    members = [member(f"M{i}", groups=["red" if i < 3 else "blue"]) for i in range(8)]
    ev = [candidacy("c", "2024-01-02", "a")]
    params = P.model_copy(update={"outgroup_discount": 0.9, "outgroup_discount_approval": 0.3})

    def blue_accepts(rule: dict[str, Any]) -> float:
        race = make_race(members=members, candidates=("a",), rule=rule, evidence=ev)
        cand = race.candidates[0].model_copy(update={"groups": ("red",)})
        race = race.model_copy(update={"candidates": (cand,)})
        b = build_beliefs(race, AS_OF, params)
        return float(b.accept[0, b.member_ids.index("M5")])

    voting = blue_accepts({"kind": "majority"})
    approving = blue_accepts({"kind": "consensus"})
    assert voting == pytest.approx(P.prior_accept * 0.1)
    assert approving == pytest.approx(P.prior_accept * 0.7)


def test_a_group_shared_through_the_home_member_does_not_exempt_a_partisan_candidate() -> None:
    """Everyone belongs to "EU", as does the candidate's home member; the candidate's party
    is "green", which no member shares: every member but the home one discounts it."""
    members = [member(f"M{i}", groups=["EU", "red" if i < 4 else "blue"]) for i in range(8)]
    params = P.model_copy(update={"outgroup_discount_approval": 0.5})
    race = make_race(
        members=members,
        candidates=("a",),
        rule={"kind": "consensus"},
        evidence=[candidacy("c", "2024-01-02", "a")],
    )
    cand = race.candidates[0].model_copy(update={"groups": ("green",), "home": "M0"})
    race = race.model_copy(update={"candidates": (cand,)})
    b = build_beliefs(race, AS_OF, params)
    others = [float(b.accept[0, b.member_ids.index(f"M{i}")]) for i in range(1, 8)]
    assert max(others) < params.prior_accept * 0.5 + params.group_affinity_cap + 1e-9
    assert float(b.accept[0, b.member_ids.index("M0")]) == pytest.approx(params.home_accept)


def test_blockers_give_way_more_to_a_broadly_backed_candidate_and_as_time_runs_out() -> None:
    """The heir of a blocked sample: ``relent ** (time left x (1 - backed share) ** 2)``."""
    from kingmaker.engine.simulate import heir_of_blocked

    n = 20_000
    score = np.zeros((3, n))
    score[0] = 2.0  # candidate 0 is the best-scored; the last column is the field
    blocked = np.ones(n, dtype=bool)
    half = P.model_copy(update={"relent": 0.5})

    def gave_way(backed: float, time_left: float) -> np.ndarray:
        share = np.array([backed, 0.0, 0.0])
        heir, took = heir_of_blocked(score, blocked, 0, half, share, time_left)
        assert (heir[took] == 0).all() and (heir[~took] == 2).all()
        return took

    unbacked, broad, late = gave_way(0.0, 1.0), gave_way(0.9, 1.0), gave_way(0.0, 0.0)
    assert unbacked.mean() == pytest.approx(0.5, abs=0.02)
    assert broad.mean() == pytest.approx(0.5**0.01, abs=0.02)
    assert late.all()
    assert (broad | ~unbacked).all()  # more backing only adds samples that give way


def test_holdouts_against_the_best_backed_candidate_are_pressed_where_few_can_block() -> None:
    """Where another candidate is feasible, holdouts against the best-backed one give way
    with ``relent ** (time left x (1 - gap) ** 2)``, gap the difference in public backing."""
    from kingmaker.engine.simulate import press_holdouts

    n = 20_000
    score = np.zeros((3, n))
    score[0], score[1] = 2.0, 1.0  # 0 best-scored (blocked), 1 feasible and chosen
    half = P.model_copy(update={"relent": 0.5})

    def pressed(backed: list[float], time_left: float = 1.0) -> np.ndarray:
        winners = np.ones(n, dtype=np.int16)
        flip = press_holdouts(score, winners, np.zeros(n, bool), 0, half, np.array(backed), 1.0)
        assert (winners[flip] == 0).all() and (winners[~flip] == 1).all()
        if time_left == 1.0:
            return flip
        return press_holdouts(
            score,
            np.ones(n, dtype=np.int16),
            np.zeros(n, bool),
            0,
            half,
            np.array(backed),
            time_left,
        )

    broad, thin, rival = pressed([0.9, 0.05, 0.0]), pressed([0.2, 0.0, 0.0]), pressed([0.5, 0.5, 0])
    assert broad.mean() == pytest.approx(0.5 ** ((1 - 0.85) ** 2), abs=0.02)
    assert thin.mean() == pytest.approx(0.5 ** ((1 - 0.2) ** 2), abs=0.02)
    assert not rival.any()  # a rival as broadly backed: the body turns to the rival
    assert pressed([0.2, 0.0, 0.0], time_left=0.0).all()


def test_pressure_on_holdouts_applies_only_where_few_can_block() -> None:
    """A lone public objection to a broadly backed candidate in a consensus body: pressure
    keeps the candidate ahead of a feasible rival; under majority voting nobody blocks."""
    members = [member(f"M{i}") for i in range(12)]
    ev = [candidacy("c1", "2024-01-02", "a"), candidacy("c2", "2024-01-02", "b")]
    ev += [stance(f"s{i}", "2024-05-01", f"M{i}", "a", "support") for i in range(1, 12)]
    ev += [stance("s0", "2024-05-20", "M0", "a", "oppose")]
    race = make_race(members=members, evidence=ev, candidates=("a", "b"))
    pressed = P.model_copy(update={"objector_relent": 1.0})  # v7: the objector is pressed too
    p = {o.id: o.probability for o in fc(race, params=pressed).outcomes}
    assert p["a"] > 0.8 > p["b"] + 0.6
    from kingmaker.rules.library import Consensus, Majority, ThresholdVeto

    assert Consensus().few_can_block and ThresholdVeto(threshold=9).few_can_block
    assert not Majority().few_can_block


def test_interchangeable_silent_members_are_not_named_kingmakers() -> None:
    """With little evidence, silent members alike are not named; a member on record is,
    and so is a silent one that stands out (a veto among members without one)."""
    ev = [candidacy("c1", "2024-01-02", "a"), stance("s", "2024-05-20", "M3", "a", "oppose")]
    alike = fc(make_race(10, evidence=ev), explain=True)
    assert [k.member for k in alike.kingmakers] == ["M3"]
    council = [member(f"M{i}", groups=["P"] if i == 7 else []) for i in range(10)]
    rule = {"kind": "threshold-veto", "threshold": 6, "veto_group": "P"}
    veto = fc(make_race(members=council, evidence=ev, rule=rule), explain=True)
    named = [k.member for k in veto.kingmakers]
    assert "M7" in named and len(named) <= 2


def _holdout_race(kind: str, objector: str | None) -> Race:
    """Twelve members, two candidates; eleven back a in public and ``objector`` (if any)
    objects to a in public, under ``kind`` (consensus, or a threshold of 9 with M0-M2 as
    veto holders)."""
    members = [member(f"M{i}", veto=i < 3) for i in range(12)]
    ev = [candidacy("c1", "2024-01-02", "a"), candidacy("c2", "2024-01-02", "b")]
    ev += [stance(f"s{i}", "2024-05-01", f"M{i}", "a", "support") for i in range(12)]
    if objector is not None:
        ev = [e for e in ev if e.get("member") != objector]
        ev += [stance("o", "2024-05-20", objector, "a", "oppose", confidence=0.9)]
    rule = {"kind": "consensus"} if kind == "consensus" else {"kind": kind, "threshold": 9}
    return make_race(members=members, evidence=ev, candidates=("a", "b"), rule=rule)


@pytest.mark.parametrize("kind", ["consensus", "threshold-veto"])
def test_a_public_objection_from_a_member_who_can_block_is_not_dropped_under_pressure(
    kind: str,
) -> None:
    """v8: where a member who can block alone has objected in public, the blockers' chance
    to give way is ``objector_relent`` times as large; a silent block, or an objection
    from a member who cannot block alone, is pressed as before."""
    v7, v8 = (
        P.model_copy(update={"objector_relent": 1.0}),
        P.model_copy(update={"objector_relent": 0.0}),
    )
    firm = _holdout_race(kind, "M0")  # M0 can block under both rules
    assert fc(firm, params=v8).probability("a") < fc(firm, params=v7).probability("a") - 0.1
    halfway = P.model_copy(update={"objector_relent": 0.5})
    between = fc(firm, params=halfway).probability("a")
    assert fc(firm, params=v8).probability("a") < between < fc(firm, params=v7).probability("a")
    silent = [_holdout_race(kind, None)]
    if kind == "threshold-veto":
        silent.append(_holdout_race(kind, "M5"))  # M5 holds no veto
    for race in silent:
        assert fc(race, params=v8).probability("a") == fc(race, params=v7).probability("a")


def test_who_can_block_alone_follows_the_rule() -> None:
    for kind, expected in (("consensus", set(range(12))), ("threshold-veto", {0, 1, 2})):
        race = _holdout_race(kind, None)
        e = build_beliefs(race, AS_OF, P).electorate
        got = set(np.flatnonzero(race.rule.can_block(e)).tolist())
        assert got == expected
    from kingmaker.rules.library import Majority

    race = _holdout_race("consensus", None)
    assert not Majority().can_block(build_beliefs(race, AS_OF, P).electorate).any()
