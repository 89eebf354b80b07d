"""The records of kingmaker.records on their own: what each refuses and how, the reference
checks of a race, its evidence views, the parsers that refuse deep nesting, and the rule
that an edit changing nothing is known as such."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import tomllib
from typing import Any, get_args

import pytest
from pydantic import ValidationError

from conftest import candidacy, make_article, make_race, member, stance
from kingmaker.errors import RaceFileError
from kingmaker.records import (
    MAX_DEPTH,
    Article,
    Evidence,
    EvidenceBase,
    Leader,
    Member,
    Resolution,
    Source,
    TooDeepError,
    changes_nothing,
    iso_day,
    load_json,
    load_toml,
    too_deep,
)

D = dt.date.fromisoformat
KINDS: dict[str, type[EvidenceBase]] = {
    cls.model_fields["kind"].annotation.__args__[0]: cls  # type: ignore[union-attr]
    for cls in get_args(get_args(Evidence)[0])
}


def item(**fields: Any) -> Any:
    """An evidence item of the kind its fields name (source and producer filled in)."""
    data = {"date": "2024-01-10", "source": {"url": "https://example.org/x"}, "producer": "t"}
    return KINDS[fields["kind"]].model_validate({**data, **fields})


def refused(make: Any, *words: str) -> RaceFileError:
    """The error ``make()`` raises: a RaceFileError that is still a pydantic
    ValidationError, one line, naming ``words``."""
    with pytest.raises(RaceFileError) as info:
        make()
    exc = info.value
    assert isinstance(exc, ValidationError) and exc.status == 422
    text = str(exc)
    assert "\n" not in text
    for word in words:
        assert word in text, text
    return exc


# Parsing ----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["2024-03-01", " 2024-03-01 "])
def test_iso_day_reads_a_plain_day(text: str) -> None:
    assert iso_day(text) == dt.date(2024, 3, 1)


@pytest.mark.parametrize("text", ["2024-3-1", "2024-03-01T10:00", "2024-W09-5", "20240301", ""])
def test_iso_day_refuses_anything_but_yyyy_mm_dd(text: str) -> None:
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        iso_day(text)


def test_iso_day_refuses_an_impossible_day() -> None:
    with pytest.raises(ValueError):
        iso_day("2023-02-29")


def test_deep_json_and_toml_are_refused_not_a_recursion_error() -> None:
    for text in ("[" * 100_000 + "]" * 100_000, "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)):
        with pytest.raises(TooDeepError, match=f"deeper than {MAX_DEPTH}"):
            load_json(text)
    with pytest.raises(TooDeepError):
        load_toml("a = " + "[" * 5_000 + "]" * 5_000)
    assert load_json("[" * MAX_DEPTH + "]" * MAX_DEPTH) is not None  # at the limit is fine
    assert load_json('{"a": [1, {"b": 2}]}') == {"a": [1, {"b": 2}]}
    assert load_toml("a = [1, 2]\n[b]\nc = 3") == {"a": [1, 2], "b": {"c": 3}}
    with pytest.raises(json.JSONDecodeError):
        load_json("{")
    with pytest.raises(tomllib.TOMLDecodeError):
        load_toml("a = ")


def test_too_deep_counts_lists_and_dicts_alike() -> None:
    nested: Any = 1
    for n in range(10):
        nested = [nested] if n % 2 else {"k": nested}
    assert not too_deep(nested, limit=10)
    assert too_deep(nested, limit=9)
    assert not too_deep("a string is no nesting", limit=0)


# Records ----------------------------------------------------------------------------------


def test_records_are_frozen_strict_and_stripped() -> None:
    m = Member(id="AAA", name="  Member A  ")
    assert m.name == "Member A"
    with pytest.raises(ValidationError):
        m.name = "other"  # type: ignore[misc]
    refused(lambda: Member(id="AAA", name="A", colour="red"), "colour", "Extra inputs")
    refused(lambda: Member(id="A A", name="A"), "id")
    refused(lambda: Member(id="AAA", name="A", weight=0), "weight", "greater than 0")
    refused(lambda: Member(id="AAA", name="A", weight=float("nan")), "weight")


def test_member_dates_groups_and_leaders() -> None:
    m = Member(
        id="AAA",
        name="A",
        groups=("EU",),
        group_spells=[{"group": "EPP", "start": D("2024-02-01"), "end": D("2024-03-01")}],
        joined=D("2024-01-15"),
    )
    assert not m.active_on(D("2024-01-14")) and m.active_on(D("2024-01-15"))
    assert m.groups_on(D("2024-01-31")) == ("EU",)
    assert m.groups_on(D("2024-03-01")) == ("EU", "EPP")  # the spell's last day is in it
    assert m.all_groups == ("EU", "EPP")
    refused(lambda: Member(id="B", name="B", joined=D("2024-02-01"), left=D("2024-01-01")), "left")
    refused(
        lambda: Member(id="B", name="B", group_spells=[{"group": "G", "start": D("2024-02-01"),
                                                       "end": D("2024-01-01")}]),
        "group 'G'",
    )  # fmt: skip
    leader = Leader(name="Ann Example", start=D("2024-01-01"), end=D("2024-06-30"))
    assert leader.serving_on(D("2024-06-30")) and not leader.serving_on(D("2024-07-01"))


def test_a_source_needs_a_url_or_a_file() -> None:
    refused(lambda: Source(title="A headline"), "'url' or a 'file'")
    assert Source(file="notes.txt").label == "notes.txt"
    assert Source(url="https://example.org", file="notes.txt").label == "https://example.org"


def test_an_articles_source_is_its_url_or_its_id() -> None:
    text = "Ann leads."
    online = make_article(text, url="https://example.org/a", title="Ann")
    sha = online.id
    assert sha == hashlib.sha256(text.encode()).hexdigest()
    assert (online.source.url, online.source.file, online.source.content_hash) == (
        "https://example.org/a",
        None,
        sha,
    )
    assert Article(id=sha, text=text).source.file == f"article:{sha[:12]}"
    assert Article(id=sha, text=text, file="a.txt").source.file == "a.txt"
    refused(lambda: Article(id="not-a-sha", text=text), "id")


def test_an_empty_winner_is_a_deadlock() -> None:
    r = Resolution.model_validate({"winner": "", "date": "2024-06-01", "source": "x"})
    assert r.winner is None


# Evidence ---------------------------------------------------------------------------------


def test_a_way_out_is_a_withdrawal_with_its_reason() -> None:
    out = item(id="c1", kind="candidacy", candidate="ann", status="eliminated", round=2)
    assert (out.status, out.reason) == ("withdrawn", "eliminated")
    assert out.describe() == "ann: eliminated in round 2"
    refused(
        lambda: item(id="c2", kind="candidacy", candidate="ann", status="declared",
                     reason="eliminated"),
        "only for a withdrawn candidate",
    )  # fmt: skip


def test_a_count_needs_a_number_no_larger_than_its_whole() -> None:
    refused(lambda: item(id="n1", kind="count", candidate="ann"), "'count' or 'fraction'")
    refused(lambda: item(id="n2", kind="count", candidate="ann", count=5, of=4), "more than 'of'")
    share = item(id="n3", kind="count", candidate="ann", fraction=0.25, qualifier="about")
    assert share.describe() == "about 25% members back ann"


def test_a_span_must_be_ordered() -> None:
    refused(lambda: item(id="s1", kind="vacancy", incumbent="X", span=[5, 3]), "span [5, 3]")
    assert item(id="s2", kind="vacancy", incumbent="X", span=[3, 3]).span == (3, 3)


def test_a_ballot_refuses_negative_votes_and_cites_each_id_once() -> None:
    refused(lambda: item(id="b1", kind="ballot", round=1, tallies={"ann": -1}), "negative votes")
    ballot = item(
        id="b2",
        kind="ballot",
        round=1,
        tallies={"ann": 2, "bob": 1},
        votes={"AAA": "ann", "BBB": "cy", "CCC": None},
    )
    assert ballot.cited_ids.members == ("AAA", "BBB", "CCC")
    assert ballot.cited_ids.candidates == ("ann", "bob", "cy")


def test_describe_names_people_when_given_the_race() -> None:
    race = make_race(candidates=("a", "b"))
    s = item(id="s1", kind="stance", member="M1", candidate="a", stance="oppose")
    assert s.describe() == "M1 opposes a"
    assert s.describe(race) == "Member M1 opposes A"
    lifted = item(id="s2", kind="stance", member="M1", candidate="a", stance="support", lifted=True)
    assert lifted.describe(race) == "Member M1 lifts its objection to A"
    elsewhere = item(id="s3", kind="stance", member="ZZ", candidate="zz", stance="support")
    assert elsewhere.describe(race) == "ZZ backs zz"  # ids of another race stay ids


# The race ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"members": [member("M0"), member("M0")]}, ("member id 'M0' appears twice",)),
        ({"candidates": ("a", "a")}, ("candidate id 'a' appears twice",)),
        ({"homes": {"a": "XX"}}, ("candidate a", "home 'XX'")),
        ({"evidence": [stance("e1", "2024-01-02", "M9", "a")]}, ("e1", "member 'M9'")),
        ({"evidence": [stance("e1", "2024-01-02", "M0", "zz")]}, ("e1", "candidate 'zz'")),
        (
            {"evidence": [candidacy("e1", "2024-01-02", "a"), candidacy("e1", "2024-01-03", "b")]},
            ("evidence id 'e1' appears twice",),
        ),
        (
            {"resolution": {"winner": "zz", "date": "2024-06-01", "source": "x"}},
            ("winner 'zz'",),
        ),
    ],
    ids=["member-twice", "candidate-twice", "home", "member", "candidate", "item-twice", "winner"],
)
def test_a_race_refuses_references_that_do_not_resolve(
    change: dict[str, Any], words: tuple[str, ...]
) -> None:
    refused(lambda: make_race(**change), *words)


def test_evidence_until_is_dated_sorted_and_leaves_out_rejected_items() -> None:
    race = make_race(
        evidence=[
            stance("s2", "2024-01-05", "M0", "a"),
            stance("s1", "2024-01-05", "M1", "a"),
            stance("r1", "2024-01-04", "M2", "a", review="rejected"),
            stance("late", "2024-01-06", "M3", "a"),
        ]
    )
    assert [e.id for e in race.evidence_until(D("2024-01-05"))] == ["s1", "s2"]
    assert [e.id for e in race.evidence_until(D("2024-01-04"))] == []


def test_usable_keeps_the_race_when_every_item_counts() -> None:
    race = make_race(evidence=[stance("s1", "2024-01-05", "M0", "a")])
    assert race.usable() is race
    pending = make_race(evidence=[stance("p1", "2024-01-05", "M0", "a", review="pending")])
    assert [e.id for e in pending.usable().evidence] == ["p1"]  # confidence 1.0
    assert pending.usable(threshold=1.01).evidence == ()


def test_usable_drops_items_without_validating_the_race_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    race = make_race(
        evidence=[
            stance("s1", "2024-01-05", "M0", "a"),
            stance("r1", "2024-01-04", "M1", "a", review="rejected"),
            stance("p1", "2024-01-06", "M2", "a", review="pending"),
        ]
    )
    expected = race.with_evidence(tuple(e for e in race.evidence if e.id != "r1"))

    def refuse(*_: Any, **__: Any) -> Any:
        raise AssertionError("the race was validated again")

    monkeypatch.setattr(type(race), "model_validate", refuse)
    usable = race.usable()
    assert usable == expected and [e.id for e in usable.evidence] == ["s1", "p1"]
    assert usable.model_dump_json() == expected.model_dump_json()


def test_with_evidence_validates_the_new_items() -> None:
    race = make_race()
    bad = item(id="x", kind="stance", member="M9", candidate="a", stance="support")
    refused(lambda: race.with_evidence((bad,)), "member 'M9'")
    good = item(id="y", kind="stance", member="M0", candidate="a", stance="support")
    assert [e.id for e in race.with_evidence((good,)).evidence] == ["y"]
    assert race.evidence == ()  # the race itself is unchanged


# Edits ------------------------------------------------------------------------------------


def test_changes_nothing() -> None:
    s = item(id="s1", kind="stance", member="M0", candidate="a", stance="support")
    assert changes_nothing(s, {"stance": "support"})
    assert changes_nothing(s, {})
    assert not changes_nothing(s, {"stance": "oppose"})
    assert not changes_nothing(s, {"stance": "adores"})  # not valid: the edit says why
    rejected = s.model_copy(update={"review": "rejected"})
    assert not changes_nothing(rejected, {"stance": "support"})
