"""The store contract: what every storage backend promises, and the records it hands back.

``Store`` is the abstract base; ``StoredForecast`` and ``ReviewEntry`` are the records it
keeps besides ``Race`` and ``Article``. The helpers below decide how evidence merges and
how a batch of articles is checked, so that every backend does it the same way.
"""

from __future__ import annotations

import abc
import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Literal, Self, get_args

from pydantic import Field, TypeAdapter, ValidationError

from kingmaker.errors import ConflictError, StoreError, UnknownRaceError
from kingmaker.records import (
    Article,
    Evidence,
    Id,
    Race,
    Record,
    Review,
    check_evidence_refs,
)

EVIDENCE: TypeAdapter[Evidence] = TypeAdapter(Evidence)
REVIEWS: tuple[str, ...] = get_args(Review)


class StoredForecast(Record):
    """One forecast run as stored: what produced it, with which seed, and what it said."""

    race_id: Id = Field(description="Race the forecast is for.")
    as_of: dt.date = Field(description="Evidence cut-off day of the forecast.")
    seed: int = Field(ge=0, description="Seed of the random generator; same seed, same numbers.")
    samples: int = Field(gt=0, description="Number of Monte Carlo samples drawn.")
    model: str = Field(min_length=1, description="Versioned model name, e.g. 'consensus-mc.v1'.")
    params: dict[str, Any] = Field(description="Resolved model parameters, JSON-able.")
    result: dict[str, Any] = Field(description="The forecast payload, JSON-able.")
    created_at: dt.datetime = Field(
        default_factory=lambda: dt.datetime.now(dt.UTC), description="When the run was made."
    )
    race_version: str | None = Field(
        default=None,
        description="Version of the race definition the run used (race_version); empty for "
        "runs stored before versions were recorded.",
    )
    id: int | None = Field(default=None, description="Store id; empty until saved.")


class ReviewEntry(Record):
    """One review decision on an evidence item: what it was, what it became, who and when."""

    race_id: Id = Field(description="Race of the evidence item.")
    evidence_id: Id = Field(description="Evidence item reviewed.")
    previous: Review = Field(description="Review state before the decision.")
    review: Review = Field(description="Review state decided: accepted, pending or rejected.")
    reviewer: str = Field(min_length=1, description="Who decided, e.g. a user name.")
    at: dt.datetime = Field(description="When the decision was recorded (UTC).")


class FetchRecord(Record):
    """What was last fetched from one URL and when: the validators for the next
    conditional request, the digest of the last body read, and the last outcome."""

    url: str = Field(min_length=1, description="The URL as asked (http or https).")
    etag: str | None = Field(default=None, description="ETag of the last body read.")
    last_modified: str | None = Field(
        default=None, description="Last-Modified of the last body read, as the server sent it."
    )
    sha256: str | None = Field(default=None, description="sha256 of the last body read.")
    status: int | None = Field(
        default=None, description="HTTP status of the last answer (None: no answer)."
    )
    error: str | None = Field(default=None, description="Why the last fetch failed, one line.")
    fetched_at: dt.datetime = Field(description="When it was last fetched (UTC).")
    changed_at: dt.datetime | None = Field(
        default=None, description="When a body other than the one before was last read."
    )
    fetches: int = Field(default=1, ge=0, description="How many fetches were recorded.")


@dataclass(frozen=True)
class ArticleSignature:
    """An article's near-duplicate signature (``kingmaker.ingest.dedup``) as stored: its
    MinHash values, number of distinct shingles and LSH band keys, so that an ingest looks
    up the stored articles sharing a band instead of hashing every stored text again.

    Attributes:
        article_id: The article (stored, or stored with it).
        scheme: Versioned name of the method, e.g. 'minhash-5gram.v1'.
        minhash: The MinHash values as the index compares them, as bytes.
        shingles: Number of distinct shingles of the text.
        bands: The LSH band keys, signed 64-bit integers.
    """

    article_id: str
    scheme: str
    minhash: bytes
    shingles: int
    bands: tuple[int, ...]


