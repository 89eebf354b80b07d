"""The ingest pipeline: read, de-duplicate, match to races, extract, store batch by batch.

``run`` streams its inputs through the pure stage (``kingmaker.ingest``: reading,
dating, matching, near copies) into a store: only the current batch of articles is
held (two, while a concurrent extractor reads one), with the ids seen and the
near-duplicate index of this run's articles (no texts). The pipeline owns the unit of
work of a batch: it finds the batch's near copies, has the extractor it is given read
the other (dated) articles for the races they concern, and stores the articles, their
evidence and the marks that they were read in one store call, one transaction
(``Store.add_batch``), so a crash leaves each batch stored whole or not at all.

The stored articles are never read again: their near-duplicate signatures are looked up
by band key (``StoredSignatures``, the store as ``kingmaker.ingest.neardup``'s
``SignatureIndex``; the run's own are stored when it ends, or signed by the next ingest
if it stops first), so the cost of an ingest grows with what it reads, not with what
the store holds. Every article read is counted once, as new, a repeat or off topic,
also when another ingest of the same input stores some of them first: a batch whose
articles another writer stored since they were read is not written; those articles are
read again as stored ones (for the races that writer did not read them for) and the
batch is written then.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from kingmaker.errors import IngestError, UnknownRaceError
from kingmaker.ingest.build import MAX_CHARS
from kingmaker.ingest.matching import Matched, RaceMatcher
from kingmaker.ingest.neardup import NearDuplicates, Signed
from kingmaker.ingest.problems import Problem
from kingmaker.ingest.report import IngestReport
from kingmaker.ingest.sources import Document, read_paths
from kingmaker.records import Article, Evidence, Race
from kingmaker.store.base import ArticleSignature, EvidenceEntry, SignatureMatch, Store

BATCH_SIZE = 500


class StoredSignatures:
    """The store's near-duplicate signatures as the ``SignatureIndex`` of
    ``kingmaker.ingest.neardup``: each call is one store read or transaction."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def unsigned(self, scheme: str) -> Iterator[Article]:
        """The stored articles without a signature of ``scheme``, by id, in pages."""
        return self.store.unsigned_articles(scheme)

    def holders(self, scheme: str, keys: Iterable[int]) -> dict[int, SignatureMatch]:
        """Per band key, its first holder in the store's order (one read)."""
        return self.store.band_holders(scheme, keys)

    def add(self, signatures: Sequence[Signed]) -> None:
        """Store the signatures of stored articles in one transaction."""
        self.store.put_signatures(
            [
                ArticleSignature(s.article_id, s.scheme, s.minhash, s.shingles, s.bands)
                for s in signatures
            ]
        )


def stored_near_duplicates(store: Store) -> NearDuplicates:
    """Near copies among the store's articles and those of one run, from the signatures
    the store keeps (its texts are never read)."""
    return NearDuplicates(StoredSignatures(store))


Reading = tuple[Article, str]
"""An article to read for the race with this id."""
Found = Callable[[], Sequence[Sequence[Evidence]]]
"""Waits for the evidence of each ``Reading`` started, in order."""
_Read = dict[tuple[str, str], Sequence[Evidence]]  # (article id, race id) -> items read


class BatchExtractor(Protocol):
    """What reads the evidence out of a batch's articles for the pipeline; it writes
    nothing (the pipeline stores what it finds with the articles)."""

    @property
    def concurrent(self) -> bool:
        """Whether ``start`` returns before the reading is done (in other processes):
        the pipeline then reads the next batch while the extractor reads this one."""
        ...

    def start(self, todo: Sequence[Reading]) -> Found:
        """Start reading each ``(article, race id)``; what it returns gives the items of
        each, in order, once they are read."""
        ...


@dataclass
class Extracted:
    """What an ingest's extraction stored."""

    evidence: dict[str, int] = field(default_factory=dict)  # race id -> new evidence items
    # race id -> ids of every item extracted in this run (new or already stored)
    items: dict[str, list[str]] = field(default_factory=dict)
    articles: list[str] = field(default_factory=list)  # ids of articles read (or marked read)
    copies_skipped: int = 0  # near copies marked read without reading them again
    undated: int = 0  # articles without a date: marked read, no evidence


