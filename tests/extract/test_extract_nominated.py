"""Fourth-round recall and precision principles on the invented Northern Council race: a
nomination by the candidates' own governments, a list of nominated candidates with their
states in parentheses, an agent repeated after 'and', members named as examples of a group
or in an aside, a support won in a clause after a sought term, promoting or pushing a
candidacy, the votes of members, members set against each other, a nominee who withdraws,
rivals backed by a member, pressing others to drop a candidate, and backers described by an
unknown name, a compound modifier or a group in apposition. Every sentence is invented."""

from __future__ import annotations

import pytest

from .conftest import MODES
from .test_extract_principles import keys, read
from .test_extract_recall import stances


@pytest.mark.parametrize("mode", MODES)
def test_a_nomination_by_their_own_government_is_the_home_members_support(mode: str) -> None:
    got = stances(
        mode,
        "The three candidates, each nominated by his/her government, are: "
        "Tomas Okoro, Mira Lund and Pavel Sorin.",
    )
    assert {
        ("stance", "BOR", "okoro", "support", False),
        ("stance", "CAL", "lund", "support", False),
        ("stance", "DRA", "sorin", "support", False),
    } <= got
    one = stances(mode, "Mira Lund was nominated by the government last week.")
    assert one == {("stance", "CAL", "lund", "support", False)}
    # a nomination denied, or one by a body that is no government, gives nobody
    assert not stances(mode, "Mira Lund was not nominated by her government.")
    assert not stances(mode, "Mira Lund was nominated by the council's board.")


@pytest.mark.parametrize("mode", MODES)
def test_a_list_of_nominated_candidates_gives_the_state_in_parentheses(mode: str) -> None:
    lines = (
        "The council published the list of nominations.\n\n"
        "The nominated candidates, in alphabetical order, are:\n\n"
        "Mira Lund (Calvia)\n\nTomas Okoro (Esteria)\n\n"
        "Interviews follow in May."
    )
    got = stances(mode, lines)
    assert {
        ("stance", "CAL", "lund", "support", False),
        ("stance", "EST", "okoro", "support", False),
    } <= got
    # the same layout under a heading that does not say nominated: declared, no stance
    plain = lines.replace("The nominated candidates", "The candidates")
    assert not stances(mode, plain)
    inline = stances(
        mode, "The nominated candidates are Mira Lund (Calvia) and Pavel Sorin (Dravia)."
    )
    assert {
        ("stance", "CAL", "lund", "support", False),
        ("stance", "DRA", "sorin", "support", False),
    } <= inline
    assert not stances(mode, "The candidates are Mira Lund (Calvia) and Pavel Sorin (Dravia).")


@pytest.mark.parametrize("mode", MODES)
def test_an_agent_repeated_after_and_goes_on_the_list(mode: str) -> None:
    got = stances(mode, "Mira Lund's candidacy was backed by Borea and by Dravia.")
    assert {
        ("stance", "BOR", "lund", "support", False),
        ("stance", "DRA", "lund", "support", False),
    } <= got


def test_members_given_as_examples_of_a_group_hold_with_the_first() -> None:
    # positional holders (fallback, and the model's backup); the parse keeps its subject
    mode = "fallback"
    got = stances(
        mode, "Esteria and other Coastal states such as Borea and Dravia have endorsed Lund."
    )
    assert {("stance", m, "lund", "support", False) for m in ("EST", "BOR", "DRA")} <= got


@pytest.mark.parametrize("mode", MODES)
def test_support_won_after_a_sought_term_is_support(mode: str) -> None:
    got = stances(
        mode,
        "Tomas Okoro said he would seek a second term after winning the endorsement of "
        "Calvia and Esteria.",
    )
    assert {
        ("stance", "CAL", "okoro", "support", False),
        ("stance", "EST", "okoro", "support", False),
    } <= got
    sought = stances(mode, "Tomas Okoro will seek the endorsement of Calvia and Esteria.")
    assert not sought


