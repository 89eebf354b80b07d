"""Race format 2: old files load and mean the same; each addition loads as documented."""

from __future__ import annotations

from pathlib import Path

import pytest
from club import cand, club_toml, rows

from conftest import TODAY, D
from kingmaker.engine import Params, build_beliefs
from kingmaker.errors import RaceFileError
from kingmaker.races import bundled_race_dirs, load_bundled, parse_race
from kingmaker.records import CandidacyEvidence, MeetingEvidence, StanceEvidence
from kingmaker.service import Kingmaker

V2 = club_toml()


def test_every_bundled_race_loads_as_format_1_and_means_the_same() -> None:
    for race_id in bundled_race_dirs():
        race = load_bundled(race_id)
        assert race.format in (1, 2)
        if race.format == 1:
            assert not any(m.group_spells for b in race.bodies for m in b.members)
            assert all(getattr(e, "derived_from", None) is None for e in race.evidence)


def test_no_format_key_is_format_1_and_the_same_race() -> None:
    old = club_toml(spells=False, fmt=None)
    ev = rows(cand("c1", "2024-01-10", "x"))
    implicit = parse_race(old, ev, today=TODAY)
    explicit = parse_race("format = 1\n" + old, ev, today=TODAY)
    assert implicit.format == 1 and implicit == explicit
    ballot = {"id": "b1", "kind": "ballot", "date": "2024-02-01", "round": 1, "tallies": {"x": 3}}
    whole = parse_race(old, rows(ballot), today=TODAY).evidence[0]
    assert whole.model_dump()["tallies"] == {"x": 3}  # integers stay integers


def test_a_newer_format_is_refused_in_one_line() -> None:
    with pytest.raises(RaceFileError, match="format 3 is newer than this kingmaker reads"):
        parse_race(club_toml(fmt=3), "", today=TODAY)


@pytest.mark.parametrize("way_out", ["eliminated", "not-proposed"])
def test_ways_out_of_the_race_are_withdrawals_with_a_reason(way_out: str) -> None:
    ev = rows(cand("c1", "2024-01-10", "x"), cand("c2", "2024-02-10", "x", way_out, round=2))
    race = parse_race(V2, ev, today=TODAY)
    out = race.evidence[1]
    assert isinstance(out, CandidacyEvidence)
    assert (out.status, out.reason, out.round) == ("withdrawn", way_out, 2)
    beliefs = build_beliefs(race, D("2024-02-11"), Params())
    i = beliefs.candidate_ids.index("x")
    assert beliefs.status[i] == "withdrawn" and beliefs.stand[i] == 0.0


def test_a_reason_needs_a_withdrawal() -> None:
    with pytest.raises(RaceFileError, match="'reason' is only for a withdrawn candidate"):
        parse_race(V2, rows(cand("c1", "2024-01-10", "x", reason="eliminated")), today=TODAY)


def test_a_meeting_without_a_decision_is_stored() -> None:
    m = {"id": "m1", "kind": "meeting", "date": "2024-02-20", "outcome": "no-decision"}
    race = parse_race(
        V2, rows(cand("c1", "2024-01-10", "x"), {**m, "next": "2024-03-01"}), today=TODAY
    )
    (meeting,) = [e for e in race.evidence if isinstance(e, MeetingEvidence)]
    assert meeting.outcome == "no-decision" and meeting.next == D("2024-03-01")
    beliefs = build_beliefs(race, D("2024-02-21"), Params())  # the model reads past it
    assert beliefs.candidate_ids == ("x", "field")


@pytest.mark.parametrize(
    ("day", "members"),
    [
        ("2024-02-01", {"A", "B"}),  # C not seated yet, D not yet in the group
        ("2024-02-20", {"A", "B", "D"}),  # D joined the group on 2024-02-15
        ("2024-03-05", {"A", "B", "C", "D"}),  # C seated on 2024-03-01
    ],
)
def test_a_group_stance_is_one_stance_per_member_seated_in_the_group(
    day: str, members: set[str]
) -> None:
    row = {
        "id": "g1",
        "kind": "stance",
        "date": day,
        "group": "EU",
        "candidate": "x",
        "stance": "support",
    }
    race = parse_race(V2, rows(row), today=TODAY)
    got = [e for e in race.evidence if isinstance(e, StanceEvidence)]
    assert {e.member for e in got} == members
    assert all(e.group == "EU" and e.derived_from == "g1" and e.id == f"g1.{e.member}" for e in got)


