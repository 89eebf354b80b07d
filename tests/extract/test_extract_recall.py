"""Recall principles on the invented Northern Council race: agreeing on a candidate,
members listed with their leaders' titles, and an unnamed group of negotiators whose
members a nearby sentence lists. Every sentence here is invented."""

from __future__ import annotations

from typing import Literal

import pytest

from kingmaker.extract import Extractor
from kingmaker.records import Race

from .conftest import MODES, article, require_mode
from .test_extract_principles import keys, read


@pytest.mark.parametrize("mode", MODES)
def test_agreeing_on_a_candidate_is_backing_unless_the_agreement_is_against_them(
    mode: str,
) -> None:
    got = keys(read(mode, "Borea and Calvia agreed on Okoro after a long night."))
    assert {
        ("stance", "BOR", "okoro", "support", False),
        ("stance", "CAL", "okoro", "support", False),
    } <= got
    against = keys(read(mode, "Dravia and Esteria agreed that Lund should withdraw."))
    assert not [k for k in against if k[0] == "stance" and k[2] == "lund"]


@pytest.mark.parametrize("mode", MODES)
def test_members_listed_by_their_leaders_title_and_name(mode: str) -> None:
    got = keys(
        read(
            mode,
            "Lund was agreed by Ardania's PM Hugo Brandt (a liberal) and Borea's president.",
        )
    )
    assert {
        ("stance", "ARD", "lund", "support", False),
        ("stance", "BOR", "lund", "support", False),
    } <= got


@pytest.mark.parametrize("mode", MODES)
def test_an_unnamed_group_takes_its_members_from_a_nearby_list(mode: str) -> None:
    text = (
        "The four ministers who led the talks have agreed that Mira Lund should get the post. "
        "The four ministers are Ardania's Hugo Brandt, the Borean foreign minister, "
        "Calvia's envoy on behalf of the Fennish and the Dravian minister."
    )
    got = keys(read(mode, text))
    assert {("stance", m, "lund", "support", False) for m in ("ARD", "BOR", "CAL", "DRA")} <= got
    assert ("stance", "FEN", "lund", "support", False) not in got, "spoken for, not listed"
    other = keys(
        read(
            mode,
            "The six leaders agreed on Okoro. Later that week the three ministers were "
            "Borea's, Calvia's and Dravia's.",
        )
    )
    assert not [k for k in other if k[0] == "stance"], "six is not three"


@pytest.mark.parametrize("mode", MODES)
def test_the_candidates_named_as_a_set_are_the_one_the_sentence_is_about(mode: str) -> None:
    got = keys(
        read(
            mode,
            "Mira Lund leads the field. Esteria voted against the nominees. "
            "Fennmark ended up backing the trio.",
        )
    )
    assert ("stance", "EST", "lund", "oppose", False) in got
    assert ("stance", "FEN", "lund", "support", False) in got
    plan = keys(read(mode, "Mira Lund leads the field. Esteria backs the plan."))
    assert not [k for k in plan if k[0] == "stance"], "an object that is no candidate"


@pytest.mark.parametrize("mode", MODES)
def test_names_inside_longer_names_and_nouns_naming_their_holder_hold_nothing(
    mode: str,
) -> None:
    got = keys(
        read(
            mode,
            "The Upper Calvian Assembly backs Okoro. "
            "A Kestrel-based newspaper praised Lund. "
            "A vote for Sorin means more of the same, Esteria's envoy said. "
            "The Dravian diplomat had already won the backing of the Harbour Forum.",
        )
    )
    assert not [k for k in got if k[0] == "stance"], got
    backed = keys(
        read(mode, "Okoro leads. Backed by Fennmark, the Borean won 60% of the delegates.")
    )
    assert {k for k in backed if k[0] == "stance"} == {
        ("stance", "FEN", "okoro", "support", False)
    }, "'the Borean' is a person, not a second backer"


