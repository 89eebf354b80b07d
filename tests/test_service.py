"""The service (kingmaker.service.Kingmaker) on its own: the bundled races it seeds, the ids
it refuses, the evidence rule it applies to forecasts (the same as the library's), saved
runs and reruns, reviews, removal and the ingest policy."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

import kingmaker
from conftest import NATO, STANCE_TEXT, candidacy, make_race, seeded_store, stance
from kingmaker.errors import (
    BacktestError,
    ForecastError,
    MissingError,
    NotFoundError,
    ReviewError,
    StoreError,
    UnknownEvidenceError,
    UnknownRaceError,
)
from kingmaker.ingest import Document
from kingmaker.races import bundled_race_dirs, load_bundled
from kingmaker.service import Kingmaker
from kingmaker.store import MemoryStore, StoredForecast

RACE = "test-race"
DAY = dt.date(2024, 3, 1)
FAST: dict[str, Any] = {"samples": 2_000, "seed": 0, "explain": False}


def test_race() -> Any:
    """Five members, candidates a and b; one pending item below the review threshold."""
    return make_race(
        evidence=[
            candidacy("c1", "2024-01-02", "a"),
            candidacy("c2", "2024-01-02", "b"),
            stance("s1", "2024-01-10", "M0", "a"),
            stance("s2", "2024-01-11", "M1", "b"),
            stance("p1", "2024-02-01", "M2", "b", review="pending", confidence=0.3),
        ]
    )


test_race.__test__ = False  # type: ignore[attr-defined]  # a factory, not a test


def new_service(**kw: Any) -> Kingmaker:
    """A service over a new memory store with the bundled races and the test race."""
    km = Kingmaker(seeded_store(), **kw)
    km.store.put_race(test_race())
    return km


@pytest.fixture(scope="module")
def reader() -> Kingmaker:
    """One service for the tests that only read; it seeds its store itself."""
    km = Kingmaker(MemoryStore())
    km.store.put_race(test_race())
    return km


@pytest.fixture
def km() -> Kingmaker:
    """A fresh service for a test that writes."""
    return new_service()


# Seeding and reading -----------------------------------------------------------------------


def test_a_new_store_gets_every_bundled_race_beside_its_own(reader: Kingmaker) -> None:
    ids = [s.id for s in reader.races()]
    assert ids == sorted([*bundled_race_dirs(), RACE])
    (mine,) = (s for s in reader.races() if s.id == RACE)
    assert (mine.members, mine.candidates, mine.evidence) == (5, 2, 5)
    assert (mine.first, mine.last, mine.winner) == (dt.date(2024, 1, 2), dt.date(2024, 2, 1), None)


def test_a_removed_bundled_race_comes_back_as_shipped_on_the_next_open(km: Kingmaker) -> None:
    shipped = load_bundled(NATO)
    km.decide(NATO, shipped.evidence[0].id, "rejected", "alice")
    gone = km.remove(NATO)
    assert gone.bundled and gone.evidence == len(shipped.evidence)
    with pytest.raises(UnknownRaceError):
        km.race(NATO)
    again = Kingmaker(km.store).race(NATO)
    assert sorted((e.id, e.review) for e in again.evidence) == sorted(
        (e.id, e.review) for e in shipped.evidence
    )


@pytest.mark.parametrize(
    "call",
    [
        lambda k: k.race("no-such-race"),
        lambda k: k.history("no-such-race"),
        lambda k: k.removal("no-such-race"),
        lambda k: k.forecast("no-such-race", DAY, **FAST),
        lambda k: k.evidence("no-such-race"),
        lambda k: k.review_queue("no-such-race"),
        lambda k: k.ingest([Document("paste", STANCE_TEXT.encode())], race_id="no-such-race"),
    ],
    ids=["race", "history", "removal", "forecast", "evidence", "review-queue", "ingest"],
)
def test_an_unknown_race_is_not_found_by_name(reader: Kingmaker, call: Any) -> None:
    with pytest.raises(UnknownRaceError, match="no-such-race") as info:
        call(reader)
    assert info.value.status == 404 and "\n" not in str(info.value)


def test_unknown_items_articles_and_runs_are_not_found(reader: Kingmaker) -> None:
    with pytest.raises(UnknownEvidenceError, match="'zz'"):
        reader.item(RACE, "zz")
    with pytest.raises(MissingError):
        reader.article("0" * 64)
    with pytest.raises(MissingError):
        reader.rerun(10_000)
    for cls in (UnknownEvidenceError, MissingError):
        assert issubclass(cls, NotFoundError) and cls.status == 404


def test_evidence_is_filtered_and_oldest_first(reader: Kingmaker) -> None:
    assert [e.id for e in reader.evidence(RACE)] == ["c1", "c2", "s1", "s2", "p1"]
    assert [e.id for e in reader.evidence(RACE, member="M0")] == ["s1"]
    assert [e.id for e in reader.evidence(RACE, candidate="b")] == ["c2", "s2", "p1"]
    until = reader.evidence(RACE, candidate="b", as_of=dt.date(2024, 1, 11))
    assert [e.id for e in until] == ["c2", "s2"]
    assert reader.evidence(RACE, member="M4") == ()  # a member on record with nothing said


def test_a_race_is_read_again_only_when_it_changed(km: Kingmaker) -> None:
    first = km.race(RACE)
    assert km.race(RACE) is first
    km.decide(RACE, "p1", "accepted", "alice")
    now = km.race(RACE)
    assert now is not first and now.evidence[-1].review == "accepted"
    found, log = km.item(RACE, "p1")
    assert found.review == "accepted"
    assert [(e.previous, e.review, e.reviewer) for e in log] == [("pending", "accepted", "alice")]


# The evidence rule -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "threshold",
    [
        0.5,
        0.99,
        0.2,
    ],
)
def test_forecasts_count_what_the_library_counts_at_the_services_threshold(
    threshold: float,
) -> None:
    km = new_service(review_threshold=threshold)
    counted = [e.id for e in km.usable(km.race(RACE)).evidence]
    assert ("p1" in counted) == (threshold <= 0.3)  # pending at confidence 0.3
    service = km.forecast(RACE, DAY, save=False, **FAST)
    library = kingmaker.forecast(km.race(RACE), DAY, review_threshold=threshold, **FAST)
    assert service.outcomes == library.outcomes


def test_the_pending_item_moves_the_forecast_when_it_counts(reader: Kingmaker) -> None:
    race = reader.race(RACE)
    low, default = (
        kingmaker.forecast(race, DAY, review_threshold=t, **FAST).outcomes for t in (0.2, 0.5)
    )
    assert low != default


def test_the_review_queue_holds_the_unreviewed_items_below_the_threshold(
    reader: Kingmaker,
) -> None:
    assert [e.id for e in reader.review_queue(RACE)] == ["p1"]
    assert reader.review_queue(RACE, threshold=0.3) == []


# Runs ---------------------------------------------------------------------------------------


def test_a_forecast_is_saved_with_its_race_version_unless_asked_not_to(km: Kingmaker) -> None:
    km.forecast(RACE, DAY, save=False, **FAST)
    assert km.history(RACE) == []
    fc = km.forecast(RACE, DAY, **FAST)
    (run,) = km.history(RACE)
    assert (run.as_of, run.seed, run.samples, run.model) == (DAY, 0, 2_000, fc.model)
    assert run.race_version is not None and len(run.race_version) == 64
    assert run.result["outcomes"] == fc.model_dump(mode="json")["outcomes"]


def test_a_timeline_saves_one_run_a_day_visited(km: Kingmaker) -> None:
    race, fcs = km.timeline(RACE, end=DAY, every=14, samples=500)
    days = [f.as_of for f in fcs]
    assert days == km.timeline_days(race, None, DAY, 14)
    assert days[0] == dt.date(2024, 1, 2) and days[-1] <= DAY
    assert [r.as_of for r in km.history(RACE)] == days


def test_runs_that_cannot_be_saved_raise_or_are_reported(
    km: Kingmaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(run: StoredForecast) -> int:
        raise StoreError("the disk is full")

    monkeypatch.setattr(km.store, "save_forecast", full)
    with pytest.raises(StoreError, match="disk is full"):
        km.forecast(RACE, DAY, **FAST)
    told: list[tuple[int, str]] = []
    km.on_unsaved = lambda n, exc: told.append((n, str(exc)))
    _, fcs = km.timeline(RACE, end=DAY, every=14, samples=500)
    assert len(fcs) >= 3 and told == [(len(fcs), "the disk is full")]


def test_a_rerun_counts_the_items_as_they_were_then(km: Kingmaker) -> None:
    km.forecast(RACE, DAY, **FAST)
    (run,) = km.history(RACE)
    assert run.id is not None
    km.decide(RACE, "s1", "rejected", "alice")  # used by the run
    again = km.rerun(run.id)
    assert again.identical and again.race_changed is False and again.explain() == ""
    assert km.forecast(RACE, DAY, save=False, **FAST).outcomes != again.again.outcomes


def test_a_rerun_of_a_run_made_by_another_model_is_refused(km: Kingmaker) -> None:
    fc = km.forecast(RACE, DAY, save=False, **FAST)
    other = km.store.save_forecast(
        StoredForecast(
            race_id=RACE,
            as_of=DAY,
            seed=0,
            samples=100,
            model="old-model.v0",
            params=fc.params,
            result=fc.model_dump(mode="json"),
        )
    )
    with pytest.raises(ForecastError, match=r"old-model\.v0"):
        km.rerun(other)


# Reviews, removal ---------------------------------------------------------------------------


def test_a_correction_replaces_the_item_with_an_accepted_copy(km: Kingmaker) -> None:
    new = km.edit(RACE, "p1", {"stance": "oppose"}, "alice")
    assert (new.stance, new.review) == ("oppose", "accepted")
    race = km.race(RACE)
    assert {e.id: e.review for e in race.evidence}["p1"] == "rejected"
    assert new.id in {e.id for e in km.usable(race).evidence}
    with pytest.raises(ReviewError):
        km.edit(RACE, new.id, {"stance": "oppose"}, "alice")  # changes nothing
    with pytest.raises(UnknownEvidenceError):
        km.decide(RACE, "zz", "accepted", "alice")


def test_removal_says_what_goes_and_remove_takes_it(km: Kingmaker) -> None:
    km.forecast(RACE, DAY, **FAST)
    what = km.removal(RACE)
    assert (what.evidence, what.forecasts, what.articles, what.bundled) == (5, 1, 0, False)
    km.remove(RACE)
    with pytest.raises(UnknownRaceError):
        km.history(RACE)
    assert RACE not in [s.id for s in Kingmaker(km.store).races()]  # not bundled: gone


def test_only_resolved_races_are_backtested(reader: Kingmaker) -> None:
    with pytest.raises(BacktestError):
        reader.resolved([RACE])
    resolved = reader.resolved()
    assert resolved and RACE not in {r.id for r in resolved}
    assert all(r.resolution is not None for r in resolved)


def test_days_of_a_race() -> None:
    race = test_race()
    assert Kingmaker.latest_evidence_day(race) == dt.date(2024, 2, 1)
    assert Kingmaker.default_day(race) == dt.date.today()
    assert not Kingmaker.is_decided(race, DAY)
    nato = load_bundled(NATO)
    assert nato.resolution is not None
    assert Kingmaker.default_day(nato) == nato.resolution.date
    assert Kingmaker.is_decided(nato, nato.resolution.date)
    assert not Kingmaker.is_decided(nato, nato.resolution.date - dt.timedelta(days=1))


def test_a_matrix_outside_the_race_is_refused(reader: Kingmaker) -> None:
    with pytest.raises(ForecastError, match="before race test-race opened"):
        reader.matrix(RACE, dt.date(2023, 12, 31))


# Ingest policy -------------------------------------------------------------------------------


def test_an_undated_article_is_stored_but_not_read(km: Kingmaker) -> None:
    report = km.ingest(
        [Document("paste:orban", STANCE_TEXT.encode())], race_id=NATO, mode="fallback"
    )
    assert report.undated == 1 and sum(report.evidence.values()) == 0
    (aid,) = report.articles
    article, items = km.article(aid, NATO)
    assert article.date is None and items == []
    assert "no date" in report.render()


def test_a_dated_article_gives_pending_items_that_wait_for_review(km: Kingmaker) -> None:
    before = {e.id for e in km.race(NATO).evidence}
    km.review_threshold = 0.99  # machine items wait for a person
    report = km.ingest(
        [Document("paste:orban", STANCE_TEXT.encode())],
        race_id=NATO,
        default_date=dt.date(2024, 3, 1),
        mode="fallback",
    )
    assert report.undated == 0 and report.evidence[NATO] >= 1
    (aid,) = report.articles
    _, items = km.article(aid, NATO)
    stance_item = next(e for e in items if e.kind == "stance")
    assert (stance_item.member, stance_item.candidate, stance_item.stance) == (
        "HUN",
        "rutte",
        "support",
    )
    assert stance_item.review == "pending" and stance_item.id not in before
    assert stance_item.source.content_hash == aid
    assert stance_item.id in {e.id for e in km.review_queue(NATO)}
    assert stance_item.id not in {e.id for e in km.usable(km.race(NATO)).evidence}
    again = km.ingest(
        [Document("paste:orban", STANCE_TEXT.encode())], race_id=NATO, mode="fallback"
    )
    assert sum(again.evidence.values()) == 0  # stored and read already: nothing new


def test_a_timeline_counts_what_the_service_counts_in_one_process_or_two() -> None:
    km = new_service(review_threshold=0.2)
    samples = int(FAST.get("samples", 2_000))
    _, one = km.timeline(RACE, DAY, DAY, every=1, samples=samples, save=False)
    _, two = km.timeline(RACE, DAY, DAY, every=1, samples=samples, save=False, jobs=2)
    library = kingmaker.forecast(
        km.race(RACE), DAY, samples=samples, seed=0, explain=False, review_threshold=0.2
    )
    assert one[0].outcomes == two[0].outcomes == library.outcomes
