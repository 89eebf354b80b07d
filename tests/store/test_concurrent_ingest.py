"""Two ingests of the same feed at once, each with its own store on one database (SQLite
file, PostgreSQL): every article read is counted exactly once in each report (new, repeat
or off topic), each article is stored once, and the two reports' new counts add up to it.

An article the other ingest stored between this one reading it and writing its batch used
to fall in no count (the second report left 330 of 1,000 articles out).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import Any

from conftest import TODAY
from ingest.feeds import write_feed  # tests/ingest/feeds.py
from kingmaker.ingest import IngestReport
from kingmaker.pipeline import run
from kingmaker.records import Race
from kingmaker.store import SQLiteStore, Store
from kingmaker.store.base import StoredBatch

from .conftest import run_together

ARTICLES = 400
OFF_TOPIC = 20  # about football (lines 9, 29, ...)
REPEATS = 20  # lines 19, 39, ... repeat the line before
ON_TOPIC = 360  # the rest


def ingest_together(stores: Sequence[Store], feed: Path, nato: Race) -> list[IngestReport]:
    """Ingest ``feed`` into each store in its own thread, all starting at once."""
    reports: list[IngestReport | None] = [None] * len(stores)

    def work(i: int) -> None:
        reports[i] = run(stores[i], [feed], races=[nato], today=TODAY, batch_size=25).report

    failures = run_together(work, len(stores))
    assert not failures, failures
    assert all(r is not None for r in reports)
    return [r for r in reports if r is not None]


def check(reports: list[IngestReport], store: Store) -> None:
    """Each report adds up, and together they stored every on-topic article once."""
    for r in reports:
        assert r.read == ARTICLES
        assert r.new + r.exact_duplicates + r.off_topic == r.read, r
        assert r.off_topic == OFF_TOPIC
        assert r.skipped == 0
    assert sum(r.new for r in reports) == ON_TOPIC
    assert store.article_count() == store.article_count("nato-sg-2024") == ON_TOPIC
    copies = sum(a.duplicate_of is not None for a in store.articles())
    assert sum(r.near_duplicates for r in reports) == copies


def test_two_ingests_of_one_feed_at_once_both_add_up(
    same_database: Callable[[], Store], nato: Race, tmp_path: Path
) -> None:
    feed = write_feed(tmp_path / "feed.jsonl", ARTICLES)
    first, second = same_database(), same_database()
    first.put_race(nato)
    check(ingest_together([first, second], feed, nato), first)


class Lockstep(SQLiteStore):
    """A SQLite store whose writers of article batches wait for each other, so both have
    read each batch before either stores it: every article is raced for. (The loser's
    batch is not written; it writes it again, its articles now read as stored ones,
    without waiting.)"""

    barrier = threading.Barrier(2, timeout=60)

    def add_batch(self, *args: Any, fresh: Collection[str] = (), **kw: Any) -> StoredBatch:
        if fresh:
            self.barrier.wait()
        return super().add_batch(*args, fresh=fresh, **kw)


def test_ingests_racing_for_every_batch_both_add_up(nato: Race, tmp_path: Path) -> None:
    feed = write_feed(tmp_path / "feed.jsonl", ARTICLES)
    Lockstep.barrier.reset()
    first, second = Lockstep(tmp_path / "k.db"), Lockstep(tmp_path / "k.db")
    try:
        first.put_race(nato)
        reports = ingest_together([first, second], feed, nato)
        check(reports, first)
        # every article was raced for: one run stored it, the other counts it a repeat
        assert sum(r.exact_duplicates for r in reports) == ON_TOPIC + 2 * REPEATS
    finally:
        first.close()
        second.close()