@pytest.mark.parametrize("mode", MODES)
def test_a_leader_as_the_object_is_someone_else_not_a_holder(mode: str) -> None:
    got = keys(
        read(
            mode,
            "Okoro leads. Borea abstained on Hugo Brandt. "
            "Calvia voted against both Sorin and Hugo Brandt and abstained on Lund.",
        )
    )
    stances = {k for k in got if k[0] == "stance"}
    assert ("stance", "CAL", "lund", "neutral", False) in stances
    assert not [k for k in stances if k[1] == "ARD" or (k[1] == "BOR" and k[3] == "neutral")]


def stances(mode: str, text: str) -> set[tuple[object, ...]]:
    """The stance keys above the bar."""
    return {k for k in keys(read(mode, text)) if k[0] == "stance"}


@pytest.mark.parametrize("mode", MODES)
def test_a_candidate_relying_on_members_is_backed_by_them_a_majority_counts(mode: str) -> None:
    got = stances(
        mode,
        "Lund is relying on the votes of the northern coalition (Borea, Calvia) and possibly "
        "those of Dravia. Okoro was backed by a majority of Esteria's delegates.",
    )
    assert {
        ("stance", "BOR", "lund", "support", False),
        ("stance", "CAL", "lund", "support", False),
        ("stance", "EST", "okoro", "support", False),
    } <= got
    assert ("stance", "DRA", "lund", "support", False) not in got, "a hedged hope"


@pytest.mark.parametrize("mode", MODES)
def test_an_unnamed_possessive_nominee_is_the_one_candidate_from_there(mode: str) -> None:
    got = stances(mode, "Its envoy urged the council to vote for Calvia's candidate.")
    assert ("stance", "CAL", "lund", "support", False) in got
    gone = stances(mode, "The field narrowed with the withdrawal of Dravia's candidate.")
    assert not gone, "a nominee being withdrawn is not backed"


@pytest.mark.parametrize("mode", MODES)
def test_lists_cut_by_semicolons_and_lists_of_supporters(mode: str) -> None:
    got = stances(
        mode,
        "Okoro is backed by Borea; Calvia; and Dravia. "
        "Supporters of Lund include Esteria and Fennmark. Ardania is against Sorin.",
    )
    assert {
        ("stance", "BOR", "okoro", "support", False),
        ("stance", "CAL", "okoro", "support", False),
        ("stance", "DRA", "okoro", "support", False),
        ("stance", "EST", "lund", "support", False),
        ("stance", "FEN", "lund", "support", False),
        ("stance", "ARD", "sorin", "oppose", False),
    } <= got
    later = stances(mode, "Borea and Calvia endorsed Lund on Monday; Dravia followed on Tuesday.")
    assert ("stance", "DRA", "lund", "support", False) not in later, "a clause, not a list item"


def _assembly() -> Race:
    """An invented parliament of three groups electing its speaker."""
    groups = [
        ("SD", "Social Democrats and Reformers group", ["S&R"]),
        ("GREENS", "Greens/Blue Alliance group", []),
        ("CORE", "CORE group", ["Centrist Coalition"]),
    ]
    return Race.model_validate(
        {
            "id": "assembly-speaker-2033",
            "name": "Assembly speaker 2033",
            "opened": "2033-01-01",
            "post": {"name": "Speaker of the Assembly", "aliases": ["speaker"]},
            "bodies": [
                {
                    "id": "assembly",
                    "name": "Assembly",
                    "members": [{"id": i, "name": n, "aliases": a} for i, n, a in groups],
                }
            ],
            "rule": {"kind": "majority"},
            "candidates": [{"id": "arden", "name": "Lea Arden", "attributes": {}}],
        }
    )


@pytest.mark.parametrize("mode", MODES)
def test_parliamentary_groups_by_their_short_names(mode: str) -> None:
    require_mode(mode)
    which: Literal["model", "fallback"] = "model" if mode == "model" else "fallback"
    x = Extractor(_assembly(), mode=which)
    text = "The Greens and CORE back Lea Arden, while the Social Democrats oppose her."
    got = {e.key() for e in x.extract(article(text, "2033-02-01")) if e.kind == "stance"}
    assert {
        ("stance", "GREENS", "arden", "support", False),
        ("stance", "CORE", "arden", "support", False),
    } <= got
    assert not [k for k in got if k[1] == "SD"], "'Social' is an adjective, not the group"


