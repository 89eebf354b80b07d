"""A body of states whose race file names them only: the news's other names still reach them."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest

from kingmaker.extract.extractor import Extractor
from kingmaker.extract.statenames import state_names
from kingmaker.records import Article, Race

STATES = ["Turkey", "France", "Germany", "United States", "United Kingdom", "Netherlands"]


def bare_race(
    names: list[str] = STATES,
    candidates: tuple[str, ...] = ("Amara Okoro", "Per Lind"),
    bodies: int = 1,
) -> Race:
    """A consensus race whose members are given by name alone, as a hurried user writes."""
    body: list[dict[str, Any]] = [
        {
            "id": f"b{k}",
            "name": f"Council {k}",
            "members": [{"id": f"m{k}{i}", "name": n} for i, n in enumerate(names)],
        }
        for k in range(bodies)
    ]
    return Race.model_validate(
        {
            "id": "bare",
            "name": "Bare race",
            "opened": "2019-01-01",
            "post": {"name": "Director-General of the Agency"},
            "rule": {"kind": "consensus", "body": "b0"},
            "bodies": body,
            "candidates": [{"id": c.split()[-1].lower(), "name": c} for c in candidates],
        }
    )


def stances(race: Race, text: str) -> set[tuple[str | None, str | None, str | None]]:
    a = Article(
        id=hashlib.sha256(text.encode()).hexdigest(),
        text=text,
        date=dt.date(2020, 1, 1),
        url="https://example.org/a",
    )
    ex = Extractor(race, mode="fallback")
    return {(e.member, e.candidate, e.stance) for e in ex.extract(a) if e.kind == "stance"}


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("The Dutch government backs Lind.", {("m05", "lind", "support")}),
        (
            "Berlin and Paris threw their weight behind Okoro.",
            {("m02", "okoro", "support"), ("m01", "okoro", "support")},
        ),
        (
            "The US and the UK oppose Lind.",
            {("m03", "lind", "oppose"), ("m04", "lind", "oppose")},
        ),
        ("Ankara objects to Okoro.", {("m00", "okoro", "oppose")}),
    ],
)
def test_demonyms_capitals_and_short_forms_reach_the_state(
    text: str, want: set[tuple[str, str, str]]
) -> None:
    assert stances(bare_race(), text) == want


def test_without_the_list_the_same_sentence_names_no_one(monkeypatch: pytest.MonkeyPatch) -> None:
    import kingmaker.extract.statenames as sn

    monkeypatch.setattr(sn, "state_names", lambda race: {})
    assert stances(bare_race(), "The Dutch government backs Lind.") == set()


def test_a_name_the_race_gives_a_person_stays_the_persons() -> None:
    race = bare_race(candidates=("Amara Washington", "Per Lind"))
    names = state_names(race)
    assert "American" in names["m03"]
    assert "Washington" not in names["m03"]


def test_one_member_called_like_a_state_is_no_body_of_states() -> None:
    race = bare_race(names=["Jordan", "Ann Smith", "Bo Jones"])
    assert state_names(race) == {}


def test_a_state_seated_in_two_bodies_is_named_once_as_the_race_names_it() -> None:
    names = state_names(bare_race(bodies=2))
    assert set(names) == {f"m1{i}" for i in range(len(STATES))}
    assert "Dutch" in names["m15"]
    assert stances(bare_race(bodies=2), "The Dutch government backs Lind.") == {
        ("m15", "lind", "support")
    }
