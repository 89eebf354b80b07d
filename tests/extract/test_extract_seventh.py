"""Seventh-round principles on the invented Northern Council race: candidate lists that
run over semicolons ('A, a diplomat; B; and C'). Every sentence and name is invented."""

from __future__ import annotations

import pytest

from .conftest import MODES
from .test_extract_principles import declared, keys, read

_ALL = {"okoro", "lund", "sorin", "van-der-berg"}


@pytest.mark.parametrize("mode", MODES)
def test_a_candidate_list_runs_over_semicolons_to_its_closing_and(mode: str) -> None:
    text = (
        "The candidates for the post are Tomas Okoro, a Borean diplomat; Calvian minister"
        " Mira Lund; Pavel Sorin, a former envoy; and Ilse van der Berg of Ardania."
    )
    assert declared(mode, text) == _ALL
    text = (
        "Four states are seeking the post: Borea's envoy Tomas Okoro; Mira Lund, head of a"
        " Calvian agency; Pavel Sorin; and Ardanian minister Ilse van der Berg."
    )
    assert declared(mode, text) == _ALL


@pytest.mark.parametrize("mode", MODES)
def test_two_clauses_joined_by_a_semicolon_are_no_list(mode: str) -> None:
    # no closing 'and': the second clause says nothing of a bid
    text = "The candidates include Tomas Okoro; Mira Lund chaired the meeting."
    assert "lund" not in declared(mode, text)
    # a segment naming two candidates is a clause, not an item
    text = (
        "The candidates include Tomas Okoro; Mira Lund praised Pavel Sorin; and"
        " Ilse van der Berg left."
    )
    assert "lund" not in declared(mode, text)


@pytest.mark.parametrize("mode", MODES)
def test_a_decision_not_to_stand_is_a_withdrawal(mode: str) -> None:
    got = keys(read(mode, "Tomas Okoro, a Borean diplomat, has decided not to run."))
    assert ("candidacy", "okoro", "withdrawn") in got
    got = keys(read(mode, "Mira Lund opted not to seek the post."))
    assert ("candidacy", "lund", "withdrawn") in got
    # a member deciding not to vote is no candidate's withdrawal
    assert not {k for k in keys(read(mode, "Borea decided not to run.")) if k[0] == "candidacy"}


@pytest.mark.parametrize("mode", MODES)
def test_naming_someone_as_its_candidate_is_backing_them(mode: str) -> None:
    got = keys(read(mode, "Borea has named Tomas Okoro as its candidate."))
    assert ("stance", "BOR", "okoro", "support", False) in got
    # a candidate who once stood as someone's candidate: no member is named as nominating
    text = "Tomas Okoro, who stood as their candidate in 2030, now backs Mira Lund."
    got = keys(read(mode, text))
    assert not {k for k in got if k[0] == "stance" and k[2] == "okoro"}


@pytest.mark.parametrize("mode", MODES)
def test_a_subject_list_runs_past_an_aside_after_a_name(mode: str) -> None:
    text = "Tomas Okoro, a Borean diplomat, and Calvia's Mira Lund have also left the race."
    got = keys(read(mode, text))
    assert {("candidacy", "okoro", "withdrawn"), ("candidacy", "lund", "withdrawn")} <= got
    # a name before a verb of saying is not in the subject list
    got = keys(read(mode, "Tomas Okoro, the favourite, said Mira Lund has withdrawn."))
    assert ("candidacy", "okoro", "withdrawn") not in got


@pytest.mark.parametrize("mode", MODES)
def test_a_time_before_a_withdrawal_is_no_hedge(mode: str) -> None:
    text = (
        "Shortly before the vote Borea withdrew its candidate, Tomas Okoro, in favour of Mira Lund."
    )
    got = keys(read(mode, text))
    assert ("candidacy", "okoro", "withdrawn") in got
    assert ("candidacy", "lund", "withdrawn") not in got  # the one it withdrew in favour of
    # 'will shortly withdraw' is still only announced
    got = keys(read(mode, "Borea will shortly withdraw its candidate, Tomas Okoro."))
    assert ("candidacy", "okoro", "withdrawn") not in got


@pytest.mark.parametrize("mode", MODES)
def test_a_list_after_include_runs_over_semicolons(mode: str) -> None:
    text = (
        "Based on interviews, they include Tomas Okoro, a Borean minister; Calvia's Mira"
        " Lund, head of an agency; and Pavel Sorin."
    )
    assert {k[1] for k in keys(read(mode, text)) if k[0] == "candidacy"} == {
        "okoro",
        "lund",
        "sorin",
    }


@pytest.mark.parametrize("mode", MODES)
def test_a_candidate_clause_ended_by_a_dash_owns_the_list_after_it(mode: str) -> None:
    text = (
        "Four candidates have been nominated - Tomas Okoro of Borea, a diplomat; Mira Lund,"
        " Calvia's envoy; and Pavel Sorin."
    )
    assert declared(mode, text) == {"okoro", "lund", "sorin"}
    # after the dash a clause about a member, not a list
    text = "The candidates were cut - Borea said Tomas Okoro was tired."
    assert "okoro" not in declared(mode, text)


@pytest.mark.parametrize("mode", MODES)
def test_rivals_among_them_are_declared(mode: str) -> None:
    text = "Tomas Okoro faces rivals, among them Mira Lund of Calvia and Pavel Sorin."
    assert declared(mode, text) == {"okoro", "lund", "sorin"}
    # possible candidates are only mentioned
    text = "Several possible candidates, among them Mira Lund, are being discussed."
    assert ("candidacy", "lund", "mentioned") in keys(read(mode, text))
