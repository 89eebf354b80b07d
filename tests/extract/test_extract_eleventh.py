"""Eleventh-round principles on the invented Northern Council race: declaring for a candidate
('Borea and Calvia have declared for Okoro', 'Dravia has come out strongly for Lund') is
backing them; a member that is (remains) a supporter or an opponent of a candidate holds
that stance; a member's possessive before 'favourite' names the candidate it prefers
('Okoro, Borea's favourite'); what the candidates want ('Four candidates want the job: ...')
is no hedge on the list that names them; a party or a region may stand between a member's
possessive and the title of the person backed ("Calvia's Green Liberal Prime Minister, Mira
Lund"); asking a summit to back a candidate is backing them. Every sentence and name is
invented."""

from __future__ import annotations

import pytest

from .conftest import MODES
from .test_extract_principles import declared, held


@pytest.mark.parametrize("mode", MODES)
def test_declaring_or_coming_out_for_a_candidate_is_backing(mode: str) -> None:
    assert held(mode, "Borea, Calvia and Dravia have declared for Okoro's candidacy.") == {
        ("BOR", "okoro", "support"),
        ("CAL", "okoro", "support"),
        ("DRA", "okoro", "support"),
    }
    assert held(mode, "Among the smaller states only Esteria has come out for Lund.") == {
        ("EST", "lund", "support")
    }
    assert held(mode, "Fennmark has come out strongly for the former minister Mira Lund.") == {
        ("FEN", "lund", "support")
    }


@pytest.mark.parametrize("mode", MODES)
def test_coming_out_or_declaring_for_no_candidate_backs_nobody(mode: str) -> None:
    assert held(mode, "Borea came out for a vote in March, and Lund spoke.") == set()
    assert held(mode, "Lund declared for the post on Monday.") == set()


@pytest.mark.parametrize("mode", MODES)
def test_a_member_that_is_a_supporter_or_opponent_holds_that_stance(mode: str) -> None:
    text = "Esteria remains the staunchest supporter of Okoro in the council."
    assert held(mode, text) == {("EST", "okoro", "support")}
    text = "Calvia and Dravia are firm opponents of Sorin."
    assert held(mode, text) == {("CAL", "sorin", "oppose"), ("DRA", "sorin", "oppose")}
    # the candidate as subject, a member as the object: no stance
    assert held(mode, "Okoro is a longtime supporter of Borea's fishing policy.") == set()


@pytest.mark.parametrize("mode", MODES)
def test_a_members_favourite_is_the_candidate_it_prefers(mode: str) -> None:
    text = "Former minister Mira Lund, Esteria's favourite, won seven votes."
    assert held(mode, text) == {("EST", "lund", "support")}
    text = "Fennmark's favorite for the post is its former minister, Pavel Sorin."
    assert held(mode, text) == {("FEN", "sorin", "support")}


@pytest.mark.parametrize("mode", MODES)
def test_what_the_candidates_want_is_no_hedge_on_their_list(mode: str) -> None:
    text = "Three candidates want the job: Tomas Okoro, Mira Lund and Pavel Sorin."
    assert declared(mode, text) == {"okoro", "lund", "sorin"}
    # a weighing word before the noun still weighs the list
    text = "Three possible candidates want the job: Tomas Okoro, Mira Lund and Pavel Sorin."
    assert declared(mode, text) == set()


@pytest.mark.parametrize("mode", MODES)
def test_a_party_or_region_may_stand_before_the_title_of_the_object(mode: str) -> None:
    text = "Esteria is supporting Calvia's Green Liberal Prime Minister, Mira Lund, for the post."
    assert held(mode, text) == {("EST", "lund", "support")}
    # a member's party, no person: no candidate is backed
    assert held(mode, "Esteria is supporting Calvia's Green Liberals.") == set()


@pytest.mark.parametrize("mode", MODES)
def test_asking_a_summit_to_back_a_candidate_is_backing_them(mode: str) -> None:
    text = "Fennmark asked the summit to support Mira Lund for the post."
    assert held(mode, text) == {("FEN", "lund", "support")}
