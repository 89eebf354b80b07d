"""Sixth-round principles on the invented Northern Council race: congratulating a
candidate is backing them (and says nothing of a bid). Every sentence is invented."""

from __future__ import annotations

import pytest

from .conftest import MODES
from .test_extract_principles import keys, read


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
