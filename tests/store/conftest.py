"""Factories for the store tests: small races (the shared ``make_race`` with the store
tests' ids) and typed evidence built in code, and one fixture that yields every store
implementation so the contract tests run against each. ``make_article`` is the shared one.

The PostgreSQL store runs against the server of ``pgserver.postgres_server`` (started once
per session); each store gets a fresh schema of its own, dropped after the test.
"""

from __future__ import annotations

import datetime as dt
import itertools
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import conftest as shared
from conftest import make_article
from kingmaker.records import Evidence, Race
from kingmaker.store import MemoryStore, SQLiteStore, Store, StoredForecast, open_store
from kingmaker.store.base import EVIDENCE

MEMBERS = ("AAA", "BBB", "CCC", "DDD")
CANDIDATES = ("ann", "bob", "cy")
IMPLEMENTATIONS = ("memory", "sqlite-file", "sqlite-memory", "postgres")


def evidence(eid: str, day: str = "2024-02-01", **fields: Any) -> Evidence:
    """An evidence item: a stance of AAA for ann unless ``kind`` or fields say otherwise."""
    data: dict[str, Any] = {
        "id": eid,
        "date": day,
        "source": {"url": "https://example.org/a"},
        "producer": "curated:test",
        "kind": "stance",
    }
    if fields.get("kind", "stance") == "stance":
        data.update(member="AAA", candidate="ann", stance="support")
    data.update(fields)
    return EVIDENCE.validate_python(data)


def candidacy(eid: str, day: str, candidate: str, status: str = "declared") -> Evidence:
    """A candidacy evidence item."""
    return evidence(eid, day, kind="candidacy", candidate=candidate, status=status)


def make_race(
    race_id: str = "race-1",
    *,
    name: str = "Test race",
    ev: tuple[Any, ...] = (),
    members: tuple[str, ...] = MEMBERS,
    candidates: tuple[str, ...] = CANDIDATES,
) -> Race:
    """A small valid race (the shared ``make_race``): one body with ``members``, a
    consensus rule, ``candidates``."""
    return shared.make_race(
        candidates=candidates,
        members=[shared.member(m) for m in members],
        evidence=ev,
        id=race_id,
        name=name,
        post={"name": "Chair"},
    )


def sample_evidence() -> tuple[Evidence, ...]:
    """Three items of different kinds, sorted by date then id."""
    return (
        candidacy("e1", "2024-01-10", "ann"),
        evidence("e2", "2024-01-20", member="BBB", candidate="bob", stance="oppose"),
        evidence("e3", "2024-01-20", kind="count", candidate="ann", count=2, of=4),
    )


def forecast_run(race_id: str = "race-1", as_of: str = "2024-03-01", **kw: Any) -> StoredForecast:
    """A stored-forecast record, not yet saved."""
    data: dict[str, Any] = {
        "race_id": race_id,
        "as_of": as_of,
        "seed": 7,
        "samples": 1000,
        "model": "consensus-mc.v1",
        "params": {"temperature": 0.5, "blocks": ["AAA"]},
        "result": {"p": {"ann": 0.6, "bob": 0.4}, "deadlock": 0.0},
        "created_at": dt.datetime(2024, 3, 1, 12, 0, 5, 123, tzinfo=dt.UTC),
    }
    data.update(kw)
    return StoredForecast.model_validate(data)


@pytest.fixture(params=IMPLEMENTATIONS)
def make_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], Store]]:
    """A factory of fresh, empty stores of one implementation; all are closed afterwards."""
    opened: list[Store] = []
    counter = itertools.count()
    kind = request.param
    new_schema = request.getfixturevalue("pg_database") if kind == "postgres" else None

    def make() -> Store:
        if kind == "memory":
            store: Store = MemoryStore()
        elif kind == "sqlite-file":
            store = SQLiteStore(tmp_path / f"db{next(counter)}" / "kingmaker.db")
        elif new_schema is not None:
            store = open_store(new_schema())
        else:
            store = SQLiteStore(":memory:")
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.close()


def run_together(work: Callable[[int], None], n: int) -> list[BaseException]:
    """Call ``work(0)`` .. ``work(n - 1)`` in ``n`` threads started at once; the errors
    they raised."""
    start = threading.Barrier(n)
    failures: list[BaseException] = []

    def run(i: int) -> None:
        start.wait()
        try:
            work(i)
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return failures


@pytest.fixture(params=["sqlite-file", "postgres"])
def same_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], Store]]:
    """A factory of stores, each with its own connection, all on one fresh database."""
    if request.param == "postgres":
        url = request.getfixturevalue("pg_database")()
        target: Callable[[], Store] = lambda: open_store(url)  # noqa: E731
    else:
        target = lambda: SQLiteStore(tmp_path / "kingmaker.db")  # noqa: E731
    opened: list[Store] = []

    def make() -> Store:
        opened.append(target())
        return opened[-1]

    yield make
    for store in opened:
        store.close()


@pytest.fixture
def store(make_store: Callable[[], Store]) -> Store:
    """A fresh, empty store of each implementation in turn."""
    return make_store()


def back_to_schema_0003(execute: Callable[[str], object]) -> None:
    """Turn a database of the current schema back into one of 0003 (before read marks)."""
    execute("ALTER TABLE article_races DROP COLUMN read_at")
    execute("DELETE FROM schema_migrations WHERE name = '0004_article_reads'")


def fill_for_read_marks(store: Any) -> tuple[str, str]:
    """A race with two articles, only the first of which gave it evidence; their ids."""
    store.put_race(make_race())
    said, quiet = make_article("Ann leads."), make_article("Nothing new.")
    store.add_articles([(said, ["race-1"]), (quiet, ["race-1"])])
    item = evidence("x1", source={"url": "https://example.org/a", "content_hash": said.id})
    store.add_evidence("race-1", [item])
    return said.id, quiet.id
