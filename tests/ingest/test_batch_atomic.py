"""A batch is stored whole or not at all (SQLite, memory): when writing its evidence fails
after its articles were planned or written, none of its articles, race links, evidence
or read marks is left; the batches before it stay, and a re-run stores what one clean
run does."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from conftest import TODAY
from kingmaker.errors import ConflictError, StoreError
from kingmaker.pipeline import run
from kingmaker.records import Article, Evidence, Race
from kingmaker.store import MemoryStore, SQLiteStore, Store
from kingmaker.store.base import EVIDENCE

from .test_kill_ingest import snapshot

BATCH = 40  # the NATO set's 119 articles: batches of 40, 40 and 39


class OneItemEach:
    """An extractor that finds one stance item in each article read; given ``poison``
    (an article id), it finds in that article the first article's item with other
    content instead, which the store refuses as a conflict."""

    concurrent = False

    def __init__(self, poison: str | None = None) -> None:
        self.poison = poison
        self.first: str | None = None

    def start(self, todo: Sequence[tuple[Article, str]]) -> Callable[[], list[list[Evidence]]]:
        def item(article: Article) -> Evidence:
            self.first = self.first or article.id
            poisoned = article.id == self.poison
            return EVIDENCE.validate_python(
                {
                    "id": f"k-{(self.first if poisoned else article.id)[:16]}",
                    "date": article.date,
                    "source": {"url": "https://example.org/a", "content_hash": article.id},
                    "producer": "curated:test",
                    "kind": "stance",
                    "member": "BEL",
                    "candidate": "rutte",
                    "stance": "oppose" if poisoned else "support",
                }
            )

        return lambda: [[item(a)] for a, _ in todo]


@pytest.fixture(params=["sqlite", "memory"])
def make_store(request: pytest.FixtureRequest, tmp_path: Path, nato: Race) -> Callable[[], Store]:
    """A factory of fresh stores of one kind holding the NATO race."""
    made = iter(range(100))

    def make() -> Store:
        store: Store
        if request.param == "sqlite":
            store = SQLiteStore(tmp_path / f"k{next(made)}.db")
        else:
            store = MemoryStore()
        store.put_race(nato)
        return store

    return make


def ingest(store: Store, news: Path, extractor: OneItemEach) -> Any:
    return run(store, [news], today=TODAY, extractor=extractor, batch_size=BATCH)


def test_a_batch_whose_evidence_is_refused_leaves_nothing_of_itself(
    make_store: Callable[[], Store], nato_news: Path, nato: Race
) -> None:
    clean = make_store()
    done = ingest(clean, nato_news, OneItemEach())
    expected = snapshot(clean)
    assert done.report.new == 119 and done.extracted.evidence == {"nato-sg-2024": 111}

    store = make_store()
    poison = reading_order(make_store(), nato_news)[BATCH + 5]  # an article of batch 2
    with pytest.raises(ConflictError, match="already stored with other content"):
        ingest(store, nato_news, OneItemEach(poison=poison))
    cut = snapshot(store)
    # the first batch, whole: its 40 articles, read for the race, with their items
    assert len(cut["articles"]) == BATCH and cut["unread"] == {}
    assert poison not in cut["articles"] and set(cut["articles"]) < set(expected["articles"])
    read = sum(a.date is not None and a.duplicate_of is None for a in store.articles())
    assert len(cut["evidence"]["nato-sg-2024"]) == len(nato.evidence) + read

    ingest(store, nato_news, OneItemEach())
    assert snapshot(store) == expected


def reading_order(store: Store, news: Path) -> list[str]:
    """The ids of the articles an ingest of ``news`` reads for evidence, in order."""
    kept: list[str] = []

    class Order(OneItemEach):
        def start(self, todo: Sequence[tuple[Article, str]]) -> Callable[[], list[list[Evidence]]]:
            kept.extend(a.id for a, _ in todo)
            return super().start(todo)

    ingest(store, news, Order())
    return kept


def test_a_write_failing_part_way_through_a_batchs_evidence_leaves_nothing_of_it(
    nato: Race, nato_news: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite: the disk fails after the batch's articles and some of its evidence were
    inserted; the transaction is rolled back whole."""
    clean = SQLiteStore(tmp_path / "clean.db")
    clean.put_race(nato)
    ingest(clean, nato_news, OneItemEach())
    expected = snapshot(clean)
    clean.close()

    store = SQLiteStore(tmp_path / "k.db")
    store.put_race(nato)
    state = {"batches": 0, "inserted": 0}
    real_batch, real_insert = store.add_batch, store._insert_evidence

    def counting(*args: Any, **kw: Any) -> Any:
        state["batches"] += 1
        state["inserted"] = 0
        return real_batch(*args, **kw)

    def failing(tx: Any, race_id: str, items: list[Any]) -> None:
        if state["batches"] == 2 and state["inserted"] == 3:
            raise sqlite3.OperationalError("disk I/O error")
        real_insert(tx, race_id, items)
        state["inserted"] += 1

    monkeypatch.setattr(store, "add_batch", counting)
    monkeypatch.setattr(store, "_insert_evidence", failing)
    with pytest.raises(StoreError, match="disk I/O error"):
        ingest(store, nato_news, OneItemEach())
    monkeypatch.undo()
    cut = snapshot(store)
    assert len(cut["articles"]) == BATCH and cut["unread"] == {}
    ingest(store, nato_news, OneItemEach())
    assert snapshot(store) == expected
    store.close()
