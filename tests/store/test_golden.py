"""Golden databases (tests/store/golden.py): a store of every released schema version, as a
SQLite file and as a PostgreSQL dump, opens, migrates to the current schema, reads the
same data and takes new writes. The committed files are what the released migrations
write, so a migration changed after its release is caught here."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from kingmaker.store import SQLiteStore, Store, StoredForecast, open_store
from kingmaker.store.base import ArticleSignature, FetchRecord

from .conftest import candidacy, make_article
from .golden import (
    BANDS,
    FETCH_URL,
    FIXTURES,
    MINHASH,
    QUIET,
    RACE_ID,
    RACE_VERSION,
    RUN_RACE_VERSION,
    SAID,
    SAID_URL,
    SCHEME,
    VERSIONS,
    at_least,
    postgres_dump,
    postgres_path,
    sqlite_database,
    sqlite_path,
)

LATEST = VERSIONS[-1]
UTC = dt.UTC


def test_every_released_schema_version_has_its_golden_files() -> None:
    hint = "run .venv/bin/python tests/store/golden.py (see its docstring)"
    assert sorted(p.name for p in FIXTURES.glob("schema-*.db")) == [
        sqlite_path(v).name for v in VERSIONS
    ], hint
    assert sorted(p.name for p in FIXTURES.glob("schema-*.postgres.sql")) == [
        postgres_path(v).name for v in VERSIONS
    ], hint


@pytest.mark.parametrize("version", VERSIONS)
def test_the_golden_files_are_what_the_released_migrations_write(version: str) -> None:
    committed = sqlite3.connect(f"file:{sqlite_path(version)}?mode=ro", uri=True)
    fresh = sqlite_database(version)
    try:
        assert list(committed.iterdump()) == list(fresh.iterdump()), (
            f"{sqlite_path(version).name} differs from what migrations up to {version} "
            "write: a released migration changed (add a new one instead)"
        )
    finally:
        committed.close()
        fresh.close()
    # PostgreSQL keeps no DDL text: its dump must say the same, comments and spacing aside
    committed_dump = postgres_path(version).read_text(encoding="utf-8")
    assert sql_words(committed_dump) == sql_words(postgres_dump(version)), (
        f"{postgres_path(version).name} differs from what migrations up to {version} "
        "write: a released migration changed (add a new one instead)"
    )


def sql_words(sql: str) -> list[str]:
    """The statements of a SQL script, comments left out and spacing made single."""
    return [" ".join(s.split()) for s in " ".join(map(code_of, sql.splitlines())).split(";")]


def code_of(line: str) -> str:
    """A line of SQL without its ``--`` comment (one outside a quoted string)."""
    quoted = False
    for i, ch in enumerate(line):
        if ch == "'":
            quoted = not quoted
        elif not quoted and line.startswith("--", i):
            return line[:i]
    return line


def check_reads_and_writes(store: Store, version: str) -> None:
    """The golden data read back from a store upgraded from ``version``, then new writes."""
    assert store.schema_version() == LATEST
    race = store.get_race(RACE_ID)
    assert race.name == "Fixture race" and race.post.incumbent == "Old Chair"
    assert [(m.id, m.weight) for m in race.bodies[0].members] == [
        ("AAA", 2.0),
        ("BBB", 1.0),
        ("CCC", 1.0),
    ]
    assert race.member("BBB").veto and race.candidate("bob").home == "BBB"
    articles = at_least(version, "0003_articles")
    assert [(e.id, e.kind, e.review) for e in race.evidence] == [
        ("e1", "candidacy", "accepted"),
        ("e2", "stance", "rejected"),
        *([("e3", "count", "accepted")] if articles else []),
    ]
    assert race.evidence[1].quote == "BBB will not back Bob."
    (entry,) = store.reviews(RACE_ID)
    assert (entry.evidence_id, entry.previous, entry.review, entry.reviewer) == (
        "e2",
        "accepted",
        "rejected",
        "alice",
    )
    (run,) = store.forecasts(RACE_ID)
    assert (run.as_of, run.seed, run.samples, run.model) == (
        dt.date(2024, 2, 1),
        42,
        500,
        "consensus-mc.v1",
    )
    assert (run.params, run.result) == ({"temperature": 0.5}, {"p": {"ann": 0.7, "bob": 0.3}})
    assert run.created_at == dt.datetime(2024, 2, 1, 12, tzinfo=UTC)
    new_runs = at_least(version, "0008_forecast_race_versions")
    assert run.race_version == (RUN_RACE_VERSION if new_runs else None)

    fingerprint = store.fingerprint(RACE_ID)
    if at_least(version, "0005_race_versions"):
        assert fingerprint == f"{RACE_ID}:{RACE_VERSION}"
    else:  # the upgrade gave the race a random version
        assert fingerprint.startswith(f"{RACE_ID}:") and len(fingerprint.split(":")[1]) == 32

    if at_least(version, "0006_fetches"):
        assert store.fetch_records() == [
            FetchRecord(
                url=FETCH_URL,
                etag='"abc"',
                last_modified="Thu, 01 Feb 2024 10:00:00 GMT",
                sha256="ab" * 32,
                status=200,
                fetched_at=dt.datetime(2024, 2, 2, 6, tzinfo=UTC),
                changed_at=dt.datetime(2024, 2, 1, 6, tzinfo=UTC),
                fetches=3,
            )
        ]
    else:
        assert store.fetch_records() == []

    if articles:
        assert [a.id for a in store.articles(RACE_ID)] == [SAID, QUIET]  # undated last
        said, quiet = store.get_article(SAID), store.get_article(QUIET)
        assert (said.url, said.title, said.publisher, said.date, said.date_basis) == (
            SAID_URL,
            "Ann counts",
            "Example Post",
            dt.date(2024, 2, 1),
            "metadata",
        )
        assert (quiet.url, quiet.file, quiet.date, quiet.duplicate_of) == (
            None,
            "notes/quiet.txt",
            None,
            None,
        )
        assert store.article_races(QUIET) == [RACE_ID]
        # read marks: before 0004, the article that gave the race evidence counts as read
        assert store.unread_races(SAID) == [] and store.unread_races(QUIET) == [RACE_ID]
        signed = at_least(version, "0007_article_signatures")
        unsigned = {a.id for a in store.unsigned_articles(SCHEME)}
        assert unsigned == ({QUIET} if signed else {SAID, QUIET})
        if signed:
            holders = store.band_holders(SCHEME, list(BANDS))
            assert {k: m.signature for k, m in holders.items()} == {
                k: ArticleSignature(SAID, SCHEME, MINHASH, 9, BANDS) for k in BANDS
            }
        store.put_signatures([ArticleSignature(QUIET, SCHEME, MINHASH, 4, (12,))])
        assert store.band_holders(SCHEME, [12])[12].signature.article_id == QUIET
    else:
        assert store.article_count() == 0

    # The upgraded store takes new writes; an item stored already changes nothing.
    store.add_evidence(RACE_ID, [candidacy("e1", "2024-01-10", "ann")])
    assert store.fingerprint(RACE_ID) == fingerprint
    store.set_review(RACE_ID, "e1", "pending", "bob")
    assert store.fingerprint(RACE_ID) != fingerprint
    assert [e.review for e in store.reviews(RACE_ID)] == ["rejected", "pending"]
    new = StoredForecast(
        race_id=RACE_ID,
        as_of=dt.date(2024, 3, 1),
        seed=1,
        samples=100,
        model="consensus-mc.v1",
        params={},
        result={"p": {"ann": 1.0}},
        race_version="v",
    )
    saved = store.save_forecast(new)
    assert saved != run.id and store.get_forecast(saved).race_version == "v"
    article = make_article("Bob is out of the race.", date="2024-03-02")
    store.add_articles([(article, [RACE_ID])])
    assert store.unread_races(article.id) == [RACE_ID]


@pytest.mark.parametrize("version", VERSIONS)
def test_a_golden_sqlite_database_upgrades_and_reads_the_same(version: str, tmp_path: Path) -> None:
    path = tmp_path / "kingmaker.db"
    shutil.copyfile(sqlite_path(version), path)
    with SQLiteStore(path) as store:
        check_reads_and_writes(store, version)
    conn = sqlite3.connect(path)
    indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    conn.close()
    assert {"evidence_by_date", "reviews_by_item", "forecasts_by_race"} <= indexes


@pytest.mark.parametrize("version", VERSIONS)
def test_a_golden_postgres_dump_upgrades_and_reads_the_same(
    version: str, pg_database: Callable[..., str]
) -> None:
    import psycopg

    url = pg_database()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(postgres_path(version).read_text(encoding="utf-8"))  # type: ignore[arg-type]
    with open_store(url) as store:
        check_reads_and_writes(store, version)
