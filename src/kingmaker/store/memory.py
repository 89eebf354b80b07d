"""In-memory store: the reference backend of the store contract, handy in tests.

Nothing survives the process. Each write computes its full result before changing
anything, so a failing write leaves the store as it was; calls are serialised, so threads
may share a store.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import threading
import uuid
from collections import ChainMap
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from typing import Concatenate, ParamSpec, TypeVar

from kingmaker.errors import MissingError
from kingmaker.records import Article, Evidence, Race, Review
from kingmaker.store.base import (
    ArticlePlan,
    ArticleSignature,
    EvidenceEntry,
    FetchRecord,
    ReviewEntry,
    SignatureMatch,
    Store,
    StoredBatch,
    StoredForecast,
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
from kingmaker.store.migrations import MIGRATIONS

_WHERE = "the memory store"
_P = ParamSpec("_P")
_R = TypeVar("_R")


def _serialised(
    method: Callable[Concatenate[MemoryStore, _P], _R],
) -> Callable[Concatenate[MemoryStore, _P], _R]:
    """The method, run holding the store's lock."""

    @functools.wraps(method)
    def run(self: MemoryStore, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        with self._lock:
            return method(self, *args, **kwargs)

    return run


class MemoryStore(Store):
    """A store held in dictionaries; see ``Store`` for the contract."""

    def __init__(self) -> None:
        self._races: dict[str, Race] = {}
        self._evidence: dict[str, dict[str, Evidence]] = {}
        self._reviews: list[ReviewEntry] = []
        self._forecasts: dict[int, StoredForecast] = {}
        self._last_forecast_id = 0
        self._articles: dict[str, Article] = {}
        self._links: dict[str, set[str]] = {}
        self._read: dict[str, set[str]] = {}  # article id -> races it was read for
        self._fetches: dict[str, FetchRecord] = {}
        self._signatures: dict[str, ArticleSignature] = {}
        self._bands: dict[int, set[str]] = {}  # band key -> ids of the articles that have it
        self._closed = False
        self._lock = threading.RLock()
        self._writes = 0  # race writes so far: the fingerprint's counter
        self._token = uuid.uuid4().hex

    def __repr__(self) -> str:
        return f"MemoryStore(races={len(self._races)})"

    def _definition(self, race_id: str) -> Race:
        if self._closed:
            raise closed_error(_WHERE)
        if race_id not in self._races:
            raise unknown_race(race_id, self._races, _WHERE)
        return self._races[race_id]

    def _item(self, race_id: str, evidence_id: str) -> Evidence:
        self._definition(race_id)
        item = self._evidence[race_id].get(evidence_id)
        if item is None:
            raise MissingError(f"no evidence '{evidence_id}' in race '{race_id}'")
        return item

    @_serialised
    def put_race(self, race: Race) -> int:
        if self._closed:
            raise closed_error(_WHERE)
        stored = self._evidence.get(race.id, {})
        check_stored_refs(race, stored.values())
        new = plan_evidence(race, stored, race.evidence)
        definition = race.model_copy(update={"evidence": ()})
        self._writes += bool(new) or self._races.get(race.id) != definition
        self._races[race.id] = definition
        self._evidence[race.id] = {**stored, **{e.id: e for e in new}}
        return len(new)

    @_serialised
    def fingerprint(self, race_id: str) -> str:
        self._definition(race_id)
        return f"memory:{self._token}:{self._writes}"

    @_serialised
    def get_race(self, race_id: str) -> Race:
        definition = self._definition(race_id)
        items = sorted(self._evidence[race_id].values(), key=lambda e: (e.date, e.id))
        return definition.model_copy(update={"evidence": tuple(items)})

    @_serialised
    def race_ids(self) -> list[str]:
        if self._closed:
            raise closed_error(_WHERE)
        return sorted(self._races)

    @_serialised
    def has_race(self, race_id: str) -> bool:
        if self._closed:
            raise closed_error(_WHERE)
        return race_id in self._races

    @_serialised
    def delete_race(self, race_id: str, *, articles: bool = False) -> int:
        self._definition(race_id)
        gone: set[str] = set()
        if articles:
            linked = (a for a, races in self._links.items() if races == {race_id})
            gone = orphans(
                linked,
                lambda ids: {
                    a.id: a.duplicate_of
                    for a in self._articles.values()
                    if a.duplicate_of is not None and a.duplicate_of in ids
                },
            )
        for aid in gone:
            del self._articles[aid]
            self._links.pop(aid, None)
            self._read.pop(aid, None)
        del self._races[race_id]
        del self._evidence[race_id]
        self._reviews = [r for r in self._reviews if r.race_id != race_id]
        self._forecasts = {k: f for k, f in self._forecasts.items() if f.race_id != race_id}
        for races in (*self._links.values(), *self._read.values()):
            races.discard(race_id)
        self._writes += 1
        return len(gone)

    def check_writable(self) -> None:
        if self._closed:
            raise closed_error(_WHERE)

    @_serialised
    def add_evidence(
        self, race_id: str, items: Sequence[Evidence], *, read: str | None = None
    ) -> int:
        return self.add_evidence_batch([(race_id, items, read)])[0]

    @_serialised
    def add_evidence_batch(
        self, entries: Sequence[tuple[str, Sequence[Evidence], str | None]]
    ) -> list[int]:
        pending, marks = self._plan_evidence(entries, self._links)
        return self._apply_evidence(pending, marks)

    def _plan_evidence(
        self, entries: Sequence[EvidenceEntry], links: Mapping[str, Collection[str]]
    ) -> tuple[dict[str, dict[str, Evidence]], list[tuple[str, str | None, int]]]:
        """The items of ``entries`` to add per race and the read marks, checked as a whole
        (``links``: article id -> its race links); nothing is changed."""
        pending: dict[str, dict[str, Evidence]] = {}  # race id -> new items, not yet stored
        marks = []
        for race_id, items, read in entries:
            definition = self._definition(race_id)
            added = pending.setdefault(race_id, {})
            new = plan_evidence(definition, ChainMap(added, self._evidence[race_id]), items)
            if read is not None and race_id not in links.get(read, ()):
                raise not_linked(read, race_id)
            added.update((e.id, e) for e in new)
            marks.append((race_id, read, len(new)))
        return pending, marks

    def _apply_evidence(
        self,
        pending: dict[str, dict[str, Evidence]],
        marks: list[tuple[str, str | None, int]],
    ) -> list[int]:
        """Store what ``_plan_evidence`` planned; the number of items added per entry."""
        for race_id, added in pending.items():
            self._evidence[race_id].update(added)
        for race_id, read, _ in marks:
            if read is not None:
                self._read.setdefault(read, set()).add(race_id)
        self._writes += any(pending.values())  # a re-add, or a read mark alone, changes no race
        return [n for _, _, n in marks]

    @_serialised
    def add_batch(
        self,
        articles: Sequence[tuple[Article, Sequence[str]]],
        evidence: Sequence[EvidenceEntry] = (),
        *,
        fresh: Collection[str] = (),
    ) -> StoredBatch:
        if self._closed:
            raise closed_error(_WHERE)
        taken = tuple(a for a in dict.fromkeys(fresh) if a in self._articles)
        if taken:
            return StoredBatch(taken=taken)
        plans, signed = self._plan_articles(articles, ())
        # the read marks may name the batch's articles, linked by this same write
        links = ChainMap(
            {p.article.id: self._links.get(p.article.id, set()) | set(p.races) for p in plans},
            self._links,
        )
        pending, marks = self._plan_evidence(evidence, links)
        new = self._apply_articles(plans, signed)
        return StoredBatch(new=tuple(new), added=tuple(self._apply_evidence(pending, marks)))

    @_serialised
    def set_review(self, race_id: str, evidence_id: str, review: Review, reviewer: str) -> None:
        item = self._item(race_id, evidence_id)
        check_review(review, reviewer)
        entry = ReviewEntry(
            race_id=race_id,
            evidence_id=evidence_id,
            previous=item.review,
            review=review,
            reviewer=reviewer,
            at=dt.datetime.now(dt.UTC),
        )
        self._evidence[race_id][evidence_id] = item.model_copy(update={"review": review})
        self._writes += 1
        self._reviews.append(entry)

    @_serialised
    def reviews(self, race_id: str, evidence_id: str | None = None) -> list[ReviewEntry]:
        if evidence_id is None:
            self._definition(race_id)
        else:
            self._item(race_id, evidence_id)
        return [
            r
            for r in self._reviews
            if r.race_id == race_id and evidence_id in (None, r.evidence_id)
        ]

    @_serialised
    def save_forecast(self, run: StoredForecast) -> int:
        self._definition(run.race_id)
        params, result = forecast_json(run)
        self._last_forecast_id += 1
        # Kept as parsed JSON, so callers get back what the SQLite store would give.
        self._forecasts[self._last_forecast_id] = run.model_copy(
            update={
                "id": self._last_forecast_id,
                "params": json.loads(params),
                "result": json.loads(result),
            }
        )
        return self._last_forecast_id

    @_serialised
    def forecasts(self, race_id: str, *, model: str | None = None) -> list[StoredForecast]:
        self._definition(race_id)
        runs = [
            f.model_copy(deep=True)
            for f in self._forecasts.values()
            if f.race_id == race_id and model in (None, f.model)
        ]
        return sorted(runs, key=lambda f: (f.as_of, f.id or 0))

    @_serialised
    def get_forecast(self, forecast_id: int) -> StoredForecast:
        if self._closed:
            raise closed_error(_WHERE)
        run = self._forecasts.get(forecast_id)
        if run is None:
            raise MissingError(f"no forecast with id {forecast_id} in {_WHERE}")
        return run.model_copy(deep=True)

    @_serialised
    def add_articles_new_ids(
        self,
        items: Sequence[tuple[Article, Sequence[str]]],
        *,
        signatures: Sequence[ArticleSignature] = (),
    ) -> list[str]:
        if self._closed:
            raise closed_error(_WHERE)
        return self._apply_articles(*self._plan_articles(items, signatures))

    def _plan_articles(
        self, items: Sequence[object], signatures: Sequence[ArticleSignature]
    ) -> tuple[list[ArticlePlan], dict[str, ArticleSignature]]:
        """The batch's articles and signatures, checked as a whole; nothing is changed."""
        plans = plan_articles(items, is_stored=self._articles.__contains__, race_ids=self._races)
        return plans, signatures_of_batch(signatures, {p.article.id for p in plans})

    def _apply_articles(
        self, plans: list[ArticlePlan], signed: dict[str, ArticleSignature]
    ) -> list[str]:
        """Store what ``_plan_articles`` planned; the ids of the articles newly stored."""
        for plan in plans:
            if plan.new:
                self._articles[plan.article.id] = plan.article
                sig = signed.get(plan.article.id)
                if sig is not None:
                    self._sign(sig)
            self._links.setdefault(plan.article.id, set()).update(plan.races)
        return [plan.article.id for plan in plans if plan.new]

    def _sign(self, sig: ArticleSignature) -> None:
        """Keep ``sig`` in place of the article's earlier signature and band keys."""
        old = self._signatures.get(sig.article_id)
        for key in old.bands if old else ():
            self._bands[key].discard(sig.article_id)
        self._signatures[sig.article_id] = sig
        for key in sig.bands:
            self._bands.setdefault(key, set()).add(sig.article_id)

    @_serialised
    def put_signatures(self, signatures: Sequence[ArticleSignature]) -> None:
        for sig in check_signatures(signatures):
            self._article(sig.article_id)
        for sig in signatures:
            self._sign(sig)

    @_serialised
    def unsigned_articles(self, scheme: str) -> Iterator[Article]:
        if self._closed:
            raise closed_error(_WHERE)
        sigs = self._signatures
        return iter(
            [
                self._articles[i]
                for i in sorted(self._articles)
                if i not in sigs or sigs[i].scheme != scheme
            ]
        )

    @_serialised
    def band_holders(self, scheme: str, keys: Iterable[int]) -> dict[int, SignatureMatch]:
        if self._closed:
            raise closed_error(_WHERE)
        out: dict[int, SignatureMatch] = {}
        for key in set(keys):
            held = [
                (a.date is None, a.date or dt.date.min, a.id)
                for a in map(self._articles.get, self._bands.get(key, ()))
                if a is not None and self._signatures[a.id].scheme == scheme  # not removed
            ]
            if held:
                article = self._articles[min(held)[2]]
                out[key] = SignatureMatch(
                    self._signatures[article.id], article.date, article.duplicate_of
                )
        return out

    def _article(self, article_id: str) -> Article:
        if self._closed:
            raise closed_error(_WHERE)
        article = self._articles.get(article_id)
        if article is None:
            raise MissingError(f"no article '{article_id}' in {_WHERE}")
        return article

    @_serialised
    def get_article(self, article_id: str) -> Article:
        return self._article(article_id)

    @_serialised
    def has_article(self, article_id: str) -> bool:
        if self._closed:
            raise closed_error(_WHERE)
        return article_id in self._articles

    @_serialised
    def articles(self, race_id: str | None = None) -> Iterator[Article]:
        if race_id is not None:
            self._definition(race_id)
        elif self._closed:
            raise closed_error(_WHERE)
        chosen = [
            a
            for a in self._articles.values()
            if race_id is None or race_id in self._links.get(a.id, ())
        ]
        chosen.sort(key=lambda a: (a.date is None, a.date or dt.date.min, a.id))
        return iter(chosen)

    @_serialised
    def article_races(self, article_id: str) -> list[str]:
        self._article(article_id)
        return sorted(self._links.get(article_id, ()))

    @_serialised
    def linked_articles(self, race_id: str, article_ids: Iterable[str]) -> set[str]:
        if self._closed:
            raise closed_error(_WHERE)
        return {a for a in set(article_ids) if race_id in self._links.get(a, ())}

    @_serialised
    def unread_races(self, article_id: str) -> list[str]:
        self._article(article_id)
        return sorted(self._links.get(article_id, set()) - self._read.get(article_id, set()))

    @_serialised
    def article_count(self, race_id: str | None = None) -> int:
        if race_id is None:
            if self._closed:
                raise closed_error(_WHERE)
            return len(self._articles)
        self._definition(race_id)
        return sum(race_id in races for races in self._links.values())

    @_serialised
    def put_fetch(self, record: FetchRecord) -> None:
        if self._closed:
            raise closed_error(_WHERE)
        # kept as the SQL stores give it back: through JSON
        self._fetches[record.url] = FetchRecord.model_validate(record.model_dump(mode="json"))

    @_serialised
    def get_fetch(self, url: str) -> FetchRecord | None:
        if self._closed:
            raise closed_error(_WHERE)
        return self._fetches.get(url)

    @_serialised
    def fetch_records(self) -> list[FetchRecord]:
        if self._closed:
            raise closed_error(_WHERE)
        return [self._fetches[url] for url in sorted(self._fetches)]

    @_serialised
    def schema_version(self) -> str:
        if self._closed:
            raise closed_error(_WHERE)
        return MIGRATIONS[-1][0]

    def close(self) -> None:
        self._closed = True