@pytest.mark.parametrize(
    ("group", "message"),
    [
        ("ASEAN", "group 'ASEAN' is not in any member's groups"),
        ("EU", "no member is in group 'EU' and seated on 2023-12-01"),
    ],
)
def test_a_group_stance_naming_nobody_is_refused(group: str, message: str) -> None:
    row = {
        "id": "g1",
        "kind": "stance",
        "date": "2023-12-01",
        "group": group,
        "candidate": "x",
        "stance": "oppose",
    }
    race_toml = V2.replace(
        '[[bodies.members]]\nid = "A"', '[[bodies.members]]\nid = "A"\njoined = 2024-01-01', 1
    )
    race_toml = race_toml.replace(
        'id = "B"\nname = "Beta"', 'id = "B"\nname = "Beta"\njoined = 2024-01-01'
    )
    with pytest.raises(RaceFileError, match=message):
        parse_race(race_toml, rows(row), today=TODAY)


def test_group_spells_follow_their_dates() -> None:
    race = parse_race(V2, "", today=TODAY)
    d = race.member("D")
    assert d.groups_on(D("2024-02-14")) == () and d.groups_on(D("2024-02-15")) == ("EU",)
    assert d.all_groups == ("EU",)
    with pytest.raises(RaceFileError, match="'end' \\(2024-01-01\\) is before 'start'"):
        parse_race(
            V2.replace("start = 2024-02-15", "start = 2024-02-15\nend = 2024-01-01"),
            "",
            today=TODAY,
        )


def test_weighted_tallies_may_be_fractions() -> None:
    ballot = {
        "id": "b1",
        "kind": "ballot",
        "date": "2024-02-01",
        "round": 1,
        "tallies": {"x": 1.75, "y": 0.5},
        "abstain": 0.25,
    }
    race = parse_race(V2, rows(ballot), today=TODAY)
    assert race.evidence[0].tallies == {"x": 1.75, "y": 0.5}


def test_a_proposal_leaves_the_second_body_to_decide() -> None:
    two = (
        V2.replace(
            '[rule]\nkind = "consensus"',
            '[rule]\nkind = "two-stage"\n[rule.propose]\nkind = "majority"\nbody = "board"\n'
            '[rule.confirm]\nkind = "majority"\nbody = "house"',
        )
        + '\n[[bodies]]\nid = "house"\nname = "House"\n'
        + '[[bodies.members]]\nid = "H1"\nname = "H one"\n'
    )
    proposal = {
        "id": "p1",
        "kind": "proposal",
        "date": "2024-02-20",
        "candidate": "x",
        "against": ["B"],
    }
    # x was only mentioned: the proposal makes x a nominee, who stands
    ev = rows(cand("c1", "2024-01-10", "x", "mentioned"), cand("c2", "2024-01-10", "y"), proposal)
    race = parse_race(two, ev, today=TODAY)
    derived = [e for e in race.evidence if e.derived_from == "p1"]
    outs = [e for e in derived if isinstance(e, CandidacyEvidence)]
    assert [(e.candidate, e.status, e.reason) for e in outs] == [
        ("x", "declared", None),
        ("y", "withdrawn", "not-proposed"),
    ]
    backers = {e.member for e in derived if isinstance(e, StanceEvidence)}
    assert backers == {"A", "D"}  # C not seated yet, B against, H1 in the other body
    before = build_beliefs(race, D("2024-02-19"), Params())
    beliefs = build_beliefs(race, D("2024-02-21"), Params())
    assert before.status[before.candidate_ids.index("x")] == "mentioned"
    assert beliefs.status[beliefs.candidate_ids.index("x")] == "declared"
    assert beliefs.status[beliefs.candidate_ids.index("y")] == "withdrawn"
    with pytest.raises(RaceFileError, match="against names 'Q', not in any body"):
        parse_race(two, rows({**proposal, "against": ["Q"]}), today=TODAY)


def test_format_2_races_round_trip_through_the_store(tmp_path: Path) -> None:
    proposal = {"id": "p1", "kind": "proposal", "date": "2024-02-20", "candidate": "x"}
    meeting = {"id": "m1", "kind": "meeting", "date": "2024-02-19", "outcome": "postponed"}
    group = {
        "id": "g1",
        "kind": "stance",
        "date": "2024-02-16",
        "group": "EU",
        "candidate": "y",
        "stance": "oppose",
    }
    ballot = {
        "id": "b1",
        "kind": "ballot",
        "date": "2024-02-18",
        "round": 1,
        "tallies": {"x": 2.5, "y": 1},
    }
    ev = rows(
        cand("c1", "2024-01-10", "x"),
        cand("c2", "2024-02-01", "y", "eliminated"),
        meeting,
        group,
        ballot,
        proposal,
    )
    race = parse_race(V2, ev, today=TODAY)
    km = Kingmaker.open(tmp_path / "km.db")
    try:
        km.store.put_race(race)
        again = km.race("club")
    finally:
        km.close()
    assert again.format == 2
    assert sorted(again.evidence, key=lambda e: e.id) == sorted(race.evidence, key=lambda e: e.id)
    assert again.member("D").group_spells == race.member("D").group_spells
