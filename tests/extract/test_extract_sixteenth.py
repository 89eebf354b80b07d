"""The sixteenth round of extraction rules: a refusal to stand is a withdrawal
(``extract/refusals.py``); 'the other candidates include X' declares X as 'the candidates
are X' does; 'putting X forward' nominates X as 'put forward X' does; 'the support of A,
of B and of C' is the support of all three in both modes; and a passive participle opening
the sentence ('Backed by A and B, X ...') describes the subject after its comma. The race
is the fictional harbour board (members are people; candidates Raman and Stahl; the
outgoing chair Greta Moss is no candidate)."""

from __future__ import annotations

import pytest

from .conftest import MODES, candidacy_statuses, fictional_race, stance_triples

RACE = fictional_race()


def statuses(mode: str, text: str) -> dict[str, str]:
    """Each candidate's candidacy status as the article reads it."""
    return candidacy_statuses(RACE, mode, text, "2031-03-10")


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    "text",
    [
        "Victor Stahl said on Monday he will not run for the board chair.",
        "Victor Stahl ruled out challenging Priya Raman for the board chair.",
        "Victor Stahl ruled out on Monday running for the board chair.",
        "After hours of talks with his backers, Victor Stahl announced he would not challenge.",
        "Victor Stahl declined to contest the chair of the board.",
        "Victor Stahl will stay out of the coming board chair race.",
        "Victor Stahl has no intention of standing for the board chair.",
        "Victor Stahl won't stand again, he told reporters.",
    ],
)
def test_a_refusal_to_stand_is_a_withdrawal(mode: str, text: str) -> None:
    assert statuses(mode, text).get("stahl") == "withdrawn"


@pytest.mark.parametrize("mode", MODES)
def test_the_rival_named_in_a_refusal_keeps_her_bid(mode: str) -> None:
    got = statuses(mode, "Victor Stahl ruled out challenging Priya Raman for the board chair.")
    assert got.get("raman") != "withdrawn"


@pytest.mark.parametrize("mode", MODES)
def test_not_ruling_it_out_is_interest(mode: str) -> None:
    got = statuses(mode, "Victor Stahl does not rule out running for the board chair.")
    assert got.get("stahl") == "interested"


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    "text",
    [
        "Victor Stahl would not stand for the board chair if Raman had the votes.",
        "Victor Stahl has promised that he would not challenge Raman.",
        "Victor Stahl had said in 2029 that he would not run for the board chair.",
        "Victor Stahl would probably not run for the board chair.",
        "Victor Stahl will not stand in the way of a consensus on the board chair.",
        "Victor Stahl will not run the harbour, whoever chairs the board.",
        "Victor Stahl said he would not be contesting the chair without the support of the board.",
        "Victor Stahl is not standing for a seat on the council, though he wants the board chair.",
    ],
)
def test_a_condition_a_promise_the_past_a_hedge_an_idiom_or_another_office_is_no_withdrawal(
    mode: str, text: str
) -> None:
    assert statuses(mode, text).get("stahl") != "withdrawn"


@pytest.mark.parametrize("mode", MODES)
def test_someone_who_is_not_a_candidate_refusing_withdraws_no_candidate(mode: str) -> None:
    text = (
        "Victor Stahl is running for the board chair.\n"
        "Greta Moss, whose term ends in May, has said she will not stand again."
    )
    assert statuses(mode, text).get("stahl") != "withdrawn"


@pytest.mark.parametrize("mode", MODES)
def test_the_other_candidates_include_declares_them(mode: str) -> None:
    text = "The other candidates include Victor Stahl and Priya Raman, the port's director."
    assert statuses(mode, text) == {"stahl": "declared", "raman": "declared"}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    "text",
    [
        "Possible candidates include Victor Stahl and Priya Raman.",
        "Other leading candidates for the board chair include Victor Stahl and Priya Raman.",
    ],
)
def test_candidates_weighed_or_ranked_by_the_press_are_only_mentioned(mode: str, text: str) -> None:
    assert statuses(mode, text) == {"stahl": "mentioned", "raman": "mentioned"}


@pytest.mark.parametrize("mode", MODES)
def test_putting_a_candidate_forward_nominates_him(mode: str) -> None:
    text = "Owen Blake is putting Victor Stahl forward as his candidate for the board chair."
    got = stance_triples(RACE, mode, text, "2031-03-10")
    assert ("OB", "stahl", "support") in got


@pytest.mark.parametrize("mode", MODES)
def test_support_of_repeated_before_each_member_is_everyones(mode: str) -> None:
    text = "Victor Stahl has the support of Owen Blake, of Rosa Lind and of Quentin Hale."
    want = {("OB", "stahl", "support"), ("RL", "stahl", "support"), ("QH", "stahl", "support")}
    assert stance_triples(RACE, mode, text, "2031-03-10") == want


@pytest.mark.parametrize("mode", MODES)
def test_a_fronted_participle_describes_the_subject_after_its_comma(mode: str) -> None:
    text = "Backed by Owen Blake and Rosa Lind, Victor Stahl is now the favourite."
    want = {("OB", "stahl", "support"), ("RL", "stahl", "support")}
    assert stance_triples(RACE, mode, text, "2031-03-10") == want


@pytest.mark.parametrize("mode", MODES)
def test_a_fronted_participle_before_a_member_names_no_candidate(mode: str) -> None:
    text = "Backed by Owen Blake, Rosa Lind chose Victor Stahl on Monday."
    assert ("OB", "stahl", "support") not in stance_triples(RACE, mode, text, "2031-03-10")


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    "text",
    [
        "Theresa May and Victor Stahl are the other candidates running for the board chair.",
        "After a ballot that could go on until Friday, Victor Stahl is ahead of Priya Raman "
        "in the race for the board chair.",
    ],
)
def test_a_name_is_no_hedge_and_a_hedge_a_clause_away_governs_nothing(mode: str, text: str) -> None:
    assert statuses(mode, text).get("stahl") != "interested"


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    "text",
    [
        "Victor Stahl does not have Owen Blake's support.",
        "Owen Blake and Rosa Lind spoke first, and Victor Stahl was approved on Thursday.",
        "Victor Stahl praised the harbour plan, which Owen Blake opposed.",
    ],
)
def test_no_stance_from_a_denied_support_an_agentless_passive_or_a_thing(
    mode: str, text: str
) -> None:
    got = stance_triples(RACE, mode, text, "2031-03-10")
    assert not {s for s in got if s[0] == "OB"}


@pytest.mark.parametrize("mode", MODES)
def test_a_refusal_to_back_is_an_objection(mode: str) -> None:
    text = "Owen Blake was criticised for his refusal to back Victor Stahl."
    assert stance_triples(RACE, mode, text, "2031-03-10") == {("OB", "stahl", "oppose")}
