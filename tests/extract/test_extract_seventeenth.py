"""The seventeenth round of extraction rules: support taken back ('withdrew his support
for X') is a neutral stance, not support, where the verb governs the support noun; the
names after 'include' or 'among them' are the race's field where a candidate noun (not
'rivals') or 'field' stands earlier in the sentence, beyond the clause ('a growing field
that includes X'); the parliamentary opposition ('Opposition Leader', 'opposition MPs') is
no objection; and a vote won or lost against someone is a contest, not a vote cast. The
race is the fictional harbour board (members are people; candidates Raman and Stahl)."""

from __future__ import annotations

import pytest

from .conftest import MODES, candidacy_statuses, extract_events, fictional_race, stance_triples

RACE = fictional_race()
DAY = "2031-03-10"


def statuses(mode: str, text: str) -> dict[str, str]:
    """Each candidate's candidacy status as the article reads it."""
    return candidacy_statuses(RACE, mode, text, DAY)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    "text",
    [
        "Owen Blake withdrew his support for Victor Stahl on Monday.",
        "Owen Blake has rescinded his support for Victor Stahl.",
        "Owen Blake pulled his backing for Victor Stahl after the hearing.",
    ],
)
def test_support_taken_back_is_neutral(mode: str, text: str) -> None:
    assert stance_triples(RACE, mode, text, DAY) == {("OB", "stahl", "neutral")}


@pytest.mark.parametrize("mode", MODES)
def test_support_not_taken_back_is_no_neutral(mode: str) -> None:
    text = "Owen Blake did not withdraw his support for Victor Stahl."
    got = stance_triples(RACE, mode, text, DAY)
    assert ("OB", "stahl", "neutral") not in got


@pytest.mark.parametrize("mode", MODES)
def test_support_given_after_a_withdrawal_is_support(mode: str) -> None:
    text = "Owen Blake withdrew his own bid and threw his support behind Victor Stahl."
    assert ("OB", "stahl", "support") in stance_triples(RACE, mode, text, DAY)


@pytest.mark.parametrize("mode", MODES)
def test_a_dropped_objection_is_still_lifted(mode: str) -> None:
    events = extract_events(RACE, mode, "Owen Blake dropped his objection to Victor Stahl.", DAY)
    lifted = {(e.member, e.candidate, e.stance, e.lifted) for e in events if e.kind == "stance"}
    assert ("OB", "stahl", "support", True) in lifted


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Victor Stahl enters a growing field that includes Priya Raman.", "declared"),
        ("Other candidates who have entered the race include Priya Raman.", "declared"),
        (
            "Stahl had two contenders for the chair, which drew lobbying, among them Priya Raman.",
            "declared",
        ),
        # the press weighing chances, or 'rivals' (said of people only floated): mentions
        ("Stahl faces rivals from the northern wards, including Priya Raman.", "mentioned"),
        ("Possible candidates, it is said, include Priya Raman.", "mentioned"),
        ("The list of potential successors includes Priya Raman.", "mentioned"),
    ],
)
def test_the_field_named_before_the_list_declares_it(mode: str, text: str, want: str) -> None:
    assert statuses(mode, text).get("raman") == want


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    "text",
    [
        "Priya Raman has beaten Owen Blake by a single vote to become Opposition Leader.",
        "Priya Raman beat Owen Blake to become the opposition leader.",
        "Owen Blake won the final vote against Victor Stahl by three votes to two.",
    ],
)
def test_the_parliamentary_opposition_and_a_contest_won_are_no_objection(
    mode: str, text: str
) -> None:
    assert not any(s == "oppose" for _, _, s in stance_triples(RACE, mode, text, DAY))


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    "text",
    [
        "Owen Blake voiced his opposition to Victor Stahl.",
        "Owen Blake voted against Victor Stahl.",
    ],
)
def test_an_objection_and_a_vote_against_still_oppose(mode: str, text: str) -> None:
    assert ("OB", "stahl", "oppose") in stance_triples(RACE, mode, text, DAY)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("text", "want"),
    [
        # the member's bid is its national's: the race's one candidate from Ghana
        ("France was asked to back Ghana's bid for the post of Director-General.", "kwakwa"),
        ("Ghana's bid for the post gathered support in Africa.", "kwakwa"),
    ],
)
def test_a_members_bid_is_its_nominee(mode: str, text: str, want: str) -> None:
    from kingmaker.races import load_bundled

    race = load_bundled("wipo-dg-2020")
    assert ("GHA", want, "support") in stance_triples(race, mode, text, "2020-01-10")


@pytest.mark.parametrize("mode", MODES)
def test_a_bid_withdrawn_or_to_join_something_else_backs_no_one(mode: str) -> None:
    from kingmaker.races import load_bundled

    race = load_bundled("wipo-dg-2020")
    for text in ("Ghana withdrew its bid for the post.", "Ghana's bid to join the council failed."):
        assert not any(
            m == "GHA" and s == "support"
            for m, _, s in stance_triples(race, mode, text, "2020-01-10")
        )


@pytest.mark.parametrize("mode", MODES)
def test_in_opposition_to_someone_is_an_objection(mode: str) -> None:
    text = "Owen Blake is in opposition to Victor Stahl."
    assert ("OB", "stahl", "oppose") in stance_triples(RACE, mode, text, DAY)