@pytest.mark.parametrize("mode", MODES)
def test_promoting_a_candidacy_is_backing_promoting_a_cause_is_not(mode: str) -> None:
    got = stances(mode, "Mira Lund's bid, proposed by Borea and promoted by Dravia, advanced.")
    assert {
        ("stance", "BOR", "lund", "support", False),
        ("stance", "DRA", "lund", "support", False),
    } <= got
    assert ("stance", "EST", "okoro", "support", False) in stances(
        mode, "Esteria has actively promoted Okoro's candidacy in every capital."
    )
    assert not stances(mode, "Tomas Okoro said Esteria promotes human rights across the region.")


@pytest.mark.parametrize("mode", MODES)
def test_a_nominee_phrase_whose_nominee_withdraws_is_no_backing(mode: str) -> None:
    gone = stances(
        mode,
        "Tomas Okoro, Borea's candidate for the post of secretary general of the Northern "
        "Council, has pulled out.",
    )
    assert ("stance", "BOR", "okoro", "support", False) not in gone
    kept = ("stance", "BOR", "okoro", "support", False)
    assert kept in stances(mode, "Borea's candidate, Tomas Okoro, will not withdraw.")
    assert kept in stances(mode, "Borea's candidate, Tomas Okoro, welcomed it after Lund withdrew.")


@pytest.mark.parametrize("mode", MODES)
def test_rivals_backed_by_a_member_are_not_the_winner(mode: str) -> None:
    got = stances(mode, "Tomas Okoro was elected on Sunday, beating two rivals backed by Calvia.")
    assert ("stance", "CAL", "okoro", "support", False) not in got
    kept = stances(mode, "Mira Lund, the candidate backed by Calvia, was elected on Sunday.")
    assert ("stance", "CAL", "lund", "support", False) in kept


@pytest.mark.parametrize("mode", MODES)
def test_an_unknown_name_describing_the_backers_is_skipped(mode: str) -> None:
    got = stances(
        mode, "Okoro has won the support of Polar Forum (PF) heavyweights Borea and Dravia."
    )
    assert {
        ("stance", "BOR", "okoro", "support", False),
        ("stance", "DRA", "okoro", "support", False),
    } <= got
    assert not stances(mode, "Okoro has won the support of the Polar Forum.")


@pytest.mark.parametrize("mode", MODES)
def test_a_compound_modifier_before_a_backer_is_skipped(mode: str) -> None:
    got = stances(mode, "Tomas Okoro was also backed by oil-rich Dravia and by Calvia.")
    assert {
        ("stance", "DRA", "okoro", "support", False),
        ("stance", "CAL", "okoro", "support", False),
    } <= got


@pytest.mark.parametrize("mode", MODES)
def test_a_nomination_whose_nominee_then_withdrew_is_over(mode: str) -> None:
    over = stances(mode, "Calvia had first nominated Mira Lund, but she withdrew her candidacy.")
    assert ("stance", "CAL", "lund", "support", False) not in over
    kept = stances(mode, "Calvia nominated Mira Lund after Tomas Okoro withdrew.")
    assert ("stance", "CAL", "lund", "support", False) in kept


@pytest.mark.parametrize("mode", MODES)
def test_a_verb_followed_by_an_adverbial_from_has_no_other_object(mode: str) -> None:
    got = stances(
        mode,
        "Mira Lund was elected on Friday. Her candidacy, which Dravia backed from the start, "
        "won easily.",
    )
    assert ("stance", "DRA", "lund", "support", False) in got


@pytest.mark.parametrize("mode", MODES)
def test_pushing_a_bid_is_backing_being_pushed_by_events_is_not(mode: str) -> None:
    got = stances(mode, "Mira Lund, whose bid was pushed by Borea and Calvia, thanked them.")
    assert {
        ("stance", "BOR", "lund", "support", False),
        ("stance", "CAL", "lund", "support", False),
    } <= got
    assert ("stance", "DRA", "okoro", "support", False) in stances(
        mode, "Dravia pushed Okoro's candidacy hard in the last weeks."
    )
    assert not stances(mode, "Dravia pushed the vote to March, Okoro said.")


