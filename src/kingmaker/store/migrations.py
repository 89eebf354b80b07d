"""Named schema migrations of the SQL stores, written once for both databases, applied in
order and recorded.

``SCHEMA`` is every migration as ``(name, sql)``, with the few words SQLite and PostgreSQL
spell differently written as ``{names}`` (a key column's type, an auto-increment id, a
64-bit integer, bytes, an expression): ``render`` puts in one database's words
(``SQLITE_WORDS``, ``POSTGRES_WORDS``). ``MIGRATIONS`` is the SQLite schema;
``kingmaker.store.postgres`` renders PostgreSQL's under the same names. ``migrate``
applies the missing ones of such a list, one transaction each, and records them in
``schema_migrations``. A released migration never changes (a test pins each rendering):
a new schema is a new migration, and tests keep a database from each released version.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any, Final

from kingmaker.errors import StoreError
from kingmaker.store.dialect import SQLITE, Dialect

ELSEWHERE: Final = SQLITE.elsewhere
HINT: Final = SQLITE.hint
NAME_PATTERN: Final = re.compile(r"^\d{4}_[a-z0-9_]+$")

# Every migration once; {key}, {bigint} ... are the words of SQLITE_WORDS/POSTGRES_WORDS
# below. A line starting with {note} is a comment only SQLite's released text has; a new
# migration writes its comments with -- (both databases get them) and any new word in
# both tables.
SCHEMA: Final[tuple[tuple[str, str], ...]] = (
    (
        "0001_initial",
        """
        CREATE TABLE races (
            id {key} PRIMARY KEY,
            json TEXT NOT NULL
        );
        CREATE TABLE evidence (
            race_id {key} NOT NULL REFERENCES races(id) ON DELETE CASCADE,
            id {key} NOT NULL,
            date {key} NOT NULL,
            kind TEXT NOT NULL,
            json TEXT NOT NULL,
            PRIMARY KEY (race_id, id)
        );
        CREATE TABLE reviews (
            id {serial},
            race_id {key} NOT NULL,
            evidence_id {key} NOT NULL,
            previous TEXT NOT NULL,
            review TEXT NOT NULL CHECK (review IN ('accepted', 'pending', 'rejected')),
            reviewer TEXT NOT NULL,
            at TEXT NOT NULL,
            FOREIGN KEY (race_id, evidence_id) REFERENCES evidence(race_id, id) ON DELETE CASCADE
        );
        -- seed is decimal text: seeds from numpy's SeedSequence exceed 64 bits.
        CREATE TABLE forecasts (
            id {serial},
            race_id {key} NOT NULL REFERENCES races(id) ON DELETE CASCADE,
            as_of {key} NOT NULL,
            seed TEXT NOT NULL,
            samples {bigint} NOT NULL,
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
            id {key} PRIMARY KEY,
            url TEXT,
            file TEXT,
            title TEXT,
            publisher TEXT,
            date {key},
            date_basis TEXT NOT NULL,
            text TEXT NOT NULL,
            duplicate_of {key} REFERENCES articles(id),
            added_at TEXT NOT NULL
        );
        CREATE TABLE article_races (
            article_id {key} NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            race_id {key} NOT NULL REFERENCES races(id) ON DELETE CASCADE,
            PRIMARY KEY (article_id, race_id)
        );
        CREATE INDEX articles_by_date ON articles({date_key}, id);
        CREATE INDEX article_races_by_race ON article_races(race_id, article_id);
        """,
    ),
    (
        "0004_article_reads",
        """
        {note} when the article was read for the race (NULL: not yet). Links whose article
        {note} already gave the race evidence count as read.
        ALTER TABLE article_races ADD COLUMN read_at TEXT;
        UPDATE article_races SET read_at = 'before 0004' WHERE (race_id, article_id) IN (
            SELECT race_id, {content_hash} FROM evidence
        );
        """,
    ),
    (
        "0005_race_versions",
        """
        {note} a random token, new with every write that changes the race or its evidence:
        {note} the race's fingerprint, read without reading the evidence.
        ALTER TABLE races ADD COLUMN version TEXT NOT NULL DEFAULT '';
        UPDATE races SET version = {random_version};{drop_version_default}
        """,
    ),
    (
        "0006_fetches",
        """
        {note} what was last fetched from each URL (kingmaker watch, kingmaker ingest URL):
        {note} the validators of the next conditional request and the last outcome.
        CREATE TABLE fetches (
            url {key} PRIMARY KEY,
            etag TEXT,
            last_modified TEXT,
            sha256 TEXT,
            status INTEGER,
            error TEXT,
            fetched_at TEXT NOT NULL,
            changed_at TEXT,
            fetches {bigint} NOT NULL
        );
        """,
    ),
    (
        "0007_article_signatures",
        """
        {note} near-duplicate signatures of the articles (kingmaker.ingest.dedup): MinHash
        {note} values, distinct shingles and LSH band keys (bands: 8 bytes each, little-endian),
        {note} so that an ingest looks up the articles sharing a band instead of hashing every
        {note} stored text again. Articles stored before are signed by the next ingest. A band
        {note} key's rows are in the order of the articles (day: the date, undated last; id),
        {note} so its first holder is one index lookup. Band rows of a deleted article are left
        {note} (no index by article to delete them with): lookups join them to the
        {note} signatures, which go with the article.
        CREATE TABLE article_signatures (
            article_id {key} PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            scheme TEXT NOT NULL,
            minhash {blob} NOT NULL,
            shingles INTEGER NOT NULL,
            bands {blob} NOT NULL
        );
        CREATE TABLE article_bands (
            band_key {bigint} NOT NULL,
            day {key} NOT NULL,
            article_id {key} NOT NULL,
            PRIMARY KEY (band_key, day, article_id)
        ){without_rowid};
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

