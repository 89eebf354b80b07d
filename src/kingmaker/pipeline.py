"""The ingest pipeline: read, de-duplicate, match to races, store in batches, hand on.

``ingest`` streams its inputs through the pure stage (``kingmaker.ingest``: reading,
dating, matching, near copies) into a store: only the current batch of articles is
held, with the ids seen and the near-duplicate index of this run's articles (no texts).
Each batch is one store transaction, so a crash loses at most the batch in hand and
never leaves half of one written. The stored articles are never read again: their
near-duplicate signatures are looked up by band key (``StoredSignatures``, the store as
``kingmaker.ingest.neardup``'s ``SignatureIndex``; the run's own are stored when it
ends, or signed by the next ingest if it stops first), so the cost of an ingest grows
with what it reads, not with what the store holds. Every article read is counted once,
as new, a repeat or off topic, also when another ingest of the same input stores some
of them first.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from kingmaker.errors import IngestError, UnknownRaceError
from kingmaker.ingest.build import MAX_CHARS
from kingmaker.ingest.matching import Matched, RaceMatcher
from kingmaker.ingest.neardup import NearDuplicates, Signed
from kingmaker.ingest.problems import Problem
from kingmaker.ingest.report import IngestReport
from kingmaker.ingest.sources import Document, read_paths
from kingmaker.records import Article, Race
from kingmaker.store.base import ArticleSignature, SignatureMatch, Store

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


OnArticle = Callable[[Article, list[str]], None]
OnBatch = Callable[[list[tuple[Article, list[str]]]], None]
Revisit = Callable[[str, list[str]], list[str]]


def ingest(
    store: Store,
    paths: Iterable[str | Path | Document] | str | Path | Document,
    *,
    races: Sequence[Race] | None = None,
    race_id: str | None = None,
    default_date: dt.date | None = None,
    on_article: OnArticle | None = None,
    on_batch: OnBatch | None = None,
    revisit: Revisit | None = None,
    progress: Callable[[int], None] | None = None,
    batch_size: int = BATCH_SIZE,
    today: dt.date | None = None,
    max_chars: int = MAX_CHARS,
    items: Iterable[Article | Problem | Matched] | None = None,
) -> IngestReport:
    """Read articles, drop repeats, link near copies, match them to races and store them.

    Args:
        store: Where articles go; the races they are linked to must be stored in it.
        paths: Files, directories, glob patterns, ``"-"`` for standard input, and
            in-memory ``Document`` objects (uploads).
        races: Races to match against; None: every race in the store.
        race_id: Only this race: articles that do not concern it are skipped.
        default_date: Date for articles that carry none (and for plain text files).
        on_article: Called after each batch is stored, for each new article with the ids
            of the races it concerns, and for each stored article newly linked to a race
            with the ids of those races. Near copies are passed too, with
            ``duplicate_of`` set, so the caller can skip them. An article another
            writer stored between this run reading it and storing its batch counts as
            a repeat, and is passed only with the races ``revisit`` names.
        on_batch: Called once after each batch is stored, after ``on_article``, with
            the ``(article, race ids)`` pairs ``on_article`` was given for it, in order
            (so a caller can write what it makes of a batch in one transaction).
        revisit: For a stored article met again: given its id and the ids of the races it
            is linked to and concerns, the ids of those races for which ``on_article``
            should run again (e.g. those it was not read for, because an earlier run
            stopped between storing the article and its evidence).
        progress: Called with the number of articles read so far, every ``batch_size``
            articles and at the end.
        batch_size: Articles per store transaction.
        today: Dates after it are refused (default: the current day).
        max_chars: Characters kept of one article's text.
        items: Articles and problems read already, in reading order, instead of reading
            ``paths`` (which is then not read; ``files`` stays 0): what cluster workers
            read, as ``Matched`` records when they matched them to races too.

    Returns:
        The report; problems with inputs are in it, not raised.

    Raises:
        IngestError: when there is no race to match against, a given race is not
            stored, or ``batch_size`` is below 1.
        UnknownRaceError: when ``race_id`` is not among the races.
        StoreError: when a batch cannot be written (earlier batches stay stored).
    """
    start = time.perf_counter()
    if batch_size < 1:
        raise IngestError(f"batch_size must be at least 1, got {batch_size}")
    tracked = _tracked_races(store, races, race_id)
    matcher = RaceMatcher(tracked)
    index = stored_near_duplicates(store)
    index.sign_stored()  # once: articles stored before signatures were kept, or elsewhere

    counts = dict.fromkeys(("read", "new", "exact", "near", "off_topic", "relinked", "files"), 0)
    problems: list[Problem] = []
    seen: set[str] = set()
    batch: list[tuple[Article, list[str]]] = []
    fresh: set[str] = set()  # ids in the batch that were not stored when read

    def flush() -> None:
        if not batch:
            return
        # near copies: checked in reading order against the stored signatures and this
        # run's articles (whose signatures are stored when the run ends)
        at = [n for n, (article, _) in enumerate(batch) if article.id in fresh]
        roots = index.check_batch([batch[n][0] for n in at])
        for n, root in zip(at, roots, strict=True):
            if root is not None:
                article, race_ids = batch[n]
                batch[n] = (article.model_copy(update={"duplicate_of": root}), race_ids)
        stored = set(store.add_articles_new_ids(batch))
        handed: list[tuple[Article, list[str]]] = []
        for article, race_ids in batch:
            if article.id in stored:
                counts["new"] += 1
                counts["near"] += article.duplicate_of is not None
            elif article.id in fresh:
                # another writer (a concurrent ingest) stored it first: a repeat here,
                # read for the races that writer has not read it for yet
                counts["exact"] += 1
                race_ids = revisit(article.id, race_ids) if revisit else []
                article = store.get_article(article.id) if race_ids else article
            if race_ids:
                handed.append((article, race_ids))
                if on_article is not None:
                    on_article(article, race_ids)
        if on_batch is not None and handed:
            on_batch(handed)
        batch.clear()
        fresh.clear()

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
            again = revisit(item.id, linked_hits) if revisit and linked_hits else []
            if missing or again:
                batch.append((store.get_article(item.id), missing + again))
        elif not hits or article is None:
            counts["off_topic"] += 1
            continue
        else:
            batch.append((article, hits))  # near copies are found when the batch is stored
            fresh.add(item.id)
        if len(batch) >= batch_size:
            flush()
    flush()
    # the run's signatures, now that nothing more is checked against the stored ones
    index.finish()
    if progress is not None:
        progress(counts["read"])
    return IngestReport(
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
