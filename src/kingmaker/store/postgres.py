"""PostgreSQL backend of the store contract, for a server shared by several processes or hosts.

The tables, queries and ordering are SQLite's (``kingmaker.store.sql``): dates stay ISO
text and ids sort bytewise (``COLLATE "C"``), so both backends list things in the same
order. Writes are serialised by a transaction-scoped advisory lock, as SQLite's
``BEGIN IMMEDIATE`` serialises them; reads see one snapshot. Each transaction takes a
connection from a pool (``psycopg_pool``), so the threads of a server read at the same
time. Passwords never appear in messages: the URL is shown with the password masked.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import Any, Final

import psycopg
from psycopg import errors
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from psycopg_pool import ConnectionPool, PoolTimeout

from kingmaker.errors import StoreError
from kingmaker.store.base import Sharing, closed_error, mask_url
from kingmaker.store.dialect import Dialect
from kingmaker.store.migrations import POSTGRES_WORDS, one_line, render
from kingmaker.store.sql import SQLStore

_ELSEWHERE: Final = "pass --db or set KINGMAKER_DB to use another database"
_CONNECT_HINT: Final = "check the URL and that the server is running"
# Key of the advisory lock every write transaction takes: b"kingmakr" as a bigint. The
# lock is per database, so stores in different schemas of one database share it.
WRITE_LOCK: Final = int.from_bytes(b"kingmakr", "big")
_CONNECT_TIMEOUT: Final = "10"  # seconds, unless the URL says otherwise
_LOCK_TIMEOUT: Final = "10s"  # how long a write waits for another writer, as SQLite's timeout
POOL_SIZE: Final = 4
"""Most connections one store opens (one per transaction running at the same time)."""
POOL_WAIT: Final = 30.0  # seconds a transaction waits for a free (or new) connection
_APPLICATION: Final = "kingmaker"  # pg_stat_activity shows "kingmaker <pid>" per connection

POSTGRES = Dialect(
    name="PostgreSQL",
    errors=(psycopg.Error,),
    placeholder="%s",
    begin_read=("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY",),
    # READ COMMITTED, whatever the server's default: each statement after the lock sees
    # what the previous writer committed (a snapshot taken before the wait would not).
    begin_write=(
        "BEGIN ISOLATION LEVEL READ COMMITTED, READ WRITE",
        f"SELECT pg_advisory_xact_lock({WRITE_LOCK})",
    ),
    list_tables=(
        "SELECT relname FROM pg_class WHERE relkind IN ('r', 'p', 'v', 'm', 'f') "
        "AND relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())"
    ),
    list_columns=(
        "SELECT attname FROM pg_attribute WHERE attnum > 0 AND NOT attisdropped "
        "AND attrelid = (SELECT c.oid FROM pg_class c JOIN pg_namespace n "
        "ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relname = ?)"
    ),
    date_key="coalesce(date, '9999-12-31')",
    elsewhere=_ELSEWHERE,
    hint=f"give kingmaker a database or schema of its own: {_ELSEWHERE}",
)

# The schema (kingmaker.store.migrations) under the same names, in PostgreSQL's words.
MIGRATIONS: Final = render(POSTGRES_WORDS)


class PostgresStore(SQLStore):
    """A store in a PostgreSQL database (or the schema the URL's ``search_path`` names).

    See ``Store`` for the contract. The database's schema is created on first use; a
    database with other tables, or one a newer kingmaker wrote, is refused untouched.
    The store may be shared between threads: each transaction takes a connection from a
    pool of at most ``pool_size`` (kept open between calls, one to start with), so reads
    run side by side; writes still go one at a time. A connection the server dropped is
    replaced. A write waits up to 10 s for another one, a transaction up to 30 s for a
    connection.

    Args:
        url: ``postgresql://user:password@host:port/database`` (or ``postgres://``), with
            libpq's query parameters, e.g. ``?options=-csearch_path%3Dkingmaker``.
        pool_size: Most connections open at once (``POOL_SIZE`` by default); a server
            process needs about one per request it answers at the same time.

    Raises:
        StoreError: when the server cannot be reached or refuses the login, or the
            database is not (and cannot become) a kingmaker one.
    """

    dialect = POSTGRES
    _pool: ConnectionPool[psycopg.Connection[Any]] | None = None

    def __init__(self, url: str, *, pool_size: int = POOL_SIZE) -> None:
        if pool_size < 1:
            raise StoreError(f"the connection pool needs at least 1 connection, not {pool_size}")
        self._url = url
        self.url = mask_url(url)
        self.pool_size = pool_size
        # One connection of our own first: its errors say why the server refused (the
        # pool's would only time out), and it checks and migrates the schema.
        super().__init__(self._connect(), self.url, MIGRATIONS)
        first, self._conn = self._conn, None
        first.close()
        self._pool = ConnectionPool(
            self._conninfo(),
            kwargs={"autocommit": True},
            min_size=1,
            max_size=pool_size,
            configure=_configure,
            timeout=POOL_WAIT,
            name=_APPLICATION,
            open=True,
        )

    def __repr__(self) -> str:
        return f"PostgresStore({self.url!r})"

    def shared_by(self) -> Sharing:
        return "network"

    def _conninfo(self) -> str:
        """The URL with kingmaker's connect timeout and name (with this process's id, so
        that the server tells the processes apart), unless it gives its own."""
        given = conninfo_to_dict(self._url)
        extra = {"connect_timeout": given.get("connect_timeout", _CONNECT_TIMEOUT)}
        if "application_name" not in given:
            extra["application_name"] = f"{_APPLICATION} {os.getpid()}"
        return make_conninfo(self._url, **extra)

    def _connect(self) -> psycopg.Connection[Any]:
        """A new autocommit connection, its writes waiting at most ``_LOCK_TIMEOUT``."""
        try:
            conn = psycopg.connect(self._conninfo(), autocommit=True)
        except psycopg.Error as exc:
            raise StoreError(
                f"cannot connect to {self.url} ({self._reason(exc)}); {_CONNECT_HINT}"
            ) from exc
        try:
            _configure(conn)
        except psycopg.Error as exc:
            conn.close()
            raise self._error("open", exc) from exc
        return conn

    @contextmanager
    def _begun(self, *, write: bool) -> Iterator[Any]:
        """A pooled connection with a transaction begun, back to the pool when the block
        ends (rolled back if it is still open)."""
        pool = self._pool
        if pool is None:
            raise closed_error(self.url)
        conn = self._checkout(pool, write=write)
        try:
            yield conn
        except psycopg.Error:
            with suppress(psycopg.Error):
                conn.rollback()
            raise
        finally:
            pool.putconn(conn)

    def _checkout(
        self, pool: ConnectionPool[psycopg.Connection[Any]], *, write: bool
    ) -> psycopg.Connection[Any]:
        """A connection from the pool with a transaction begun on it. One the server
        dropped (a restart, an idle timeout) is replaced once: nothing of the transaction
        ran yet, so it is safe to start over."""
        for attempt in (1, 2):
            conn = pool.getconn()
            try:
                self.dialect.begin(conn, write=write)
                return conn
            except psycopg.OperationalError:
                if conn.closed and attempt == 1:
                    pool.putconn(conn)  # the pool drops a closed connection
                    pool.check()  # and the others a restart closed too
                    continue
                with suppress(psycopg.Error):
                    conn.rollback()
                pool.putconn(conn)
                raise
            except BaseException:
                with suppress(psycopg.Error):
                    conn.rollback()
                pool.putconn(conn)
                raise
        raise AssertionError("unreachable")  # pragma: no cover

    def _one_row(self, action: str, query: str, params: Sequence[object]) -> Any:
        """The statement alone on a pooled connection (autocommit: no BEGIN, no COMMIT);
        run again once on another connection when the server had dropped this one."""
        pool = self._pool
        if pool is None:
            raise closed_error(self.url)
        for attempt in (1, 2):
            try:
                conn = pool.getconn()
            except psycopg.Error as exc:
                raise self._error(action, exc) from exc
            try:
                return self.dialect.execute(conn, query, params).fetchone()
            except psycopg.Error as exc:
                if not (conn.closed and attempt == 1):
                    raise self._error(action, exc) from exc
            finally:
                pool.putconn(conn)  # the pool drops a closed connection
            pool.check()  # and the others a restart closed too
        raise AssertionError("unreachable")  # pragma: no cover

    def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.close()

    def _reason(self, exc: Exception) -> str:
        """The driver's message in one line, with any password from the URL masked."""
        text = mask_url(one_line(exc))
        password = _password(self._url)
        return text.replace(password, "***") if password else text

    def _error(self, action: str, exc: Exception) -> StoreError:
        reason = self._reason(exc)
        if isinstance(exc, errors.LockNotAvailable):
            return StoreError(f"{self.url} is busy (another kingmaker is writing); try again")
        if isinstance(exc, errors.InsufficientPrivilege | errors.ReadOnlySqlTransaction):
            return StoreError(f"{self.url} cannot be written ({reason}); {_ELSEWHERE}")
        if isinstance(exc, PoolTimeout):
            return StoreError(
                f"{self.url}: no connection to {action} within {POOL_WAIT:g} s (all "
                f"{self.pool_size} in use, or the server cannot be reached); {_CONNECT_HINT}, "
                "then try again"
            )
        if isinstance(exc, psycopg.OperationalError) and _lost(exc):
            return StoreError(
                f"{self.url}: lost the connection while trying to {action} ({reason}); "
                f"{_CONNECT_HINT}, then try again"
            )
        return StoreError(f"{self.url}: cannot {action} ({reason})")


def _configure(conn: psycopg.Connection[Any]) -> None:
    """Settings of every connection: a write waits at most ``_LOCK_TIMEOUT`` for another."""
    conn.execute(f"SET lock_timeout = '{_LOCK_TIMEOUT}'")


def _lost(exc: psycopg.Error) -> bool:
    """Whether the error says the connection is gone (no server answer, a connection
    exception, or the server shutting the session down), not that a statement failed."""
    state = exc.sqlstate
    return state is None or state.startswith("08") or state in ("57P01", "57P02", "57P03")


def _password(url: str) -> str:
    """The password the URL gives, or '' (also when the URL cannot be read)."""
    try:
        return str(conninfo_to_dict(url).get("password") or "")
    except psycopg.Error:
        return ""
