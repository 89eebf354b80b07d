"""The store contract written once in SQL that SQLite and PostgreSQL both run.

``SQLStore`` holds every query (written with ``?`` placeholders, which the ``Dialect``
translates) and the transactions around them; ``SQLiteStore`` and ``PostgresStore`` add
how to connect, what a driver error means and which schema migrations to apply.
"""

from __future__ import annotations

import abc
import datetime as dt
import json
import secrets
import struct
import threading
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import Any, ClassVar

from pydantic import ValidationError

from kingmaker.errors import MissingError, StoreError
from kingmaker.records import Article, Evidence, Race, Review
from kingmaker.store.base import (
    EVIDENCE,
    ArticleSignature,
    EvidenceEntry,
    FetchRecord,
    ReviewEntry,
    SignatureMatch,
    Store,
    StoredBatch,
    StoredForecast,
    batch_evidence_ids,
    check_review,
    check_signatures,
    check_stored_refs,
    closed_error,
    forecast_json,
    not_linked,
    orphans,
    plan_articles,
    plan_evidence,
    signatures_of_batch,
    unknown_race,
)
from kingmaker.store.dialect import Dialect, Rows
from kingmaker.store.migrations import applied_migrations, migrate

_FORECAST_COLUMNS = (
    "id, race_id, as_of, seed, samples, model, params, result, created_at, race_version"
)
_ARTICLE_FIELDS = ("id", "url", "file", "title", "publisher", "date", "date_basis", "text")
_ARTICLE_COLUMNS = ", ".join((*_ARTICLE_FIELDS, "duplicate_of"))
_REVIEW_COLUMNS = ("race_id", "evidence_id", "previous", "review", "reviewer", "at")
_FETCH_COLUMNS = tuple(FetchRecord.model_fields)
_PAGE = 500


class _Undo(Exception):
    """Raised inside a transaction to roll it back on purpose."""


class Tx:
    """One open transaction: runs ``?``-style statements on the store's connection."""

    def __init__(self, conn: Any, dialect: Dialect) -> None:
        self._conn = conn
        self._dialect = dialect

    def execute(self, query: str, params: Sequence[object] = ()) -> Rows:
        """Run one statement; its cursor, to read the rows from."""
        return self._dialect.execute(self._conn, query, params)

    def executemany(self, query: str, rows: Sequence[Sequence[object]]) -> None:
        """Run one statement once per row of parameters."""
        if rows:
            self._conn.cursor().executemany(self._dialect.sql(query), rows)


