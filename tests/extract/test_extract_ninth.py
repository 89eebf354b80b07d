"""Ninth-round principles on the invented Northern Council race: a set of members named
by what they do ('the countries supporting X are A and B'), members' governments
named by an office in the plural ('the prime ministers of A and B oppose X',
'endorsements from the prime ministers of A, B and C'), and whoever joins the holders of
a stance in it ('A joined B in opposing X'). Every sentence and name is invented."""

from __future__ import annotations

import pytest

from .conftest import MODES
from .test_extract_principles import held


@pytest.mark.parametrize("mode", MODES)
def test_a_set_named_by_its_stance_is_the_members_after_the_copula(mode: str) -> None:
    text = "According to the ministry, the countries supporting Okoro are Borea, Calvia and Dravia."
    assert held(mode, text) == {
        ("BOR", "okoro", "support"),
        ("CAL", "okoro", "support"),
        ("DRA", "okoro", "support"),
    }
    text = "The states opposing Lund include Borea and Calvia."
    assert held(mode, text) == {("BOR", "lund", "oppose"), ("CAL", "lund", "oppose")}


@pytest.mark.parametrize("mode", MODES)
def test_a_set_that_backs_no_candidate_is_no_stance(mode: str) -> None:
    assert held(mode, "The countries backing the plan are Borea and Calvia.") == set()
    assert held(mode, "The countries supporting Okoro met Calvia on Monday.") == set()


@pytest.mark.parametrize("mode", MODES)
def test_governments_named_by_a_plural_office_hold_the_stance(mode: str) -> None:
    text = "The prime ministers of Borea and Calvia have opposed Okoro."
    assert held(mode, text) == {("BOR", "okoro", "oppose"), ("CAL", "okoro", "oppose")}
    text = "Okoro has won public endorsements from the prime ministers of Borea, Calvia and Dravia."
    assert held(mode, text) == {
        ("BOR", "okoro", "support"),
        ("CAL", "okoro", "support"),
        ("DRA", "okoro", "support"),
    }
    text = "Okoro has the backing of the foreign ministers of Borea and Calvia."
    assert held(mode, text) == {("BOR", "okoro", "support"), ("CAL", "okoro", "support")}


@pytest.mark.parametrize("mode", MODES)
def test_an_office_of_no_member_holds_nothing(mode: str) -> None:
    assert held(mode, "Okoro was backed by the president of the Council.") == set()


@pytest.mark.parametrize("mode", MODES)
def test_who_joins_the_holders_in_a_stance_holds_it_too(mode: str) -> None:
    text = "On Monday Borea joined Calvia in opposing Okoro's candidacy."
    assert held(mode, text) == {("BOR", "okoro", "oppose"), ("CAL", "okoro", "oppose")}
    text = "Borea has joined Calvia and Dravia in supporting Okoro."
    assert held(mode, text) == {
        ("BOR", "okoro", "support"),
        ("CAL", "okoro", "support"),
        ("DRA", "okoro", "support"),
    }
    # joining a body is no stance
    assert held(mode, "Borea joined the council in May, backing Okoro.") == set()


@pytest.mark.parametrize("mode", MODES)
def test_pressing_others_to_back_a_candidate_is_backing_them(mode: str) -> None:
    text = "Borea and Calvia are now seeking to persuade Dravia to support Okoro."
    assert held(mode, text) == {("BOR", "okoro", "support"), ("CAL", "okoro", "support")}
    assert held(mode, "Borea urged Dravia not to back Okoro.") == {("BOR", "okoro", "oppose")}
    # the pressed member takes no stance by being pressed
    assert ("DRA", "okoro", "support") not in held(mode, "Borea urged Dravia to back Okoro.")
