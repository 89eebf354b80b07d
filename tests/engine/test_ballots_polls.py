"""Straw polls, ballots with roll calls, and bodies that vote in rounds."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import TODAY, D, candidacy, make_race, member
from kingmaker.engine import Params, build_beliefs, forecast

SRC = {"source": {"url": "https://example.org/b"}, "producer": "curated:test"}


def poll(eid: str, cand: str, enc: int, dis: int, **kw: Any) -> dict[str, Any]:
    return {
        "id": eid,
        "kind": "poll",
        "date": "2024-05-01",
        "round": 1,
        "candidate": cand,
        "encourage": enc,
        "discourage": dis,
        **SRC,
        **kw,
    }


def ballot(eid: str, rnd: int, tallies: dict[str, int], **kw: Any) -> dict[str, Any]:
    return {
        "id": eid,
        "kind": "ballot",
        "date": f"2024-05-{rnd:02d}",
        "round": rnd,
        "tallies": tallies,
        **SRC,
        **kw,
    }


def council(evidence: list[dict[str, Any]]) -> Any:
    members = [member(f"P{i}", groups=["P5"]) for i in range(5)] + [
        member(f"E{i}") for i in range(10)
    ]
    rule = {"kind": "threshold-veto", "threshold": 9, "veto_group": "P5"}
    return make_race(
        members=members,
        candidates=("a", "b"),
        rule=rule,
        evidence=[
            candidacy("c1", "2024-01-02", "a"),
            candidacy("c2", "2024-01-02", "b"),
            *evidence,
        ],
    )


def p(race: Any, cand: str, **kw: Any) -> float:
    return forecast(
        race, D("2024-06-01"), samples=4000, explain=False, today=TODAY, **kw
    ).probability(cand)


def test_a_permanent_members_discourage_is_a_veto() -> None:
    fresh = {"date": "2024-06-01"}  # a poll of the day binds every sample
    vetoed = council([poll("p1", "a", 12, 3, group="P5", group_discourage=1, **fresh)])
    clean = council([poll("p1", "a", 12, 3, group="P5", group_discourage=0, **fresh)])
    # blockers who give way half the time (the fitted values let a veto of a broadly
    # backed candidate give way almost always: docs/model.md, known limits)
    half = Params(relent=0.5)
    assert p(vetoed, "a", params=half) < p(clean, "a", params=half)
    strict = Params(relent=0.0, endorsement_weight=0.0)  # no blocker gives way
    assert p(vetoed, "a", params=strict) == 0.0 < p(clean, "a", params=strict)


def test_encouragement_raises_and_discouragement_lowers() -> None:
    strong = council([poll("p1", "a", 14, 1), poll("p2", "b", 6, 9)])
    weak = council([poll("p1", "a", 6, 9), poll("p2", "b", 14, 1)])
    assert p(strong, "a") > p(weak, "a") + 0.3
    b = build_beliefs(strong, D("2024-06-01"), Params())
    rejects = [c for c in b.counts if c.reject]
    assert rejects and all(c.needed >= 1 for c in rejects)


def speaker(evidence: list[dict[str, Any]], **kw: Any) -> Any:
    members = [member("LOYAL", weight=200), member("DEM", weight=212)] + [
        member(f"R{i}") for i in range(20)
    ]
    return make_race(
        members=members,
        candidates=("mc", "je", "jo"),
        rule={"kind": "majority", "of": "votes_cast"},
        evidence=evidence,
        **kw,
    )


def roll(rnd: int, mc_votes: int) -> dict[str, Any]:
    votes: dict[str, str | None] = {"LOYAL": "mc", "DEM": "je"}
    votes.update({f"R{i}": ("mc" if i < mc_votes else "jo") for i in range(20)})
    return ballot(
        f"b{rnd}", rnd, {"mc": 200 + mc_votes, "je": 212, "jo": 20 - mc_votes}, votes=votes
    )


def test_roll_calls_track_members_moving_between_rounds() -> None:
    early = speaker([roll(1, 0)])
    late = speaker([roll(1, 0), roll(2, 10), roll(3, 18)])
    assert p(late, "mc") > p(early, "mc")
    b = build_beliefs(late, D("2024-06-01"), Params())
    assert b.votes is not None and b.episodes[("R5", "mc")][-1].key == "support"
    f = forecast(late, D("2024-06-01"), samples=3000, explain=False, today=TODAY)
    assert sum(o.probability for o in f.outcomes) == pytest.approx(1.0)


def test_anonymous_electors_follow_the_latest_ballot() -> None:
    electors = [member(f"E{i:03d}") for i in range(60)]
    race = make_race(
        members=electors,
        candidates=("x", "y", "z"),
        rule={"kind": "supermajority", "fraction": 0.6667, "of": "votes_cast"},
        evidence=[ballot("b1", 1, {"x": 30, "y": 20, "z": 5}, other=5)],
    )
    fx, fy = p(race, "x"), p(race, "y")
    assert fx > fy > 0
    # More ballots, more time to converge (where an unfinished conclave goes to someone new).
    new_name = Params(relent=0.0)
    once = new_name.model_copy(update={"rounds": 1})
    assert p(race, "x", params=once) < p(race, "x", params=new_name)


def test_a_roll_call_vote_for_someone_outside_the_tallies_names_them() -> None:
    race = speaker([ballot("b1", 1, {"mc": 200}, votes={"R1": "jo"})])
    b = build_beliefs(race, D("2024-06-01"), Params())
    assert "jo" in b.candidate_ids


def _lone_ballot_race(*, y_declared: bool, abstain: int) -> Any:
    """60 electors, two-thirds of votes cast; x alone on the latest ballot."""
    electors = [member(f"E{i:03d}") for i in range(60)]
    evidence = [
        candidacy("cx", "2024-01-02", "x"),
        ballot("b1", 1, {"x": 38}, abstain=abstain),
    ]
    if y_declared:
        evidence.append(candidacy("cy", "2024-05-10", "y"))
    return make_race(
        members=electors,
        candidates=("x", "y"),
        rule={"kind": "supermajority", "fraction": 0.6667, "of": "votes_cast"},
        evidence=evidence,
    )


def test_abstainers_on_a_ballot_that_left_a_candidate_off_lean_to_that_candidate() -> None:
    # x alone got 38 of 60 with 22 abstaining; y entered after the ballot. The abstainers
    # wanted none of those on it: their share goes to y, not to x.
    race = _lone_ballot_race(y_declared=True, abstain=22)
    b = build_beliefs(race, D("2024-06-01"), Params())
    assert b.votes is not None
    x, y = b.candidate_ids.index("x"), b.candidate_ids.index("y")
    share_y = float(b.votes[y].mean())
    assert share_y > 0.25  # about 22 / 60, blended with acceptance
    assert float(b.votes[x].mean()) < 0.75
    # No abstentions: the ballot says nothing against x, and y only draws by acceptance.
    quiet = build_beliefs(_lone_ballot_race(y_declared=True, abstain=0), D("2024-06-01"), Params())
    assert quiet.votes is not None and float(quiet.votes[y].mean()) < share_y


def test_abstentions_with_every_standing_candidate_on_the_ballot_change_nothing() -> None:
    # Nobody was left off: abstainers have no one else to go to, and x keeps all the votes
    # the ballot's totals give (as before this rule).
    with_abstentions = build_beliefs(
        _lone_ballot_race(y_declared=False, abstain=22), D("2024-06-01"), Params()
    )
    without = build_beliefs(
        _lone_ballot_race(y_declared=False, abstain=0), D("2024-06-01"), Params()
    )
    assert with_abstentions.votes is not None and without.votes is not None
    assert (with_abstentions.votes == without.votes).all()
