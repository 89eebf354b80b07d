"""Golden databases: a small store at each released schema version, SQLite and PostgreSQL.

For each migration ``N`` this module writes, with plain SQL against the migrations up to
``N`` only (later code cannot change what the rows hold), one race with its evidence, a
review and a forecast run, and from the schema versions that have them articles with read
marks, a race version, a fetch record, an article signature and a forecast's race version:

- ``fixtures/schema-NNNN.db``: a SQLite database file;
- ``fixtures/schema-NNNN.postgres.sql``: a PostgreSQL dump (the schema's DDL as released,
  the migration log and the rows as ``INSERT`` statements, names unqualified so it loads
  into whatever schema the ``search_path`` names).

``schema-0001.db`` predates this module (it was written by the first release); the rows
written here for version 0001 are the same, and a test checks that every committed file
still equals what this module writes, so a released migration that changed is caught.
A new migration: give ``rows`` what its tables hold from that version, and
tests/store/test_golden.py's checks what it reads back; then, from the repository root,
``.venv/bin/python tests/store/golden.py`` writes the files of the versions that have
none (name versions, e.g. ``0009_what``, to rewrite theirs).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import struct
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from kingmaker.store.migrations import MIGRATIONS, split_statements
from kingmaker.store.postgres import MIGRATIONS as PG_MIGRATIONS

FIXTURES = Path(__file__).with_name("fixtures")
VERSIONS = tuple(name for name, _ in MIGRATIONS)
APPLIED_AT = "2026-11-28T10:00:40+00:00"  # one fixed time for every migration log row
LOG_DDL = "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT)"

RACE_ID = "fixture-race"
RACE = {
    "id": RACE_ID,
    "name": "Fixture race",
    "description": "A race stored by schema 0001.",
    "opened": "2024-01-01",
    "post": {"name": "Chair", "incumbent": "Old Chair"},
    "bodies": [
        {
            "id": "council",
            "name": "Council",
            "members": [
                {"id": "AAA", "name": "Member AAA", "weight": 2.0},
                {"id": "BBB", "name": "Member BBB", "veto": True},
                {"id": "CCC", "name": "Member CCC"},
            ],
        }
    ],
    "rule": {"kind": "consensus"},
    "candidates": [{"id": "ann", "name": "Ann"}, {"id": "bob", "name": "Bob", "home": "BBB"}],
}
RACE_VERSION = "0123456789abcdef0123456789abcdef"  # races.version, from 0005
RUN_RACE_VERSION = "f" * 64  # forecasts.race_version, from 0008
SOURCE = {"url": "https://example.org/a"}

SAID_TEXT = "Member AAA said it counts two of three members behind Ann."
QUIET_TEXT = "The council met on Tuesday and said nothing about the chair."
SAID = hashlib.sha256(SAID_TEXT.encode()).hexdigest()  # gave the race evidence: read
QUIET = hashlib.sha256(QUIET_TEXT.encode()).hexdigest()  # linked, never read
SAID_URL = "https://example.org/said"
READ_AT = "2024-02-02T08:00:00+00:00"
FETCH_URL = "https://example.org/feed.xml"
SCHEME = "minhash-5gram.v1"
BANDS = (11, -(2**63), 2**63 - 1)  # the extremes of a signed 64-bit band key
MINHASH = bytes(range(16))

EVIDENCE = [
    {
        "id": "e1",
        "date": "2024-01-10",
        "kind": "candidacy",
        "candidate": "ann",
        "status": "declared",
    },
    {
        "id": "e2",
        "date": "2024-01-20",
        "kind": "stance",
        "member": "BBB",
        "candidate": "bob",
        "stance": "oppose",
        "quote": "BBB will not back Bob.",
        "review": "rejected",
    },
]
# From 0003 (articles): an item read from the article SAID, which 0004 then counts as read.
ARTICLE_EVIDENCE = {
    "id": "e3",
    "date": "2024-02-01",
    "kind": "count",
    "candidate": "ann",
    "count": 2,
    "of": 3,
    "source": {"url": SAID_URL, "content_hash": SAID},
}


def at_least(version: str, migration: str) -> bool:
    """Whether the schema ``version`` includes ``migration``."""
    return VERSIONS.index(version) >= VERSIONS.index(migration)


Row = dict[str, Any]


def rows(version: str) -> Iterator[tuple[str, Row]]:
    """(table, row) to insert into a store of schema ``version``, in insertion order; a
    row holds only the columns that version has."""
    race: Row = {"id": RACE_ID, "json": json.dumps(RACE)}
    if at_least(version, "0005_race_versions"):
        race["version"] = RACE_VERSION
    yield "races", race
    items = [{"source": SOURCE, "producer": "curated:test", **e} for e in EVIDENCE]
    if at_least(version, "0003_articles"):
        items.append({"producer": "curated:test", **ARTICLE_EVIDENCE})
    for item in items:
        yield (
            "evidence",
            {
                "race_id": RACE_ID,
                "id": item["id"],
                "date": item["date"],
                "kind": item["kind"],
                "json": json.dumps(item),
            },
        )
    yield (
        "reviews",
        {
            "race_id": RACE_ID,
            "evidence_id": "e2",
            "previous": "accepted",
            "review": "rejected",
            "reviewer": "alice",
            "at": "2024-01-21T09:30:00+00:00",
        },
    )
    run: Row = {
        "race_id": RACE_ID,
        "as_of": "2024-02-01",
        "seed": "42",
        "samples": 500,
        "model": "consensus-mc.v1",
        "params": json.dumps({"temperature": 0.5}),
        "result": json.dumps({"p": {"ann": 0.7, "bob": 0.3}}),
        "created_at": "2024-02-01T12:00:00+00:00",
    }
    if at_least(version, "0008_forecast_race_versions"):
        run["race_version"] = RUN_RACE_VERSION
    yield "forecasts", run
    if not at_least(version, "0003_articles"):
        return
    articles = [
        (SAID, SAID_URL, None, "Ann counts", "Example Post", "2024-02-01", "metadata", SAID_TEXT),
        (QUIET, None, "notes/quiet.txt", None, None, None, "", QUIET_TEXT),
    ]
    for aid, url, file, title, publisher, date, basis, text in articles:
        yield (
            "articles",
            {
                "id": aid,
                "url": url,
                "file": file,
                "title": title,
                "publisher": publisher,
                "date": date,
                "date_basis": basis,
                "text": text,
                "duplicate_of": None,
                "added_at": "2024-02-02T07:00:00+00:00",
            },
        )
        link: Row = {"article_id": aid, "race_id": RACE_ID}
        if at_least(version, "0004_article_reads"):
            link["read_at"] = READ_AT if aid == SAID else None
        yield "article_races", link
    if at_least(version, "0006_fetches"):
        yield (
            "fetches",
            {
                "url": FETCH_URL,
                "etag": '"abc"',
                "last_modified": "Thu, 01 Feb 2024 10:00:00 GMT",
                "sha256": "ab" * 32,
                "status": 200,
                "error": None,
                "fetched_at": "2024-02-02T06:00:00+00:00",
                "changed_at": "2024-02-01T06:00:00+00:00",
                "fetches": 3,
            },
        )
    if at_least(version, "0007_article_signatures"):
        yield (
            "article_signatures",
            {
                "article_id": SAID,
                "scheme": SCHEME,
                "minhash": MINHASH,
                "shingles": 9,
                "bands": struct.pack(f"<{len(BANDS)}q", *BANDS),
            },
        )
        for key in BANDS:
            yield "article_bands", {"band_key": key, "day": "2024-02-01", "article_id": SAID}


def insert(table: str, row: Row, literal: Callable[[Any], str]) -> str:
    """An INSERT statement of ``row`` with each value written by ``literal``."""
    values = ", ".join(literal(v) for v in row.values())
    return f"INSERT INTO {table} ({', '.join(row)}) VALUES ({values})"


def sqlite_database(version: str, path: Path | str = ":memory:") -> sqlite3.Connection:
    """A SQLite database at schema ``version`` holding ``rows(version)``; the open
    connection (the caller closes it)."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    conn.execute(LOG_DDL)
    for name, sql in MIGRATIONS[: VERSIONS.index(version) + 1]:
        for statement in split_statements(sql):
            conn.execute(statement)
        conn.execute("INSERT INTO schema_migrations VALUES (?, ?)", (name, APPLIED_AT))
    for table, row in rows(version):
        marks = ", ".join("?" * len(row))
        conn.execute(
            f"INSERT INTO {table} ({', '.join(row)}) VALUES ({marks})", tuple(row.values())
        )
    conn.execute("COMMIT")
    return conn


