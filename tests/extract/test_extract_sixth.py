"""Sixth-round principles on the invented Northern Council race: congratulating a
candidate is backing them (and says nothing of a bid); every inflection of verbs that
double their last consonant; a manner adverb or a 'with' phrase before 'for'; names
matched whatever their accents. Every sentence and name is invented."""

from __future__ import annotations

from typing import Literal

import pytest

from kingmaker.extract import Extractor
from kingmaker.records import Race

from .conftest import MODES, article, require_mode
from .test_extract_principles import keys, northern_council, read


@pytest.mark.parametrize("mode", MODES)
def test_congratulating_a_candidate_is_backing_but_implies_no_bid(mode: str) -> None:
    got = keys(read(mode, "Borea congratulated Mira Lund on being appointed on Monday."))
    assert ("stance", "BOR", "lund", "support", False) in got
    assert ("candidacy", "lund", "declared") not in got
    # backing without a congratulation still implies the bid
    assert ("candidacy", "lund", "declared") in keys(read(mode, "Borea backs Mira Lund."))


@pytest.mark.parametrize("mode", MODES)
def test_verbs_that_double_their_last_consonant_have_every_form(mode: str) -> None:
    got = keys(read(mode, "Mira Lund is the preferred candidate of Borea and Calvia."))
    assert {
        ("stance", "BOR", "lund", "support", False),
        ("stance", "CAL", "lund", "support", False),
    } <= got
    assert ("stance", "DRA", "okoro", "support", False) in keys(
        read(mode, "Dravia said it was preferring Tomas Okoro.")
    )


@pytest.mark.parametrize("mode", MODES)
def test_a_manner_adverb_or_a_with_phrase_between_the_verb_and_for(mode: str) -> None:
    assert ("stance", "BOR", "okoro", "support", False) in keys(
        read(mode, "Borea lobbied hard for Tomas Okoro.")
    )
    got = keys(read(mode, "Borea and Calvia campaigned with eight other states for Pavel Sorin."))
    assert {
        ("stance", "BOR", "sorin", "support", False),
        ("stance", "CAL", "sorin", "support", False),
    } <= got
    # 'for' that names no candidate, or a comma closing the phrase: no backing
    assert not {
        k for k in keys(read(mode, "Borea lobbied with Calvia for weeks.")) if k[0] == "stance"
    }


def _accented_council() -> Race:
    """The Northern Council with two leaders: one the race spells with accents, one
    without."""
    data = northern_council().model_dump(mode="json")
    members = data["bodies"][0]["members"]
    members[1]["leaders"] = [
        {"name": "Čedomir Vuković", "role": "Prime Minister", "start": "2030-01-01"}
    ]
    members[2]["leaders"] = [{"name": "Ana Kovac", "role": "President", "start": "2030-01-01"}]
    return Race.model_validate(data)


@pytest.mark.parametrize("mode", MODES)
def test_names_are_matched_whatever_their_accents(mode: str) -> None:
    require_mode(mode)
    which: Literal["model", "fallback"] = "model" if mode == "model" else "fallback"
    ex = Extractor(_accented_council(), mode=which)

    def got(text: str) -> set[tuple[object, ...]]:
        return {e.key() for e in ex.extract(article(text, "2032-02-10")) if e.kind == "stance"}

    # the race writes accents the text drops, and the other way round
    assert ("stance", "BOR", "okoro", "support", False) in got("Vukovic said he backs Okoro.")
    assert ("stance", "CAL", "lund", "support", False) in got("Kovač said she backs Mira Lund.")
    assert ("stance", "BOR", "lund", "oppose", False) in got("Cedomir Vukovic opposes Mira Lund.")
    # a word that only looks like a name once its accents go is not that name
    assert not got("Kovács said she backs Mira Lund.")
    # the incumbent (the race writes 'Greta Moss') leaving, spelt with an accent
    assert {k for k in keys(read(mode, "Gréta Moss resigned last week.")) if k[0] == "vacancy"}


@pytest.mark.parametrize("mode", MODES)
def test_members_given_as_examples_of_a_counted_group_hold_the_stance(mode: str) -> None:
    for text in (
        "Mira Lund won the backing of a dozen states, among them Borea and Calvia.",
        "Mira Lund is supported by a group of countries including Borea and Calvia.",
    ):
        got = keys(read(mode, text))
        assert {
            ("stance", "BOR", "lund", "support", False),
            ("stance", "CAL", "lund", "support", False),
        } <= got, text


@pytest.mark.parametrize("mode", MODES)
def test_a_serving_official_declaring_a_bid_is_the_members_nominee(mode: str) -> None:
    official = ("stance", "BOR", "okoro", "support", False)
    for text in (
        "The Borean ambassador to the Council, Tomas Okoro, declared his candidacy in May.",
        "Tomas Okoro, Borea's foreign minister, formally announced his bid on Monday.",
    ):
        assert official in keys(read(mode, text)), text
    for text in (
        "Tomas Okoro, Borea's former foreign minister, declared his candidacy.",
        "Since announcing his bid, Pavel Sorin met Borean President Tomas Okoro.",
        "Borean President Tomas Okoro met Pavel Sorin on Monday.",
    ):
        assert official not in keys(read(mode, text)), text


@pytest.mark.parametrize("mode", MODES)
def test_a_member_backs_the_candidate_its_possessive_pronoun_names(mode: str) -> None:
    got = keys(read(mode, "Borea and Calvia said their candidate, Tomas Okoro, was ready."))
    assert {
        ("stance", "BOR", "okoro", "support", False),
        ("stance", "CAL", "okoro", "support", False),
    } <= got
    assert ("stance", "BOR", "okoro", "support", False) not in keys(
        read(mode, "Borea withdrew its candidate, Tomas Okoro.")
    )


@pytest.mark.parametrize("mode", MODES)
def test_an_office_named_alone_is_the_member_whose_office_came_last(mode: str) -> None:
    text = (
        "Lund met Borea's agriculture minister, Anton Vilk. "
        "The minister reaffirmed his support for Okoro."
    )
    assert ("stance", "BOR", "okoro", "support", False) in keys(read(mode, text))
    for text in (
        "Borea's former minister met Lund. The minister backs Okoro.",
        "Lund met Borea's envoy. The minister backs Okoro.",
    ):
        assert ("stance", "BOR", "okoro", "support", False) not in keys(read(mode, text)), text
    got = keys(read(mode, "Lund met Borea's foreign minister. The minister of Calvia backs Okoro."))
    assert ("stance", "BOR", "okoro", "support", False) not in got
