"""What only the PostgreSQL store promises: URLs, one-line errors that never show the
password, migrations recorded (and refused when newer), writers serialised whatever the
server's default isolation, a pool of connections read from at once, and dropped
connections opened again."""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

import pgserver
from kingmaker.errors import StoreError
from kingmaker.store import PostgresStore, Store, open_store
from kingmaker.store import postgres as pg
from kingmaker.store.base import mask_url
from kingmaker.store.migrations import MIGRATIONS

from .conftest import (
    back_to_schema_0003,
    evidence,
    fill_for_read_marks,
    forecast_run,
    make_article,
    make_race,
    sample_evidence,
)
from .test_concurrency import check, write_together

SECRET = "s3cret-pw"
LATEST = MIGRATIONS[-1][0]


@pytest.fixture
def url(pg_database: Callable[..., str]) -> str:
    """URL of a fresh empty schema on the test server."""
    return pg_database()


def with_scheme(url: str, scheme: str) -> str:
    return f"{scheme}://{url.split('://', 1)[1]}"


def test_open_store_takes_both_url_schemes(url: str) -> None:
    for scheme in ("postgresql", "postgres"):
        with open_store(f"  {with_scheme(url, scheme)} ") as store:
            assert isinstance(store, PostgresStore)
            assert store.schema_version() == LATEST
            assert repr(store) == f"PostgresStore({mask_url(with_scheme(url, scheme))!r})"


def test_data_persist_across_close_and_reopen(url: str) -> None:
    def everything(store: Store) -> tuple[object, ...]:
        return (
            store.get_race("race-1"),
            store.reviews("race-1"),
            store.forecasts("race-1"),
            [(a, store.article_races(a.id)) for a in store.articles()],
        )

    with PostgresStore(url) as store:
        store.put_race(make_race(ev=sample_evidence()))
        store.set_review("race-1", "e1", "rejected", "alice")
        fid = store.save_forecast(forecast_run(seed=2**100))
        store.add_articles([(make_article(date=dt.date(2024, 1, 2)), ["race-1"])])
        written = everything(store)
    with PostgresStore(url) as store:
        assert everything(store) == written
        assert store.get_forecast(fid).seed == 2**100
        assert store.save_forecast(forecast_run()) > fid


def test_ids_sort_bytewise_whatever_the_database_collation(postgres_url: str) -> None:
    name = f"kingmaker_icu_{os.getpid()}"
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        try:
            admin.execute(
                f"CREATE DATABASE {name} TEMPLATE template0 LOCALE 'C' "
                "LOCALE_PROVIDER icu ICU_LOCALE 'en'"
            )
        except psycopg.Error as exc:
            pytest.skip(f"the test server cannot make a database sorting as English: {exc}")
        try:
            url = urlunsplit(urlsplit(postgres_url)._replace(path=f"/{name}"))
            with psycopg.connect(url) as conn:  # the database itself sorts as English
                rows = conn.execute("SELECT x FROM (VALUES ('B'), ('a')) AS v(x) ORDER BY x")
                assert [x for (x,) in rows] == ["a", "B"]
            ids = ["b", "B", "a", "a-1", "a_1", "A1", "a.1", "Z9"]
            ev = tuple(evidence(rid, "2024-02-01") for rid in ids)
            with PostgresStore(url) as store:
                for rid in ids:
                    store.put_race(make_race(rid, ev=ev))
                assert store.race_ids() == sorted(ids)
                assert [e.id for e in store.get_race("a").evidence] == sorted(ids)
        finally:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_migrations_are_recorded_under_the_sqlite_names(url: str) -> None:
    PostgresStore(url).close()
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT name, applied_at FROM schema_migrations ORDER BY name")
        recorded = rows.fetchall()
    assert [name for name, _ in recorded] == [name for name, _ in MIGRATIONS]
    assert [name for name, _ in pg.MIGRATIONS] == [name for name, _ in MIGRATIONS]
    for _, applied_at in recorded:
        assert dt.datetime.fromisoformat(applied_at).tzinfo is not None


def tables(url: str) -> list[tuple[str, str]]:
    """The tables of the URL's schema with their column names, to compare before and after."""
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() ORDER BY 1, 2"
        )
        return [(t, c) for t, c in rows]


def test_a_database_from_a_newer_kingmaker_is_refused_and_untouched(url: str) -> None:
    PostgresStore(url).close()
    with psycopg.connect(url) as conn:
        conn.execute("INSERT INTO schema_migrations VALUES ('9999_from_the_future', '2030-01-01')")
    before = tables(url)
    with pytest.raises(
        StoreError, match=r"newer kingmaker.*9999_from_the_future.*KINGMAKER_DB"
    ) as info:
        PostgresStore(url)
    assert "\n" not in str(info.value)
    assert tables(url) == before


