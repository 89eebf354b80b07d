"""What only the SQLite store promises: files, refusals that touch nothing, migrations."""

from __future__ import annotations

import datetime as dt
import random
import shutil
import sqlite3
from pathlib import Path

import pytest

from kingmaker.errors import StoreError
from kingmaker.store import SQLiteStore
from kingmaker.store.migrations import MIGRATIONS, migrate, split_statements

from .conftest import (
    back_to_schema_0003,
    fill_for_read_marks,
    forecast_run,
    make_article,
    make_race,
    sample_evidence,
)

FIXTURE = Path(__file__).parent / "fixtures" / "schema-0001.db"  # see golden.py, test_golden.py
LATEST = MIGRATIONS[-1][0]


def _random_bytes(n: int) -> bytes:
    return random.Random(1).randbytes(n)


@pytest.mark.parametrize(
    "content",
    [
        _random_bytes(4096),
        b"race: nato-sg-2024\nnot a database at all\n",
        b"SQLite format 3\x00" + _random_bytes(4080),  # right magic, corrupt header and pages
    ],
    ids=["random-bytes", "text-file", "corrupt-sqlite"],
)
def test_a_file_that_is_not_a_kingmaker_database_is_refused_and_untouched(
    tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "kingmaker.db"
    path.write_bytes(content)
    with pytest.raises(StoreError) as info:
        SQLiteStore(path)
    message = str(info.value)
    assert str(path) in message
    assert "KINGMAKER_DB" in message
    assert "\n" not in message
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kingmaker.db"]


def test_another_programs_sqlite_database_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE schema_migrations (version TEXT)")
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match=r"not a kingmaker one.*notes, schema_migrations"):
        SQLiteStore(path)
    assert path.read_bytes() == before


@pytest.mark.parametrize("where", ["under-a-file", "a-directory"])
def test_an_unusable_location_is_refused(tmp_path: Path, where: str) -> None:
    blocker = tmp_path / "blocker"
    if where == "under-a-file":
        blocker.write_text("a regular file\n")
        path = blocker / "sub" / "kingmaker.db"
    else:
        blocker.mkdir()
        path = blocker
    with pytest.raises(StoreError, match="KINGMAKER_DB") as info:
        SQLiteStore(path)
    assert str(blocker) in str(info.value)
    if where == "under-a-file":
        assert blocker.read_text() == "a regular file\n"