@dataclass(frozen=True)
class Ingested:
    """What ``run`` did: the ingest report, and what the extraction stored."""

    report: IngestReport
    extracted: Extracted


@dataclass
class _Entry:
    """An article of a batch: the races to link it to, those to read it for (with an
    extractor), and whether it was not stored when read (``fresh``)."""

    article: Article
    links: list[str]
    read: list[str]
    fresh: bool


@dataclass
class _Batch:
    """A batch on its way to the store, with the readings started for it."""

    entries: list[_Entry]
    todo: list[Reading]
    found: Found


def run(
    store: Store,
    paths: Iterable[str | Path | Document] | str | Path | Document,
    *,
    races: Sequence[Race] | None = None,
    race_id: str | None = None,
    default_date: dt.date | None = None,
    extractor: BatchExtractor | None = None,
    progress: Callable[[int], None] | None = None,
    batch_size: int = BATCH_SIZE,
    today: dt.date | None = None,
    max_chars: int = MAX_CHARS,
    items: Iterable[Article | Problem | Matched] | None = None,
) -> Ingested:
    """Read articles, drop repeats, link near copies, match them to races, read their
    evidence and store them, each batch in one transaction.

    Args:
        store: Where articles go; the races they are linked to must be stored in it.
        paths: Files, directories, glob patterns, ``"-"`` for standard input, and
            in-memory ``Document`` objects (uploads).
        races: Races to match against; None: every race in the store.
        race_id: Only this race: articles that do not concern it are skipped.
        default_date: Date for articles that carry none (and for plain text files).
        extractor: Reads the evidence of each new article for the races it concerns,
            and of each stored article for the races it was not read for yet (newly
            linked, or an earlier run stored it without its evidence); near copies and
            undated articles are not read, only marked read. None: articles only, not
            marked read.
        progress: Called with the number of articles read so far, every ``batch_size``
            articles and at the end.
        batch_size: Articles per store transaction.
        today: Dates after it are refused (default: the current day).
        max_chars: Characters kept of one article's text.
        items: Articles and problems read already, in reading order, instead of reading
            ``paths`` (which is then not read; ``files`` stays 0): what cluster workers
            read, as ``Matched`` records when they matched them to races too.

    Returns:
        The report (problems with inputs are in it, not raised) and what the extraction
        stored.

    Raises:
        IngestError: when there is no race to match against, a given race is not
            stored, or ``batch_size`` is below 1.
        UnknownRaceError: when ``race_id`` is not among the races.
        StoreError: when a batch cannot be written (earlier batches stay stored, none of
            this one is).
    """
    start = time.perf_counter()
    if batch_size < 1:
        raise IngestError(f"batch_size must be at least 1, got {batch_size}")
    tracked = _tracked_races(store, races, race_id)
    matcher = RaceMatcher(tracked)
    writer = _Writer(store, extractor)
    writer.index.sign_stored()  # once: articles stored before signatures were kept, or elsewhere
    counts = writer.counts
    problems: list[Problem] = []
    seen: set[str] = set()
    batch: list[_Entry] = []

    def opened(_: str) -> None:
        counts["files"] += 1

    if items is None:
        items = read_paths(
            paths, default_date=default_date, today=today, max_chars=max_chars, on_file=opened
        )
    for item in items:
        if isinstance(item, Problem):
            problems.append(item)
            continue
        counts["read"] += 1
        if progress is not None and counts["read"] % batch_size == 0:
            progress(counts["read"])
        if item.id in seen:
            counts["exact"] += 1
            continue
        seen.add(item.id)
        if isinstance(item, Matched):
            hits, article = list(item.races), item.article
        else:
            hits, article = matcher.match(item.text, item.date), item
        if store.has_article(item.id):
            counts["exact"] += 1
            linked = store.article_races(item.id)
            missing = [r for r in hits if r not in linked]
            counts["relinked"] += bool(missing)
            linked_hits = [r for r in hits if r in linked]
            again = writer.unread(item.id, linked_hits) if linked_hits else []
            if missing or again:
                todo = missing + again
                batch.append(_Entry(store.get_article(item.id), todo, todo, fresh=False))
        elif not hits or article is None:
            counts["off_topic"] += 1
            continue
        else:
            # near copies are found when the batch is full
            batch.append(_Entry(article, hits, hits, fresh=True))
        if len(batch) >= batch_size:
            writer.flush(batch)
            batch = []
    writer.flush(batch)
    writer.finish()
    # the run's signatures, now that nothing more is checked against the stored ones
    writer.index.finish()
    if progress is not None:
        progress(counts["read"])
    report = IngestReport(
        read=counts["read"],
        new=counts["new"],
        exact_duplicates=counts["exact"],
        near_duplicates=counts["near"],
        off_topic=counts["off_topic"],
        relinked=counts["relinked"],
        problems=tuple(problems),
        files=counts["files"],
        seconds=time.perf_counter() - start,
    )
    return Ingested(report, writer.extracted)


