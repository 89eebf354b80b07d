"""Every core on one machine gives one process's results: ingest with extraction, a
timeline, a backtest and a leave-one-race-out fit run in a pool of two processes equal
the same runs in one process, for the same seed."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from kingmaker.backtest import replay
from kingmaker.backtest.fit import FitSettings, RaceScorer, fit, leave_one_out
from kingmaker.engine.timeline import days_between, forecast_series
from kingmaker.errors import UsageError
from kingmaker.newsdesk import ingest_news
from kingmaker.parallel import Workers, chunked
from kingmaker.races import load_bundled
from kingmaker.spread import forecast_days, replay_races
from kingmaker.store import SQLiteStore
from shared_data import shared_path


@pytest.fixture(scope="module")
def pool() -> Iterator[Workers]:
    """Two processes, started once for the module (each start imports spaCy)."""
    with Workers(2) as workers:
        assert not workers.serial and workers.size == 2
        yield workers


def evidence_of(store: SQLiteStore, race_id: str) -> list[str]:
    return sorted(e.model_dump_json() for e in store.get_race(race_id).evidence)


def test_ingest_in_two_processes_stores_what_one_process_stores(
    pool: Workers, tmp_path: Path
) -> None:
    news = tmp_path / "news.jsonl"  # 40 articles: enough for several batches and chunks
    lines = shared_path("data/news/nato-sg-2024/articles.jsonl").read_text().splitlines()
    news.write_text("\n".join(lines[:40]) + "\n")
    stores = []
    reports = []
    for name, workers in (("one", Workers()), ("two", pool)):
        store = SQLiteStore(str(tmp_path / f"{name}.db"))
        store.put_race(load_bundled("nato-sg-2024"))
        race = store.get_race("nato-sg-2024")
        # small batches: the pool reads several batches, each in chunks
        reports.append(
            ingest_news(store, [race], [news], mode="fallback", batch_size=12, workers=workers)
        )
        stores.append(store)
    one, two = reports
    assert one.evidence == two.evidence and one.items == two.items
    assert sum(one.evidence.values()) > 20
    assert one.articles == two.articles and one.copies_skipped == two.copies_skipped
    assert evidence_of(stores[0], "nato-sg-2024") == evidence_of(stores[1], "nato-sg-2024")
    for store in stores:
        store.close()


def test_timeline_in_two_processes_equals_one_process(pool: Workers) -> None:
    race = load_bundled("nato-sg-2024")
    days = days_between(dt.date(2023, 10, 1), dt.date(2024, 6, 1), 30)
    seen: list[dt.date] = []
    two = forecast_days(pool, race, days, samples=1_000, seed=7, on_step=seen.append)
    one = forecast_series(race, days, samples=1_000, seed=7)
    assert [f.model_dump() for f in two] == [f.model_dump() for f in one]
    assert sorted(seen) == days


def test_backtest_in_two_processes_equals_one_process(pool: Workers) -> None:
    races = [load_bundled("coe-sg-2024"), load_bundled("itu-sg-2022")]
    two = replay_races(pool, races, every=30, samples=300, seed=3)
    for race, rp in zip(races, two, strict=True):
        one = replay(race, every=30, samples=300, seed=3)
        assert rp.race.id == race.id and rp.warnings == one.warnings
        assert [d.as_dict() for d in rp.days] == [d.as_dict() for d in one.days]
        assert len(one.days) > 3


def test_fit_and_leave_one_out_in_two_processes_equal_one_process(pool: Workers) -> None:
    races = [load_bundled(r) for r in ("coe-sg-2024", "osce-sg-2020", "papal-conclave-2025")]
    cfg = FitSettings(every=60, samples=150, max_evaluations=4, names=("field_share",))
    one = fit(races, settings=cfg)
    two = fit(races, settings=cfg, scorer=RaceScorer(cfg, workers=pool))
    assert one == two
    serial = leave_one_out(races, settings=cfg)
    two_jobs = dataclasses.replace(cfg, jobs=2)
    folds_on_pool = leave_one_out(races, settings=two_jobs, workers=pool)
    # as fit_params_file runs it: the folds here, on one cache, each point's races on the pool
    races_on_pool = leave_one_out(races, settings=two_jobs, scorer=RaceScorer(cfg, workers=pool))
    for held, (params, rp) in serial.items():
        for other in (folds_on_pool, races_on_pool):
            assert other[held][0] == params
            assert [d.as_dict() for d in other[held][1].days] == [d.as_dict() for d in rp.days]


def test_chunks_keep_order_and_cover_every_item() -> None:
    items = list(range(10))
    for parts in (1, 3, 4, 10, 20):
        chunks = chunked(items, parts)
        assert [x for c in chunks for x in c] == items
        assert len(chunks) == min(parts, 10) and all(chunks)
        assert max(map(len, chunks)) - min(map(len, chunks)) <= 1


def test_bad_jobs_and_scheduler_are_refused_in_one_line() -> None:
    with pytest.raises(UsageError, match="jobs must be 1 or more"):
        Workers(-1)
    with pytest.raises(UsageError, match="scheduler must be 'local' or an address"):
        Workers(scheduler="somewhere")
