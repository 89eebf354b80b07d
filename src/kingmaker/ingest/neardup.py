"""Near-duplicate detection against a persisted signature index, LSH buckets queried.

``NearDuplicates`` answers what a ``NearDuplicateIndex`` built from every stored
article (in the store's order: by date, undated last, then id) followed by this run's
articles would answer, without reading or hashing the stored texts: the stored articles'
signatures and band keys are in a ``SignatureIndex`` (the store's, in
``kingmaker.pipeline``), which answers per band key its first holder (one index lookup),
and only the run's own articles are indexed in memory. Their signatures are added when
the run ends (``finish``), so that the index's answers stay those of the articles stored
before the run, as the rebuilt index had them; a run that stops first leaves its
articles unsigned, and each ingest begins by signing the stored articles that have no
signature (those, and any stored before the signatures were kept or by another path).

The answers are those of the rebuilt index, article for article: for each band key of a
new text the first article in that order holding it is a candidate; the first candidate
that is a near copy gives the group. A stored article's group is its ``duplicate_of``,
or, when it has none, what the rebuilt index would have found for it among the stored
articles before it (looked up the same way, only for a candidate that matched).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from kingmaker.ingest.dedup import U64, MinHasher, NearDuplicateIndex, Signature, near
from kingmaker.records import Article

SIGN_BATCH = 500
"""Signatures added to the index per call (one store transaction each)."""
_UNDATED = "9999-12-31"  # the store's sort key of an undated article

Order = tuple[str, str]


@dataclass(frozen=True)
class Signed:
    """An article's signature to keep: its MinHash values (as the index compares them, as
    bytes), number of distinct shingles and LSH band keys (signed 64-bit integers), under
    the versioned name of the method (``scheme``)."""

    article_id: str
    scheme: str
    minhash: bytes
    shingles: int
    bands: tuple[int, ...]


class Kept(Protocol):
    """A kept signature as a lookup gives it back (a ``Signed``, or the store's own)."""

    @property
    def article_id(self) -> str: ...
    @property
    def minhash(self) -> bytes: ...
    @property
    def shingles(self) -> int: ...
    @property
    def bands(self) -> tuple[int, ...]: ...


class Holder(Protocol):
    """A stored article holding a band key: its signature, with the date that orders it
    among the stored ones and whom it copies."""

    @property
    def signature(self) -> Kept: ...
    @property
    def date(self) -> dt.date | None: ...
    @property
    def duplicate_of(self) -> str | None: ...


class SignatureIndex(Protocol):
    """The persisted signatures of the stored articles, looked up by band key."""

    def unsigned(self, scheme: str) -> Iterable[Article]:
        """The stored articles without a signature of ``scheme``."""
        ...

    def holders(self, scheme: str, keys: Iterable[int]) -> Mapping[int, Holder]:
        """Per band key, its first holder in the store's order (by date, undated last,
        then id); keys no signature has are left out."""
        ...

    def add(self, signatures: Sequence[Signed]) -> None:
        """Keep (or replace) the signatures of stored articles, all or nothing."""
        ...


def order(match: Holder) -> Order:
    """Where a stored article comes in the store's order: date (undated last), then id."""
    day = match.date.isoformat() if match.date else _UNDATED
    return (day, match.signature.article_id)


class NearDuplicates:
    """Near copies among the stored articles and those of one run, in the store's order.

    Args:
        index: The stored articles' signatures; their texts are never read.
        hasher: The MinHash functions (default: a new ``MinHasher``).
    """

    def __init__(self, index: SignatureIndex, hasher: MinHasher | None = None) -> None:
        self.index = index
        self.run = NearDuplicateIndex(hasher=hasher)
        self.scheme = self.run.scheme
        # the run's signatures, kept at the end: MinHash bytes, shingles, band keys as
        # bytes (about 0.6 KB an article; as a Signed they take 2 KB)
        self._pending: dict[str, tuple[bytes, int, bytes]] = {}
        self._roots: dict[str, str] = {}  # stored article id -> its group, once looked up

    def signature(self, article: Article) -> tuple[Signature, U64, Signed]:
        """The article's signature, band keys, and both as the index keeps them."""
        sig = self.run.hasher.signature(article.text)
        keys = self.run.band_keys(sig.values)
        kept = Signed(
            article_id=article.id,
            scheme=self.scheme,
            minhash=sig.values.astype("<u2").tobytes(),
            shingles=sig.size,
            bands=tuple(keys.view(np.int64).tolist()),
        )
        return sig, keys, kept

    def sign_stored(self, batch_size: int = SIGN_BATCH) -> int:
        """Sign the stored articles that have no signature of this scheme; how many."""
        done = 0
        pending: list[Signed] = []
        for article in self.index.unsigned(self.scheme):
            pending.append(self.signature(article)[2])
            if len(pending) >= batch_size:
                self.index.add(pending)
                done += len(pending)
                pending = []
        if pending:
            self.index.add(pending)
            done += len(pending)
        return done

    def check_batch(self, articles: Sequence[Article]) -> list[str | None]:
        """Check new articles of the run in reading order and index them; for each, the
        id of the first-seen article of the group it nearly copies (or None)."""
        signed = [self.signature(a) for a in articles]
        wanted = {k for _, _, s in signed for k in s.bands}
        holders = self.index.holders(self.scheme, wanted) if wanted else {}
        roots: list[str | None] = []
        for article, (sig, keys, kept) in zip(articles, signed, strict=True):
            self._pending.setdefault(article.id, (kept.minhash, kept.shingles, keys.tobytes()))
            held = [holders.get(k) for k in kept.bands]
            root = self._stored_root_of(sig, held)
            if root is None:
                masked = np.array([h is not None for h in held], dtype=bool)
                root = self.run.check(article.id, article.text, signature=sig, masked=masked)
            else:
                self.run.check(article.id, article.text, signature=sig, duplicate_of=root)
            roots.append(root)
        return roots

    def finish(self, batch_size: int = SIGN_BATCH) -> int:
        """Keep the signatures of the articles checked since the last call, which must
        all be stored by now (by this run or another writer: a signature is the text's),
        ``batch_size`` per call of the index; how many."""
        ready = list(self._pending.items())
        for start in range(0, len(ready), batch_size):
            self.index.add(
                [
                    Signed(a, self.scheme, m, n, tuple(np.frombuffer(k, np.int64).tolist()))
                    for a, (m, n, k) in ready[start : start + batch_size]
                ]
            )
        self._pending.clear()
        return len(ready)

    def _stored_root_of(self, sig: Signature, held: Sequence[Holder | None]) -> str | None:
        """The group of the first stored candidate the signature nearly copies, or None."""
        found = _first_near(sig.values.astype(np.uint16), sig.size, held, self.run.threshold)
        return None if found is None else self._root(found)

    def _root(self, match: Holder) -> str:
        """A stored article's group as the rebuilt index gives it: its ``duplicate_of``,
        else the group of the first article before it that it nearly copies, else its id."""
        chain: list[str] = []
        while True:
            article_id = match.signature.article_id
            if match.duplicate_of is not None:
                root = match.duplicate_of
                break
            if article_id in self._roots:
                root = self._roots[article_id]
                break
            chain.append(article_id)
            holders = self.index.holders(self.scheme, match.signature.bands)
            before = [
                h if h is not None and order(h) < order(match) else None
                for h in (holders.get(k) for k in match.signature.bands)
            ]
            values = np.frombuffer(match.signature.minhash, dtype="<u2").astype(np.uint16)
            found = _first_near(values, match.signature.shingles, before, self.run.threshold)
            if found is None:
                root = article_id
                break
            match = found
        for article_id in chain:
            self._roots[article_id] = root
        return root


def _first_near(
    values: np.ndarray, size: int, held: Sequence[Holder | None], threshold: float
) -> Holder | None:
    """The first (in the store's order) of the candidates that the text nearly copies."""
    cands = {order(h): h for h in held if h is not None}
    if not cands:
        return None
    ranked = [cands[k] for k in sorted(cands)]
    sigs = np.stack([np.frombuffer(h.signature.minhash, dtype="<u2") for h in ranked])
    sizes = np.array([h.signature.shingles for h in ranked], dtype=np.int32)
    ok = near(values, size, sigs.astype(np.uint16), sizes, threshold)
    hits = np.flatnonzero(ok)
    return ranked[int(hits[0])] if len(hits) else None
