"""SQLite backend of the store contract: one database file, or ``:memory:``.

Races are kept as JSON without their evidence; evidence, review decisions, forecasts,
articles and article-race links have their own tables (the queries are shared with
PostgreSQL in ``kingmaker.store.sql``). Every write is one ``BEGIN IMMEDIATE``
transaction. A file that is not a kingmaker database is refused and never written to.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

from kingmaker.errors import StoreError
from kingmaker.store.base import Sharing
from kingmaker.store.dialect import SQLITE
from kingmaker.store.migrations import ELSEWHERE, HINT, MIGRATIONS
from kingmaker.store.sql import SQLStore

MEMORY = ":memory:"
_MAGIC = b"SQLite format 3\x00"
WAIT_SECONDS = 10.0
"""How long an opener waits for another kingmaker holding the file's lock."""


class SQLiteStore(SQLStore):
    """A store in one SQLite file (created on first use), or in memory for ``":memory:"``.

    See ``Store`` for the contract. The connection may be shared between threads; calls
    are serialised, and other processes wait for the file's write lock (up to 10 s).

    Raises:
        StoreError: when the path cannot be created or opened, the file is not a kingmaker
            database (or is corrupt), or a newer kingmaker wrote it. The file is left as
            it was.
    """

    dialect = SQLITE

    def __init__(self, path: str | Path) -> None:
        self.path: Path | str = (
            MEMORY if str(path) == MEMORY else Path(path).expanduser().absolute()
        )
        label = str(self.path)
        if isinstance(self.path, Path):
            _check_file(self.path)
        try:
            conn = sqlite3.connect(
                self.path, isolation_level=None, check_same_thread=False, timeout=WAIT_SECONDS
            )
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open {label} ({exc}); {ELSEWHERE}") from exc
        super().__init__(conn, label, MIGRATIONS)

    def __repr__(self) -> str:
        return f"SQLiteStore({self._label!r})"

    def shared_by(self) -> Sharing:
        return "process" if self.path == MEMORY else "machine"

    def _prepare(self, conn: Any) -> None:
        conn.execute("PRAGMA foreign_keys = ON")
        if isinstance(self.path, Path):
            _use_wal(conn)

    def _error(self, action: str, exc: Exception) -> StoreError:
        text = str(exc)
        if isinstance(exc, sqlite3.DatabaseError) and (
            "not a database" in text or "malformed" in text
        ):
            return StoreError(f"{self._label} is corrupt or not a kingmaker database; {HINT}")
        if "readonly" in text or "unable to open" in text:
            return StoreError(f"{self._label} cannot be written ({text}); {ELSEWHERE}")
        if "locked" in text or "busy" in text:
            return StoreError(f"{self._label} is busy (another kingmaker is writing); try again")
        return StoreError(f"{self._label}: cannot {action} ({text})")


def _check_file(path: Path) -> None:
    """Refuse a path that is not, and cannot become, a kingmaker database file."""
    if path.is_dir():
        raise StoreError(f"{path} is a directory, not a database file; {ELSEWHERE}")
    if path.exists():
        try:
            with path.open("rb") as f:
                head = f.read(len(_MAGIC))
        except OSError as exc:
            raise StoreError(f"cannot read {path} ({exc.strerror}); {ELSEWHERE}") from exc
        if head and head != _MAGIC:
            raise StoreError(f"{path} is not a kingmaker database (not SQLite); {HINT}")
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(
            f"cannot create {path}: {path.parent} cannot be made a directory "
            f"({exc.strerror}); {ELSEWHERE}"
        ) from exc


def _use_wal(conn: sqlite3.Connection) -> None:
    """Switch the file to write-ahead logging, waiting while another opener holds it.

    SQLite answers "locked" at once, without its busy timeout, when two connections
    switch a new file's journal mode together; the switch is retried until
    ``WAIT_SECONDS`` have passed (the second opener then finds WAL already on).
    """
    deadline = time.monotonic() + WAIT_SECONDS
    pause = 0.005
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() + pause > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.2)