# The words the two databases spell differently, put in for SCHEMA's {names}. SQLite's
# are the words its migrations were released with (a database stores its CREATE texts).
SQLITE_WORDS: Final[dict[str, str | None]] = {
    "key": "TEXT",
    "serial": "INTEGER PRIMARY KEY AUTOINCREMENT",
    "bigint": "INTEGER",
    "blob": "BLOB",
    "without_rowid": " WITHOUT ROWID",
    "date_key": SQLITE.date_key,
    "content_hash": "json_extract(json, '$.source.content_hash')",
    "random_version": "lower(hex(randomblob(16)))",
    "drop_version_default": "",
    "note": "--",
}
# PostgreSQL: ids and dates sort bytewise as in SQLite (COLLATE "C"), 64-bit integers.
POSTGRES_WORDS: Final[dict[str, str | None]] = {
    "key": 'TEXT COLLATE "C"',
    "serial": "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
    "bigint": "BIGINT",
    "blob": "BYTEA",
    "without_rowid": "",
    "date_key": "(coalesce(date, '9999-12-31'))",
    "content_hash": "json::jsonb -> 'source' ->> 'content_hash'",
    "random_version": "md5(random()::text || clock_timestamp()::text || id)",
    "drop_version_default": "\n        -- an older kingmaker still running cannot add a race "
    "without a version\n        ALTER TABLE races ALTER COLUMN version DROP DEFAULT;",
    "note": None,  # comments PostgreSQL's schema was released without
}


def render(
    words: Mapping[str, str | None], schema: Sequence[tuple[str, str]] = SCHEMA
) -> tuple[tuple[str, str], ...]:
    """The migrations ``(name, sql)`` of ``schema`` in one database's words; a line that
    starts with a ``{name}`` whose word is None is left out."""
    dropped = tuple(f"{{{k}}}" for k, v in words.items() if v is None)
    kept = {k: v for k, v in words.items() if v is not None}

    def one(sql: str) -> str:
        lines = [line for line in sql.split("\n") if not line.lstrip().startswith(dropped)]
        return "\n".join(lines).format_map(kept)

    return tuple((name, one(sql)) for name, sql in schema)


MIGRATIONS: Final = render(SQLITE_WORDS)
"""The SQLite schema's migrations (PostgreSQL's: ``render(POSTGRES_WORDS)``)."""

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
