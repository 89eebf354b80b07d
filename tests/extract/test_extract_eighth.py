"""Eighth-round principles on the invented Northern Council race: candidate lists laid
out as lines (bulleted, with honorifics, several lines in one sentence), sentences that
go on with a set the sentence before opened ('The others are A and B', 'They are now
joined by A'), and a party role in a description that is no other contest. Every
sentence and name is invented."""

from __future__ import annotations

import pytest

from .conftest import MODES
from .test_extract_principles import declared


@pytest.mark.parametrize("mode", MODES)
def test_a_bulleted_list_under_its_heading_declares_every_name(mode: str) -> None:
    text = (
        "Nominations closed on Friday. The five remaining candidates are:\n\n"
        "  - Mr Tomas Okoro (Borea)\n  - Ms Mira Lund (Calvia)\n  - Dr Pavel Sorin (Dravia)\n\n"
        "The vote is in May."
    )
    assert declared(mode, text) == {"okoro", "lund", "sorin"}


@pytest.mark.parametrize("mode", MODES)
def test_name_lines_without_blank_lines_between_are_one_list(mode: str) -> None:
    text = (
        "Nominations closed on Friday. The remaining candidates are:\n\n"
        "Tomas Okoro (Borea)\nMira Lund (Calvia)\nPavel Sorin (Dravia)\n\nThe vote is in May."
    )
    assert declared(mode, text) == {"okoro", "lund", "sorin"}


@pytest.mark.parametrize("mode", MODES)
def test_a_bulleted_item_may_carry_a_long_description(mode: str) -> None:
    text = (
        "Four candidates are standing; all are backed by their governments:\n"
        "  • Tomas Okoro, now head of the Borean agency for trade, put forward by the"
        " Government of Borea\n"
        "  • Mira Lund, a former minister of Calvia, put forward by Calvia\n"
        "The race began today."
    )
    assert declared(mode, text) == {"okoro", "lund"}


@pytest.mark.parametrize("mode", MODES)
def test_lines_under_a_heading_that_weighs_names_declare_no_one(mode: str) -> None:
    text = "Possible candidates include:\n  - Tomas Okoro (Borea)\n  - Mira Lund (Calvia)"
    assert declared(mode, text) == set()
    # a name inside prose that a hard line break happens to open is no list item
    text = (
        "The candidates are:\n\nTomas Okoro (Borea)\n\nThe council met on Monday and the"
        " chair thanked the staff for their work on the budget.\nMira Lund praised the"
        " staff of the council for their long work on the annual budget."
    )
    assert "lund" not in declared(mode, text)


@pytest.mark.parametrize("mode", MODES)
def test_the_others_go_on_with_the_set_the_sentence_before_opened(mode: str) -> None:
    text = (
        "Tomas Okoro is one of four contenders for the post. The others are Borean minister"
        " Mira Lund, Pavel Sorin and Ilse van der Berg."
    )
    assert {"lund", "sorin", "van-der-berg"} <= declared(mode, text)
    text = (
        "There are now four candidates. The other two are Mira Lund, nominated by Borea,"
        " and Pavel Sorin, a Dravian envoy."
    )
    assert {"lund", "sorin"} <= declared(mode, text)
    text = "Okoro is one of three people seeking the post. Another is Mira Lund of Calvia."
    assert "lund" in declared(mode, text)


@pytest.mark.parametrize("mode", MODES)
def test_the_others_of_a_set_that_is_no_field_of_candidates_declare_no_one(mode: str) -> None:
    text = "Okoro met three ministers. The others were Mira Lund and Pavel Sorin."
    assert declared(mode, text) == set()
    text = "Possible candidates include Tomas Okoro. The others are Mira Lund and Pavel Sorin."
    assert not {"lund", "sorin"} & declared(mode, text)


@pytest.mark.parametrize("mode", MODES)
def test_a_party_role_in_a_description_is_no_other_contest(mode: str) -> None:
    text = (
        "The former party chairman is up against Borea's Mira Lund, the head of a council"
        " agency, and Pavel Sorin, a long-serving member of the Dravian government."
    )
    assert {"lund", "sorin"} <= declared(mode, text)
    # a party's own candidates are another contest
    assert declared(mode, "The party's candidates are Mira Lund and Pavel Sorin.") == set()


@pytest.mark.parametrize("mode", MODES)
def test_they_are_joined_by_grows_the_set_of_candidates(mode: str) -> None:
    text = (
        "Until now two candidates had been in the running: Tomas Okoro and Ilse van der Berg."
        " They are now joined by Mira Lund of Calvia, a diplomat; and Borea's Pavel Sorin."
    )
    assert {"lund", "sorin"} <= declared(mode, text)
    assert declared(mode, "Okoro and Lund met on Monday. They were joined by Pavel Sorin.") == set()
