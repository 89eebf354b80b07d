"""Named schema migrations of the SQLite store, applied in order and recorded.

``MIGRATIONS`` lists ``(name, sql)``; ``migrate`` applies the missing ones, one transaction
each, and records them in ``schema_migrations``. A released migration never changes: a new
schema is a new migration, and tests keep a database file from each released version.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Sequence
from typing import Final

from kingmaker.errors import StoreError

ELSEWHERE: Final = "pass --db or set KINGMAKER_DB to use another file"
HINT: Final = f"move it away, or {ELSEWHERE}"
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
)

_CREATE_LOG: Final = (
    "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT)"
)


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
    conn: sqlite3.Connection,
    migrations: Sequence[tuple[str, str]] = MIGRATIONS,
    *,
    label: str = "the database",
) -> list[str]:
    """Names of the migrations recorded in the database, after checking it is ours.

    Only reads. An empty database has none.

    Raises:
        StoreError: when the database has tables but no kingmaker migration log, or records
            migrations this kingmaker does not know (a newer kingmaker wrote it).
    """
    tables = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    if not tables:
        return []
    columns = {row[1] for row in conn.execute("PRAGMA table_info(schema_migrations)")}
    if not {"name", "applied_at"} <= columns:
        shown = ", ".join(sorted(tables)[:5]) + (", ..." if len(tables) > 5 else "")
        raise StoreError(
            f"{label} is a SQLite database but not a kingmaker one (tables: {shown}); {HINT}"
        )
    recorded = [row[0] for row in conn.execute("SELECT name FROM schema_migrations")]
    known = {name for name, _ in migrations}
    unknown = sorted(set(recorded) - known)
    if unknown:
        raise StoreError(
            f"{label} was written by a newer kingmaker (unknown schema migrations: "
            f"{', '.join(unknown)}); upgrade kingmaker, or {HINT}"
        )
    return sorted(recorded)


def migrate(
    conn: sqlite3.Connection,
    migrations: Sequence[tuple[str, str]] = MIGRATIONS,
    *,
    label: str = "the database",
) -> list[str]:
    """Apply the migrations the database lacks, in order, one transaction each.

    Args:
        conn: An open connection, not inside a transaction.
        migrations: ``(name, sql)`` in order; the default is this kingmaker's schema.
        label: How messages name the database, e.g. its path.

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
        done = set(applied_migrations(conn, migrations, label=label))
    except sqlite3.Error as exc:
        raise StoreError(f"{label} cannot be read ({exc}); {HINT}") from exc
    applied: list[str] = []
    for name, sql in migrations:
        if name in done:
            continue
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.execute(_CREATE_LOG)
                # Another process may have applied it since we looked.
                if conn.execute(
                    "SELECT 1 FROM schema_migrations WHERE name = ?", (name,)
                ).fetchone():
                    conn.rollback()
                    continue
                for statement in split_statements(sql):
                    conn.execute(statement)
                now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
                conn.execute("INSERT INTO schema_migrations VALUES (?, ?)", (name, now))
                conn.commit()
            except BaseException:
                conn.rollback()
                raise
        except sqlite3.Error as exc:
            raise StoreError(f"{label}: schema migration {name} failed ({exc})") from exc
        applied.append(name)
    return applied
