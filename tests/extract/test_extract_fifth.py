"""Fifth-round principles on the invented Northern Council race: the winner of an election
the article shows was a candidate in it. Every sentence is invented."""

from __future__ import annotations

import pytest

from .conftest import MODES
from .test_extract_principles import keys, read
from .test_extract_recall import stances


def candidacies(mode: str, text: str) -> set[tuple[object, ...]]:
    """The candidacy keys above the bar."""
    return {k for k in keys(read(mode, text)) if k[0] == "candidacy"}


@pytest.mark.parametrize("mode", MODES)
def test_the_winner_of_a_vote_was_a_declared_candidate(mode: str) -> None:
    voted = "With 41 votes, Mira Lund was elected Secretary General of the Northern Council."
    assert ("candidacy", "lund", "declared") in candidacies(mode, voted)
    beaten = "The council elected Mira Lund as secretary general after a run-off on Monday."
    assert ("candidacy", "lund", "declared") in candidacies(mode, beaten)
    # an appointment with no contest shown, or 'elected' alone, says nothing of a bid
    agreed = "The council appointed Mira Lund as secretary general by consensus on Monday."
    assert ("candidacy", "lund", "declared") not in candidacies(mode, agreed)
    alone = "Borea congratulated Mira Lund on being elected secretary general."
    assert ("candidacy", "lund", "declared") not in candidacies(mode, alone)


@pytest.mark.parametrize("mode", MODES)
def test_a_candidate_noun_as_the_title_of_a_name_declares_it_whatever_the_hedges(mode: str) -> None:
    hedged = "Some fear what might happen should Calvian nominee Mira Lund be elected."
    assert ("candidacy", "lund", "declared") in candidacies(mode, hedged)
    # a weighed or former candidate is no title of standing
    weighed = "Some fear what might happen should a possible candidate, Mira Lund, be elected."
    assert ("candidacy", "lund", "declared") not in candidacies(mode, weighed)
    former = "Some fear what might happen should former nominee Mira Lund be elected."
    assert ("candidacy", "lund", "declared") not in candidacies(mode, former)


@pytest.mark.parametrize("mode", MODES)
def test_a_candidate_knocked_out_or_beaten_had_declared(mode: str) -> None:
    out = candidacies(mode, "Pavel Sorin was knocked out in the first round of voting.")
    assert ("candidacy", "sorin", "declared") in out
    beaten = candidacies(mode, "A blow for Tomas Okoro, beaten by Mira Lund on Friday.")
    assert {("candidacy", "okoro", "declared"), ("candidacy", "lund", "declared")} <= beaten
    # a weighed outcome declares nobody
    weighed = candidacies(mode, "Pavel Sorin could be eliminated if he is nominated.")
    assert ("candidacy", "sorin", "declared") not in weighed


@pytest.mark.parametrize("mode", MODES)
def test_the_election_of_the_post_is_no_other_contest(mode: str) -> None:
    pit = candidacies(
        mode, "The election will pit Tomas Okoro, Pavel Sorin and Mira Lund against one another."
    )
    assert {("candidacy", c, "declared") for c in ("okoro", "sorin", "lund")} <= pit
    # a presidential or parliamentary election is another contest: no bid for this post
    other = candidacies(mode, "Mira Lund, a candidate in the presidential election, spoke.")
    assert ("candidacy", "lund", "declared") not in other


@pytest.mark.parametrize("mode", MODES)
def test_candidacies_named_in_a_clause_declare_their_candidates(mode: str) -> None:
    joined = candidacies(mode, "Mira Lund's candidacy joins those of Tomas Okoro and Pavel Sorin.")
    assert {("candidacy", c, "declared") for c in ("lund", "okoro", "sorin")} <= joined
    # weighed candidacies declare nobody
    weighed = candidacies(mode, "A possible candidacy of Pavel Sorin is discussed.")
    assert ("candidacy", "sorin", "declared") not in weighed


@pytest.mark.parametrize("mode", MODES)
def test_contestants_and_applicants_are_declared(mode: str) -> None:
    listed = candidacies(mode, "The declared contestants are Tomas Okoro and Mira Lund.")
    assert {("candidacy", "okoro", "declared"), ("candidacy", "lund", "declared")} <= listed
    applied = candidacies(mode, "Tomas Okoro and Mira Lund have also applied.")
    assert {("candidacy", "okoro", "declared"), ("candidacy", "lund", "declared")} <= applied
    # one who has not applied is not declared
    assert ("candidacy", "sorin", "declared") not in candidacies(
        mode, "Pavel Sorin has not applied for the post."
    )


