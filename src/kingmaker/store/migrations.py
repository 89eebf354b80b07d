"""Named schema migrations of the SQL stores, applied in order and recorded.

``MIGRATIONS`` lists the SQLite schema as ``(name, sql)``; ``migrate`` applies the missing
ones of such a list, one transaction each, and records them in ``schema_migrations`` (the
PostgreSQL schema, under the same names, is in ``kingmaker.store.postgres``). A released
migration never changes: a new schema is a new migration, and tests keep a database file
from each released version.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Sequence
from typing import Any, Final

from kingmaker.errors import StoreError
from kingmaker.store.dialect import SQLITE, Dialect

ELSEWHERE: Final = SQLITE.elsewhere
HINT: Final = SQLITE.hint
NAME_PATTERN: Final = re.compile(r"^\d{4}_[a-z0-9_]+$")

MIGRATIONS: Final[tuple[tuple[str, str], ...]] = (
    (
        "0001_initial",
        """
        CREATE TABLE races (
            id TEXT PRIMARY KEY,
            json TEXT NOT NULL
        );
        CREATE TABLE evidence (
            race_id TEXT NOT NULL REFERENCES races(id) ON DELETE CASCADE,
            id TEXT NOT NULL,
            date TEXT NOT NULL,
            kind TEXT NOT NULL,
            json TEXT NOT NULL,
            PRIMARY KEY (race_id, id)
        );
        CREATE TABLE reviews (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            race_id TEXT NOT NULL,
            evidence_id TEXT NOT NULL,
            previous TEXT NOT NULL,
            review TEXT NOT NULL CHECK (review IN ('accepted', 'pending', 'rejected')),
            reviewer TEXT NOT NULL,
            at TEXT NOT NULL,
            FOREIGN KEY (race_id, evidence_id) REFERENCES evidence(race_id, id) ON DELETE CASCADE
        );
        -- seed is decimal text: seeds from numpy's SeedSequence exceed 64 bits.
        CREATE TABLE forecasts (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            race_id TEXT NOT NULL REFERENCES races(id) ON DELETE CASCADE,
            as_of TEXT NOT NULL,
            seed TEXT NOT NULL,
            samples INTEGER NOT NULL,
            model TEXT NOT NULL,
            params TEXT NOT NULL,
            result TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        """,
    ),
    (
        "0002_indexes",
        """
        CREATE INDEX evidence_by_date ON evidence(race_id, date, id);
        CREATE INDEX reviews_by_item ON reviews(race_id, evidence_id, id);
        CREATE INDEX forecasts_by_race ON forecasts(race_id, as_of, id);
        """,
    ),
    (
        "0003_articles",
        """
        -- id is the sha256 of the normalised text; date is YYYY-MM-DD or NULL (undated).
        CREATE TABLE articles (
            id TEXT PRIMARY KEY,
            url TEXT,
            file TEXT,
            title TEXT,
            publisher TEXT,
            date TEXT,
            date_basis TEXT NOT NULL,
            text TEXT NOT NULL,
            duplicate_of TEXT REFERENCES articles(id),
            added_at TEXT NOT NULL
        );
        CREATE TABLE article_races (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            race_id TEXT NOT NULL REFERENCES races(id) ON DELETE CASCADE,
            PRIMARY KEY (article_id, race_id)
        );
        CREATE INDEX articles_by_date ON articles(ifnull(date, '9999-12-31'), id);
        CREATE INDEX article_races_by_race ON article_races(race_id, article_id);
        """,
    ),
    (
        "0004_article_reads",
        """
        -- when the article was read for the race (NULL: not yet). Links whose article
        -- already gave the race evidence count as read.
        ALTER TABLE article_races ADD COLUMN read_at TEXT;
        UPDATE article_races SET read_at = 'before 0004' WHERE (race_id, article_id) IN (
            SELECT race_id, json_extract(json, '$.source.content_hash') FROM evidence
        );
        """,
    ),
    (
        "0005_race_versions",
        """
        -- a random token, new with every write that changes the race or its evidence:
        -- the race's fingerprint, read without reading the evidence.
        ALTER TABLE races ADD COLUMN version TEXT NOT NULL DEFAULT '';
        UPDATE races SET version = lower(hex(randomblob(16)));
        """,
    ),
    (
        "0006_fetches",
        """
        -- what was last fetched from each URL (kingmaker watch, kingmaker ingest URL):
        -- the validators of the next conditional request and the last outcome.
        CREATE TABLE fetches (
            url TEXT PRIMARY KEY,
            etag TEXT,
            last_modified TEXT,
            sha256 TEXT,
            status INTEGER,
            error TEXT,
            fetched_at TEXT NOT NULL,
            changed_at TEXT,
            fetches INTEGER NOT NULL
        );
        """,
    ),
    (
        "0007_article_signatures",
        """
        -- near-duplicate signatures of the articles (kingmaker.ingest.dedup): MinHash
        -- values, distinct shingles and LSH band keys (bands: 8 bytes each, little-endian),
        -- so that an ingest looks up the articles sharing a band instead of hashing every
        -- stored text again. Articles stored before are signed by the next ingest. A band
        -- key's rows are in the order of the articles (day: the date, undated last; id),
        -- so its first holder is one index lookup. Band rows of a deleted article are left
        -- (no index by article to delete them with): lookups join them to the
        -- signatures, which go with the article.
        CREATE TABLE article_signatures (
            article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            scheme TEXT NOT NULL,
            minhash BLOB NOT NULL,
            shingles INTEGER NOT NULL,
            bands BLOB NOT NULL
        );
        CREATE TABLE article_bands (
            band_key INTEGER NOT NULL,
            day TEXT NOT NULL,
            article_id TEXT NOT NULL,
            PRIMARY KEY (band_key, day, article_id)
        ) WITHOUT ROWID;
        """,
    ),
    (
        "0008_forecast_race_versions",
        """
        -- the version of the race definition a run used (sha256, store.base.race_version);
        -- NULL for runs stored before: a rerun cannot tell whether their race changed.
        ALTER TABLE forecasts ADD COLUMN race_version TEXT;
        """,
    ),
)

_LOG: Final = "schema_migrations"
_CREATE_LOG: Final = f"CREATE TABLE IF NOT EXISTS {_LOG} (name TEXT PRIMARY KEY, applied_at TEXT)"


def split_statements(sql: str) -> list[str]:
    """Split a migration script into statements (semicolons inside strings are kept).

    Raises:
        ValueError: when the script ends in an incomplete statement.
    """
    statements: list[str] = []
    buf = ""
    parts = sql.split(";")
    for n, part in enumerate(parts):
        buf += part if n == len(parts) - 1 else part + ";"
        if sqlite3.complete_statement(buf):
            statements.append(buf.strip())
            buf = ""
    if buf.strip():
        raise ValueError(f"incomplete SQL statement: {buf.strip()[:60]!r}")
    return statements


def applied_migrations(
    conn: Any,
    migrations: Sequence[tuple[str, str]] = MIGRATIONS,
    *,
    label: str = "the database",
    dialect: Dialect = SQLITE,
) -> list[str]:
    """Names of the migrations recorded in the database, after checking it is ours.

    Only reads. An empty database has none.

    Args:
        conn: An open DB-API connection of ``dialect``'s driver.
        migrations: ``(name, sql)`` in order; the default is this kingmaker's SQLite schema.
        label: How messages name the database, e.g. its path.
        dialect: The kind of database.

    Raises:
        StoreError: when the database has tables but no kingmaker migration log, or records
            migrations this kingmaker does not know (a newer kingmaker wrote it).
    """
    tables = [row[0] for row in dialect.execute(conn, dialect.list_tables)]
    if not tables:
        return []
    columns = {row[0] for row in dialect.execute(conn, dialect.list_columns, (_LOG,))}
    if not {"name", "applied_at"} <= columns:
        shown = ", ".join(sorted(tables)[:5]) + (", ..." if len(tables) > 5 else "")
        raise StoreError(
            f"{label} is a {dialect.name} database but not a kingmaker one (tables: {shown}); "
            f"{dialect.hint}"
        )
    recorded = [row[0] for row in dialect.execute(conn, f"SELECT name FROM {_LOG}")]
    known = {name for name, _ in migrations}
    unknown = sorted(set(recorded) - known)
    if unknown:
        raise StoreError(
            f"{label} was written by a newer kingmaker (unknown schema migrations: "
            f"{', '.join(unknown)}); upgrade kingmaker, or {dialect.hint}"
        )
    return sorted(recorded)


def migrate(
    conn: Any,
    migrations: Sequence[tuple[str, str]] = MIGRATIONS,
    *,
    label: str = "the database",
    dialect: Dialect = SQLITE,
) -> list[str]:
    """Apply the migrations the database lacks, in order, one transaction each.

    Args:
        conn: An open DB-API connection of ``dialect``'s driver, in autocommit mode and
            not inside a transaction.
        migrations: ``(name, sql)`` in order; the default is this kingmaker's SQLite schema.
        label: How messages name the database, e.g. its path.
        dialect: The kind of database; each migration runs in one of its write
            transactions, so concurrent openers apply each migration once.

    Returns:
        The names applied now (empty when the schema was current).

    Raises:
        StoreError: when the database is not a kingmaker one, was written by a newer
            kingmaker, or a migration fails (that migration leaves nothing behind).
    """
    for name, _ in migrations:
        if not NAME_PATTERN.match(name):
            raise ValueError(f"migration name {name!r} must look like '0003_what_it_does'")
    try:
        done = set(applied_migrations(conn, migrations, label=label, dialect=dialect))
    except dialect.errors as exc:
        raise StoreError(f"{label} cannot be read ({one_line(exc)}); {dialect.hint}") from exc
    applied: list[str] = []
    for name, sql in migrations:
        if name in done:
            continue
        try:
            dialect.begin(conn, write=True)
            try:
                dialect.execute(conn, _CREATE_LOG)
                # Another process may have applied it since we looked.
                if dialect.execute(
                    conn, f"SELECT 1 FROM {_LOG} WHERE name = ?", (name,)
                ).fetchone():
                    conn.rollback()
                    continue
                for statement in split_statements(sql):
                    dialect.execute(conn, statement)
                now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
                dialect.execute(conn, f"INSERT INTO {_LOG} VALUES (?, ?)", (name, now))
                conn.commit()
            except BaseException:
                conn.rollback()
                raise
        except dialect.errors as exc:
            raise StoreError(f"{label}: schema migration {name} failed ({one_line(exc)})") from exc
        applied.append(name)
    return applied


def one_line(exc: BaseException) -> str:
    """The first line of an exception's message (drivers may add hints on further lines)."""
    lines = str(exc).strip().splitlines()
    return " ".join(lines[0].split()) if lines else type(exc).__name__