@pytest.mark.parametrize("mode", MODES)
def test_a_members_contender_or_hopeful_is_its_nominee(mode: str) -> None:
    got = stances(mode, "Borea's NC hopeful Tomas Okoro met Calvia's contender, Mira Lund.")
    assert {
        ("stance", "BOR", "okoro", "support", False),
        ("stance", "CAL", "lund", "support", False),
    } <= got


@pytest.mark.parametrize("mode", MODES)
def test_the_votes_of_members_are_their_support(mode: str) -> None:
    got = stances(mode, "Okoro got four votes, among them those of Borea and Calvia, on Friday.")
    assert {
        ("stance", "BOR", "okoro", "support", False),
        ("stance", "CAL", "okoro", "support", False),
    } <= got
    assert ("stance", "DRA", "lund", "support", False) in stances(
        mode, "Mira Lund was re-elected with the votes of Dravia."
    )
    assert not stances(mode, "Mira Lund needs the votes of Dravia.")
    listed = stances(mode, "The others were Mira Lund (two votes) and Pavel Sorin of Dravia.")
    assert ("stance", "DRA", "lund", "support", False) not in listed


@pytest.mark.parametrize("mode", MODES)
def test_a_listed_name_spelt_with_an_accent_is_one_candidate(mode: str) -> None:
    text = "The nominated candidates are:\n\nTomás Okoro (Borea)\n\nMira Lund (Calvia"
    got = keys(read(mode, text))
    assert {
        ("candidacy", "okoro", "declared"),
        ("stance", "BOR", "okoro", "support", False),
        ("stance", "CAL", "lund", "support", False),
    } <= got


@pytest.mark.parametrize("mode", MODES)
def test_pressing_others_to_drop_a_candidate_is_opposing_them(mode: str) -> None:
    got = stances(mode, "Esteria has pressed some states to stop supporting Okoro.")
    assert ("stance", "EST", "okoro", "oppose", False) in got
    given_up = stances(mode, "Borea pressured the others to give up their support for Lund.")
    assert ("stance", "BOR", "lund", "oppose", False) in given_up
    assert ("stance", "BOR", "lund", "support", False) not in given_up
    asked = stances(mode, "Calvia asked Pavel Sorin to withdraw his candidacy.")
    assert ("stance", "CAL", "sorin", "oppose", False) in asked
    assert not stances(mode, "Calvia asked Pavel Sorin about the budget.")


@pytest.mark.parametrize("mode", MODES)
def test_members_set_against_each_other_back_their_own_nationals(mode: str) -> None:
    both = {
        ("stance", "BOR", "okoro", "support", False),
        ("stance", "CAL", "lund", "support", False),
    }
    assert both <= stances(mode, "Borea is up against Calvia for the post of secretary general.")
    assert both <= stances(mode, "Borea and Calvia face off on Thursday for the council's top job.")
    assert not stances(mode, "Borea's Tomas Okoro is up against Mira Lund of Calvia.")


@pytest.mark.parametrize("mode", MODES)
def test_backers_in_apposition_to_a_described_group_close_the_clause(mode: str) -> None:
    got = stances(
        mode, "Lund won, with the support of two key states of the north, Borea and Calvia."
    )
    assert {
        ("stance", "BOR", "lund", "support", False),
        ("stance", "CAL", "lund", "support", False),
    } <= got
    said = stances(mode, "Lund won the support of most states in the region, Borea said.")
    assert ("stance", "BOR", "lund", "support", False) not in said


@pytest.mark.parametrize("mode", MODES)
def test_members_named_in_an_aside_of_examples_and_a_long_described_object(mode: str) -> None:
    got = stances(
        mode,
        "Ten states - Borea among them - backed the former Calvian foreign minister and former "
        "chair of the Polar Forum, Mira Lund.",
    )
    assert ("stance", "BOR", "lund", "support", False) in got
    assert not stances(mode, "Ten states - a record - backed Mira Lund on Friday.")