@pytest.mark.parametrize("mode", MODES)
def test_a_stance_whose_clause_ends_in_a_colon_is_about_the_name_after_it(mode: str) -> None:
    got = stances(mode, "Dravia has also submitted a candidacy for the post: Pavel Sorin.")
    assert ("stance", "DRA", "sorin", "support", False) in got


@pytest.mark.parametrize("mode", MODES)
def test_pushing_lobbying_or_opting_for_a_candidate_is_backing(mode: str) -> None:
    got = stances(mode, "Borea pushed for Okoro. Calvia opted for Lund. Dravia sided with Sorin.")
    assert {
        ("stance", "BOR", "okoro", "support", False),
        ("stance", "CAL", "lund", "support", False),
        ("stance", "DRA", "sorin", "support", False),
    } <= got
    assert not stances(mode, "Esteria pushed for a vote on Friday."), "no candidate, no stance"


@pytest.mark.parametrize("mode", MODES)
def test_holding_out_the_nod_and_withheld_support(mode: str) -> None:
    got = stances(mode, "Esteria is holding out against Okoro. Lund got the nod from Borea.")
    assert {
        ("stance", "EST", "okoro", "oppose", False),
        ("stance", "BOR", "lund", "support", False),
    } <= got
    withheld = stances(mode, "Fennmark has withheld its support for Sorin.")
    assert ("stance", "FEN", "sorin", "support", False) not in withheld


@pytest.mark.parametrize("mode", MODES)
def test_an_ordinal_is_no_numeric_subject(mode: str) -> None:
    got = stances(mode, "Borea was the first to endorse Lund. 29 members back Okoro.")
    assert ("stance", "BOR", "lund", "support", False) in got
    assert not [k for k in got if k[2] == "okoro"], "an anonymous count is no member's stance"


@pytest.mark.parametrize("mode", MODES)
def test_voting_against_without_an_object_and_a_new_clause(mode: str) -> None:
    got = stances(
        mode, "The council agreed on Okoro, with Esteria voting against and Brandt abstaining."
    )
    assert {
        ("stance", "EST", "okoro", "oppose", False),
        ("stance", "ARD", "okoro", "neutral", False),
    } <= got
    assert ("stance", "EST", "okoro", "neutral", False) not in got


@pytest.mark.parametrize("mode", MODES)
def test_neither_nor_and_adverbs_inside_a_list(mode: str) -> None:
    assert not stances(mode, "Neither Borea nor Calvia backs Okoro.")
    got = stances(mode, "Lund has been endorsed by Borea, Calvia and, most recently, Dravia.")
    assert {("stance", m, "lund", "support", False) for m in ("BOR", "CAL", "DRA")} <= got


@pytest.mark.parametrize("mode", MODES)
def test_a_denied_report_is_no_stance(mode: str) -> None:
    assert not stances(mode, "Borea denied reports that it backs Okoro.")
    assert ("stance", "BOR", "okoro", "support", False) in stances(mode, "Borea backs Okoro.")


@pytest.mark.parametrize("mode", MODES)
def test_joining_or_refusing_the_consensus_on_a_candidate(mode: str) -> None:
    got = stances(
        mode,
        "Esteria refused to join the consensus on Okoro. Fennmark joined the consensus on Lund.",
    )
    assert {
        ("stance", "EST", "okoro", "oppose", False),
        ("stance", "FEN", "lund", "support", False),
    } <= got


@pytest.mark.parametrize("mode", MODES)
def test_members_named_by_a_title_after_their_possessive_and_a_group_defined_after(
    mode: str,
) -> None:
    got = stances(mode, "Borea's envoy and Calvia's premier back Okoro.")
    assert {("stance", m, "okoro", "support", False) for m in ("BOR", "CAL")} <= got
    later = stances(
        mode,
        "The three negotiators agreed on Lund. "
        "They were Borea's envoy, Calvia's premier and Dravia's minister.",
    )
    assert {("stance", m, "lund", "support", False) for m in ("BOR", "CAL", "DRA")} <= later