class SQLStore(Store):
    """A store on one DB-API connection (or a pool of them); see ``Store`` for the contract.

    The connection may be shared between threads: calls are serialised (``_begun``; a
    subclass with a pool lets them run at once). Every call is one transaction; writes
    begin with the dialect's ``begin_write``, which waits for any other writer (another
    thread, process or host) to finish, so concurrent writers never lose an item or trip
    over each other's keys.

    Subclasses connect, then call ``__init__`` with the connection, and say in ``_error``
    what a driver error means.
    """

    dialect: ClassVar[Dialect]
    _conn: Any = None  # None until opened, and again once closed

    def __init__(self, conn: Any, label: str, migrations: Sequence[tuple[str, str]]) -> None:
        """Check the database is empty or a kingmaker one, then bring its schema up to date.

        Args:
            conn: An open connection in autocommit mode; closed here when opening fails.
            label: How messages name the database (never with a password in it).
            migrations: The dialect's schema migrations, in order.

        Raises:
            StoreError: when the database is not a kingmaker one, a newer kingmaker wrote
                it, or it cannot be read or migrated. Nothing is written before the check.
        """
        self._label = label
        self._lock = threading.RLock()
        # race id -> (stored JSON, parsed definition): a definition is parsed once per
        # change, not on every write of its evidence
        self._definitions: dict[str, tuple[str, Race]] = {}
        try:
            applied_migrations(conn, migrations, label=label, dialect=self.dialect)
            self._prepare(conn)
            migrate(conn, migrations, label=label, dialect=self.dialect)
        except self.dialect.errors as exc:
            conn.close()
            raise self._error("open", exc) from exc
        except BaseException:
            conn.close()
            raise
        self._conn = conn

    def _prepare(self, conn: Any) -> None:
        """Settings of a connection to a database known to be empty or ours, before migrating."""

    @abc.abstractmethod
    def _error(self, action: str, exc: Exception) -> StoreError:
        """The one-line error for a driver error raised while doing ``action``."""

    @contextmanager
    def _begun(self, *, write: bool) -> Iterator[Any]:
        """A connection with a read or write transaction begun on it, held until the block
        ends: here the store's one connection, one transaction at a time (PostgreSQL
        takes one from its pool). A driver error rolls the transaction back."""
        with self._lock:
            if self._conn is None:
                raise closed_error(self._label)
            conn = self._conn
            try:
                self.dialect.begin(conn, write=write)
                yield conn
            except self.dialect.errors:
                with suppress(*self.dialect.errors):
                    conn.rollback()
                raise

    @contextmanager
    def _transaction(self, action: str, *, write: bool = False) -> Iterator[Tx]:
        """One transaction: committed when the block ends, rolled back when it raises."""
        try:
            with self._begun(write=write) as conn:
                try:
                    yield Tx(conn, self.dialect)
                except BaseException:
                    conn.rollback()
                    raise
                conn.commit()
        except self.dialect.errors as exc:
            raise self._error(action, exc) from exc

    def _definition(self, tx: Tx, race_id: str) -> Race:
        row = tx.execute("SELECT json FROM races WHERE id = ?", (race_id,)).fetchone()
        if row is None:
            known = [r[0] for r in tx.execute("SELECT id FROM races")]
            raise unknown_race(race_id, known, self._label)
        kept = self._definitions.get(race_id)
        if kept is not None and kept[0] == row[0]:
            return kept[1]
        try:
            race = Race.model_validate_json(row[0])
        except ValidationError as exc:
            raise self._stale(race_id, exc) from exc
        self._definitions[race_id] = (row[0], race)
        return race

    def _stored_items(self, tx: Tx, race_id: str, ids: Sequence[str]) -> dict[str, Any]:
        """The stored items of the race with these ids (an indexed lookup, by pages)."""
        found: dict[str, Any] = {}
        for start in range(0, len(ids), _PAGE):
            chunk = ids[start : start + _PAGE]
            rows = tx.execute(
                f"SELECT json FROM evidence WHERE race_id = ? AND id IN ({_marks(chunk)})",
                (race_id, *chunk),
            )
            try:
                found.update((e.id, e) for e in map(EVIDENCE.validate_json, (r[0] for r in rows)))
            except ValidationError as exc:
                raise self._stale(race_id, exc) from exc
        return found

    def _stored(self, tx: Tx, race_id: str) -> dict[str, Any]:
        rows = tx.execute(
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

    def _insert_evidence(self, tx: Tx, race_id: str, items: list[Any]) -> None:
        tx.executemany(
            "INSERT INTO evidence (race_id, id, date, kind, json) VALUES (?, ?, ?, ?, ?)",
            [(race_id, e.id, e.date.isoformat(), e.kind, e.model_dump_json()) for e in items],
        )

    def put_race(self, race: Race) -> int:
        with self._transaction("store the race", write=True) as tx:
            stored = self._stored(tx, race.id)
            check_stored_refs(race, stored.values())
            new = plan_evidence(race, stored, race.evidence)
            definition = race.model_dump_json(exclude={"evidence"})
            row = tx.execute("SELECT json FROM races WHERE id = ?", (race.id,)).fetchone()
            if row is None or row[0] != definition or new:  # else: nothing changes
                tx.execute(
                    "INSERT INTO races (id, json, version) VALUES (?, ?, ?) ON CONFLICT (id) "
                    "DO UPDATE SET json = excluded.json, version = excluded.version",
                    (race.id, definition, _version()),
                )
            self._insert_evidence(tx, race.id, new)
        return len(new)

    def get_race(self, race_id: str) -> Race:
        with self._transaction("read the race") as tx:
            definition = self._definition(tx, race_id)
            items = tuple(self._stored(tx, race_id).values())
        return definition.model_copy(update={"evidence": items})

    def fingerprint(self, race_id: str) -> str:
        """The race's version: a random token that every write changing the race or its
        evidence replaces, in the same transaction (one row read, whatever the evidence).
        A race without one (added by a kingmaker older than the version column, still
        running during an upgrade) falls back to the base class's digest of the race."""
        query = "SELECT version FROM races WHERE id = ?"
        row = self._one_row("read the race's fingerprint", query, (race_id,))
        if row is None:
            with self._transaction("read the race's fingerprint") as tx:
                self._definition(tx, race_id)  # raises UnknownRaceError naming the races
                row = tx.execute(query, (race_id,)).fetchone()  # stored since
        return f"{race_id}:{row[0]}" if row[0] else super().fingerprint(race_id)

    def _one_row(self, action: str, query: str, params: Sequence[object]) -> Any:
        """The first row (or None) of one read statement. One statement sees one snapshot
        by itself, so a backend may run it without a transaction around it (PostgreSQL:
        one round trip instead of three; caches ask for fingerprints all the time)."""
        with self._transaction(action) as tx:
            return tx.execute(query, params).fetchone()

    def _changed(self, tx: Tx, race_id: str) -> None:
        """Give the race a new version: what ``get_race`` returns has changed."""
        tx.execute("UPDATE races SET version = ? WHERE id = ?", (_version(), race_id))

    def race_ids(self) -> list[str]:
        with self._transaction("list races") as tx:
            return [r[0] for r in tx.execute("SELECT id FROM races ORDER BY id")]

    def has_race(self, race_id: str) -> bool:
        with self._transaction("look up the race") as tx:
            return tx.execute("SELECT 1 FROM races WHERE id = ?", (race_id,)).fetchone() is not None

    def delete_race(self, race_id: str, *, articles: bool = False) -> int:
        with self._transaction("delete the race", write=True) as tx:
            self._definition(tx, race_id)
            gone = sorted(self._orphans(tx, race_id)) if articles else []
            for table, column in (
                ("reviews", "race_id"),
                ("evidence", "race_id"),
                ("forecasts", "race_id"),
                ("article_races", "race_id"),
                ("races", "id"),
            ):
                tx.execute(f"DELETE FROM {table} WHERE {column} = ?", (race_id,))
            # First-seen links among the articles that go are dropped first, so that no
            # batch deletes an article another one still names.
            for query in (
                "UPDATE articles SET duplicate_of = NULL WHERE id IN ({})",
                "DELETE FROM articles WHERE id IN ({})",
            ):
                for start in range(0, len(gone), _PAGE):
                    chunk = gone[start : start + _PAGE]
                    tx.execute(query.format(", ".join("?" * len(chunk))), chunk)
        return len(gone)

    def _orphans(self, tx: Tx, race_id: str) -> set[str]:
        """The articles linked to this race only that no kept article names as first seen."""
        linked = [
            r[0]
            for r in tx.execute(
                "SELECT article_id FROM article_races WHERE race_id = ? AND article_id NOT IN "
                "(SELECT article_id FROM article_races WHERE race_id <> ?)",
                (race_id, race_id),
            )
        ]

        def first_seen(ids: Collection[str]) -> dict[str, str]:
            wanted, found = sorted(ids), dict[str, str]()
            for start in range(0, len(wanted), _PAGE):
                chunk = wanted[start : start + _PAGE]
                rows = tx.execute(
                    f"SELECT id, duplicate_of FROM articles WHERE duplicate_of IN "
                    f"({', '.join('?' * len(chunk))})",
                    chunk,
                )
                found.update((r[0], r[1]) for r in rows)
            return found

        return orphans(linked, first_seen)

    def check_writable(self) -> None:
        """Insert a row in a write transaction and roll it back: a read-only database or
        server refuses the insert."""
        with suppress(_Undo), self._transaction("write", write=True) as tx:
            tx.execute(
                "INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)",
                ("9999_write_check", "never"),
            )
            raise _Undo  # rolls the transaction back

    def add_evidence(
        self, race_id: str, items: Sequence[Evidence], *, read: str | None = None
    ) -> int:
        return self.add_evidence_batch([(race_id, items, read)])[0]

    def add_evidence_batch(
        self, entries: Sequence[tuple[str, Sequence[Evidence], str | None]]
    ) -> list[int]:
        with self._transaction("add evidence", write=True) as tx:
            return self._add_evidence(tx, entries)

    def add_batch(
        self,
        articles: Sequence[tuple[Article, Sequence[str]]],
        evidence: Sequence[EvidenceEntry] = (),
        *,
        fresh: Collection[str] = (),
    ) -> StoredBatch:
        with self._transaction("store the batch", write=True) as tx:
            taken = self._stored_ids(tx, list(dict.fromkeys(fresh)))
            if taken:
                return StoredBatch(taken=tuple(taken))
            new = self._add_articles(tx, articles, ())
            added = self._add_evidence(tx, evidence)
        return StoredBatch(new=tuple(new), added=tuple(added))

    def _stored_ids(self, tx: Tx, ids: list[str]) -> list[str]:
        """The ids among ``ids`` of stored articles, in the order given."""
        found: set[str] = set()
        for start in range(0, len(ids), _PAGE):
            chunk = ids[start : start + _PAGE]
            rows = tx.execute(f"SELECT id FROM articles WHERE id IN ({_marks(chunk)})", chunk)
            found.update(r[0] for r in rows)
        return [i for i in ids if i in found]

    def _add_evidence(self, tx: Tx, entries: Sequence[EvidenceEntry]) -> list[int]:
        """``add_evidence_batch`` in the open transaction ``tx``."""
        counts: list[int] = []
        changed: set[str] = set()
        for race_id, items, read in entries:
            definition = self._definition(tx, race_id)
            # only the stored items the batch's ids name are read: linear, not O(race)
            stored = self._stored_items(tx, race_id, batch_evidence_ids(items))
            new = plan_evidence(definition, stored, items)
            if read is not None:
                link = (read, race_id)
                query = "SELECT 1 FROM article_races WHERE article_id = ? AND race_id = ?"
                if tx.execute(query, link).fetchone() is None:
                    raise not_linked(read, race_id)
                tx.execute(
                    "UPDATE article_races SET read_at = ? WHERE article_id = ? AND race_id = ?",
                    (_now(), *link),
                )
            self._insert_evidence(tx, race_id, new)
            if new:
                changed.add(race_id)
            counts.append(len(new))
        for race_id in sorted(changed):
            self._changed(tx, race_id)
        return counts

    def _item(self, tx: Tx, race_id: str, evidence_id: str) -> Any:
        self._definition(tx, race_id)
        row = tx.execute(
            "SELECT json FROM evidence WHERE race_id = ? AND id = ?", (race_id, evidence_id)
        ).fetchone()
        if row is None:
            raise MissingError(f"no evidence '{evidence_id}' in race '{race_id}'")
        try:
            return EVIDENCE.validate_json(row[0])
        except ValidationError as exc:
            raise self._stale(race_id, exc) from exc

    def set_review(self, race_id: str, evidence_id: str, review: Review, reviewer: str) -> None:
        with self._transaction("record the review", write=True) as tx:
            item = self._item(tx, race_id, evidence_id)
            check_review(review, reviewer)
            changed = item.model_copy(update={"review": review})
            tx.execute(
                "UPDATE evidence SET json = ? WHERE race_id = ? AND id = ?",
                (changed.model_dump_json(), race_id, evidence_id),
            )
            self._changed(tx, race_id)
            tx.execute(
                f"INSERT INTO reviews ({', '.join(_REVIEW_COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?)",
                (race_id, evidence_id, item.review, review, reviewer.strip(), _now()),
            )

    def reviews(self, race_id: str, evidence_id: str | None = None) -> list[ReviewEntry]:
        query = f"SELECT {', '.join(_REVIEW_COLUMNS)} FROM reviews WHERE race_id = ?"
        with self._transaction("read the review log") as tx:
            if evidence_id is None:
                self._definition(tx, race_id)
                rows = tx.execute(f"{query} ORDER BY id", (race_id,)).fetchall()
            else:
                self._item(tx, race_id, evidence_id)
                rows = tx.execute(
                    f"{query} AND evidence_id = ? ORDER BY id", (race_id, evidence_id)
                ).fetchall()
        return [
            ReviewEntry.model_validate(dict(zip(_REVIEW_COLUMNS, row, strict=True))) for row in rows
        ]

    def save_forecast(self, run: StoredForecast) -> int:
        params, result = forecast_json(run)
        with self._transaction("save the forecast", write=True) as tx:
            self._definition(tx, run.race_id)
            (row,) = tx.execute(
                "INSERT INTO forecasts (race_id, as_of, seed, samples, model, params, result, "
                "created_at, race_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (
                    run.race_id,
                    run.as_of.isoformat(),
                    str(run.seed),
                    run.samples,
                    run.model,
                    params,
                    result,
                    run.created_at.isoformat(),
                    run.race_version,
                ),
            ).fetchall()
        return int(row[0])

    def forecasts(self, race_id: str, *, model: str | None = None) -> list[StoredForecast]:
        query = f"SELECT {_FORECAST_COLUMNS} FROM forecasts WHERE race_id = ?"
        with self._transaction("list forecasts") as tx:
            self._definition(tx, race_id)
            if model is None:
                rows = tx.execute(f"{query} ORDER BY as_of, id", (race_id,)).fetchall()
            else:
                rows = tx.execute(
                    f"{query} AND model = ? ORDER BY as_of, id", (race_id, model)
                ).fetchall()
        return [_forecast(row) for row in rows]

    def get_forecast(self, forecast_id: int) -> StoredForecast:
        with self._transaction("read the forecast") as tx:
            row = tx.execute(
                f"SELECT {_FORECAST_COLUMNS} FROM forecasts WHERE id = ?", (forecast_id,)
            ).fetchone()
        if row is None:
            raise MissingError(f"no forecast with id {forecast_id} in {self._label}")
        return _forecast(row)

    def _insert_articles(self, tx: Tx, articles: list[Article]) -> None:
        now = _now()
        tx.executemany(
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

    def _insert_article_links(self, tx: Tx, links: list[tuple[str, str]]) -> None:
        tx.executemany(
            "INSERT INTO article_races (article_id, race_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
            links,
        )

    def add_articles_new_ids(
        self,
        items: Sequence[tuple[Article, Sequence[str]]],
        *,
        signatures: Sequence[ArticleSignature] = (),
    ) -> list[str]:
        with self._transaction("add articles", write=True) as tx:
            return self._add_articles(tx, items, signatures)

    def _add_articles(
        self,
        tx: Tx,
        items: Sequence[tuple[Article, Sequence[str]]],
        signatures: Sequence[ArticleSignature],
    ) -> list[str]:
        """``add_articles_new_ids`` in the open transaction ``tx``."""
        races = {r[0] for r in tx.execute("SELECT id FROM races")}

        def is_stored(article_id: str) -> bool:
            row = tx.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,))
            return row.fetchone() is not None

        plans = plan_articles(items, is_stored=is_stored, race_ids=races)
        signed = signatures_of_batch(signatures, {p.article.id for p in plans})
        self._insert_articles(tx, [p.article for p in plans if p.new])
        self._insert_article_links(tx, [(p.article.id, r) for p in plans for r in p.races])
        days = {p.article.id: _day(p.article.date) for p in plans if p.new}
        self._insert_signatures(tx, [s for a, s in signed.items() if a in days], days)
        return [p.article.id for p in plans if p.new]

    def _insert_signatures(
        self, tx: Tx, sigs: list[ArticleSignature], days: dict[str, str]
    ) -> None:
        """Store signatures of articles that have none, with their band keys, each under
        its article's sort key (``days``: the date, or a day after any real one)."""
        tx.executemany(
            "INSERT INTO article_signatures (article_id, scheme, minhash, shingles, bands) "
            "VALUES (?, ?, ?, ?, ?)",
            [(s.article_id, s.scheme, s.minhash, s.shingles, _pack(s.bands)) for s in sigs],
        )
        tx.executemany(
            "INSERT INTO article_bands (band_key, day, article_id) VALUES (?, ?, ?) "
            "ON CONFLICT DO NOTHING",
            [(key, days[s.article_id], s.article_id) for s in sigs for key in set(s.bands)],
        )

    def put_signatures(self, signatures: Sequence[ArticleSignature]) -> None:
        sigs = check_signatures(signatures)
        days: dict[str, str] = {}
        with self._transaction("store article signatures", write=True) as tx:
            for sig in sigs:
                self._known_article(tx, sig.article_id)
                (day,) = tx.execute(
                    f"SELECT {self.dialect.date_key} FROM articles WHERE id = ?",
                    (sig.article_id,),
                ).fetchone()
                days[sig.article_id] = day
                row = tx.execute(
                    "SELECT bands FROM article_signatures WHERE article_id = ?", (sig.article_id,)
                ).fetchone()
                if row is not None:
                    tx.executemany(
                        "DELETE FROM article_bands WHERE band_key = ? AND article_id = ?",
                        [(key, sig.article_id) for key in set(_unpack(row[0]))],
                    )
                    tx.execute(
                        "DELETE FROM article_signatures WHERE article_id = ?", (sig.article_id,)
                    )
            self._insert_signatures(tx, sigs, days)

    def unsigned_articles(self, scheme: str) -> Iterator[Article]:
        query = (
            f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id > ? AND NOT EXISTS (SELECT 1 "
            "FROM article_signatures s WHERE s.article_id = articles.id AND s.scheme = ?) "
            f"ORDER BY id LIMIT {_PAGE}"
        )
        with self._transaction("list unsigned articles"):
            pass  # a closed store raises now, not at the first page
        return self._pages(query, scheme)

    def _pages(self, query: str, scheme: str) -> Iterator[Article]:
        """Articles in pages of ``_PAGE`` by id, each page its own read."""
        after = ""
        while True:
            with self._transaction("list unsigned articles") as tx:
                rows = tx.execute(query, (after, scheme)).fetchall()
            yield from map(_article, rows)
            if len(rows) < _PAGE:
                return
            after = rows[-1][0]

    def band_holders(self, scheme: str, keys: Iterable[int]) -> dict[int, SignatureMatch]:
        wanted = sorted(set(keys))
        first: dict[int, tuple[str, str]] = {}
        with self._transaction("look up band keys") as tx:
            for start in range(0, len(wanted), _PAGE):
                chunk = wanted[start : start + _PAGE]
                values = ", ".join(["(CAST(? AS BIGINT))"] * len(chunk))
                # per key, the first row in index order whose article is signed in this
                # scheme (a removed article's rows have no signature to join)
                rows = tx.execute(
                    f"WITH k (band_key) AS (VALUES {values}) SELECT k.band_key, (SELECT "
                    "b.day || ' ' || b.article_id FROM article_bands b JOIN article_signatures "
                    "s ON s.article_id = b.article_id AND s.scheme = ? WHERE b.band_key = "
                    "k.band_key ORDER BY b.day, b.article_id LIMIT 1) FROM k",
                    (*chunk, scheme),
                ).fetchall()
                first.update((int(k), tuple(v.split(" "))) for k, v in rows if v)
            found = self._signed(tx, scheme, {a for _, a in first.values()})
            out: dict[int, SignatureMatch] = {}
            for key, (day, article_id) in first.items():
                match = found.get(article_id)
                if match is not None and _holds(match, key, day):
                    out[key] = match
                else:  # a row left by an article removed and stored again: look further
                    later = self._holder(tx, scheme, key, found)
                    if later is not None:
                        out[key] = later
        return out

    def _holder(
        self, tx: Tx, scheme: str, key: int, found: dict[str, SignatureMatch]
    ) -> SignatureMatch | None:
        """The first holder of ``key`` whose signature and date agree with its row."""
        rows = tx.execute(
            "SELECT b.day, b.article_id FROM article_bands b JOIN article_signatures s ON "
            "s.article_id = b.article_id AND s.scheme = ? WHERE b.band_key = ? "
            "ORDER BY b.day, b.article_id",
            (scheme, key),
        ).fetchall()
        for day, article_id in rows:
            if article_id not in found:
                found.update(self._signed(tx, scheme, {article_id}))
            match = found.get(article_id)
            if match is not None and _holds(match, key, day):
                return match
        return None

    def _signed(self, tx: Tx, scheme: str, article_ids: set[str]) -> dict[str, SignatureMatch]:
        """The signatures of these stored articles, with their dates and first-seen ids."""
        ids = sorted(article_ids)
        found: dict[str, SignatureMatch] = {}
        for start in range(0, len(ids), _PAGE):
            chunk = ids[start : start + _PAGE]
            rows = tx.execute(
                "SELECT s.article_id, s.minhash, s.shingles, s.bands, a.date, a.duplicate_of "
                "FROM article_signatures s JOIN articles a ON a.id = s.article_id "
                f"WHERE s.article_id IN ({_marks(chunk)})",
                chunk,
            ).fetchall()
            for article_id, minhash, shingles, bands, day, dup in rows:
                sig = ArticleSignature(
                    article_id, scheme, bytes(minhash), int(shingles), _unpack(bands)
                )
                date = dt.date.fromisoformat(day) if day else None
                found[article_id] = SignatureMatch(sig, date, dup)
        return found

    def get_article(self, article_id: str) -> Article:
        with self._transaction("read the article") as tx:
            row = tx.execute(
                f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,)
            ).fetchone()
        if row is None:
            raise MissingError(f"no article '{article_id}' in {self._label}")
        return _article(row)

    def has_article(self, article_id: str) -> bool:
        with self._transaction("look up the article") as tx:
            row = tx.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone()
        return row is not None

    def articles(self, race_id: str | None = None) -> Iterator[Article]:
        with self._transaction("list articles") as tx:
            if race_id is not None:
                self._definition(tx, race_id)
        return self._article_pages(race_id)

    def _article_pages(self, race_id: str | None) -> Iterator[Article]:
        """Articles in pages of ``_PAGE``, each page its own read (keyset pagination)."""
        key = self.dialect.date_key
        query = f"SELECT {_ARTICLE_COLUMNS}, {key} FROM articles WHERE ({key}, id) > (?, ?)"
        if race_id is not None:
            query += " AND id IN (SELECT article_id FROM article_races WHERE race_id = ?)"
        query += f" ORDER BY {key}, id LIMIT {_PAGE}"
        after: tuple[str, str] = ("", "")
        while True:
            with self._transaction("list articles") as tx:
                params = after if race_id is None else (*after, race_id)
                rows = tx.execute(query, params).fetchall()
            for row in rows:
                yield _article(row[:-1])
            if len(rows) < _PAGE:
                return
            after = (rows[-1][-1], rows[-1][0])

    def article_races(self, article_id: str) -> list[str]:
        with self._transaction("read the article's races") as tx:
            self._known_article(tx, article_id)
            rows = tx.execute(
                "SELECT race_id FROM article_races WHERE article_id = ? ORDER BY race_id",
                (article_id,),
            ).fetchall()
        return [r[0] for r in rows]

    def linked_articles(self, race_id: str, article_ids: Iterable[str]) -> set[str]:
        wanted = sorted(set(article_ids))
        found: set[str] = set()
        with self._transaction("find the race's articles") as tx:
            for start in range(0, len(wanted), _PAGE):  # a bounded number of parameters
                chunk = wanted[start : start + _PAGE]
                marks = ", ".join("?" * len(chunk))
                rows = tx.execute(
                    f"SELECT article_id FROM article_races WHERE race_id = ? "
                    f"AND article_id IN ({marks})",
                    (race_id, *chunk),
                ).fetchall()
                found.update(r[0] for r in rows)
        return found

    def _known_article(self, tx: Tx, article_id: str) -> None:
        """Raise StoreError naming ``article_id`` unless it is stored."""
        if tx.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone() is None:
            raise MissingError(f"no article '{article_id}' in {self._label}")

    def unread_races(self, article_id: str) -> list[str]:
        with self._transaction("read the article's unread races") as tx:
            self._known_article(tx, article_id)
            rows = tx.execute(
                "SELECT race_id FROM article_races WHERE article_id = ? AND read_at IS NULL "
                "ORDER BY race_id",
                (article_id,),
            ).fetchall()
        return [r[0] for r in rows]

    def article_count(self, race_id: str | None = None) -> int:
        with self._transaction("count articles") as tx:
            if race_id is None:
                row = tx.execute("SELECT count(*) FROM articles").fetchone()
            else:
                self._definition(tx, race_id)
                row = tx.execute(
                    "SELECT count(*) FROM article_races WHERE race_id = ?", (race_id,)
                ).fetchone()
        return int(row[0])

    def put_fetch(self, record: FetchRecord) -> None:
        row = record.model_dump(mode="json")
        columns = ", ".join(_FETCH_COLUMNS)
        updates = ", ".join(f"{c} = excluded.{c}" for c in _FETCH_COLUMNS[1:])
        with self._transaction("record the fetch", write=True) as tx:
            tx.execute(
                f"INSERT INTO fetches ({columns}) VALUES ({', '.join('?' * len(_FETCH_COLUMNS))}) "
                f"ON CONFLICT (url) DO UPDATE SET {updates}",
                [row[c] for c in _FETCH_COLUMNS],
            )

    def get_fetch(self, url: str) -> FetchRecord | None:
        with self._transaction("read the fetch record") as tx:
            row = tx.execute(
                f"SELECT {', '.join(_FETCH_COLUMNS)} FROM fetches WHERE url = ?", (url,)
            ).fetchone()
        return None if row is None else _fetch(row)

    def fetch_records(self) -> list[FetchRecord]:
        with self._transaction("list the fetch records") as tx:
            rows = tx.execute(
                f"SELECT {', '.join(_FETCH_COLUMNS)} FROM fetches ORDER BY url"
            ).fetchall()
        return [_fetch(row) for row in rows]

    def schema_version(self) -> str:
        with self._transaction("read the schema version") as tx:
            row = tx.execute(
                "SELECT name FROM schema_migrations ORDER BY name DESC LIMIT 1"
            ).fetchone()
        return str(row[0])

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                with suppress(*self.dialect.errors):
                    self._conn.close()
                self._conn = None


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


