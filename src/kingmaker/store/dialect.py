"""What differs between the SQL databases the store runs on, as data.

A ``Dialect`` (``SQLITE`` here, ``POSTGRES`` in ``kingmaker.store.postgres``) says how a
database names its errors, writes placeholders, begins a read or a serialised write
transaction and lists its tables; the queries themselves are shared
(``kingmaker.store.sql``), and so is the migration runner (``kingmaker.store.migrations``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol


class Rows(Protocol):
    """The part of a DB-API cursor the store reads results through."""

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


@dataclass(frozen=True)
class Dialect:
    """How the store talks to one kind of SQL database through its DB-API driver."""

    name: str
    """How messages call the database, e.g. 'SQLite'."""
    errors: tuple[type[Exception], ...]
    """The driver's exception classes that become ``StoreError``."""
    placeholder: str
    """The driver's parameter marker; queries are written with ``?`` and translated."""
    begin_read: tuple[str, ...]
    """Statements that open a transaction which reads one consistent snapshot."""
    begin_write: tuple[str, ...]
    """Statements that open a write transaction, waiting until no other writer holds one."""
    list_tables: str
    """Query of the names of the tables the store would use (one column)."""
    list_columns: str
    """Query of the column names of table ``?`` (one column)."""
    date_key: str
    """Sort key of an article: its date, or a date after any real one when it is undated;
    the same expression as in the ``articles_by_date`` index, so that the index serves."""
    elsewhere: str
    """What to do to use another database, for messages."""
    hint: str
    """What to do about a database the store must not touch, for messages."""

    def sql(self, query: str) -> str:
        """``query`` with its ``?`` placeholders in the driver's style."""
        return query if self.placeholder == "?" else query.replace("?", self.placeholder)

    def execute(self, conn: Any, query: str, params: Sequence[object] = ()) -> Rows:
        """Run one ``?``-style statement on a DB-API connection; its cursor."""
        cursor = conn.cursor()
        cursor.execute(self.sql(query), params)
        return cursor  # type: ignore[no-any-return]

    def begin(self, conn: Any, *, write: bool) -> None:
        """Open a read or a write transaction on a connection in autocommit mode."""
        for statement in self.begin_write if write else self.begin_read:
            conn.cursor().execute(statement)


_SQLITE_ELSEWHERE = "pass --db or set KINGMAKER_DB to use another file"

SQLITE = Dialect(
    name="SQLite",
    errors=(sqlite3.Error,),
    placeholder="?",
    begin_read=("BEGIN",),
    # Takes the write lock at once, so the reads of a write see the latest data.
    begin_write=("BEGIN IMMEDIATE",),
    list_tables="SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    list_columns="SELECT name FROM pragma_table_info(?)",
    date_key="ifnull(date, '9999-12-31')",
    elsewhere=_SQLITE_ELSEWHERE,
    hint=f"move it away, or {_SQLITE_ELSEWHERE}",
)
