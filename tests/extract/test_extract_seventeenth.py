"""The seventeenth round of extraction rules: support taken back ('withdrew his support
for X') is a neutral stance, not support, where the verb governs the support noun; the
names after 'include' or 'among them' are the race's field where a candidate noun (not
'rivals') or 'field' stands earlier in the sentence, beyond the clause ('a growing field
that includes X'); the parliamentary opposition ('Opposition Leader', 'opposition MPs') is
no objection; and a vote won or lost against someone is a contest, not a vote cast. The
race is the fictional harbour board (members are people; candidates Raman and Stahl)."""

from __future__ import annotations

import pytest

from .conftest import MODES, extract_events, fictional_race, stance_triples

RACE = fictional_race()
DAY = "2031-03-10"


def statuses(mode: str, text: str) -> dict[str, str]:
    """Each candidate's candidacy status as the article reads it."""
    events = extract_events(RACE, mode, text, DAY)
    return {
        str(e.candidate): str(e.status)
        for e in events
        if e.kind == "candidacy" and e.confidence >= 0.5
    }


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
    "text",
    [
        "Victor Stahl enters a growing field that includes Priya Raman.",
        "Other candidates who have entered the race include Priya Raman.",
        "Stahl had two contenders for the chair, which drew lobbying, among them Priya Raman.",
    ],
)
def test_the_field_named_before_the_list_declares_it(mode: str, text: str) -> None:
    assert statuses(mode, text).get("raman") == "declared"


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    "text",
    [
        "Stahl faces rivals from the northern wards, including Priya Raman.",
        "Possible candidates, it is said, include Priya Raman.",
        "The list of potential successors includes Priya Raman.",
    ],
)
def test_a_list_that_weighs_chances_only_names(mode: str, text: str) -> None:
    assert statuses(mode, text).get("raman") == "mentioned"


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