class _Writer:
    """The batches of one run on their way to the store: near copies found, readings
    started, then one ``Store.add_batch`` each, in reading order."""

    def __init__(self, store: Store, extractor: BatchExtractor | None) -> None:
        self.store = store
        self.extractor = extractor
        self.index = stored_near_duplicates(store)
        self.counts = dict.fromkeys(
            ("read", "new", "exact", "near", "off_topic", "relinked", "files"), 0
        )
        self.extracted = Extracted()
        self._waiting: _Batch | None = None  # read by a concurrent extractor, not yet stored

    def unread(self, article_id: str, race_ids: list[str]) -> list[str]:
        """The races among ``race_ids`` a stored article was not read for yet (an earlier
        run may have stored it without its evidence); none without an extractor."""
        if self.extractor is None:
            return []
        unread = set(self.store.unread_races(article_id))
        return [r for r in race_ids if r in unread]

    def flush(self, entries: list[_Entry]) -> None:
        """Find the batch's near copies, start reading it, and store it (a concurrent
        extractor's batch once the next one is started)."""
        if not entries:
            return
        # near copies: checked in reading order against the stored signatures and this
        # run's articles (whose signatures are stored when the run ends)
        fresh = [e for e in entries if e.fresh]
        roots = self.index.check_batch([e.article for e in fresh])
        for entry, root in zip(fresh, roots, strict=True):
            if root is not None:
                entry.article = entry.article.model_copy(update={"duplicate_of": root})
        todo = self._readings(entries)
        batch = _Batch(entries, todo, self._start(todo))
        if self.extractor is None or not self.extractor.concurrent:
            self._store(batch)
            return
        # the extractor reads this batch while the previous one is stored and the next read
        self.finish()
        self._waiting = batch

    def finish(self) -> None:
        """Store the batch a concurrent extractor was reading, if any."""
        if self._waiting is not None:
            batch, self._waiting = self._waiting, None
            self._store(batch)

    def _readings(self, entries: Sequence[_Entry]) -> list[Reading]:
        """What to read of the batch: each article that is no near copy and has a date,
        for the races it is read for."""
        if self.extractor is None:
            return []
        return [(e.article, r) for e in entries if _readable(e.article) for r in e.read]

    def _start(self, todo: list[Reading]) -> Found:
        """The readings started (nothing to wait for when there are none)."""
        return self.extractor.start(todo) if self.extractor is not None and todo else list

    def _store(self, batch: _Batch) -> None:
        """Store the batch's articles and evidence in one transaction, reading again the
        articles another writer stored since they were read."""
        found = dict(zip(((a.id, r) for a, r in batch.todo), batch.found(), strict=True))
        taken: set[str] = set()
        while True:
            evidence, tally = self._evidence(batch.entries, found)
            done = self.store.add_batch(
                [(e.article, e.links) for e in batch.entries],
                evidence,
                fresh=[e.article.id for e in batch.entries if e.fresh],
            )
            if not done.taken:
                break
            taken.update(done.taken)
            found.update(self._reread(batch.entries, set(done.taken), found))
        new = set(done.new)
        for entry in batch.entries:
            if entry.article.id in new:
                self.counts["new"] += 1
                self.counts["near"] += entry.article.duplicate_of is not None
            elif entry.article.id in taken:
                # another writer (a concurrent ingest) stored it first: a repeat here
                self.counts["exact"] += 1
        tally.apply(self.extracted, done.added)

    def _reread(self, entries: list[_Entry], taken: set[str], found: _Read) -> _Read:
        """Make the ``taken`` articles stored ones: the stored article, read for the races
        the other writer has not read it for; the readings this needs, done now."""
        todo: list[Reading] = []
        for entry in entries:
            if entry.article.id not in taken:
                continue
            stored = self.store.get_article(entry.article.id)
            if stored != entry.article:  # read from another version: read it again
                for r in entry.read:
                    found.pop((stored.id, r), None)
            linked = set(self.store.article_races(stored.id))
            unread = set(self.unread(stored.id, [r for r in entry.links if r in linked]))
            entry.article, entry.fresh = stored, False
            entry.read = [r for r in entry.links if r not in linked or r in unread]
            if self.extractor is not None and _readable(stored):
                todo.extend((stored, r) for r in entry.read if (stored.id, r) not in found)
        return dict(zip(((a.id, r) for a, r in todo), self._start(todo)(), strict=True))

    def _evidence(self, entries: list[_Entry], found: _Read) -> tuple[list[EvidenceEntry], _Tally]:
        """The evidence entries of the batch (with an extractor): per article and race it
        is read for, the items read (none for a near copy or an undated article), marking
        it read; and what they add to the ingest's tally once stored."""
        out: list[EvidenceEntry] = []
        tally = _Tally()
        if self.extractor is None:
            return out, tally
        for entry in entries:
            if not entry.read:
                continue
            article = entry.article
            tally.articles.append(article.id)
            skip = not _readable(article)
            tally.copies += article.duplicate_of is not None
            tally.undated += article.duplicate_of is None and article.date is None
            for rid in entry.read:
                items = [] if skip else list(found[(article.id, rid)])
                out.append((rid, items, article.id))
                tally.counted.append(None if skip else rid)
                if not skip:
                    tally.items.setdefault(rid, []).extend(e.id for e in items)
        return out, tally


