"""Fourteenth-round principles. A stance carried over by ellipsis after the members who
share it: "Borea opposes Roe, as do Calvia and Dravia", "Borea backed Roe, and so did
Calvia", "as has Calvia" give each member after the cue the sentence's last stance, as "after
Calvia did so" gives the members before it; with no stance before the cue, or no member
right after it, nothing is read. And a member's favourite is its pick: "the Borea
favourite Roe", "Roe, thought to be the Borea favourite" read as "the Borea nominee" does,
while "the favourite" of nobody, or a demonym's favourite ("the Borean favourite", where
someone comes from), gives no stance. Those who nominate, propose or second a candidate back
them: "Kim's nominators include A, B and C", "proposed by A and seconded by B", "among Kim's
backers are A and B"; "came second" and a secondment are no stance. A result table whose
names carry a parenthesis ("Jane Roe (Borea) 12" on lines of their own) is read as one
without, and a parenthesis in a list's heading ("The candidates (alphabetically by name)
are: ...") says how the list is ordered, not that its names are only floated. Candidates
"each nominated by their government" and then listed, one to a line ("Mr Lee Kim of
Calvia"), are each backed by their home member.
The races are invented."""

from __future__ import annotations

from typing import Any

import pytest

from kingmaker.extract.events import Event
from kingmaker.records import Race

from .conftest import MODES, extract_events, stance_triples


def river_board() -> Race:
    """Four seats; two candidates, one from Borea."""
    members: list[dict[str, Any]] = [
        {"id": "BOR", "name": "Borea", "aliases": ["Borean"]},
        {"id": "CAL", "name": "Calvia", "aliases": ["Calvian"]},
        {"id": "DRA", "name": "Dravia"},
        {"id": "ESS", "name": "Essland"},
    ]
    return Race.model_validate(
        {
            "id": "river-board-2034",
            "name": "River Board Chair 2034",
            "opened": "2034-01-01",
            "post": {"name": "Chair of the River Board", "aliases": ["chair"]},
            "bodies": [{"id": "board", "name": "River Board", "members": members}],
            "rule": {"kind": "consensus"},
            "candidates": [
                {"id": "roe", "name": "Jane Roe", "aliases": ["Roe"], "home": "BOR"},
                {"id": "kim", "name": "Lee Kim", "aliases": ["Kim"]},
            ],
        }
    )


RACE = river_board()


def read(mode: str, text: str) -> list[Event]:
    return extract_events(RACE, mode, text, "2034-03-10")


def held(mode: str, text: str) -> set[tuple[str, str, str]]:
    return stance_triples(RACE, mode, text, "2034-03-10")


@pytest.mark.parametrize("mode", MODES)
def test_as_do_gives_the_members_after_it_the_stance(mode: str) -> None:
    got = held(mode, "Borea opposes Roe, as do Calvia and Dravia.")
    assert {("BOR", "roe", "oppose"), ("CAL", "roe", "oppose"), ("DRA", "roe", "oppose")} <= got
    assert not any(m == "ESS" for m, _, _ in got)


@pytest.mark.parametrize("mode", MODES)
def test_so_did_and_as_has_carry_the_last_stance(mode: str) -> None:
    assert ("CAL", "kim", "support") in held(mode, "Borea backed Kim, and so did Calvia.")
    assert ("DRA", "kim", "support") in held(mode, "Essland has endorsed Kim, as has Dravia.")


@pytest.mark.parametrize("mode", MODES)
def test_the_cue_without_a_stance_before_it_or_a_member_after_it_reads_nothing(
    mode: str,
) -> None:
    assert not held(mode, "Kim travelled to Calvia, as did Roe, for the talks.")
    assert held(mode, "Borea backed Kim, as it had done before.") == {("BOR", "kim", "support")}


@pytest.mark.parametrize("mode", MODES)
def test_a_members_favourite_is_its_pick(mode: str) -> None:
    assert ("CAL", "kim", "support") in held(mode, "The Calvia favourite Lee Kim led the field.")
    text = "Lee Kim, thought to be the Calvia favorite, led the field with 12 votes."
    assert ("CAL", "kim", "support") in held(mode, text)


