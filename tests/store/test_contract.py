"""The store contract, run against every implementation (see the ``store`` fixture)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kingmaker.errors import StoreError, UnknownRaceError
from kingmaker.store import Store
from kingmaker.store.migrations import MIGRATIONS

from .conftest import candidacy, evidence, forecast_run, make_race, sample_evidence


def test_put_and_get_round_trip(store: Store) -> None:
    race = make_race(ev=sample_evidence())
    assert store.put_race(race) == 3
    assert store.get_race("race-1") == race


def test_put_race_again_adds_nothing(store: Store) -> None:
    race = make_race(ev=sample_evidence())
    store.put_race(race)
    assert store.put_race(race) == 0
    assert store.get_race("race-1") == race
    assert store.race_ids() == ["race-1"]


def test_put_race_replaces_definition_and_merges_evidence(store: Store) -> None:
    ev = sample_evidence()
    store.put_race(make_race(ev=ev[:2]))
    assert store.put_race(make_race(name="Renamed", ev=ev[1:])) == 1
    got = store.get_race("race-1")
    assert got.name == "Renamed"
    assert got.evidence == ev


def test_put_race_keeps_stored_evidence_it_does_not_carry(store: Store) -> None:
    ev = sample_evidence()
    store.put_race(make_race(ev=ev))
    store.put_race(make_race(name="Renamed"))
    assert store.get_race("race-1").evidence == ev


def test_put_race_refuses_a_definition_that_drops_a_cited_member(store: Store) -> None:
    store.put_race(make_race(ev=sample_evidence()))
    with pytest.raises(StoreError, match=r"e2.*BBB"):
        store.put_race(make_race(name="Smaller", members=("AAA", "CCC")))
    assert store.get_race("race-1").name == "Test race"


def test_put_race_with_conflicting_evidence_changes_nothing(store: Store) -> None:
    store.put_race(make_race(ev=sample_evidence()))
    changed = (evidence("new", "2024-03-01"), candidacy("e1", "2024-01-10", "ann", "withdrawn"))
    with pytest.raises(StoreError, match=r"'e1'.*new id"):
        store.put_race(make_race(name="Renamed", ev=changed))
    got = store.get_race("race-1")
    assert got.name == "Test race"
    assert [e.id for e in got.evidence] == ["e1", "e2", "e3"]


def test_get_race_sorts_evidence_by_date_then_id(store: Store) -> None:
    store.put_race(make_race())
    items = [evidence("z", "2024-01-05"), evidence("b", "2024-02-01"), evidence("a", "2024-02-01")]
    store.add_evidence("race-1", items)
    assert [e.id for e in store.get_race("race-1").evidence] == ["z", "a", "b"]


def test_add_evidence_is_idempotent(store: Store) -> None:
    store.put_race(make_race())
    ev = sample_evidence()
    assert store.add_evidence("race-1", ev) == 3
    assert store.add_evidence("race-1", ev) == 0
    assert store.add_evidence("race-1", [*ev, evidence("e4", "2024-02-02")]) == 1
    assert len(store.get_race("race-1").evidence) == 4


def test_add_evidence_accepts_dicts(store: Store) -> None:
    store.put_race(make_race())
    item = evidence("e9", "2024-02-02")
    assert store.add_evidence("race-1", [item.model_dump(mode="json")]) == 1  # type: ignore[list-item]
    assert store.get_race("race-1").evidence == (item,)


def test_conflicting_id_rolls_back_the_whole_batch(store: Store) -> None:
    store.put_race(make_race(ev=sample_evidence()))
    batch = [
        evidence("fresh", "2024-03-01"),
        evidence("e2", "2024-01-20", member="BBB", candidate="bob", stance="support"),
    ]
    with pytest.raises(StoreError, match=r"'e2'.*new id"):
        store.add_evidence("race-1", batch)
    got = store.get_race("race-1")
    assert [e.id for e in got.evidence] == ["e1", "e2", "e3"]
    assert got.evidence[1].stance == "oppose"  # type: ignore[union-attr]


def test_same_id_twice_in_one_batch(store: Store) -> None:
    store.put_race(make_race())
    same = evidence("x", "2024-02-01")
    assert store.add_evidence("race-1", [same, same]) == 1
    with pytest.raises(StoreError, match="'y'"):
        store.add_evidence("race-1", [evidence("y", "2024-02-01"), evidence("y", "2024-02-02")])
    assert [e.id for e in store.get_race("race-1").evidence] == ["x"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"member": "ZZZ"}, "evidence bad: member 'ZZZ'"),
        ({"candidate": "nobody"}, "evidence bad: candidate 'nobody'"),
        ({"kind": "candidacy", "candidate": "nobody", "status": "declared"}, "candidate 'nobody'"),
        ({"kind": "appointment", "candidate": "nobody"}, "candidate 'nobody'"),
    ],
)
def test_unknown_member_or_candidate_is_rejected(
    store: Store, fields: dict[str, Any], message: str
) -> None:
    store.put_race(make_race())
    batch = [evidence("good", "2024-02-01"), evidence("bad", "2024-02-02", **fields)]
    with pytest.raises(StoreError, match=message):
        store.add_evidence("race-1", batch)
    assert store.get_race("race-1").evidence == ()


def test_malformed_item_is_rejected(store: Store) -> None:
    store.put_race(make_race())
    bad = {"id": "m1", "kind": "stance", "date": "2024-02-01"}
    with pytest.raises(StoreError, match="item 1 is malformed"):
        store.add_evidence("race-1", [bad])  # type: ignore[list-item]
    assert store.get_race("race-1").evidence == ()


def test_add_evidence_to_unknown_race(store: Store) -> None:
    with pytest.raises(UnknownRaceError, match="'nope'"):
        store.add_evidence("nope", [evidence("e1")])


def test_set_review_changes_the_item_and_logs_the_decision(store: Store) -> None:
    store.put_race(make_race(ev=(evidence("e1", "2024-01-10", review="pending"),)))
    before = dt.datetime.now(dt.UTC)
    store.set_review("race-1", "e1", "accepted", "alice")
    store.set_review("race-1", "e1", "rejected", "bob")
    after = dt.datetime.now(dt.UTC)
    assert store.get_race("race-1").evidence[0].review == "rejected"
    log = store.reviews("race-1")
    assert [(r.previous, r.review, r.reviewer) for r in log] == [
        ("pending", "accepted", "alice"),
        ("accepted", "rejected", "bob"),
    ]
    assert all(before <= r.at <= after for r in log)
    assert store.reviews("race-1", "e1") == log


def test_review_log_of_one_item(store: Store) -> None:
    store.put_race(make_race(ev=sample_evidence()))
    store.set_review("race-1", "e1", "rejected", "alice")
    store.set_review("race-1", "e2", "pending", "alice")
    assert [r.evidence_id for r in store.reviews("race-1", "e2")] == ["e2"]
    assert store.reviews("race-1", "e3") == []


def test_re_adding_a_reviewed_item_keeps_the_decision(store: Store) -> None:
    race = make_race(ev=sample_evidence())
    store.put_race(race)
    store.set_review("race-1", "e2", "rejected", "alice")
    assert store.put_race(race) == 0
    assert store.add_evidence("race-1", race.evidence) == 0
    assert store.get_race("race-1").evidence[1].review == "rejected"


@pytest.mark.parametrize(
    ("race_id", "evidence_id", "review", "reviewer", "error", "message"),
    [
        ("nope", "e1", "accepted", "alice", UnknownRaceError, "'nope'"),
        ("race-1", "e9", "accepted", "alice", StoreError, "no evidence 'e9'"),
        ("race-1", "e1", "maybe", "alice", StoreError, "review must be one of"),
        ("race-1", "e1", "accepted", "  ", StoreError, "reviewer"),
    ],
)
def test_set_review_errors(
    store: Store,
    race_id: str,
    evidence_id: str,
    review: Any,
    reviewer: str,
    error: type[Exception],
    message: str,
) -> None:
    store.put_race(make_race(ev=sample_evidence()))
    with pytest.raises(error, match=message):
        store.set_review(race_id, evidence_id, review, reviewer)
    assert store.reviews("race-1") == []
    assert store.get_race("race-1").evidence[0].review == "accepted"


def test_reviews_of_unknown_item_or_race(store: Store) -> None:
    store.put_race(make_race(ev=sample_evidence()))
    with pytest.raises(StoreError, match="no evidence 'e9'"):
        store.reviews("race-1", "e9")
    with pytest.raises(UnknownRaceError):
        store.reviews("nope")


def test_forecasts_are_saved_and_listed_by_as_of_then_id(store: Store) -> None:
    store.put_race(make_race())
    late = store.save_forecast(forecast_run(as_of="2024-05-01"))
    early = store.save_forecast(forecast_run(as_of="2024-03-01"))
    other = store.save_forecast(forecast_run(as_of="2024-03-01", model="other.v2"))
    assert len({late, early, other}) == 3
    assert [f.id for f in store.forecasts("race-1")] == [early, other, late]
    assert [f.id for f in store.forecasts("race-1", model="other.v2")] == [other]
    assert store.forecasts("race-1", model="missing.v1") == []


def test_forecast_round_trip(store: Store) -> None:
    store.put_race(make_race())
    run = forecast_run(seed=2**100)
    fid = store.save_forecast(run)
    assert store.get_forecast(fid) == run.model_copy(update={"id": fid})
    assert store.forecasts("race-1") == [run.model_copy(update={"id": fid})]


def test_stored_forecast_is_not_changed_by_callers(store: Store) -> None:
    store.put_race(make_race())
    fid = store.save_forecast(forecast_run())
    store.get_forecast(fid).result["p"]["ann"] = 0.0
    assert store.get_forecast(fid).result["p"]["ann"] == 0.6


@pytest.mark.parametrize(
    ("changes", "error", "message"),
    [
        ({"race_id": "nope"}, UnknownRaceError, "'nope'"),
        ({"id": 5}, StoreError, "already stored"),
        ({"result": {"p": object()}}, StoreError, "result is not plain JSON"),
        ({"params": {"x": float("nan")}}, StoreError, "params is not plain JSON"),
    ],
)
def test_save_forecast_errors(
    store: Store, changes: dict[str, Any], error: type[Exception], message: str
) -> None:
    store.put_race(make_race())
    with pytest.raises(error, match=message):
        store.save_forecast(forecast_run().model_copy(update=changes))
    assert store.forecasts("race-1") == []


def test_get_unknown_forecast(store: Store) -> None:
    with pytest.raises(StoreError, match="no forecast with id 42"):
        store.get_forecast(42)


def test_unknown_race_names_the_id_and_the_stored_ones(store: Store) -> None:
    store.put_race(make_race("b-race"))
    store.put_race(make_race("a-race"))
    with pytest.raises(UnknownRaceError, match=r"'nope'.*stored races: a-race, b-race"):
        store.get_race("nope")
    with pytest.raises(UnknownRaceError):
        store.forecasts("nope")


def test_race_ids_and_has_race(store: Store) -> None:
    assert store.race_ids() == []
    store.put_race(make_race("zeta"))
    store.put_race(make_race("alpha"))
    assert store.race_ids() == ["alpha", "zeta"]
    assert store.has_race("alpha")
    assert not store.has_race("beta")


def test_delete_race_removes_evidence_reviews_and_forecasts(store: Store) -> None:
    store.put_race(make_race(ev=sample_evidence()))
    store.put_race(make_race("keep", ev=sample_evidence()))
    store.set_review("race-1", "e1", "rejected", "alice")
    store.set_review("keep", "e1", "rejected", "alice")
    store.save_forecast(forecast_run())
    kept = store.save_forecast(forecast_run("keep"))
    store.delete_race("race-1")
    assert store.race_ids() == ["keep"]
    with pytest.raises(UnknownRaceError):
        store.get_race("race-1")
    with pytest.raises(UnknownRaceError):
        store.delete_race("race-1")
    # The id can be reused, and nothing of the old race comes back with it.
    store.put_race(make_race())
    assert store.get_race("race-1").evidence == ()
    assert store.reviews("race-1") == []
    assert store.forecasts("race-1") == []
    assert len(store.get_race("keep").evidence) == 3
    assert len(store.reviews("keep")) == 1
    assert [f.id for f in store.forecasts("keep")] == [kept]


def test_schema_version_is_the_last_migration(store: Store) -> None:
    assert store.schema_version() == MIGRATIONS[-1][0]


def test_closed_store_refuses_use(store: Store) -> None:
    with store as same:
        assert same is store
        same.put_race(make_race())
    with pytest.raises(StoreError, match="closed"):
        store.race_ids()
    with pytest.raises(StoreError, match="closed"):
        store.get_race("race-1")
    store.close()  # a second close does nothing


POOL = (
    candidacy("c1", "2024-01-03", "ann"),
    candidacy("c2", "2024-01-03", "bob", "interested"),
    evidence("s1", "2024-01-05"),
    evidence("s2", "2024-01-04", member="CCC", candidate="cy", stance="oppose"),
    evidence("s3", "2024-02-01", member="DDD", candidate="bob", lifted=True, stance="neutral"),
    evidence("n1", "2024-01-05", kind="count", candidate="bob", fraction=0.5),
    evidence("v1", "2024-01-01", kind="vacancy", incumbent="Old Chair"),
    evidence("a1", "2024-03-01", kind="appointment", candidate="ann", review="pending"),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    in_race=st.lists(st.sampled_from(POOL), unique_by=lambda e: e.id, max_size=3),
    batches=st.lists(st.lists(st.sampled_from(POOL), max_size=6), max_size=4),
)
def test_batches_in_any_order_store_their_union(
    make_store: Callable[[], Store], in_race: list[Any], batches: list[list[Any]]
) -> None:
    store = make_store()
    added = store.put_race(make_race(ev=tuple(in_race)))
    for batch in batches:
        added += store.add_evidence("race-1", batch)
    wanted = {e.id: e for e in [*in_race, *(e for b in batches for e in b)]}
    assert added == len(wanted)
    expected = make_race(ev=tuple(sorted(wanted.values(), key=lambda e: (e.date, e.id))))
    assert store.get_race("race-1") == expected
    # Adding everything again, in reverse, is a no-op.
    assert store.add_evidence("race-1", list(reversed(list(wanted.values())))) == 0


def test_fingerprint_changes_with_the_race_and_only_then(store: Store) -> None:
    store.put_race(make_race(ev=sample_evidence()))
    first = store.fingerprint("race-1")
    assert store.fingerprint("race-1") == first
    store.get_race("race-1")
    store.save_forecast(forecast_run())
    assert store.fingerprint("race-1") == first  # reads and forecast runs change nothing
    store.add_evidence("race-1", [evidence("e-new", "2024-03-01")])
    second = store.fingerprint("race-1")
    assert second != first
    store.set_review("race-1", "e-new", "rejected", "ana")
    third = store.fingerprint("race-1")
    assert third not in (first, second)
    store.put_race(make_race(name="Renamed"))
    assert store.fingerprint("race-1") != third
    with pytest.raises(UnknownRaceError):
        store.fingerprint("nope")


def test_fingerprint_never_comes_back_to_an_earlier_value(store: Store) -> None:
    # caches keyed on it could otherwise serve an answer computed across a write
    store.put_race(make_race(ev=sample_evidence()))
    seen = [store.fingerprint("race-1")]
    store.set_review("race-1", "e1", "rejected", "ana")
    seen.append(store.fingerprint("race-1"))
    store.set_review("race-1", "e1", "accepted", "ana")  # the race reads as before
    seen.append(store.fingerprint("race-1"))
    store.delete_race("race-1")
    store.put_race(make_race(ev=sample_evidence()))  # stored again, the same
    seen.append(store.fingerprint("race-1"))
    assert len(set(seen)) == len(seen)
    store.add_evidence("race-1", sample_evidence())  # nothing new: nothing changed
    assert store.fingerprint("race-1") == seen[-1]


def test_storing_the_same_race_again_keeps_its_fingerprint(store: Store) -> None:
    store.put_race(make_race(ev=sample_evidence()))
    first = store.fingerprint("race-1")
    assert store.put_race(make_race(ev=sample_evidence())) == 0
    assert store.fingerprint("race-1") == first  # cached forecasts stay good
    store.put_race(make_race(name="Renamed", ev=sample_evidence()))
    assert store.fingerprint("race-1") != first
