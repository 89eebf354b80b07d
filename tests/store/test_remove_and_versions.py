"""Removing a race with its articles, refusing a store that cannot be written, and the race
version every forecast run records (migration 0008), on every backend."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from kingmaker.errors import StoreError, UnknownRaceError
from kingmaker.store import SQLiteStore, Store, open_store
from kingmaker.store.base import race_version
from kingmaker.store.migrations import MIGRATIONS

from .conftest import forecast_run, make_article, make_race, sample_evidence

LATEST = MIGRATIONS[-1][0]


def two_races(store: Store) -> None:
    store.put_race(make_race("race-1", ev=sample_evidence()))
    store.put_race(make_race("race-2"))


def test_removing_a_race_with_articles_keeps_those_another_race_uses(store: Store) -> None:
    two_races(store)
    shared, own, other = make_article("Both."), make_article("Mine."), make_article("Theirs.")
    store.add_articles([(shared, ["race-1", "race-2"]), (own, ["race-1"]), (other, ["race-2"])])
    store.save_forecast(forecast_run("race-1"))
    assert store.delete_race("race-1", articles=True) == 1
    assert not store.has_article(own.id)
    assert store.has_article(shared.id) and store.has_article(other.id)
    assert store.article_races(shared.id) == ["race-2"]
    assert store.race_ids() == ["race-2"]
    with pytest.raises(UnknownRaceError):
        store.forecasts("race-1")
    with pytest.raises(UnknownRaceError):
        store.delete_race("race-1", articles=True)


def test_an_article_a_kept_article_names_as_first_seen_stays(store: Store) -> None:
    two_races(store)
    first, copy = make_article("Ann leads."), make_article("Ann leads!")
    later = make_article("Ann leads?", duplicate_of=copy.id)
    store.add_articles([(first, ["race-1"])])
    store.add_articles([(copy.model_copy(update={"duplicate_of": first.id}), ["race-1"])])
    store.add_articles([(later, ["race-2"])])  # race-2 keeps later, which names copy
    own_pair = make_article("Bob.")
    own_copy = make_article("Bob!", duplicate_of=own_pair.id)
    store.add_articles([(own_pair, ["race-1"]), (own_copy, ["race-1"])])
    assert store.delete_race("race-1", articles=True) == 2  # Bob's pair; not the chain
    assert store.has_article(first.id) and store.has_article(copy.id)
    assert store.get_article(later.id).duplicate_of == copy.id
    assert not store.has_article(own_pair.id) and not store.has_article(own_copy.id)
    assert store.article_count() == 3


def test_without_articles_a_removed_race_leaves_every_article(store: Store) -> None:
    two_races(store)
    store.add_articles([(make_article("Mine."), ["race-1"])])
    assert store.delete_race("race-1") == 0
    assert store.article_count() == 1


def test_a_writable_store_says_so_and_a_closed_one_refuses(store: Store) -> None:
    store.check_writable()
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.check_writable()


def test_a_read_only_sqlite_store_refuses_before_removing_anything(tmp_path: Path) -> None:
    path = tmp_path / "kingmaker.db"
    with SQLiteStore(path) as store:
        two_races(store)
        store.add_articles([(make_article("Mine."), ["race-1"])])
    with SQLiteStore(path) as store:
        store._conn.execute("PRAGMA query_only = ON")  # as a read-only file or mount
        with pytest.raises(StoreError) as info:
            store.check_writable()
        assert "cannot be written" in str(info.value) and "\n" not in str(info.value)
        with pytest.raises(StoreError, match="cannot be written"):
            store.delete_race("race-1", articles=True)
        assert store.race_ids() == ["race-1", "race-2"] and store.article_count() == 1
        assert [r[0] for r in store._conn.execute("SELECT name FROM schema_migrations")][
            -1
        ] == LATEST  # the write check left no row behind


def test_runs_keep_their_race_version(store: Store) -> None:
    race = make_race(ev=sample_evidence())
    store.put_race(race)
    version = race_version(race)
    run_id = store.save_forecast(forecast_run(race_version=version))
    old_id = store.save_forecast(forecast_run())
    assert store.get_forecast(run_id).race_version == version
    assert store.get_forecast(old_id).race_version is None
    assert [r.race_version for r in store.forecasts("race-1")] == [version, None]


def test_the_race_version_follows_the_definition_not_the_evidence() -> None:
    race = make_race()
    assert race_version(race) == race_version(make_race(ev=sample_evidence()))
    assert race_version(race) != race_version(make_race(name="Renamed"))
    assert race_version(race) != race_version(make_race(members=("AAA", "BBB", "CCC")))
    assert len(race_version(race)) == 64


def _back_to_schema_before_0008(execute: Callable[[str], object]) -> None:
    execute("ALTER TABLE forecasts DROP COLUMN race_version")
    execute("DELETE FROM schema_migrations WHERE name = '0008_forecast_race_versions'")


def _check_upgraded(store: Store) -> None:
    assert store.schema_version() == LATEST
    (old,) = store.forecasts("race-1")
    assert old.race_version is None and old.result == forecast_run().result
    new = store.save_forecast(forecast_run(race_version="v" * 64))
    assert store.get_forecast(new).race_version == "v" * 64


def test_an_sqlite_database_from_before_race_versions_gains_them(tmp_path: Path) -> None:
    path = tmp_path / "kingmaker.db"
    with SQLiteStore(path) as store:
        store.put_race(make_race(ev=sample_evidence()))
        store.save_forecast(forecast_run())
    conn = sqlite3.connect(path, isolation_level=None)
    _back_to_schema_before_0008(conn.execute)
    conn.close()
    with SQLiteStore(path) as store:
        _check_upgraded(store)


def test_a_postgres_database_from_before_race_versions_gains_them(
    pg_database: Callable[..., str],
) -> None:
    import psycopg

    url = pg_database()
    with open_store(url) as store:
        store.put_race(make_race(ev=sample_evidence()))
        store.save_forecast(forecast_run())
    with psycopg.connect(url, autocommit=True) as conn:
        _back_to_schema_before_0008(conn.execute)
    with open_store(url) as store:
        _check_upgraded(store)


def test_a_postgres_role_that_may_only_read_is_refused_before_removing(
    pg_database: Callable[..., str],
) -> None:
    import os
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    url = pg_database()
    with open_store(url) as store:
        two_races(store)
    role = f"kingmaker_reader_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as admin:
        schema = admin.execute("SELECT current_schema()").fetchone()[0]  # type: ignore[index]
        admin.execute(f"CREATE ROLE {role} LOGIN PASSWORD 'reader'")
        admin.execute(f"GRANT USAGE ON SCHEMA {schema} TO {role}")
        admin.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {role}")
        parts = urlsplit(url)
        host = parts.netloc.rsplit("@", 1)[-1]
        reader_url = urlunsplit(parts._replace(netloc=f"{role}:reader@{host}"))
        try:
            with open_store(reader_url) as reader:
                with pytest.raises(StoreError) as info:
                    reader.check_writable()
                assert "cannot be written" in str(info.value) and "\n" not in str(info.value)
                assert "reader'" not in str(info.value)  # no password in the message
                with pytest.raises(StoreError, match="cannot be written"):
                    reader.delete_race("race-1", articles=True)
                assert reader.race_ids() == ["race-1", "race-2"]
        finally:
            admin.execute(f"DROP OWNED BY {role}")
            admin.execute(f"DROP ROLE {role}")
