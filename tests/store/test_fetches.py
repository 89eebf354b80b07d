"""Fetch records (what was last fetched from a URL, and when) in every store, and the
migration that adds them (0006_fetches) to a database of the schema before."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from kingmaker.errors import StoreError
from kingmaker.store import FetchRecord, SQLiteStore, Store, open_store
from kingmaker.store.migrations import MIGRATIONS

from .conftest import make_race, sample_evidence

LATEST = MIGRATIONS[-1][0]
AT = dt.datetime(2026, 5, 1, 9, 30, 15, 250, tzinfo=dt.UTC)


def record(url: str = "https://news.example.org/feed.xml", **kw: object) -> FetchRecord:
    data: dict[str, object] = {
        "url": url,
        "etag": 'W/"abc"',
        "last_modified": "Fri, 01 May 2026 09:00:00 GMT",
        "sha256": "0" * 64,
        "status": 200,
        "fetched_at": AT,
        "changed_at": AT,
        "fetches": 1,
    }
    data.update(kw)
    return FetchRecord.model_validate(data)


def test_a_fetch_record_reads_back_equal_and_is_replaced(store: Store) -> None:
    assert store.get_fetch("https://news.example.org/feed.xml") is None
    first = record()
    store.put_fetch(first)
    assert store.get_fetch(first.url) == first
    later = record(
        etag=None,
        status=None,
        error="no answer after 4 tries (timed out)",
        fetched_at=AT + dt.timedelta(minutes=15),
        fetches=2,
    )
    store.put_fetch(later)
    assert store.get_fetch(first.url) == later
    other = record("http://127.0.0.1:8000/b", changed_at=None, last_modified=None)
    store.put_fetch(other)
    assert [r.url for r in store.fetch_records()] == [other.url, first.url]
    assert store.fetch_records()[0] == other


def test_fetch_records_survive_close_and_reopen(tmp_path: Path) -> None:
    path = tmp_path / "kingmaker.db"
    with SQLiteStore(path) as store:
        store.put_fetch(record())
    with SQLiteStore(path) as store:
        assert store.get_fetch(record().url) == record()


def test_a_closed_store_refuses_fetch_records(make_store: Callable[[], Store]) -> None:
    store = make_store()
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.get_fetch("https://news.example.org/feed.xml")


def _back_to_schema_0005(execute: Callable[[str], object]) -> None:
    execute("DROP TABLE fetches")
    execute("DELETE FROM schema_migrations WHERE name = '0006_fetches'")


def _check_upgraded(store: Store) -> None:
    assert store.schema_version() == LATEST
    race = store.get_race("race-1")  # the data from before are intact
    assert [e.id for e in race.evidence] == [e.id for e in sample_evidence()]
    assert store.fetch_records() == []
    store.put_fetch(record())
    assert store.get_fetch(record().url) == record()


def test_a_schema_0005_sqlite_database_gains_fetch_records(tmp_path: Path) -> None:
    path = tmp_path / "kingmaker.db"
    with SQLiteStore(path) as store:
        store.put_race(make_race(ev=sample_evidence()))
    conn = sqlite3.connect(path, isolation_level=None)
    _back_to_schema_0005(conn.execute)
    conn.close()
    with SQLiteStore(path) as store:
        _check_upgraded(store)


def test_a_schema_0005_postgres_database_gains_fetch_records(
    pg_database: Callable[..., str],
) -> None:
    import psycopg

    url = pg_database()
    with open_store(url) as store:
        store.put_race(make_race(ev=sample_evidence()))
    with psycopg.connect(url, autocommit=True) as conn:
        _back_to_schema_0005(conn.execute)
    with open_store(url) as store:
        _check_upgraded(store)