@pytest.mark.parametrize("mode", MODES)
def test_a_government_withdrawing_its_nationals_candidacy_is_a_withdrawal(mode: str) -> None:
    own = candidacies(mode, "Dravia decided to withdraw its envoy Pavel Sorin's candidacy.")
    assert ("candidacy", "sorin", "withdrawn") in own
    of = candidacies(mode, "Dravia is withdrawing the candidacy of its envoy, Pavel Sorin.")
    assert ("candidacy", "sorin", "withdrawn") in of
    # withdrawing support for a bid is no withdrawal of the bid
    support = candidacies(mode, "Dravia withdrew its support for Pavel Sorin's candidacy.")
    assert ("candidacy", "sorin", "withdrawn") not in support


def vacancies(mode: str, text: str) -> set[tuple[object, ...]]:
    """The vacancy keys above the bar."""
    return {k for k in keys(read(mode, text)) if k[0] == "vacancy"}


@pytest.mark.parametrize("mode", MODES)
def test_the_incumbent_retiring_resigning_or_dying_opens_the_post(mode: str) -> None:
    for text in (
        "Greta Moss resigned last week to lead a bank.",
        "Greta Moss will retire when her mandate is over.",
        "The council needs a new chief after Greta Moss died.",
        "With the term of Greta Moss running out, Borea backs Okoro.",
        "Greta Moss will stand down after two terms.",
    ):
        assert vacancies(mode, text), text
    assert not vacancies(mode, "Greta Moss praised Mira Lund's plan for the council.")


@pytest.mark.parametrize("mode", MODES)
def test_an_undated_succession_opens_the_post_unless_it_is_a_named_successors_bid(
    mode: str,
) -> None:
    assert vacancies(mode, "The race to succeed Greta Moss began with four candidates.")
    assert vacancies(mode, "The winner will take over from Greta Moss, chief since 2024.")
    # who may succeed is a bid, not the post falling vacant
    assert not vacancies(mode, "Borea backs Mira Lund to succeed Greta Moss.")


@pytest.mark.parametrize("mode", MODES)
def test_back_as_an_adverb_backs_nobody(mode: str) -> None:
    assert not stances(mode, "Borea pushed back the vote on Tomas Okoro.")
    assert not stances(mode, "Borea came back to Tomas Okoro with questions.")
    assert ("stance", "BOR", "okoro", "support", False) in stances(
        mode, "Borea will back Tomas Okoro in the vote."
    )


@pytest.mark.parametrize("mode", MODES)
def test_a_person_called_by_nationality_is_that_homes_one_candidate(mode: str) -> None:
    got = stances(mode, "The Borean, who had Calvia's support, thanked Dravia.")
    assert ("stance", "CAL", "okoro", "support", False) in got
    assert not {k for k in got if k[1] == "DRA"}
    # the demonym before a noun is the state acting
    gov = stances(mode, "The Borean government backs Mira Lund.")
    assert ("stance", "BOR", "lund", "support", False) in gov


@pytest.mark.parametrize("mode", MODES)
def test_the_exit_or_departure_of_a_candidate_is_a_withdrawal(mode: str) -> None:
    got = candidacies(mode, "The departure of Pavel Sorin leaves three candidates.")
    assert ("candidacy", "sorin", "withdrawn") in got
    cleared = candidacies(mode, "Lund's way was cleared by the exit of Tomas Okoro.")
    assert ("candidacy", "okoro", "withdrawn") in cleared
    assert ("candidacy", "okoro", "withdrawn") not in candidacies(
        mode, "A departure of Tomas Okoro may follow if Borea objects."
    )


@pytest.mark.parametrize("mode", MODES)
def test_a_home_government_nominating_its_national_declares_the_bid(mode: str) -> None:
    got = keys(read(mode, "Calvia has put up its former finance minister Mira Lund."))
    assert {
        ("stance", "CAL", "lund", "support", False),
        ("candidacy", "lund", "declared"),
    } <= got
