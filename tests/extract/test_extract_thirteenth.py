"""Thirteenth-round principles: a candidate named by nationality. "The Ghanaian" names the
race's one Ghanaian candidate even where Ghana has no seat in the body (the candidate's
`nationality` attribute, checked against the UN states list), "the South Korean" works as
"the Korean" does (a demonym of more than one word), and the nouns English keeps for a
person of a nationality ("the Dutchman", "the Spaniard") name that person wherever they
stand after "the". An adjective before a noun ("the Ghanaian government"), a nationality two
candidates share, an indefinite "a Dutchman", or words of the attribute that are no
nationality name no one. A straw poll's "12 votes to encourage" and "three with no opinion"
are its encourage and no-opinion counts, as "12 encouraging" and "three no opinion" are. A
compass word before a member's one-word name makes another place of it ("Latin America",
"Northern Ireland").
The race is invented; the nationalities are real."""

from __future__ import annotations

from typing import Any

import pytest

from kingmaker.extract.events import Event
from kingmaker.extract.gazetteer import build_gazetteer
from kingmaker.records import Race

from .conftest import MODES, extract_events, stance_triples


def harbour_council(*, shared_nationality: bool = False) -> Race:
    """Five seats (none of them Ghana or Costa Rica); four candidates."""
    members: list[dict[str, Any]] = [
        {"id": "BOR", "name": "Borea", "aliases": ["Borean"]},
        {"id": "CAL", "name": "Calvia", "aliases": ["Calvian"]},
        {"id": "NLD", "name": "Netherlands", "aliases": ["Dutch", "The Hague"]},
        {"id": "KOR", "name": "Republic of Korea", "aliases": ["South Korea", "South Korean"]},
        {"id": "ESP", "name": "Spain", "aliases": ["Spanish", "Madrid"]},
    ]
    second = "Ghanaian" if shared_nationality else "Costa Rican (the Daily Review says so)"
    people = [
        ("mensah", "Ama Mensah", None, {"nationality": "Ghanaian", "gender": "female"}),
        ("solis", "Rafael Solis", None, {"nationality": second, "gender": "male"}),
        ("visser", "Jan Visser", "NLD", {"gender": "male"}),
        ("park", "Park Ji-won", "KOR", {"gender": "female"}),
    ]
    return Race.model_validate(
        {
            "id": "harbour-council-2033",
            "name": "Harbour Council Director 2033",
            "opened": "2033-01-01",
            "post": {"name": "Director of the Harbour Council", "aliases": ["director"]},
            "bodies": [{"id": "council", "name": "Harbour Council", "members": members}],
            "rule": {"kind": "majority", "of": "votes_cast"},
            "candidates": [
                {"id": c, "name": n, "home": h, "attributes": a} for c, n, h, a in people
            ],
        }
    )


RACE = harbour_council()


def read(mode: str, text: str, race: Race = RACE) -> list[Event]:
    return extract_events(race, mode, text, "2033-03-10")


def held(mode: str, text: str, race: Race = RACE) -> set[tuple[str, str, str]]:
    return stance_triples(race, mode, text, "2033-03-10")


def named(mode: str, text: str, race: Race = RACE) -> set[str]:
    return {e.candidate for e in read(mode, text, race) if e.candidate}


def test_only_nationality_names_the_states_list_knows_are_read() -> None:
    surfaces = build_gazetteer(RACE).surfaces
    assert surfaces["Ghanaian"].key == "mensah" and surfaces["Costa Rican"].key == "solis"
    assert "Daily" not in surfaces and "Review" not in surfaces
    shared = build_gazetteer(harbour_council(shared_nationality=True)).surfaces
    assert "Ghanaian" not in shared  # two Ghanaians: "the Ghanaian" names neither


@pytest.mark.parametrize("mode", MODES)
def test_a_nationality_without_a_seat_names_its_candidate(mode: str) -> None:
    text = "Borea voted against the Ghanaian, who heads the port authority."
    assert ("BOR", "mensah", "oppose") in held(mode, text)
    assert "solis" in named(mode, "The Costa Rican won 9 votes in the first round.")


@pytest.mark.parametrize("mode", MODES)
def test_a_nationality_before_a_noun_or_shared_names_no_one(mode: str) -> None:
    assert "mensah" not in named(mode, "Borea thanked the Ghanaian government for its help.")
    shared = harbour_council(shared_nationality=True)
    text = "Borea voted against the Ghanaian, who heads the port authority."
    assert not {c for _, c, _ in held(mode, text, shared)} & {"mensah", "solis"}


@pytest.mark.parametrize("mode", MODES)
def test_a_demonym_of_two_words_names_the_members_candidate(mode: str) -> None:
    assert ("CAL", "park", "support") in held(mode, "Calvia will back the South Korean.")


@pytest.mark.parametrize("mode", MODES)
def test_a_noun_for_a_person_of_a_nationality_names_them(mode: str) -> None:
    assert ("BOR", "visser", "support") in held(mode, "The Dutchman has won the backing of Borea.")
    assert ("CAL", "visser", "support") in held(mode, "Calvia backs the Dutchman for the post.")
    assert "visser" not in named(mode, "A Dutchman has never held the post, Calvia said.")


@pytest.mark.parametrize("mode", MODES)
def test_votes_to_encourage_and_with_no_opinion_are_poll_counts(mode: str) -> None:
    text = "In the first straw poll Mensah won 12 votes to encourage and three with no opinion."
    counts = {(e.candidate, e.what, e.count) for e in read(mode, text) if e.kind == "count"}
    assert ("mensah", "encourage", 12) in counts and ("mensah", "no opinion", 3) in counts
    assert not any(w == "votes" for _, w, _ in counts)


@pytest.mark.parametrize("mode", MODES)
def test_a_compass_word_makes_another_place_of_a_member(mode: str) -> None:
    # 'Latin America' is not the United States, 'Northern Ireland' not Ireland
    assert ("CAL", "mensah", "support") in held(mode, "Calvia backs Mensah for the post.")
    assert not held(mode, "Mensah has the support of Southern Calvia.")
    assert not held(mode, "Mensah has the support of Latin Calvia and New Borea.")