def test_another_programs_schema_is_refused_and_untouched(url: str) -> None:
    with psycopg.connect(url) as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
    with pytest.raises(StoreError, match=r"PostgreSQL database but not a kingmaker one.*notes"):
        open_store(url)
    assert tables(url) == [("notes", "body")]


@pytest.mark.parametrize(
    "target",
    [
        f"postgresql://kim:{SECRET}@127.0.0.1:{pgserver.free_port()}/kingmaker",
        f"postgres://kim:{SECRET}@127.0.0.1:notaport/kingmaker",
        f"postgresql://kim:{SECRET}@[::1/kingmaker",
        f"postgresql://kim:{SECRET}@127.0.0.1/kingmaker?bogus=1",
        f"postgresql://kim@127.0.0.1:{pgserver.free_port()}/kingmaker?password={SECRET}",
    ],
    ids=["nobody-listens", "bad-port", "bad-host", "bad-parameter", "password-parameter"],
)
def test_a_url_that_cannot_be_opened_is_one_line_without_the_password(target: str) -> None:
    with pytest.raises(StoreError) as info:
        open_store(target)
    message = str(info.value)
    assert message.startswith("cannot connect to postgres")
    assert "***" in message
    assert SECRET not in message
    assert "\n" not in message
    assert message.endswith("check the URL and that the server is running")


def test_the_server_refusing_the_database_is_one_line_without_the_password(
    postgres_url: str,
) -> None:
    parts = urlsplit(postgres_url)
    host = parts.netloc.rsplit("@", 1)[-1]
    target = urlunsplit(parts._replace(netloc=f"kim:{SECRET}@{host}", path="/no_such_db"))
    with pytest.raises(StoreError, match=r"cannot connect to .*kim:\*\*\*@") as info:
        open_store(target)
    assert SECRET not in str(info.value)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("postgresql://kim:pw@h:5432/db", "postgresql://kim:***@h:5432/db"),
        ("postgres://kim:p%40w@h/db?sslmode=require", "postgres://kim:***@h/db?sslmode=require"),
        ("postgresql://kim@h/db", "postgresql://kim@h/db"),
        ("postgresql://h/db?user=kim&password=pw", "postgresql://h/db?user=kim&password=***"),
        ("host=h password=pw dbname=db", "host=h password=*** dbname=db"),
        ("postgresql://:pw@h/db", "postgresql://:***@h/db"),
    ],
)
def test_mask_url(text: str, masked: str) -> None:
    assert mask_url(text) == masked


def test_writers_stay_serialised_when_the_server_defaults_to_serializable(
    pg_database: Callable[..., str],
) -> None:
    url = pg_database("default_transaction_isolation=serializable")
    with PostgresStore(url) as first, PostgresStore(url) as second:
        first.put_race(make_race())
        counts = write_together([first, second], ["same", "same"])
        check(second, {"same"}, counts)


def test_a_write_waiting_too_long_for_another_is_busy(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pg, "_LOCK_TIMEOUT", "100ms")
    store = PostgresStore(url)
    store.put_race(make_race())
    with psycopg.connect(url) as other:  # holds the writers' lock until it rolls back
        other.execute("SELECT pg_advisory_xact_lock(%s)", (pg.WRITE_LOCK,))
        with pytest.raises(StoreError, match=r"is busy .*try again"):
            store.add_evidence("race-1", sample_evidence())
        assert store.race_ids() == ["race-1"]  # readers do not wait
        other.rollback()
    assert store.add_evidence("race-1", sample_evidence()) == 3
    store.close()


def named(url: str, name: str) -> str:
    """``url`` with its connections named ``name`` in ``pg_stat_activity``."""
    return f"{url}{'&' if '?' in url else '?'}application_name={name}"


def backends(admin: psycopg.Connection[Any], name: str) -> set[int]:
    """The server processes of the connections named ``name``."""
    rows = admin.execute("SELECT pid FROM pg_stat_activity WHERE application_name = %s", (name,))
    return {pid for (pid,) in rows}


def wait_for(check: Callable[[], bool]) -> None:
    for _ in range(250):
        if check():
            return
        time.sleep(0.02)
    raise AssertionError("the server did not get there within 5 s")


