"""Lists of backers under a candidate's label: 'Victor Stahl:' on its own line, then the
members who nominated him. Read as support from each member on the line when the
article's heading or the list's lead says the lists are of backers; nothing when the
heading is about something else, when the label and the text share a line ('Priya Raman:
awaiting reply'), or when the line under the label is prose. The race is the fictional
harbour board, whose members are people."""

from __future__ import annotations

import pytest

from .conftest import MODES, fictional_race, stance_triples

RACE = fictional_race()


def stances(mode: str, text: str) -> set[tuple[str, str, str]]:
    return stance_triples(RACE, mode, text, "2031-03-10")


@pytest.mark.parametrize("mode", MODES)
def test_the_line_under_a_label_in_a_list_of_nominations_backs_the_label(mode: str) -> None:
    text = (
        "Board chair nominations so far\n\n"
        "Priya Raman: awaiting reply.\n\n"
        "Victor Stahl:\nNadia Ferreira (Ports), Owen Blake (Labour) and Quentin Hale (Ind).\n"
    )
    want = {("NF", "stahl", "support"), ("OB", "stahl", "support"), ("QH", "stahl", "support")}
    assert stances(mode, text) == want


@pytest.mark.parametrize("mode", MODES)
def test_a_lead_naming_proposers_stands_for_the_heading(mode: str) -> None:
    text = "The race so far.\n\nVictor Stahl:\n3 proposers, among them: Rosa Lind, Owen Blake.\n"
    assert stances(mode, text) == {("RL", "stahl", "support"), ("OB", "stahl", "support")}


@pytest.mark.parametrize("mode", MODES)
def test_a_name_the_race_does_not_know_does_not_break_the_list(mode: str) -> None:
    text = "Nominations\n\nVictor Stahl:\nRosa Lind (Ind), Tom Kerr, Quentin Hale (Ind), Ann Su\n"
    assert stances(mode, text) == {("RL", "stahl", "support"), ("QH", "stahl", "support")}


@pytest.mark.parametrize("mode", MODES)
def test_names_under_a_label_are_no_backing_without_a_heading_about_backers(mode: str) -> None:
    text = "Who sits where\n\nVictor Stahl:\nNadia Ferreira (Ports), Owen Blake (Labour).\n"
    assert stances(mode, text) == set()


@pytest.mark.parametrize("mode", MODES)
def test_prose_under_a_label_is_not_a_list(mode: str) -> None:
    text = "Board chair nominations\n\nVictor Stahl:\nOwen Blake says he will decide later.\n"
    assert ("OB", "stahl", "support") not in stances(mode, text)
