"""Twelfth-round principles on the invented Northern Council race (extract/contests.py):
people on both sides of a contest verb run ('Okoro faces Lund'); whoever placed in a vote,
or fell short in it, stood ('Lund came second', 'neither Okoro nor Lund won the
majority'); a race narrowed to some names has them as its candidates ('the race is down
to Okoro and Lund'). A hedged or negated contest, a rival only in prospect ('faces
competition from'), and an ordinal that is no place in a vote ('was first named') read
nothing. A member that recommends someone for the post nominates them, and so backs them, as does
one that pushes someone as or for the post.
A candidate the article keeps naming (two sentences or more) with no status stated is
read, at low confidence, as running, and stored as a mention. Every sentence and name is
invented."""

from __future__ import annotations

import pytest

from kingmaker.extract import to_evidence
from kingmaker.extract.candidacy import NAMED
from kingmaker.records import CandidacyEvidence

from .conftest import MODES, article
from .test_extract_principles import RACE, declared, held, keys, read


def rules(mode: str, text: str) -> set[str]:
    """The rules behind the candidacies read from ``text``."""
    return {e.rule for e in read(mode, text) if e.kind == "candidacy"}


@pytest.mark.parametrize("mode", MODES)
def test_both_sides_of_a_contest_run(mode: str) -> None:
    assert declared(mode, "Okoro faces Calvia's Mira Lund and Pavel Sorin.") == {
        "okoro",
        "lund",
        "sorin",
    }
    assert declared(mode, "In the last round Lund narrowly beat Okoro.") == {"lund", "okoro"}
    assert declared(mode, "Sorin ran against Lund in the spring.") == {"sorin", "lund"}
    assert "candidacy.declared.contest" in rules(mode, "Lund faced Sorin on Monday.")


@pytest.mark.parametrize("mode", MODES)
def test_a_contest_in_prospect_or_denied_reads_no_candidacy(mode: str) -> None:
    assert "candidacy.declared.contest" not in rules(mode, "Okoro could face Lund in March.")
    assert "candidacy.declared.contest" not in rules(mode, "Okoro did not run against Lund.")
    text = "Okoro faces competition from Lund and Sorin."
    assert "candidacy.declared.contest" not in rules(mode, text)
    assert declared(mode, "Okoro faces questions from Borea about Lund.") == set()


@pytest.mark.parametrize("mode", MODES)
def test_a_place_in_a_vote_means_the_person_stood(mode: str) -> None:
    text = "Lund came second with 12 percent, and Sorin was third (9 percent)."
    assert {"lund", "sorin"} <= declared(mode, text)
    text = "The council broke up after neither Okoro nor Lund won the two-thirds majority."
    assert declared(mode, text) == {"okoro", "lund"}
    assert declared(mode, "Sorin topped the first ballot on Tuesday.") == {"sorin"}
    assert declared(mode, "Okoro won 14 votes.") == {"okoro"}
    assert declared(mode, "In the second round Lund ended up with 9 votes.") == {"lund"}
    assert declared(mode, "Mira Lund is one of nine candidates for the post.") == {"lund"}


@pytest.mark.parametrize("mode", MODES)
def test_an_ordinal_that_is_no_place_in_a_vote_reads_nothing(mode: str) -> None:
    assert "candidacy.declared.placed" not in rules(mode, "Lund was first named by Borea.")
    assert "candidacy.declared.placed" not in rules(mode, "Okoro won the first prize in 1990.")
    assert "candidacy.declared.placed" not in rules(mode, "Okoro could win 14 votes.")
    assert "candidacy.declared.placed" not in rules(mode, "Lund is one of the best diplomats.")
    assert "candidacy.declared.placed" not in rules(mode, "Okoro met Borea with 14 aides.")


@pytest.mark.parametrize("mode", MODES)
def test_a_race_narrowed_to_names_has_them_as_candidates(mode: str) -> None:
    text = "The race for the council's top job is down to Okoro, a former minister, and Lund."
    assert declared(mode, text) == {"okoro", "lund"}
    assert declared(mode, "A run-off between Sorin and Lund is set for Friday.") == {
        "sorin",
        "lund",
    }
    # talks between members, or one name only, narrow nothing
    assert keys(read(mode, "Talks between Borea and Calvia ended on Friday.")) == set()
    assert "candidacy.declared.narrowed" not in rules(mode, "The race is down to Okoro.")


@pytest.mark.parametrize("mode", MODES)
def test_recommending_someone_for_the_post_is_nominating_them(mode: str) -> None:
    assert held(mode, "Borea recommended Okoro for the post.") == {("BOR", "okoro", "support")}
    text = "Calvia and Dravia have recommended Mira Lund."
    assert held(mode, text) == {("CAL", "lund", "support"), ("DRA", "lund", "support")}
    # a panel that is no member recommends for no one
    assert held(mode, "The selection panel recommended Okoro.") == set()


@pytest.mark.parametrize("mode", MODES)
def test_a_candidate_the_article_keeps_naming_is_read_as_running(mode: str) -> None:
    text = "Okoro met the ministers of Borea on Monday. On Tuesday Okoro flew home."
    events = [e for e in read(mode, text) if e.kind == "candidacy"]
    assert [(e.candidate, e.status, e.rule, e.confidence) for e in events] == [
        ("okoro", "declared", NAMED, 0.55)
    ]
    # named once: no guess
    assert declared(mode, "Okoro met the ministers of Borea on Monday.") == set()


@pytest.mark.parametrize("mode", MODES)
def test_a_stated_status_or_a_denial_leaves_no_guess(mode: str) -> None:
    text = "Lund is considering a bid. On Tuesday Lund met the ministers of Borea."
    got = {(e.candidate, e.status, e.rule) for e in read(mode, text) if e.kind == "candidacy"}
    assert ("lund", "interested") in {(c, s) for c, s, _ in got}
    assert all(rule != NAMED for _, _, rule in got)
    text = "Okoro and Lund are not candidates. Okoro spoke on Monday, and Lund on Tuesday."
    assert NAMED not in rules(mode, text)


@pytest.mark.parametrize("mode", MODES)
def test_the_guess_is_stored_as_a_mention(mode: str) -> None:
    text = "Okoro met the ministers of Borea on Monday. On Tuesday Okoro flew home."
    a = article(text, "2032-02-10")
    (event,) = [e for e in read(mode, text) if e.rule == NAMED]
    item = to_evidence(event, a, RACE, threshold=0.5)
    assert isinstance(item, CandidacyEvidence)
    assert (item.candidate, item.status, item.confidence) == ("okoro", "mentioned", 0.55)


@pytest.mark.parametrize("mode", MODES)
def test_pushing_someone_as_or_for_the_post_is_backing_them(mode: str) -> None:
    text = "Borea keeps pushing Mira Lund as the council's next head."
    assert held(mode, text) == {("BOR", "lund", "support")}
    assert held(mode, "Calvia is pushing Okoro for the job.") == {("CAL", "okoro", "support")}
    # pushing someone to leave, or pushing back, is no backing
    assert held(mode, "Borea is pushing Okoro to withdraw.") == set()
    text = "Dravia pushed back against Lund as a candidate."
    assert ("DRA", "lund", "support") not in held(mode, text)
