"""Every evidence kind describes itself: whom it names (candidate, member), its numbers
(tallies of ballots and polls included), and the ids it cites; none is a bare kind."""

from __future__ import annotations

from typing import Any, get_args

import pytest

from kingmaker.races import bundled_race_dirs, load_bundled
from kingmaker.records import Evidence, EvidenceBase, Race

KINDS: tuple[type[EvidenceBase], ...] = get_args(get_args(Evidence)[0])


def bundled() -> list[Race]:
    return [load_bundled(rid) for rid in bundled_race_dirs()]


def test_every_kind_of_the_union_describes_itself() -> None:
    assert len(KINDS) >= 9
    for cls in KINDS:
        assert "describe" in vars(cls), f"{cls.__name__} has no describe of its own"
        fields = set(cls.model_fields)
        if fields & {"candidate", "member", "tallies", "votes", "against"}:
            assert "cited_ids" in vars(cls), f"{cls.__name__} names ids but cites none"


def cited_by_fields(e: Any) -> tuple[set[str], set[str]]:
    members = {getattr(e, "member", None), *getattr(e, "against", ()), *getattr(e, "votes", {})}
    candidates = {getattr(e, "candidate", None), *getattr(e, "tallies", {})}
    candidates |= set(getattr(e, "votes", {}).values())
    return members - {None}, candidates - {None}


@pytest.fixture(scope="module")
def races() -> list[Race]:
    return bundled()


def test_every_item_in_the_bundled_races_is_described(races: list[Race]) -> None:
    kinds = set()
    for race in races:
        for e in race.evidence:
            kinds.add(e.kind)
            text = e.describe(race)
            assert text and text != e.kind, f"{race.id} {e.id}: {text!r}"
            members, candidates = cited_by_fields(e)
            assert set(e.cited_ids.members) == members, f"{race.id} {e.id}"
            assert set(e.cited_ids.candidates) == candidates, f"{race.id} {e.id}"
            for cid in e.tallies if e.kind == "ballot" else candidates:
                assert race.candidate(cid).name in text, f"{race.id} {e.id}: {text!r}"
    assert {"ballot", "poll", "stance", "count", "candidacy"} <= kinds


def test_ballots_and_polls_give_their_tallies(races: list[Race]) -> None:
    un = next(r for r in races if r.id == "un-sg-2016")
    poll = next(e for e in un.evidence if e.kind == "poll" and e.candidate == "guterres")
    text = poll.describe(un)
    assert "António Guterres" in text
    for n in (poll.encourage, poll.discourage, poll.no_opinion):
        assert str(n) in text
    ballots = [e for r in races for e in r.evidence if e.kind == "ballot"]
    assert ballots
    for b in ballots:
        race = next(r for r in races if any(e is b for e in r.evidence))
        text = b.describe(race)
        assert f"ballot {b.round}" in text
        for cid, n in b.tallies.items():
            shown = f"{int(n):,}" if float(n).is_integer() else f"{n:,.3g}"
            assert f"{race.candidate(cid).name} {shown}" in text, text


def test_without_a_race_ids_stand_for_names(races: list[Race]) -> None:
    un = next(r for r in races if r.id == "un-sg-2016")
    poll = next(e for e in un.evidence if e.kind == "poll")
    assert poll.candidate in poll.describe()
