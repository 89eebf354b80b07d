"""Tenth-round principles on the invented Northern Council race: a member's own name before
a noun of being chosen ('the Borea nominee Okoro') or after it ('a nominee of Borea')
says who chose them, as its possessive does; an object in apposition to a description
('its own national, the veteran diplomat Mira Lund') is the target; a gerund after 'by'
has the subject of its clause ('Calvia joined the contest by nominating Lund'); a
contest named with the people in it ('the contest between Okoro and Lund') and seeking
the post ('hoping to succeed X') declare them, and so does a list after a dash that
opens with a person's description ('two candidates - Borean Finance Minister Tomas Okoro
and ...'). Every sentence and name is invented."""

from __future__ import annotations

import pytest

from .conftest import MODES
from .test_extract_principles import declared, held


@pytest.mark.parametrize("mode", MODES)
def test_a_members_name_before_nominee_says_who_chose_them(mode: str) -> None:
    assert held(mode, "Lund met Okoro, the Borea nominee, on Monday.") == {
        ("BOR", "okoro", "support")
    }
    assert held(mode, "Lund and Borea nominee Tomas Okoro met on Monday.") == {
        ("BOR", "okoro", "support")
    }


@pytest.mark.parametrize("mode", MODES)
def test_a_demonym_a_candidate_noun_or_no_name_is_no_nomination(mode: str) -> None:
    # a demonym says where someone is from; 'candidate' does not say who chose them
    assert held(mode, "Lund met Okoro, the Borean nominee, on Monday.") == set()
    assert held(mode, "Voters must pick either Borea candidate Tomas Okoro or Lund.") == set()
    # nobody named: 'a Borea nominee' is no one in particular
    assert held(mode, "The deal gives the post to a Borea nominee.") == set()


@pytest.mark.parametrize("mode", MODES)
def test_an_object_in_apposition_to_a_description_is_the_target(mode: str) -> None:
    text = (
        "Calvia has nominated its own national, the veteran trade diplomat Mira Lund, for the post."
    )
    assert held(mode, text) == {("CAL", "lund", "support")}


@pytest.mark.parametrize("mode", MODES)
def test_a_gerund_after_by_has_the_subject_of_its_clause(mode: str) -> None:
    text = (
        "Calvia has joined the contest for the leadership of the Northern Council by"
        " nominating its former trade minister Mira Lund."
    )
    assert held(mode, text) == {("CAL", "lund", "support")}
    text = "By nominating Lund, Calvia joined Borea and Dravia in the race."
    assert held(mode, text) == {("CAL", "lund", "support")}


@pytest.mark.parametrize("mode", MODES)
def test_a_contest_between_people_declares_them(mode: str) -> None:
    text = "The council prepared to conclude the contest between Okoro and Calvia's Mira Lund."
    assert declared(mode, text) == {"okoro", "lund"}
    text = "Diplomats said it looked like a three-way race between Okoro, Lund and Sorin."
    assert declared(mode, text) == {"okoro", "lund", "sorin"}


@pytest.mark.parametrize("mode", MODES)
def test_seeking_to_succeed_the_incumbent_declares_them(mode: str) -> None:
    text = "The two others hoping to succeed Greta Moss are Borea's Tomas Okoro and Mira Lund."
    assert declared(mode, text) == {"okoro", "lund"}
    text = "Okoro, who is seeking to lead the council, met Dravia's envoy."
    assert declared(mode, text) == {"okoro"}
    # a hedge outside the phrase still weighs it
    assert declared(mode, "Lund may be hoping to succeed Greta Moss.") == set()


@pytest.mark.parametrize("mode", MODES)
def test_a_list_after_a_dash_may_open_with_a_persons_description(mode: str) -> None:
    text = (
        "Northern states had put up two candidates for the post - Borean Finance Minister"
        " Tomas Okoro and former Calvian Foreign Minister Mira Lund."
    )
    assert declared(mode, text) == {"okoro", "lund"}


@pytest.mark.parametrize("mode", MODES)
def test_a_nominee_of_a_member_or_its_leader_is_its_nominee(mode: str) -> None:
    text = "Lund, a surprise nominee of Prime Minister Hugo Brandt, was chosen on Monday."
    assert held(mode, text) == {("ARD", "lund", "support")}
    text = "The nominee of Borea and Calvia, Tomas Okoro, spoke on Monday."
    assert held(mode, text) == {("BOR", "okoro", "support"), ("CAL", "okoro", "support")}
    # 'the candidate of X' may only say where someone is from
    assert held(mode, "The candidate of Borea, Tomas Okoro, spoke on Monday.") == set()