@pytest.mark.parametrize("mode", MODES)
def test_a_favourite_of_no_member_or_of_a_demonym_is_no_stance(mode: str) -> None:
    assert not held(mode, "Lee Kim, the favourite, led the field with 12 votes.")
    assert not held(mode, "Lee Kim is the favourite to win the chair.")
    assert not any(m == "BOR" for m, _, _ in held(mode, "The Borean favourite Lee Kim led."))


@pytest.mark.parametrize("mode", MODES)
def test_those_who_nominate_or_second_back_the_candidate(mode: str) -> None:
    got = held(mode, "Lee Kim's nominators include Calvia, Dravia and Essland.")
    assert {("CAL", "kim", "support"), ("DRA", "kim", "support"), ("ESS", "kim", "support")} <= got
    got = held(mode, "Lee Kim was proposed by Borea and seconded by Calvia.")
    assert {("BOR", "kim", "support"), ("CAL", "kim", "support")} <= got
    assert ("DRA", "kim", "support") in held(mode, "Among Kim's backers are Dravia and Calvia.")


@pytest.mark.parametrize("mode", MODES)
def test_second_as_a_place_and_backers_without_a_list_are_no_stance(mode: str) -> None:
    assert not held(mode, "Lee Kim came second, seconded to the board by Calvia.")
    assert not held(mode, "Lee Kim's backers are confident of victory, Calvia said.")


@pytest.mark.parametrize("mode", MODES)
def test_a_result_table_whose_names_carry_a_parenthesis_is_read(mode: str) -> None:
    text = (
        "The board voted on Tuesday. The votes in the first round were:\n\n"
        "Jane Roe (Borea) 12\nLee Kim (Ruritania) 9\n"
    )
    got = read(mode, text)
    counts = {(e.candidate, e.what, e.count) for e in got if e.kind == "count"}
    assert {("roe", "votes", 12), ("kim", "votes", 9)} <= counts
    assert {e.candidate for e in got if e.kind == "candidacy"} >= {"roe", "kim"}


@pytest.mark.parametrize("mode", MODES)
def test_a_parenthesis_in_a_lists_heading_says_how_it_is_ordered(mode: str) -> None:
    text = "The candidates (alphabetically by name) are: Mr. Lee Kim (Ruritania) and Ms. Jane Roe."
    got = {(e.candidate, e.status) for e in read(mode, text) if e.kind == "candidacy"}
    assert {("kim", "declared"), ("roe", "declared")} <= got
    floated = "The names floated are Lee Kim and Jane Roe."
    assert not any(
        s == "declared"
        for _, s in {(e.candidate, e.status) for e in read(mode, floated) if e.kind == "candidacy"}
    )


def harbour_board() -> Race:
    """Three seats, each the home of one candidate."""
    members: list[dict[str, Any]] = [
        {"id": "BOR", "name": "Borea"},
        {"id": "CAL", "name": "Calvia"},
        {"id": "DRA", "name": "Dravia", "aliases": ["Republic of Dravia"]},
    ]
    people = [("roe", "Jane Roe", "BOR"), ("kim", "Lee Kim", "CAL"), ("ode", "Ama Ode", "DRA")]
    return Race.model_validate(
        {
            "id": "harbour-board-2034",
            "name": "Harbour Board Chair 2034",
            "opened": "2034-01-01",
            "post": {"name": "Chair of the Harbour Board"},
            "bodies": [{"id": "board", "name": "Harbour Board", "members": members}],
            "rule": {"kind": "majority", "of": "votes_cast"},
            "candidates": [{"id": c, "name": n, "home": h} for c, n, h in people],
        }
    )


@pytest.mark.parametrize("mode", MODES)
def test_candidates_each_nominated_by_their_government_then_listed(mode: str) -> None:
    board = harbour_board()
    text = (
        "Three candidates have been nominated by their governments for the post.\n\n"
        "The final list of candidates is as follows:\n\n"
        "Ms Jane Roe of Borea\n\nMr Lee Kim of Calvia\n\nDr Ama Ode of the Republic of Dravia\n"
    )
    got = {e.key() for e in extract_events(board, mode, text, "2034-03-10") if e.confidence >= 0.5}
    assert {("stance", m, c, "support", False) for m, c in
            (("BOR", "roe"), ("CAL", "kim"), ("DRA", "ode"))} <= got  # fmt: skip
    # without the sentence that says how they were nominated: no stance
    bare = text.split("\n\n", 1)[1]
    assert not any(e.kind == "stance" for e in extract_events(board, mode, bare, "2034-03-10"))
