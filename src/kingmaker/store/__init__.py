"""Storage of races, evidence, review decisions, forecast runs, articles and fetches.

``Store`` is the contract; ``MemoryStore``, ``SQLiteStore`` and ``PostgresStore`` implement
it; ``open_store`` picks one from a path or URL, and ``default_db_path`` says which file is
used by default. ``PostgresStore`` (and its driver) is imported only when first used.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kingmaker.errors import StoreError
from kingmaker.store.base import FetchRecord, ReviewEntry, Store, StoredForecast, mask_url
from kingmaker.store.memory import MemoryStore
from kingmaker.store.sqlite import MEMORY, SQLiteStore

if TYPE_CHECKING:
    from kingmaker.store.postgres import PostgresStore

ENV_VAR = "KINGMAKER_DB"


def default_db_path() -> Path:
    """The database used when none is named.

    Returns:
        ``$KINGMAKER_DB`` if set, else ``$XDG_DATA_HOME/kingmaker/kingmaker.db`` (when
        ``XDG_DATA_HOME`` is an absolute path), else ``~/.local/share/kingmaker/kingmaker.db``.
        ``open_store(None)`` also accepts a store URL in ``KINGMAKER_DB``.
    """
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME", "")
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".local" / "share"
    return base / "kingmaker" / "kingmaker.db"


def open_store(url_or_path: str | Path | None = None, *, pool_size: int | None = None) -> Store:
    """Open the store named by a path or URL.

    Args:
        url_or_path: A file path or ``sqlite:///relative.db`` / ``sqlite:////absolute.db``
            (``":memory:"``, ``sqlite://`` or ``sqlite:///:memory:`` for a throwaway SQLite
            database) -> ``SQLiteStore``; ``postgresql://user:password@host:port/db`` (or
            ``postgres://``) -> ``PostgresStore``; ``memory:`` -> ``MemoryStore``; None ->
            ``$KINGMAKER_DB`` (path or URL), else ``default_db_path()``.
        pool_size: Most connections a ``PostgresStore`` opens at once (its default when
            None); the other stores have one connection and ignore it.

    Returns:
        The opened store; close it, or use it in a ``with`` block.

    Raises:
        StoreError: for an unsupported URL, or a database that cannot be opened.
    """
    if url_or_path is None:
        url_or_path = os.environ.get(ENV_VAR) or default_db_path()
    if isinstance(url_or_path, Path):
        return SQLiteStore(url_or_path)
    text = url_or_path.strip()
    if text in ("memory:", "memory://"):
        return MemoryStore()
    if text.startswith(("postgresql://", "postgres://")):
        from kingmaker.store.postgres import POOL_SIZE, PostgresStore

        return PostgresStore(text, pool_size=POOL_SIZE if pool_size is None else pool_size)
    if text.startswith("sqlite://"):
        rest = text.removeprefix("sqlite://")
        if rest == "":
            return SQLiteStore(MEMORY)
        if rest.startswith("/") and len(rest) > 1:
            return SQLiteStore(rest[1:])
        raise StoreError(
            f"cannot read the store URL '{text}'; use sqlite:///relative.db or "
            "sqlite:////absolute/path.db"
        )
    if "://" in text or not text:
        raise StoreError(
            f"unsupported store '{mask_url(text)}'; give a file path, sqlite:///path.db, "
            "postgresql://user@host/database or memory:"
        )
    return SQLiteStore(text)


def __getattr__(name: str) -> Any:
    if name == "PostgresStore":  # imported on first use: the driver is slow to import
        from kingmaker.store.postgres import PostgresStore

        return PostgresStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "FetchRecord",
    "MemoryStore",
    "PostgresStore",
    "ReviewEntry",
    "SQLiteStore",
    "Store",
    "StoredForecast",
    "default_db_path",
    "open_store",
]
