"""Fifth-round principles on the invented Northern Council race: winners and losers of a
vote, candidate nouns as titles, candidacies and contestants in lists, withdrawn bids, the
incumbent leaving, 'back' as an adverb, a person called by nationality. Every sentence is
invented."""

from __future__ import annotations

import pytest

from .conftest import MODES
from .test_extract_principles import keys, read
from .test_extract_recall import stances


def candidacies(mode: str, text: str) -> set[tuple[object, ...]]:
    """The candidacy keys above the bar."""
    return {k for k in keys(read(mode, text)) if k[0] == "candidacy"}


DECLARED = [
    # the winner of a vote the article shows was a declared candidate
    ("With 41 votes, Mira Lund was elected Secretary General of the Northern Council.", "lund"),
    ("The council elected Mira Lund as secretary general after a run-off on Monday.", "lund"),
    # a candidate noun as the title of the name after it, whatever the clause hedges
    ("Some fear what might happen should Calvian nominee Mira Lund be elected.", "lund"),
    # a candidate knocked out or beaten had declared
    ("Pavel Sorin was knocked out in the first round of voting.", "sorin"),
    ("A blow for Tomas Okoro, beaten by Mira Lund on Friday.", "okoro"),
    ("A blow for Tomas Okoro, beaten by Mira Lund on Friday.", "lund"),
    # the election of the post is no other contest
    *(
        ("The election will pit Tomas Okoro, Pavel Sorin and Mira Lund against one another.", c)
        for c in ("okoro", "sorin", "lund")
    ),
    # candidacies, contestants and applicants named in a clause
    *(
        ("Mira Lund's candidacy joins those of Tomas Okoro and Pavel Sorin.", c)
        for c in ("lund", "okoro", "sorin")
    ),
    ("The declared contestants are Tomas Okoro and Mira Lund.", "okoro"),
    ("The declared contestants are Tomas Okoro and Mira Lund.", "lund"),
    ("Tomas Okoro and Mira Lund have also applied.", "okoro"),
    ("Tomas Okoro and Mira Lund have also applied.", "lund"),
    # names standing in a race are its candidates
    (
        "Three names are now in contention for the post: Tomas Okoro, Mira Lund and Pavel Sorin.",
        "sorin",
    ),
]
NOT_DECLARED = [
    # an appointment with no contest shown, or 'elected' alone, says nothing of a bid
    ("The council appointed Mira Lund as secretary general by consensus on Monday.", "lund"),
    ("Borea congratulated Mira Lund on being elected secretary general.", "lund"),
    # a weighed or former candidate is no title of standing
    ("Some fear what might happen should a possible candidate, Mira Lund, be elected.", "lund"),
    ("Some fear what might happen should former nominee Mira Lund be elected.", "lund"),
    # a weighed outcome declares nobody
    ("Pavel Sorin could be eliminated if he is nominated.", "sorin"),
    # a presidential or parliamentary election is another contest: no bid for this post
    ("Mira Lund, a candidate in the presidential election, spoke.", "lund"),
    # weighed candidacies, and one who has not applied
    ("A possible candidacy of Pavel Sorin is discussed.", "sorin"),
    ("Pavel Sorin has not applied for the post.", "sorin"),
    # names floated are no standing
    ("Three names are floated for the post: Tomas Okoro, Mira Lund and Pavel Sorin.", "sorin"),
]
WITHDRAWN = [
    # a government withdrawing its national's candidacy; the exit or departure of a candidate
    ("Dravia decided to withdraw its envoy Pavel Sorin's candidacy.", "sorin", True),
    ("Dravia is withdrawing the candidacy of its envoy, Pavel Sorin.", "sorin", True),
    ("The departure of Pavel Sorin leaves three candidates.", "sorin", True),
    ("Lund's way was cleared by the exit of Tomas Okoro.", "okoro", True),
    # withdrawing support for a bid is no withdrawal of it; a hedged departure is none yet
    ("Dravia withdrew its support for Pavel Sorin's candidacy.", "sorin", False),
    ("A departure of Tomas Okoro may follow if Borea objects.", "okoro", False),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("text", "who"), DECLARED)
def test_winners_titled_names_and_losers_of_a_vote_are_declared(
    mode: str, text: str, who: str
) -> None:
    assert ("candidacy", who, "declared") in candidacies(mode, text)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("text", "who"), NOT_DECLARED)
def test_appointments_weighed_titles_and_weighed_outcomes_declare_nobody(
    mode: str, text: str, who: str
) -> None:
    assert ("candidacy", who, "declared") not in candidacies(mode, text)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("text", "who", "withdrawn"), WITHDRAWN)
def test_withdrawn_bids(mode: str, text: str, who: str, withdrawn: bool) -> None:
    assert (("candidacy", who, "withdrawn") in candidacies(mode, text)) is withdrawn


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
def test_a_home_government_nominating_its_national_declares_the_bid(mode: str) -> None:
    got = keys(read(mode, "Calvia has put up its former finance minister Mira Lund."))
    assert {
        ("stance", "CAL", "lund", "support", False),
        ("candidacy", "lund", "declared"),
    } <= got
