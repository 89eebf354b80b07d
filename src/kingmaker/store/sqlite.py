"""SQLite backend of the store contract: one database file, or ``:memory:``.

Races are kept as JSON without their evidence; evidence, review decisions, forecasts,
articles and article-race links have their own tables. Every write is one
``BEGIN IMMEDIATE`` transaction. A file that is not a kingmaker database is refused and
never written to.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from kingmaker.errors import StoreError
from kingmaker.records import Article, Evidence, Race, Review
from kingmaker.store.base import (
    EVIDENCE,
    ReviewEntry,
    Store,
    StoredForecast,
    check_review,
    check_stored_refs,
    closed_error,
    forecast_json,
    plan_articles,
    plan_evidence,
    unknown_race,
)
from kingmaker.store.migrations import ELSEWHERE, HINT, applied_migrations, migrate

MEMORY = ":memory:"
_MAGIC = b"SQLite format 3\x00"
_FORECAST_COLUMNS = "id, race_id, as_of, seed, samples, model, params, result, created_at"
_ARTICLE_FIELDS = ("id", "url", "file", "title", "publisher", "date", "date_basis", "text")
_ARTICLE_COLUMNS = ", ".join((*_ARTICLE_FIELDS, "duplicate_of"))
_UNDATED = "9999-12-31"  # sorts undated articles last; a real date is never after today
_PAGE = 500


class SQLiteStore(Store):
    """A store in one SQLite file (created on first use), or in memory for ``":memory:"``.

    See ``Store`` for the contract. The connection may be shared between threads; calls
    are serialised.

    Raises:
        StoreError: when the path cannot be created or opened, the file is not a kingmaker
            database (or is corrupt), or a newer kingmaker wrote it. The file is left as
            it was.
    """

    def __init__(self, path: str | Path) -> None:
        self.path: Path | str = (
            MEMORY if str(path) == MEMORY else Path(path).expanduser().absolute()
        )
        self._label = str(self.path)
        self._lock = threading.RLock()
        if isinstance(self.path, Path):
            _check_file(self.path)
        try:
            conn = sqlite3.connect(
                self.path, isolation_level=None, check_same_thread=False, timeout=10
            )
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open {self._label} ({exc}); {ELSEWHERE}") from exc
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            applied_migrations(conn, label=self._label)  # refuse before writing anything
            if isinstance(self.path, Path):
                conn.execute("PRAGMA journal_mode = WAL")
            migrate(conn, label=self._label)
        except sqlite3.Error as exc:
            conn.close()
            raise self._error("open", exc) from exc
        except BaseException:
            conn.close()
            raise
        self._conn: sqlite3.Connection | None = conn

    def __repr__(self) -> str:
        return f"SQLiteStore({self._label!r})"

    def _error(self, action: str, exc: sqlite3.Error) -> StoreError:
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

    @contextmanager
    def _transaction(self, action: str, *, write: bool = False) -> Iterator[sqlite3.Connection]:
        """One transaction: committed when the block ends, rolled back when it raises."""
        with self._lock:
            conn = self._conn
            if conn is None:
                raise closed_error(self._label)
            try:
                conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
                try:
                    yield conn
                except BaseException:
                    conn.rollback()
                    raise
                conn.commit()
            except sqlite3.Error as exc:
                if conn.in_transaction:
                    conn.rollback()
                raise self._error(action, exc) from exc

    def _definition(self, conn: sqlite3.Connection, race_id: str) -> Race:
        row = conn.execute("SELECT json FROM races WHERE id = ?", (race_id,)).fetchone()
        if row is None:
            known = [r[0] for r in conn.execute("SELECT id FROM races")]
            raise unknown_race(race_id, known, self._label)
        try:
            return Race.model_validate_json(row[0])
        except ValidationError as exc:
            raise self._stale(race_id, exc) from exc

    def _stored(self, conn: sqlite3.Connection, race_id: str) -> dict[str, Any]:
        rows = conn.execute(
            "SELECT json FROM evidence WHERE race_id = ? ORDER BY date, id", (race_id,)
        )
        try:
            items = [EVIDENCE.validate_json(text) for (text,) in rows]
        except ValidationError as exc:
            raise self._stale(race_id, exc) from exc
        return {e.id: e for e in items}

    def _stale(self, race_id: str, exc: ValidationError) -> StoreError:
        return StoreError(
            f"{self._label}: stored race '{race_id}' no longer validates "
            f"({exc.errors()[0]['msg']}); store it again from its race file"
        )

    def _insert_evidence(self, conn: sqlite3.Connection, race_id: str, items: list[Any]) -> None:
        conn.executemany(
            "INSERT INTO evidence (race_id, id, date, kind, json) VALUES (?, ?, ?, ?, ?)",
            [(race_id, e.id, e.date.isoformat(), e.kind, e.model_dump_json()) for e in items],
        )

    def put_race(self, race: Race) -> int:
        with self._transaction("store the race", write=True) as conn:
            stored = self._stored(conn, race.id)
            check_stored_refs(race, stored.values())
            new = plan_evidence(race, stored, race.evidence)
            conn.execute(
                "INSERT INTO races (id, json) VALUES (?, ?) "
                "ON CONFLICT (id) DO UPDATE SET json = excluded.json",
                (race.id, race.model_dump_json(exclude={"evidence"})),
            )
            self._insert_evidence(conn, race.id, new)
        return len(new)

    def get_race(self, race_id: str) -> Race:
        with self._transaction("read the race") as conn:
            definition = self._definition(conn, race_id)
            items = tuple(self._stored(conn, race_id).values())
        return definition.model_copy(update={"evidence": items})

    def race_ids(self) -> list[str]:
        with self._transaction("list races") as conn:
            return [r[0] for r in conn.execute("SELECT id FROM races ORDER BY id")]

    def has_race(self, race_id: str) -> bool:
        with self._transaction("look up the race") as conn:
            return (
                conn.execute("SELECT 1 FROM races WHERE id = ?", (race_id,)).fetchone() is not None
            )

    def delete_race(self, race_id: str) -> None:
        with self._transaction("delete the race", write=True) as conn:
            self._definition(conn, race_id)
            for table, column in (
                ("reviews", "race_id"),
                ("evidence", "race_id"),
                ("forecasts", "race_id"),
                ("article_races", "race_id"),
                ("races", "id"),
            ):
                conn.execute(f"DELETE FROM {table} WHERE {column} = ?", (race_id,))

    def add_evidence(self, race_id: str, items: Sequence[Evidence]) -> int:
        with self._transaction("add evidence", write=True) as conn:
            definition = self._definition(conn, race_id)
            new = plan_evidence(definition, self._stored(conn, race_id), items)
            self._insert_evidence(conn, race_id, new)
        return len(new)

    def _item(self, conn: sqlite3.Connection, race_id: str, evidence_id: str) -> Any:
        self._definition(conn, race_id)
        row = conn.execute(
            "SELECT json FROM evidence WHERE race_id = ? AND id = ?", (race_id, evidence_id)
        ).fetchone()
        if row is None:
            raise StoreError(f"no evidence '{evidence_id}' in race '{race_id}'")
        try:
            return EVIDENCE.validate_json(row[0])
        except ValidationError as exc:
            raise self._stale(race_id, exc) from exc

    def set_review(self, race_id: str, evidence_id: str, review: Review, reviewer: str) -> None:
        with self._transaction("record the review", write=True) as conn:
            item = self._item(conn, race_id, evidence_id)
            check_review(review, reviewer)
            changed = item.model_copy(update={"review": review})
            conn.execute(
                "UPDATE evidence SET json = ? WHERE race_id = ? AND id = ?",
                (changed.model_dump_json(), race_id, evidence_id),
            )
            conn.execute(
                "INSERT INTO reviews (race_id, evidence_id, previous, review, reviewer, at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (race_id, evidence_id, item.review, review, reviewer.strip(), _now()),
            )

    def reviews(self, race_id: str, evidence_id: str | None = None) -> list[ReviewEntry]:
        with self._transaction("read the review log") as conn:
            if evidence_id is None:
                self._definition(conn, race_id)
            else:
                self._item(conn, race_id, evidence_id)
            rows = conn.execute(
                "SELECT race_id, evidence_id, previous, review, reviewer, at FROM reviews "
                "WHERE race_id = ? AND (? IS NULL OR evidence_id = ?) ORDER BY id",
                (race_id, evidence_id, evidence_id),
            ).fetchall()
        keys = ("race_id", "evidence_id", "previous", "review", "reviewer", "at")
        return [ReviewEntry.model_validate(dict(zip(keys, row, strict=True))) for row in rows]

    def save_forecast(self, run: StoredForecast) -> int:
        params, result = forecast_json(run)
        with self._transaction("save the forecast", write=True) as conn:
            self._definition(conn, run.race_id)
            cursor = conn.execute(
                "INSERT INTO forecasts (race_id, as_of, seed, samples, model, params, result, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    run.race_id,
                    run.as_of.isoformat(),
                    str(run.seed),
                    run.samples,
                    run.model,
                    params,
                    result,
                    run.created_at.isoformat(),
                ),
            )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def forecasts(self, race_id: str, *, model: str | None = None) -> list[StoredForecast]:
        with self._transaction("list forecasts") as conn:
            self._definition(conn, race_id)
            rows = conn.execute(
                f"SELECT {_FORECAST_COLUMNS} FROM forecasts "
                "WHERE race_id = ? AND (? IS NULL OR model = ?) ORDER BY as_of, id",
                (race_id, model, model),
            ).fetchall()
        return [_forecast(row) for row in rows]

    def get_forecast(self, forecast_id: int) -> StoredForecast:
        with self._transaction("read the forecast") as conn:
            row = conn.execute(
                f"SELECT {_FORECAST_COLUMNS} FROM forecasts WHERE id = ?", (forecast_id,)
            ).fetchone()
        if row is None:
            raise StoreError(f"no forecast with id {forecast_id} in {self._label}")
        return _forecast(row)

    def _insert_articles(self, conn: sqlite3.Connection, articles: list[Article]) -> None:
        now = _now()
        conn.executemany(
            f"INSERT INTO articles ({_ARTICLE_COLUMNS}, added_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    a.id,
                    a.url,
                    a.file,
                    a.title,
                    a.publisher,
                    a.date.isoformat() if a.date else None,
                    a.date_basis,
                    a.text,
                    a.duplicate_of,
                    now,
                )
                for a in articles
            ],
        )

    def _insert_article_links(self, conn: sqlite3.Connection, links: list[tuple[str, str]]) -> None:
        conn.executemany(
            "INSERT OR IGNORE INTO article_races (article_id, race_id) VALUES (?, ?)", links
        )

    def add_articles(self, items: Sequence[tuple[Article, Sequence[str]]]) -> int:
        with self._transaction("add articles", write=True) as conn:
            races = {r[0] for r in conn.execute("SELECT id FROM races")}

            def is_stored(article_id: str) -> bool:
                row = conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,))
                return row.fetchone() is not None

            plans = plan_articles(items, is_stored=is_stored, race_ids=races)
            self._insert_articles(conn, [p.article for p in plans if p.new])
            self._insert_article_links(conn, [(p.article.id, r) for p in plans for r in p.races])
        return sum(p.new for p in plans)

    def get_article(self, article_id: str) -> Article:
        with self._transaction("read the article") as conn:
            row = conn.execute(
                f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,)
            ).fetchone()
        if row is None:
            raise StoreError(f"no article '{article_id}' in {self._label}")
        return _article(row)

    def has_article(self, article_id: str) -> bool:
        with self._transaction("look up the article") as conn:
            row = conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone()
        return row is not None

    def articles(self, race_id: str | None = None) -> Iterator[Article]:
        with self._transaction("list articles") as conn:
            if race_id is not None:
                self._definition(conn, race_id)
        return self._article_pages(race_id)

    def _article_pages(self, race_id: str | None) -> Iterator[Article]:
        """Articles in pages of ``_PAGE``, each page its own read (keyset pagination)."""
        after: tuple[str, str] = ("", "")
        while True:
            with self._transaction("list articles") as conn:
                rows = conn.execute(
                    f"SELECT {_ARTICLE_COLUMNS}, ifnull(date, '{_UNDATED}') FROM articles "
                    "WHERE (? IS NULL OR id IN "
                    "(SELECT article_id FROM article_races WHERE race_id = ?)) "
                    f"AND (ifnull(date, '{_UNDATED}'), id) > (?, ?) "
                    f"ORDER BY ifnull(date, '{_UNDATED}'), id LIMIT {_PAGE}",
                    (race_id, race_id, *after),
                ).fetchall()
            for row in rows:
                yield _article(row[:-1])
            if len(rows) < _PAGE:
                return
            after = (rows[-1][-1], rows[-1][0])

    def article_races(self, article_id: str) -> list[str]:
        with self._transaction("read the article's races") as conn:
            if (
                conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone()
                is None
            ):
                raise StoreError(f"no article '{article_id}' in {self._label}")
            rows = conn.execute(
                "SELECT race_id FROM article_races WHERE article_id = ? ORDER BY race_id",
                (article_id,),
            ).fetchall()
        return [r[0] for r in rows]

    def article_count(self, race_id: str | None = None) -> int:
        with self._transaction("count articles") as conn:
            if race_id is None:
                row = conn.execute("SELECT count(*) FROM articles").fetchone()
            else:
                self._definition(conn, race_id)
                row = conn.execute(
                    "SELECT count(*) FROM article_races WHERE race_id = ?", (race_id,)
                ).fetchone()
        return int(row[0])

    def schema_version(self) -> str:
        with self._transaction("read the schema version") as conn:
            row = conn.execute(
                "SELECT name FROM schema_migrations ORDER BY name DESC LIMIT 1"
            ).fetchone()
        return str(row[0])

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None


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


def _forecast(row: tuple[Any, ...]) -> StoredForecast:
    keys = _FORECAST_COLUMNS.split(", ")
    data = dict(zip(keys, row, strict=True))
    data["params"] = json.loads(data["params"])
    data["result"] = json.loads(data["result"])
    try:
        return StoredForecast.model_validate(data)
    except ValidationError as exc:
        raise StoreError(f"stored forecast {data['id']} is malformed ({exc})") from exc


def _article(row: tuple[Any, ...]) -> Article:
    data = {k: v for k, v in zip(_ARTICLE_COLUMNS.split(", "), row, strict=True) if v is not None}
    try:
        return Article.model_validate(data)
    except ValidationError as exc:
        raise StoreError(f"stored article {data.get('id')} is malformed ({exc})") from exc


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat()