def _fetch(row: tuple[Any, ...]) -> FetchRecord:
    data = dict(zip(_FETCH_COLUMNS, row, strict=True))
    try:
        return FetchRecord.model_validate(data)
    except ValidationError as exc:
        raise StoreError(f"stored fetch record of {data['url']} is malformed ({exc})") from exc


def _holds(match: SignatureMatch, key: int, day: str) -> bool:
    """Whether a band row (``key``, ``day``) is the signed article's as stored now."""
    return key in match.signature.bands and _day(match.date) == day


def _day(date: dt.date | None) -> str:
    """An article's sort key, as the dialects' ``date_key`` computes it."""
    return date.isoformat() if date else "9999-12-31"


def _marks(values: Sequence[object]) -> str:
    """``?, ?, ...``: one placeholder per value."""
    return ", ".join("?" * len(values))


def _pack(keys: Sequence[int]) -> bytes:
    """Band keys as bytes (little-endian signed 64-bit)."""
    return struct.pack(f"<{len(keys)}q", *keys)


def _unpack(blob: bytes) -> tuple[int, ...]:
    """Band keys from ``_pack``'s bytes."""
    return struct.unpack(f"<{len(blob) // 8}q", bytes(blob))


def _version() -> str:
    """A new race version: 128 random bits, so a version never comes back."""
    return secrets.token_hex(16)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat()
