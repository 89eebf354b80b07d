"""The two public ways to forecast, ``kingmaker.forecast`` over a stored race and
``Kingmaker().forecast``, give the same numbers for the same store."""

from __future__ import annotations

import datetime as dt
from typing import Any

import kingmaker
from conftest import candidacy, make_race, stance
from kingmaker.records import counts
from kingmaker.service import Kingmaker
from kingmaker.store import MemoryStore

DAY = dt.date(2024, 3, 1)


def store_with(*extra: dict[str, Any]) -> Kingmaker:
    evidence = [
        candidacy("c1", "2024-01-02", "a"),
        candidacy("c2", "2024-01-02", "b"),
        stance("s1", "2024-01-10", "M0", "a"),
        stance("s2", "2024-01-11", "M1", "b"),
        *extra,
    ]
    km = Kingmaker(MemoryStore())
    km.store.put_race(make_race(evidence=evidence))
    return km


def both(km: Kingmaker) -> tuple[dict[str, float], dict[str, float]]:
    args: dict[str, Any] = {"samples": 2_000, "seed": 0, "explain": False}
    library = kingmaker.forecast(km.race("test-race"), DAY, **args)
    service = km.forecast("test-race", DAY, save=False, **args)
    return (
        {o.id: o.probability for o in library.outcomes},
        {o.id: o.probability for o in service.outcomes},
    )


def test_the_entry_points_agree_on_reviewed_evidence() -> None:
    km = store_with(stance("s3", "2024-02-01", "M2", "a", review="accepted", confidence=0.9))
    library, service = both(km)
    assert library == service


def test_the_evidence_rule() -> None:
    race = make_race(
        evidence=[
            stance("p1", "2024-01-10", "M0", "a", review="pending", confidence=0.3),
            stance("p2", "2024-01-10", "M1", "a", review="pending", confidence=0.5),
            stance("r1", "2024-01-10", "M2", "a", review="rejected"),
            stance("a1", "2024-01-10", "M3", "a", review="accepted", confidence=0.1),
        ]
    )
    assert [e.id for e in race.evidence if counts(e)] == ["p2", "a1"]
    assert [e.id for e in race.usable(0.2).evidence] == ["p1", "p2", "a1"]
    assert [e.id for e in Kingmaker(MemoryStore()).usable(race).evidence] == ["p2", "a1"]


def test_the_entry_points_agree_with_unreviewed_items_below_the_threshold() -> None:
    km = store_with(
        stance("p1", "2024-02-01", "M2", "b", review="pending", confidence=0.3),
        stance("p2", "2024-02-02", "M3", "b", review="pending", confidence=0.3),
        stance("p3", "2024-02-03", "M4", "b", review="pending", confidence=0.3),
    )
    library, service = both(km)
    assert library == service