def test_parent_directories_are_created_and_wal_is_used(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "kingmaker.db"
    with SQLiteStore(path) as store:
        store.put_race(make_race())
    assert path.is_file()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_an_empty_file_becomes_a_database(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    with SQLiteStore(path) as store:
        assert store.schema_version() == LATEST


def test_data_persist_across_close_and_reopen(tmp_path: Path) -> None:
    path = tmp_path / "kingmaker.db"
    race = make_race(ev=sample_evidence())
    with SQLiteStore(path) as store:
        store.put_race(race)
        store.set_review("race-1", "e1", "rejected", "alice")
        fid = store.save_forecast(forecast_run())
        log = store.reviews("race-1")
    with SQLiteStore(path) as store:
        got = store.get_race("race-1")
        assert got.evidence[0].review == "rejected"
        assert got.evidence[1:] == race.evidence[1:]
        assert store.reviews("race-1") == log
        assert store.get_forecast(fid) == forecast_run().model_copy(update={"id": fid})
        assert store.save_forecast(forecast_run()) > fid


def test_migrations_are_recorded(tmp_path: Path) -> None:
    path = tmp_path / "kingmaker.db"
    SQLiteStore(path).close()
    conn = sqlite3.connect(path)
    rows = conn.execute("SELECT name, applied_at FROM schema_migrations ORDER BY name").fetchall()
    conn.close()
    assert [name for name, _ in rows] == [name for name, _ in MIGRATIONS]
    for _, applied_at in rows:
        assert dt.datetime.fromisoformat(applied_at).tzinfo is not None


def test_a_database_from_a_newer_kingmaker_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "kingmaker.db"
    SQLiteStore(path).close()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO schema_migrations VALUES ('9999_from_the_future', '2030-01-01')")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match=r"newer kingmaker.*9999_from_the_future.*KINGMAKER_DB"):
        SQLiteStore(path)
    assert path.read_bytes() == before


def test_migrate_twice_applies_nothing_the_second_time() -> None:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    assert migrate(conn) == [name for name, _ in MIGRATIONS]
    assert migrate(conn) == []


def test_a_failing_migration_leaves_nothing_behind() -> None:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    broken = (
        *MIGRATIONS,
        ("0999_broken", "CREATE TABLE half (a); INSERT INTO nowhere VALUES (1);"),
    )
    with pytest.raises(StoreError, match="0999_broken failed"):
        migrate(conn, broken)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "half" not in tables
    recorded = [r[0] for r in conn.execute("SELECT name FROM schema_migrations ORDER BY name")]
    assert recorded == [name for name, _ in MIGRATIONS]


def test_migration_names_are_unique_ordered_and_well_formed() -> None:
    names = [name for name, _ in MIGRATIONS]
    assert names == sorted(set(names))
    assert all(len(split_statements(sql)) > 0 for _, sql in MIGRATIONS)
    with pytest.raises(ValueError, match="must look like"):
        migrate(sqlite3.connect(":memory:", isolation_level=None), [("initial", "SELECT 1;")])


def test_split_statements_keeps_semicolons_in_strings() -> None:
    sql = "INSERT INTO t VALUES ('a;b');\n-- done; really\nSELECT 1;"
    assert split_statements(sql) == ["INSERT INTO t VALUES ('a;b');", "-- done; really\nSELECT 1;"]
    with pytest.raises(ValueError, match="incomplete"):
        split_statements("SELECT 1; SELECT 'open")


def test_upgrading_to_read_marks_counts_articles_with_evidence_as_read(tmp_path: Path) -> None:
    path = tmp_path / "kingmaker.db"
    with SQLiteStore(path) as store:
        said, quiet = fill_for_read_marks(store)
    conn = sqlite3.connect(path, isolation_level=None)
    back_to_schema_0003(conn.execute)
    conn.close()
    with SQLiteStore(path) as store:
        assert store.schema_version() == LATEST
        assert store.unread_races(said) == []  # its evidence shows it was read
        assert store.unread_races(quiet) == ["race-1"]  # read once more, to be sure


def test_a_race_an_older_kingmaker_added_is_fingerprinted_by_content(tmp_path: Path) -> None:
    path = tmp_path / "kingmaker.db"
    with SQLiteStore(path) as store:
        store.put_race(make_race(ev=sample_evidence()))
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("UPDATE races SET version = ''")  # as an older kingmaker's insert leaves it
    with SQLiteStore(path) as store:
        first = store.fingerprint("race-1")
        assert first == store.fingerprint("race-1")
        # the older kingmaker, still running, records a review without a version
        conn.execute("UPDATE evidence SET json = replace(json, 'accepted', 'rejected')")
        assert store.fingerprint("race-1") != first
    conn.close()


def test_a_write_failing_midway_leaves_nothing_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = SQLiteStore(tmp_path / "kingmaker.db")
    store.put_race(make_race(ev=sample_evidence()[:1]))

    def fail(*args: object) -> None:
        raise sqlite3.IntegrityError("disk said no")

    # The race row is written before the evidence rows: the failure comes after it.
    monkeypatch.setattr(store, "_insert_evidence", fail)
    with pytest.raises(StoreError, match="disk said no"):
        store.put_race(make_race(name="Renamed", ev=sample_evidence()))
    monkeypatch.undo()
    got = store.get_race("race-1")
    assert (got.name, [e.id for e in got.evidence]) == ("Test race", ["e1"])
    assert store.put_race(make_race(ev=sample_evidence())) == 2  # still writable
    store.close()


def test_two_stores_on_one_file_see_each_others_writes(tmp_path: Path) -> None:
    path = tmp_path / "kingmaker.db"
    with SQLiteStore(path) as first, SQLiteStore(path) as second:
        first.put_race(make_race(ev=sample_evidence()))
        assert second.get_race("race-1") == make_race(ev=sample_evidence())
        second.set_review("race-1", "e1", "rejected", "bob")
        assert first.get_race("race-1").evidence[0].review == "rejected"


def test_a_failing_article_batch_leaves_no_partial_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = SQLiteStore(tmp_path / "kingmaker.db")
    store.put_race(make_race())
    kept = make_article("Kept.")
    store.add_articles([(kept, ["race-1"])])

    def fail(*args: object) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    # Article rows are inserted before the race links: the failure comes after them.
    monkeypatch.setattr(store, "_insert_article_links", fail)
    batch = [(make_article(f"New {n}."), ["race-1"]) for n in range(3)]
    with pytest.raises(StoreError, match="disk I/O error"):
        store.add_articles(batch)
    monkeypatch.undo()
    assert store.article_count() == 1
    assert [a.id for a in store.articles()] == [kept.id]
    conn = sqlite3.connect(tmp_path / "kingmaker.db")
    counts = [
        conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("articles", "article_races")
    ]
    conn.close()
    assert counts == [1, 1]
    assert store.add_articles(batch) == 3  # still writable
    store.close()


def test_a_schema_0001_database_gains_article_storage(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    shutil.copyfile(FIXTURE, path)
    article = make_article("Fixture article.", date=dt.date(2024, 1, 2), date_basis="test")
    with SQLiteStore(path) as store:
        assert store.article_count() == 0
        assert store.add_articles([(article, ["fixture-race"])]) == 1
    with SQLiteStore(path) as store:
        assert list(store.articles("fixture-race")) == [article]
        assert len(store.get_race("fixture-race").evidence) == 2
    conn = sqlite3.connect(path)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    conn.close()
    assert {"articles", "article_races"} <= tables
    assert {"articles_by_date", "article_races_by_race"} <= indexes


def test_article_pages_use_the_date_index(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "k.db") as store:
        conn = store._conn
        assert conn is not None
        plan = conn.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM articles WHERE (ifnull(date, '9999-12-31'), id) "
            "> ('', '') ORDER BY ifnull(date, '9999-12-31'), id LIMIT 500"
        ).fetchall()
    assert any("articles_by_date" in str(row) for row in plan)