def pg_literal(value: Any) -> str:
    """A PostgreSQL literal of a row value."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        raise TypeError("no booleans in the store's tables")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, bytes):
        return f"'\\x{value.hex()}'::bytea"
    return "'" + str(value).replace("'", "''") + "'"


def postgres_dump(version: str) -> str:
    """The PostgreSQL dump of a store at schema ``version`` holding ``rows(version)``."""
    out = [
        f"-- A kingmaker store at schema {version} (PostgreSQL), written by tests/store/golden.py.",
        "-- Load it into an empty schema (the search_path's); the names are unqualified.",
        f"{LOG_DDL};",
    ]
    for name, sql in PG_MIGRATIONS[: VERSIONS.index(version) + 1]:
        ddl = "\n".join(line.rstrip() for line in sql.strip("\n").splitlines())
        out += [f"-- migration {name}", ddl]
        out.append(
            insert("schema_migrations", {"name": name, "applied_at": APPLIED_AT}, pg_literal) + ";"
        )
    out.append("-- rows")
    out += [insert(table, row, pg_literal) + ";" for table, row in rows(version)]
    return "\n".join(out) + "\n"


def sqlite_path(version: str) -> Path:
    """The committed SQLite file of schema ``version``."""
    return FIXTURES / f"schema-{version[:4]}.db"


def postgres_path(version: str) -> Path:
    """The committed PostgreSQL dump of schema ``version``."""
    return FIXTURES / f"schema-{version[:4]}.postgres.sql"


def write(version: str) -> None:
    """(Re)write the golden SQLite file and PostgreSQL dump of schema ``version``."""
    path = sqlite_path(version)
    path.unlink(missing_ok=True)
    conn = sqlite_database(version, path)
    conn.execute("PRAGMA page_size = 1024")  # small files
    conn.execute("VACUUM")
    conn.close()
    postgres_path(version).write_text(postgres_dump(version), encoding="utf-8")


def main(versions: list[str]) -> None:
    """Write the golden files of the versions named (as ``0009_what``), or else of every
    version that has none yet: a released version's files are never rewritten unasked."""
    unknown = sorted(set(versions) - set(VERSIONS))
    if unknown:
        raise SystemExit(f"unknown schema versions: {', '.join(unknown)}; known: {VERSIONS}")
    todo = versions or [
        v for v in VERSIONS if not (sqlite_path(v).exists() and postgres_path(v).exists())
    ]
    for version in todo:
        write(version)
        print(f"wrote {sqlite_path(version).name} and {postgres_path(version).name}")


if __name__ == "__main__":
    main(sys.argv[1:])
