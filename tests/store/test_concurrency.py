"""Concurrent writers lose nothing and never trip over each other: threads sharing one store
(every implementation), and stores of their own on one database (SQLite file, PostgreSQL)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from kingmaker.records import Article, Evidence
from kingmaker.store import SQLiteStore, Store

from .conftest import evidence, make_article, make_race, run_together

BATCHES = 30


def items(tag: str, n: int) -> tuple[list[Evidence], list[tuple[Article, list[str]]]]:
    """Batch ``n`` of writer ``tag``: two evidence items and one article."""
    day = f"2024-02-{n % 28 + 1:02d}"
    ev = [evidence(f"{tag}-{n}-{k}", day) for k in range(2)]
    return ev, [(make_article(f"Story {n} of {tag}."), ["race-1"])]


def write_together(stores: list[Store], tags: list[str]) -> list[tuple[int, int]]:
    """Each store in its own thread adds the batches of its tag, all starting at once.

    Returns:
        Per thread, how many evidence items and articles its calls said were new.

    Raises:
        AssertionError: listing the errors any thread met.
    """
    counts = [(0, 0)] * len(stores)

    def work(i: int) -> None:
        added = [0, 0]
        try:
            for n in range(BATCHES):
                ev, articles = items(tags[i], n)
                added[0] += stores[i].add_evidence("race-1", ev)
                added[1] += stores[i].add_articles(articles)
        finally:
            counts[i] = (added[0], added[1])

    failures = run_together(work, len(stores))
    assert not failures, failures
    return counts


def expected(tags: set[str]) -> tuple[set[str], set[str]]:
    """The evidence ids and article ids the writers of ``tags`` add."""
    ev_ids: set[str] = set()
    article_ids: set[str] = set()
    for tag in tags:
        for n in range(BATCHES):
            ev, articles = items(tag, n)
            ev_ids.update(e.id for e in ev)
            article_ids.update(a.id for a, _ in articles)
    return ev_ids, article_ids


def check(store: Store, tags: set[str], counts: list[tuple[int, int]]) -> None:
    """Every item is stored once, and the writers' counts of new items add up."""
    ev_ids, article_ids = expected(tags)
    stored = [e.id for e in store.get_race("race-1").evidence]
    assert sorted(stored) == sorted(ev_ids)
    assert {a.id for a in store.articles("race-1")} == article_ids
    assert store.article_count() == store.article_count("race-1") == len(article_ids)
    assert sum(c[0] for c in counts) == len(ev_ids)
    assert sum(c[1] for c in counts) == len(article_ids)


def test_threads_sharing_a_store_lose_nothing(store: Store) -> None:
    store.put_race(make_race())
    counts = write_together([store, store], ["left", "right"])
    check(store, {"left", "right"}, counts)


def test_threads_adding_the_same_items_store_them_once(store: Store) -> None:
    store.put_race(make_race())
    counts = write_together([store, store], ["same", "same"])
    check(store, {"same"}, counts)


def test_stores_on_one_database_lose_nothing(same_database: Callable[[], Store]) -> None:
    first, second = same_database(), same_database()
    first.put_race(make_race())
    counts = write_together([first, second], ["left", "right"])
    check(first, {"left", "right"}, counts)
    check(second, {"left", "right"}, counts)


def test_stores_adding_the_same_items_store_them_once(same_database: Callable[[], Store]) -> None:
    first, second = same_database(), same_database()
    first.put_race(make_race())
    counts = write_together([first, second], ["same", "same"])
    check(second, {"same"}, counts)


def test_stores_opening_an_empty_database_at_once_both_migrate_it(
    same_database: Callable[[], Store],
) -> None:
    opened: list[Store] = []
    failures: list[BaseException] = []
    start = threading.Barrier(3)

    def open_one() -> None:
        start.wait()
        try:
            opened.append(same_database())
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=open_one) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not failures, failures
    assert len(opened) == 3
    assert len({s.schema_version() for s in opened}) == 1


def open_together(path: Path, n: int) -> list[BaseException]:
    """Open and close ``n`` stores on ``path`` in threads started at once; their errors."""
    start = threading.Barrier(n)
    failures: list[BaseException] = []

    def open_one() -> None:
        start.wait()
        try:
            SQLiteStore(path).close()
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=open_one) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return failures


def test_many_openers_of_new_sqlite_files_never_see_busy(tmp_path: Path) -> None:
    """Switching a new file to WAL together once answered "locked" at once (about 1 time in
    30 with four openers); openers now wait for each other."""
    for trial in range(100):
        failures = open_together(tmp_path / f"new-{trial}.db", 8)
        assert not failures, (trial, failures)