def test_dropped_connections_are_opened_again(url: str, postgres_url: str) -> None:
    name = f"kingmaker-test-{os.getpid()}-drop"
    store = PostgresStore(named(url, name))
    store.put_race(make_race())
    version = store.fingerprint("race-1")
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        dropped = backends(admin, name)
        assert dropped
        for pid in dropped:  # as a server restart or an idle timeout would
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        wait_for(lambda: not backends(admin, name) & dropped)
        assert store.fingerprint("race-1") == version  # a read without a transaction
        assert store.race_ids() == ["race-1"]
        assert store.add_evidence("race-1", sample_evidence()) == 3
        assert backends(admin, name) and not backends(admin, name) & dropped
        store.close()
        wait_for(lambda: not backends(admin, name))  # closing closes every connection
    with pytest.raises(StoreError, match="closed"):
        store.race_ids()


def test_threads_read_at_once_on_pooled_connections(url: str, postgres_url: str) -> None:
    name = f"kingmaker-test-{os.getpid()}-pool"
    with PostgresStore(named(url, name), pool_size=3) as store:
        store.put_race(make_race(ev=sample_evidence()))
        together = threading.Barrier(3, timeout=10)  # broken unless three reads overlap
        seen: list[int] = []

        def read() -> None:
            with store._transaction("read") as tx:
                seen.append(tx.execute("SELECT pg_backend_pid()").fetchone()[0])
                together.wait()
            assert len(store.get_race("race-1").evidence) == 3

        threads = [threading.Thread(target=read) for _ in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(set(seen)) == 3
        with psycopg.connect(postgres_url, autocommit=True) as admin:
            assert len(backends(admin, name)) <= 3


def test_a_transaction_waiting_too_long_for_a_connection_says_so(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pg, "POOL_WAIT", 0.2)
    with PostgresStore(url, pool_size=1) as store:
        store.put_race(make_race())
        with (
            store._transaction("hold the only connection"),
            pytest.raises(StoreError, match=r"no connection to list races within 0.2 s"),
        ):
            store.race_ids()
        assert store.race_ids() == ["race-1"]


def test_a_pool_needs_a_connection(url: str) -> None:
    with pytest.raises(StoreError, match="at least 1 connection"):
        open_store(url, pool_size=0)


def test_upgrading_to_read_marks_counts_articles_with_evidence_as_read(url: str) -> None:
    with PostgresStore(url) as store:
        said, quiet = fill_for_read_marks(store)
    with psycopg.connect(url, autocommit=True) as conn:
        back_to_schema_0003(conn.execute)
    with PostgresStore(url) as store:
        assert store.schema_version() == LATEST
        assert store.unread_races(said) == []
        assert store.unread_races(quiet) == ["race-1"]


def test_upgrading_to_race_versions_gives_each_race_its_own(url: str) -> None:
    with PostgresStore(url) as store:
        store.put_race(make_race("race-1"))
        store.put_race(make_race("race-2"))
    with psycopg.connect(url, autocommit=True) as conn:  # back to a 0004 database
        conn.execute("ALTER TABLE races DROP COLUMN version")
        conn.execute("DELETE FROM schema_migrations WHERE name = '0005_race_versions'")
    with PostgresStore(url) as store:
        assert store.schema_version() == LATEST
        versions = {store.fingerprint(r).split(":")[1] for r in ("race-1", "race-2")}
        assert len(versions) == 2 and all(len(v) == 32 for v in versions)
    with (
        psycopg.connect(url, autocommit=True) as conn,
        pytest.raises(psycopg.errors.NotNullViolation),  # an older kingmaker's insert
    ):
        conn.execute("INSERT INTO races (id, json) VALUES ('old', '{}')")


def test_article_pages_use_the_date_index(url: str) -> None:
    with PostgresStore(url) as store, psycopg.connect(url) as conn:
        conn.execute("SET enable_seqscan = off")
        key = pg.POSTGRES.date_key
        plan = conn.execute(
            f"EXPLAIN SELECT id FROM articles WHERE ({key}, id) > ('', '') "
            f"ORDER BY {key}, id LIMIT 500"
        ).fetchall()
        assert store.article_count() == 0
    assert any("articles_by_date" in row[0] for row in plan)


@pytest.mark.parametrize("required", ["1", ""])
def test_no_server_skips_unless_services_are_required(
    monkeypatch: pytest.MonkeyPatch, required: str
) -> None:
    monkeypatch.delenv(pgserver.URL_VAR, raising=False)
    monkeypatch.setenv(pgserver.REQUIRE_VAR, required)
    monkeypatch.setattr(pgserver, "find_bindir", lambda: None)
    outcome = pytest.fail.Exception if required else pytest.skip.Exception
    with pytest.raises(outcome, match="initdb and pg_ctl"), pgserver.postgres_server():
        pass