@dataclass
class _Tally:
    """What one batch's evidence adds to ``Extracted`` once stored."""

    articles: list[str] = field(default_factory=list)
    items: dict[str, list[str]] = field(default_factory=dict)
    counted: list[str | None] = field(default_factory=list)  # per entry: its race, if read
    copies: int = 0
    undated: int = 0

    def apply(self, out: Extracted, added: Sequence[int]) -> None:
        """Add the batch's figures to ``out``, given the items added per entry."""
        out.articles.extend(self.articles)
        out.copies_skipped += self.copies
        out.undated += self.undated
        for rid, ids in self.items.items():
            out.items.setdefault(rid, []).extend(ids)
        for counted, n in zip(self.counted, added, strict=True):
            if counted is not None:
                out.evidence[counted] = out.evidence.get(counted, 0) + n


def _readable(article: Article) -> bool:
    """Whether an article is read for evidence: no near copy (its original was), dated."""
    return article.duplicate_of is None and article.date is not None


def _tracked_races(store: Store, races: Sequence[Race] | None, race_id: str | None) -> list[Race]:
    """The races to match against, checked to be stored."""
    chosen = list(races) if races is not None else [store.get_race(r) for r in store.race_ids()]
    if race_id is not None:
        known = [r.id for r in chosen]
        chosen = [r for r in chosen if r.id == race_id]
        if not chosen:
            listed = ", ".join(known) or "none"
            raise UnknownRaceError(f"no race '{race_id}' to ingest for; races: {listed}")
    if not chosen:
        raise IngestError(
            "no race to match articles against; store a race first (articles about no "
            "tracked race are skipped)"
        )
    for race in chosen:
        if not store.has_race(race.id):
            raise IngestError(f"race '{race.id}' is not in the store; store it before ingesting")
    return chosen