@dataclass(frozen=True)
class SignatureMatch:
    """A stored article holding a band key of a lookup: its signature, with the date that
    orders the article among the stored ones and whom it copies."""

    signature: ArticleSignature
    date: dt.date | None
    duplicate_of: str | None


@dataclass(frozen=True)
class StoredBatch:
    """What ``Store.add_batch`` did.

    Attributes:
        new: The ids of the articles it stored, in batch order (not those stored before).
        added: Per evidence entry, the number of items newly added.
        taken: The ids among ``fresh`` that another writer had stored first, in the order
            given: when there are any, nothing was written (``new`` and ``added`` are
            empty).
    """

    new: tuple[str, ...] = ()
    added: tuple[int, ...] = ()
    taken: tuple[str, ...] = ()


EvidenceEntry = tuple[str, Sequence[Evidence], str | None]
"""``(race id, items, read)``: evidence of a race, and the article it was read from."""

_INT64 = range(-(2**63), 2**63)


def check_signatures(signatures: Sequence[object]) -> list[ArticleSignature]:
    """The signatures of a write, checked as a whole before anything is written.

    Raises:
        StoreError: naming the first signature that is not an ``ArticleSignature`` with a
            scheme, bytes, a shingle count of at least 0 and 64-bit band keys, or an
            article given twice.
    """
    seen: set[str] = set()
    for n, sig in enumerate(signatures, start=1):
        if not isinstance(sig, ArticleSignature):
            raise StoreError(f"signature {n} is a {type(sig).__name__}, not an ArticleSignature")
        label = f"signature of article {str(sig.article_id)[:12]}"
        if not (isinstance(sig.article_id, str) and sig.article_id):
            raise StoreError(f"signature {n} names no article")
        if not (isinstance(sig.scheme, str) and sig.scheme.strip()):
            raise StoreError(f"{label}: the scheme must be a name such as 'minhash-5gram.v1'")
        if not isinstance(sig.minhash, bytes):
            raise StoreError(f"{label}: minhash must be bytes")
        if not (isinstance(sig.shingles, int) and sig.shingles >= 0):
            raise StoreError(f"{label}: shingles must be a count of at least 0")
        if not all(isinstance(k, int) and k in _INT64 for k in sig.bands):
            raise StoreError(f"{label}: band keys must be signed 64-bit integers")
        if sig.article_id in seen:
            raise StoreError(f"{label} is given twice")
        seen.add(sig.article_id)
    return list(signatures)  # type: ignore[arg-type]


def signatures_of_batch(
    signatures: Sequence[object], batch: Collection[str]
) -> dict[str, ArticleSignature]:
    """The checked signatures given with a batch of articles, by article id.

    Raises:
        StoreError: as ``check_signatures``, or for a signature of an article not in the
            batch.
    """
    out = {sig.article_id: sig for sig in check_signatures(signatures)}
    for article_id in out:
        if article_id not in batch:
            raise StoreError(
                f"signature of article {article_id[:12]}: the article is not in the batch; "
                "store signatures of stored articles with put_signatures"
            )
    return out


def batch_evidence_ids(items: Iterable[object]) -> list[str]:
    """The ids a batch of evidence items (models or dicts) uses, to look up stored items
    with: ``plan_evidence`` reads no other stored item (malformed items give none)."""
    ids = (
        item.get("id") if isinstance(item, dict) else getattr(item, "id", None) for item in items
    )
    return list(dict.fromkeys(i for i in ids if isinstance(i, str)))


Sharing = Literal["process", "machine", "network"]
"""Who can open the same data as a store: see ``Store.shared_by``."""


