"""Tallies, fifth round: which numbers are votes cast, scores, coordinated counts, ties and
result tables, on the fictional Northern Council. Every sentence here is invented."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import MODES
from .test_extract_principles import read


def counts(mode: str, text: str) -> set[tuple[Any, ...]]:
    return {(e.candidate, e.what, e.count) for e in read(mode, text) if e.kind == "count"}


@pytest.mark.parametrize("mode", MODES)
def test_round_numbers_changes_and_comparisons_are_no_tallies(mode: str) -> None:
    got = counts(
        mode,
        "Council vote: Okoro wins the most votes in round 1. "
        "In the second round of voting Okoro gained four votes and Lund lost three. "
        "Lund advanced with 17 votes, together with Sorin, who won one vote fewer.",
    )
    assert ("lund", "votes", 17) in got
    assert not [c for c in got if c[2] in (1, 3, 4)], got


@pytest.mark.parametrize("mode", MODES)
def test_votes_won_against_others_are_votes_and_a_majority_won_is_cast(mode: str) -> None:
    got = counts(
        mode,
        "In the final vote Okoro won 31 votes against 12 for Lund. "
        "The council elected Sorin with a majority of 40 votes out of 58 votes cast.",
    )
    assert {("okoro", "votes", 31), ("lund", "votes", 12), ("sorin", "votes", 40)} <= got
    assert ("okoro", "against", 31) not in got and not [c for c in got if c[2] == 58]


@pytest.mark.parametrize("mode", MODES)
def test_the_tally_of_an_earlier_election_is_no_evidence_of_this_one(mode: str) -> None:
    got = counts(
        mode,
        "Okoro was re-elected with less support than four years ago, when he got 50 of the 58 "
        "votes. In 2027 Okoro won 52 votes. In the final vote Okoro won 33 votes.",
    )
    assert ("okoro", "votes", 33) in got
    assert not [c for c in got if c[2] in (50, 52)], got


@pytest.mark.parametrize("mode", MODES)
def test_members_counted_as_the_body_or_a_scope_back_nobody(mode: str) -> None:
    got = counts(
        mode,
        "Lund withdrew after she failed to find enough support among the council's 58 member "
        "states. A union of workers in 40 countries has endorsed Okoro. "
        "Sorin thanked those who backed him in all 58 member states.",
    )
    assert not got, got


@pytest.mark.parametrize("mode", MODES)
def test_a_score_by_votes_to_votes_goes_to_the_subject_then_the_other(mode: str) -> None:
    got = counts(
        mode,
        "Okoro defeated Lund by 31 votes to 27. Sorin led the early rounds. "
        "He then lost the final round to Lund by 28 votes to 30, and the Calvian candidate "
        "thanked the council.",
    )
    assert {("okoro", "votes", 31), ("lund", "votes", 27)} <= got
    assert {("sorin", "votes", 28), ("lund", "votes", 30)} <= got
    assert ("lund", "votes", 28) not in got and ("sorin", "votes", 30) not in got


@pytest.mark.parametrize("mode", MODES)
def test_coordinated_counts_respectively_each_and_ties(mode: str) -> None:
    got = counts(
        mode,
        "In the second round of voting Okoro got 30 votes, while the other candidates, "
        "Dravian envoy Sorin and Calvian minister Lund, got 16 and 12 votes respectively. "
        "Okoro came through the first and second rounds with 29 and 30 votes respectively, "
        "before tying with Lund on 25 votes each. "
        "In the fourth round Sorin won 22 votes, drawing level with Lund.",
    )
    assert {("okoro", "votes", 30), ("sorin", "votes", 16), ("lund", "votes", 12)} <= got
    assert {("okoro", "votes", 29), ("okoro", "votes", 25), ("lund", "votes", 25)} <= got
    assert {("sorin", "votes", 22), ("lund", "votes", 22)} <= got
    assert not {("lund", "votes", 16), ("sorin", "votes", 12), ("lund", "votes", 29)} & got


@pytest.mark.parametrize("mode", MODES)
def test_result_lines_under_a_text_about_a_vote_are_tallies(mode: str) -> None:
    got = counts(
        mode,
        "The council held the first round of voting on Monday. The results:\n"
        "• Okoro: 30\n"
        "• Pavel Sorin (Dravia): 14\n"
        "The second round followed on Tuesday.\nOkoro 33, Lund 25.",
    )
    assert {("okoro", "votes", 30), ("sorin", "votes", 14)} <= got
    assert {("okoro", "votes", 33), ("lund", "votes", 25)} <= got
    quiet = counts(mode, "The council met in Kestrel on Monday.\n• Okoro: 30\n• Sorin: 14\n")
    assert not quiet, "a line of names and numbers is no tally without a vote around it"


@pytest.mark.parametrize("mode", MODES)
def test_the_winner_owns_the_votes_won_and_the_beaten_own_theirs(mode: str) -> None:
    events = read(
        mode,
        "Okoro beat Lund, the Calvian candidate, after two rounds of voting, winning 33 votes. "
        "With 35 votes, Sorin was elected chair of the panel. "
        "Okoro led the field. In the third round of voting he won 31 votes to Lund's 20 from "
        "the 58-member council.",
    )
    got = {(e.candidate, e.what, e.count) for e in events if e.kind == "count"}
    assert {("okoro", "votes", 33), ("sorin", "votes", 35)} <= got
    assert {("okoro", "votes", 31), ("lund", "votes", 20)} <= got
    assert not {("lund", "votes", 33), ("lund", "votes", 31)} & got
    assert ("candidacy", "lund", "declared") in {e.key() for e in events}


@pytest.mark.parametrize("mode", MODES)
def test_a_final_score_counts_and_a_hedge_reaches_only_its_own_stretch(mode: str) -> None:
    got = counts(
        mode,
        "The final score was 40 for Okoro and 18 for Lund. "
        "After winning 36 votes, Sorin told the council that it would need unity. "
        "Analysts say Lund could win 25 votes in the next round.",
    )
    assert {("okoro", "votes", 40), ("lund", "votes", 18), ("sorin", "votes", 36)} <= got
    assert ("lund", "votes", 25) not in got, "a hedged tally is none"


@pytest.mark.parametrize("mode", MODES)
def test_members_counted_in_a_vote_are_votes_and_outside_one_support(mode: str) -> None:
    got = counts(
        mode,
        "In Monday's vote 20 countries backed Okoro. Four of the six states now back Lund.",
    )
    assert ("okoro", "votes", 20) in got and ("lund", "support", 4) in got
    assert ("okoro", "support", 20) not in got


@pytest.mark.parametrize("mode", MODES)
def test_shares_backing_a_candidate_and_a_gapped_second_tally(mode: str) -> None:
    got = counts(
        mode,
        "Lund was backed by 56 percent of the states. "
        "In the final vote Okoro received 40 votes, and Pavel Sorin, from Dravia, 12.",
    )
    assert ("lund", "support", 56) in got, "'backed by' is the agent, not a margin"
    assert {("okoro", "votes", 40), ("sorin", "votes", 12)} <= got
    aged = counts(mode, "Sorin, 56, won 30 votes in the vote, and Lund, from Calvia, 20.")
    assert ("sorin", "votes", 56) not in aged


@pytest.mark.parametrize("mode", MODES)
def test_votes_short_handed_on_or_part_of_a_list_are_no_tally_of_theirs(mode: str) -> None:
    got = counts(
        mode,
        "After two rounds of voting Okoro is 10 votes short of a majority. "
        "Sorin withdrew in favour of Lund, handing her the six votes he had won. "
        "In Monday's vote Okoro won the support of Borea, Calvia and 18 other countries. "
        "In the vote Okoro took a clear lead with the backing of 20 countries to Lund's 14. "
        "Sorin hopes to win the necessary backing of 30 of the 58 states.",
    )
    assert ("lund", "votes", 14) in got
    assert not {("okoro", "votes", 10), ("lund", "votes", 6), ("okoro", "votes", 18)} & got
    assert not [c for c in got if c[0] == "lund" and c[2] == 20], got
    assert not [c for c in got if c[0] == "sorin"], got


@pytest.mark.parametrize("mode", MODES)
def test_members_named_at_length_before_voted_against(mode: str) -> None:
    got = counts(
        mode,
        "Okoro won 30 votes of confidence, while 21 Members of the Joint Assembly (MJAs) "
        "voted against him.",
    )
    assert {("okoro", "votes", 30), ("okoro", "against", 21)} <= got