class Store(abc.ABC):
    """Where races, their evidence, review decisions, forecast runs and articles are kept.

    The contract, which every backend passes through one shared test suite:

    - ``put_race`` stores the race definition (replacing a stored one with the same id)
      and merges its evidence as ``add_evidence`` does; all or nothing. Stored evidence
      the race does not carry is kept, so a definition that drops a member or candidate
      cited by stored evidence is refused.
    - ``get_race`` returns the definition with every stored evidence item, sorted by date
      then id; an unknown id raises ``UnknownRaceError`` naming the stored ids.
    - ``add_evidence`` is idempotent and all or nothing: an item whose id is stored with
      the same content is skipped (its review state is not content: a reviewed item
      re-added keeps the decision); the same id with other content, or an item citing
      ids the race lacks, raises ``StoreError`` and adds nothing. Given ``read``, the id
      of the article the items came from, it also marks that article read for the race,
      in the same transaction; ``unread_races`` lists the races an article is linked to
      and was not read for yet, so an ingest reads each article once per race, and a run
      stopped between storing an article and its evidence reads it again next time.
    - ``set_review`` changes the item's review state and logs who decided and when;
      ``reviews`` reads that log, oldest first.
    - ``save_forecast`` stores a new run and returns its id; ``forecasts`` lists a race's
      runs by ``as_of`` then id; ``get_forecast`` reads one back. ``params`` and ``result``
      come back as parsed from JSON, and ``race_version`` as saved.
    - ``delete_race`` removes the race with its evidence, review log, forecasts and links
      to articles, all or nothing. The articles stay (they may concern other races) unless
      ``articles=True``: then the articles no other race is linked to go too, except
      those a kept article names as its ``duplicate_of``; it returns how many went.
    - ``check_writable`` raises ``StoreError`` when the store cannot be written (a
      read-only file or server), without writing anything.
    - ``add_articles`` stores articles, each with the ids of the races it concerns, all or
      nothing, and returns how many articles were new (``add_articles_new_ids``: which
      ones, so a writer racing another on the same database can tell the articles it
      stored from those the other stored first). An article whose id (the sha256
      of its text) is stored is left as it is, so re-ingesting is a no-op, but race links
      given with it that are not stored yet are added. An id that is not the sha256 of
      the text, a race id that is not stored, or a ``duplicate_of`` naming an article
      neither stored nor earlier in the batch raises ``StoreError`` and writes nothing.
    - ``get_article`` reads one article back equal to what was added; ``has_article``
      says whether an id is stored; ``article_races`` lists an article's race ids, sorted;
      ``linked_articles`` picks, from many ids, those linked to a race.
    - ``articles`` yields all articles, or a race's, by date (undated last) then id, in
      pages, so a large store is never loaded at once; ``article_count`` counts them.
    - ``fingerprint`` is a token of a race and its evidence that changes whenever
      ``get_race`` would return something else, and never comes back to an earlier value
      once it changed.
    - ``add_evidence_batch`` does what ``add_evidence`` does for many (race, items, read)
      entries, in order, in one transaction: all of them or nothing.
    - ``add_batch`` writes an ingest's batch in one transaction: its articles as
      ``add_articles_new_ids`` stores them, then its evidence as ``add_evidence_batch``
      adds it (read marks may name the batch's own articles); all of it or nothing. Given
      ``fresh``, the ids of the batch's articles the writer read as not stored, it writes
      nothing when another writer has stored one of them since, and says which
      (``StoredBatch.taken``), so the writer can read those again and retry.
    - ``add_articles_new_ids`` also stores, in the same transaction, the near-duplicate
      signatures given for the articles it stores (``ArticleSignature``); ``put_signatures``
      stores (or replaces) those of stored articles; ``unsigned_articles`` yields the
      stored articles without a signature of a scheme, by id, in pages;
      ``band_holders`` answers, for band keys, the first stored article (in the order of
      ``articles``) whose signature of that scheme has each key, with its date and
      ``duplicate_of``, in one read.
    - ``put_fetch`` records what was last fetched from a URL and when (replacing the
      record of that URL); ``get_fetch`` reads it back equal (None for a URL never
      recorded); ``fetch_records`` lists them all by URL.
    - ``schema_version`` names the last schema migration the data follow.
    - ``close`` releases the store (idempotent); using it afterwards raises ``StoreError``.
      A store is a context manager that closes on exit.
    """

    @abc.abstractmethod
    def put_race(self, race: Race) -> int:
        """Store (insert or replace) a race definition and merge its evidence.

        Args:
            race: The race; its ``evidence`` is merged into the stored evidence.

        Returns:
            The number of evidence items newly added.

        Raises:
            StoreError: on an evidence conflict, or when stored evidence cites a member or
                candidate the new definition lacks; nothing is written.
        """

    @abc.abstractmethod
    def get_race(self, race_id: str) -> Race:
        """The stored race with all its evidence, sorted by date then id.

        Raises:
            UnknownRaceError: when no race with this id is stored.
        """

    @abc.abstractmethod
    def race_ids(self) -> list[str]:
        """Ids of the stored races, sorted."""

    @abc.abstractmethod
    def has_race(self, race_id: str) -> bool:
        """Whether a race with this id is stored."""

    @abc.abstractmethod
    def delete_race(self, race_id: str, *, articles: bool = False) -> int:
        """Remove the race, its evidence, its review log, its forecasts and its article
        links, all or nothing.

        Args:
            race_id: The race.
            articles: Also remove the articles no other race is linked to (an article a
                kept article names as its ``duplicate_of`` stays).

        Returns:
            The number of articles removed (0 without ``articles``).

        Raises:
            UnknownRaceError: when no race with this id is stored.
            StoreError: when the store cannot be written; nothing is removed.
        """

    @abc.abstractmethod
    def check_writable(self) -> None:
        """Raise ``StoreError`` when the store cannot be written; writes nothing."""

    @abc.abstractmethod
    def add_evidence(
        self, race_id: str, items: Sequence[Evidence], *, read: str | None = None
    ) -> int:
        """Add evidence items to a stored race, all or nothing.

        Args:
            race_id: The race.
            items: Evidence items (models or dicts); identical re-adds are skipped.
            read: The id of the stored article the items were read from (there may be
                none): its link to the race is marked read with them.

        Returns:
            The number of items newly added.

        Raises:
            UnknownRaceError: when no race with this id is stored.
            StoreError: when an item reuses a stored id with other content, cites an id
                the race lacks, or is malformed, or ``read`` is not an article linked to
                the race; nothing is written.
        """

    @abc.abstractmethod
    def add_evidence_batch(
        self, entries: Sequence[tuple[str, Sequence[Evidence], str | None]]
    ) -> list[int]:
        """Add many batches of evidence, each as ``add_evidence`` would, in one transaction.

        Args:
            entries: ``(race_id, items, read)`` triples, applied in order; a later entry
                sees the items of earlier ones (an identical re-add is skipped).

        Returns:
            The number of items newly added, per entry.

        Raises:
            UnknownRaceError, StoreError: as ``add_evidence``, for any entry; nothing of
                any entry is written.
        """

    @abc.abstractmethod
    def add_batch(
        self,
        articles: Sequence[tuple[Article, Sequence[str]]],
        evidence: Sequence[EvidenceEntry] = (),
        *,
        fresh: Collection[str] = (),
    ) -> StoredBatch:
        """Store a batch of articles and the evidence read from them in one transaction:
        the articles as ``add_articles_new_ids`` stores them, then the evidence entries as
        ``add_evidence_batch`` adds them (a read mark may name an article of the batch).

        Args:
            articles: ``(article, race_ids)`` pairs, as ``add_articles_new_ids`` takes them.
            evidence: ``(race_id, items, read)`` entries, as ``add_evidence_batch`` takes them.
            fresh: Ids of articles of the batch that were not stored when the writer read
                them. If another writer has stored any of them since, nothing is written.

        Returns:
            The ids of the articles newly stored and the items added per entry; or, when
            some of ``fresh`` were stored meanwhile, which of them (nothing written).

        Raises:
            UnknownRaceError, StoreError: as ``add_articles_new_ids`` and
                ``add_evidence_batch``; nothing of the batch is written.
        """

    @abc.abstractmethod
    def linked_articles(self, race_id: str, article_ids: Iterable[str]) -> set[str]:
        """The ids among ``article_ids`` of articles stored and linked to the race (in
        one read however many ids; unknown ids are simply not in the answer)."""

    @abc.abstractmethod
    def unread_races(self, article_id: str) -> list[str]:
        """Ids of the races the article is linked to and was not read for yet, sorted.

        Raises:
            StoreError: when no article has this id.
        """

    @abc.abstractmethod
    def set_review(self, race_id: str, evidence_id: str, review: Review, reviewer: str) -> None:
        """Record a review decision and set the item's ``review`` field to it.

        Args:
            race_id: The race.
            evidence_id: The evidence item.
            review: ``accepted``, ``pending`` or ``rejected``.
            reviewer: Who decided.

        Raises:
            UnknownRaceError: when no race with this id is stored.
            StoreError: when the item is unknown, the review value is not one of the three,
                or the reviewer is blank.
        """

    @abc.abstractmethod
    def reviews(self, race_id: str, evidence_id: str | None = None) -> list[ReviewEntry]:
        """The review log of a race (or of one of its items), oldest first.

        Raises:
            UnknownRaceError: when no race with this id is stored.
            StoreError: when ``evidence_id`` is given and unknown.
        """

    @abc.abstractmethod
    def save_forecast(self, run: StoredForecast) -> int:
        """Store a forecast run and return its new id.

        Raises:
            UnknownRaceError: when the run's race is not stored.
            StoreError: when ``run.id`` is already set (stored runs are immutable), or
                ``params`` or ``result`` is not JSON-able.
        """

    @abc.abstractmethod
    def forecasts(self, race_id: str, *, model: str | None = None) -> list[StoredForecast]:
        """The race's stored runs (of one model, if given), ordered by ``as_of`` then id.

        Raises:
            UnknownRaceError: when no race with this id is stored.
        """

    @abc.abstractmethod
    def get_forecast(self, forecast_id: int) -> StoredForecast:
        """One stored run by id.

        Raises:
            StoreError: when no run has this id.
        """

    def add_articles(
        self,
        items: Sequence[tuple[Article, Sequence[str]]],
        *,
        signatures: Sequence[ArticleSignature] = (),
    ) -> int:
        """Store articles with the ids of the races each concerns, all or nothing.

        Returns:
            The number of articles newly stored.

        Raises:
            StoreError: as ``add_articles_new_ids``.
        """
        return len(self.add_articles_new_ids(items, signatures=signatures))

    @abc.abstractmethod
    def add_articles_new_ids(
        self,
        items: Sequence[tuple[Article, Sequence[str]]],
        *,
        signatures: Sequence[ArticleSignature] = (),
    ) -> list[str]:
        """Store articles with the ids of the races each concerns, all or nothing.

        Args:
            items: ``(article, race_ids)`` pairs. An article already stored (same id) is
                not changed; its new race links are added. Within the batch, the first
                occurrence of an id gives the article and later ones add race links.
            signatures: Near-duplicate signatures of articles of the batch, stored with
                those the call stores (those of articles stored before are left as they
                are: see ``put_signatures``).

        Returns:
            The ids of the articles newly stored by this call, in batch order; an article
            stored meanwhile by another writer is not among them.

        Raises:
            StoreError: when an item is not an ``(Article, race ids)`` pair, an article's
                id is not the sha256 of its text, a race id is not stored, or
                ``duplicate_of`` names an article neither stored nor earlier in the
                batch, or a signature is malformed or of an article not in the batch;
                nothing is written.
        """

    @abc.abstractmethod
    def put_signatures(self, signatures: Sequence[ArticleSignature]) -> None:
        """Store the near-duplicate signatures of stored articles, all or nothing; an
        article's earlier signature (of any scheme) is replaced with its band keys.

        Raises:
            StoreError: when a signature is malformed or its article is not stored;
                nothing is written.
        """

    @abc.abstractmethod
    def unsigned_articles(self, scheme: str) -> Iterator[Article]:
        """Stored articles without a signature of ``scheme``, by id, read in pages (an
        iteration may or may not see articles signed or added meanwhile)."""

    @abc.abstractmethod
    def band_holders(self, scheme: str, keys: Iterable[int]) -> dict[int, SignatureMatch]:
        """Per band key, the first stored article, in the order of ``articles`` (by date,
        undated last, then id), whose signature of ``scheme`` has it; keys no signature
        has are left out. One read, however many keys; each key is one index lookup."""

    @abc.abstractmethod
    def get_article(self, article_id: str) -> Article:
        """The stored article with this id.

        Raises:
            StoreError: when no article has this id.
        """

    @abc.abstractmethod
    def has_article(self, article_id: str) -> bool:
        """Whether an article with this id is stored."""

    @abc.abstractmethod
    def articles(self, race_id: str | None = None) -> Iterator[Article]:
        """Stored articles (of one race, if given) by date, undated last, then id.

        Read in pages: an iteration does not hold the whole store in memory, and
        articles added meanwhile may or may not appear in it.

        Raises:
            UnknownRaceError: when ``race_id`` is given and not stored (raised at once).
        """

    @abc.abstractmethod
    def article_races(self, article_id: str) -> list[str]:
        """Ids of the races the article is linked to, sorted.

        Raises:
            StoreError: when no article has this id.
        """

    @abc.abstractmethod
    def article_count(self, race_id: str | None = None) -> int:
        """How many articles are stored (linked to one race, if given).

        Raises:
            UnknownRaceError: when ``race_id`` is given and not stored.
        """

    @abc.abstractmethod
    def put_fetch(self, record: FetchRecord) -> None:
        """Store what was last fetched from ``record.url``, replacing its earlier record."""

    @abc.abstractmethod
    def get_fetch(self, url: str) -> FetchRecord | None:
        """The fetch record of a URL, or None when it was never recorded."""

    @abc.abstractmethod
    def fetch_records(self) -> list[FetchRecord]:
        """Every fetch record, by URL."""

    def fingerprint(self, race_id: str) -> str:
        """A token of the race as ``get_race`` would return it: it changes whenever the
        definition, or any evidence item's content or review state, changes (a backend may
        change it more often, never less; the SQL ones keep a random version per race,
        replaced by each such write). Caches key on it; it is much cheaper than
        ``get_race`` in the database backends.

        Raises:
            UnknownRaceError: when no race with this id is stored.
        """
        return hashlib.sha256(self.get_race(race_id).model_dump_json().encode()).hexdigest()

    @abc.abstractmethod
    def schema_version(self) -> str:
        """Name of the last schema migration applied, e.g. '0002_indexes'."""

    def shared_by(self) -> Sharing:
        """Who else can open the same data: only this process (a store in memory), the
        processes of this machine (a file), or any host that reaches its server. Several
        server processes (``kingmaker serve --workers``) need more than one process."""
        return "process"

    @abc.abstractmethod
    def close(self) -> None:
        """Release the store; calling it again does nothing."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def race_version(race: Race) -> str:
    """The version of a race's definition (what its race file says, without evidence): the
    sha256 of its JSON, leaving out fields at their defaults so that a kingmaker adding a
    field does not change the version of every race. Runs record it, so a rerun can tell
    whether the race changed since."""
    text = race.model_dump_json(exclude={"evidence"}, exclude_defaults=True)
    return hashlib.sha256(text.encode()).hexdigest()


def orphans(
    linked: Iterable[str], first_seen: Callable[[Collection[str]], Mapping[str, str]]
) -> set[str]:
    """The articles of ``linked`` (linked to no other race) that can go: all but those a
    kept article names as its ``duplicate_of``, however long the chain.

    Args:
        linked: Ids of the articles linked only to the race removed.
        first_seen: Given ids, the articles (any stored) naming one of them as their
            ``duplicate_of``: article id -> the id it names.
    """
    gone = set(linked)
    while True:
        kept = {dup for aid, dup in first_seen(gone).items() if aid not in gone}
        if not kept:
            return gone
        gone -= kept


def unknown_race(race_id: str, known: Iterable[str], where: str) -> UnknownRaceError:
    """The error for a race id that is not stored, naming the ids that are."""
    listed = ", ".join(sorted(known)) or "none"
    return UnknownRaceError(f"no race '{race_id}' in {where}; stored races: {listed}")


def not_linked(article_id: str, race_id: str) -> StoreError:
    """The error for marking an article read for a race it is not linked to."""
    return StoreError(
        f"article '{article_id}' is not linked to race '{race_id}'; store it with the race "
        "first (add_articles)"
    )


def closed_error(where: str) -> StoreError:
    """The error for a store used after ``close``."""
    return StoreError(f"the store {where} is closed; open it again")


_USERINFO = re.compile(r"(?P<head>\b[a-z][a-z0-9+.-]*://[^:@/\s]*:).*@", re.IGNORECASE)
_PASSWORD_PARAM = re.compile(r"(?P<head>\bpassword\s*=\s*)('[^']*'|[^&\s]+)", re.IGNORECASE)


def mask_url(text: str) -> str:
    """``text`` with the password of any URL (or ``password=`` parameter) in it as ``***``.

    >>> mask_url("postgresql://kim:s3cret@db.example.org:5432/kingmaker?password=x")
    'postgresql://kim:***@db.example.org:5432/kingmaker?password=***'
    """
    text = _USERINFO.sub(r"\g<head>***@", text)
    return _PASSWORD_PARAM.sub(r"\g<head>***", text)


def evidence_content(item: Evidence) -> str:
    """Canonical JSON of an item without its review state: equal text, same content."""
    return json.dumps(item.model_dump(mode="json", exclude={"review"}), sort_keys=True)


def plan_evidence(race: Race, stored: Mapping[str, Evidence], items: Iterable[object]) -> list[Any]:
    """The items of a batch to add, in batch order, after checking the whole batch.

    Args:
        race: The race definition (its members and candidates are what items may cite).
        stored: Stored evidence of the race, by id: all of it, or at least the items
            whose ids the batch uses (``batch_evidence_ids``), which is all it reads.
        items: The batch: evidence models or dicts.

    Returns:
        The items whose ids are new, first occurrence only.

    Raises:
        StoreError: naming the item, for a malformed item, an unknown member or
            candidate id, or an id already used (stored or in the batch) for other content.
    """
    members = {m.id for b in race.bodies for m in b.members}
    candidates = {c.id for c in race.candidates}
    seen: dict[str, Evidence] = {}  # the batch's items by id, first occurrence
    new: list[Any] = []
    for n, raw in enumerate(items):
        try:
            item = EVIDENCE.validate_python(raw)
        except ValidationError as exc:
            err = exc.errors()[0]
            where = ".".join(str(p) for p in err["loc"])
            raise StoreError(
                f"race '{race.id}': evidence item {n + 1} is malformed at '{where}': {err['msg']}"
            ) from exc
        try:
            check_evidence_refs(item, members, candidates)
        except ValueError as exc:
            raise StoreError(f"race '{race.id}': {exc}") from exc
        old = stored.get(item.id)
        if old is None:
            old = seen.get(item.id)
        if old is None:
            seen[item.id] = item
            new.append(item)
        elif evidence_content(old) != evidence_content(item):
            raise ConflictError(
                f"race '{race.id}': evidence '{item.id}' is already stored with other "
                "content; give the changed item a new id"
            )
    return new


def check_stored_refs(race: Race, stored: Iterable[Evidence]) -> None:
    """Refuse a new race definition that drops ids cited by stored evidence.

    Raises:
        StoreError: naming the first stored item that would cite an unknown id.
    """
    members = {m.id for b in race.bodies for m in b.members}
    candidates = {c.id for c in race.candidates}
    for item in stored:
        try:
            check_evidence_refs(item, members, candidates)
        except ValueError as exc:
            raise StoreError(
                f"cannot replace race '{race.id}': stored {exc}; keep that id in the race, "
                "or delete the race first"
            ) from exc


def check_review(review: str, reviewer: str) -> None:
    """Raise StoreError for a review value that is not one of the three, or a blank reviewer."""
    if review not in REVIEWS:
        raise StoreError(f"review must be one of {', '.join(REVIEWS)}, got '{review}'")
    if not reviewer.strip():
        raise StoreError("a review needs a reviewer name")


def forecast_json(run: StoredForecast) -> tuple[str, str]:
    """``run.params`` and ``run.result`` as JSON text, for storing.

    Raises:
        StoreError: when ``run.id`` is set, or either dict is not plain JSON.
    """
    if run.id is not None:
        raise StoreError(
            f"forecast {run.id} is already stored and stored runs never change; "
            "save a copy with id=None"
        )
    out = []
    for what, value in (("params", run.params), ("result", run.result)):
        try:
            out.append(json.dumps(value, sort_keys=True, allow_nan=False))
        except (TypeError, ValueError) as exc:
            raise StoreError(
                f"forecast {what} is not plain JSON ({exc}); convert numpy values with "
                ".tolist() or float() and dates with .isoformat()"
            ) from exc
    return out[0], out[1]


@dataclass(frozen=True)
class ArticlePlan:
    """One article of a checked batch: the article, its race ids, and whether it is new."""

    article: Article
    races: tuple[str, ...]
    new: bool


def plan_articles(
    items: Sequence[object],
    *,
    is_stored: Callable[[str], bool],
    race_ids: Collection[str],
) -> list[ArticlePlan]:
    """Check a batch of ``(article, race_ids)`` pairs as a whole before anything is written.

    Args:
        items: The batch.
        is_stored: Whether an article id is already stored.
        race_ids: The stored race ids.

    Returns:
        One plan per distinct article id, in batch order, with the race links of every
        occurrence merged.

    Raises:
        StoreError: naming the item, for a malformed item, an id that is not the sha256
            of the text, an unknown race id, or a ``duplicate_of`` that is neither stored
            nor earlier in the batch.
    """
    plans: dict[str, tuple[Article, list[str], bool]] = {}
    for n, item in enumerate(items, start=1):
        if not (isinstance(item, tuple | list) and len(item) == 2):
            raise StoreError(f"article item {n} must be an (Article, race ids) pair")
        article, races = item
        if not isinstance(article, Article):
            raise StoreError(f"article item {n} is a {type(article).__name__}, not an Article")
        if isinstance(races, str) or not all(isinstance(r, str) for r in races):
            raise StoreError(f"article item {n}: race ids must be a list of strings")
        label = f"article {article.id[:12]}"
        if hashlib.sha256(article.text.encode("utf-8", "surrogatepass")).hexdigest() != article.id:
            raise StoreError(f"{label}: the id is not the sha256 of the article's text")
        for rid in races:
            if rid not in race_ids:
                raise StoreError(f"{label}: race '{rid}' is not stored; store the race first")
        if article.id in plans:
            plans[article.id][1].extend(r for r in races if r not in plans[article.id][1])
            continue
        new = not is_stored(article.id)
        dup = article.duplicate_of
        if new and dup is not None and (dup == article.id or not (dup in plans or is_stored(dup))):
            raise StoreError(
                f"{label}: duplicate_of '{dup[:12]}' is not a stored or earlier article; "
                "add the first-seen article first"
            )
        plans[article.id] = (article, list(dict.fromkeys(races)), new)
    return [ArticlePlan(article=a, races=tuple(r), new=new) for a, r, new in plans.values()]
