"""Near-duplicate detection against the store: signatures persisted, LSH buckets queried.

``StoredNearDuplicates`` answers what a ``NearDuplicateIndex`` built from every stored
article (in the store's order: by date, undated last, then id) followed by this run's
articles would answer, without reading or hashing the stored texts: the stored articles'
signatures and band keys are in the store, which answers per band key its first holder
(``Store.band_holders``, one index lookup), and only the run's own articles are indexed
in memory. Their signatures are stored when the run ends (``finish``), so that the
store's answers stay those of the articles stored before the run, as the rebuilt index
had them; a run that stops first leaves its articles unsigned, and each ingest begins by
signing the stored articles that have no signature (those, and any stored before the
signatures were kept or by another path).

The answers are those of the rebuilt index, article for article: for each band key of a
new text the first article in that order holding it is a candidate; the first candidate
that is a near copy gives the group. A stored article's group is its ``duplicate_of``,
or, when it has none, what the rebuilt index would have found for it among the stored
articles before it (looked up the same way, only for a candidate that matched).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from kingmaker.ingest.dedup import U64, MinHasher, NearDuplicateIndex, Signature, near
from kingmaker.records import Article
from kingmaker.store.base import ArticleSignature, SignatureMatch, Store

SIGN_BATCH = 500
"""Stored articles signed per store transaction."""
_UNDATED = "9999-12-31"  # the store's sort key of an undated article

Order = tuple[str, str]


def order(match: SignatureMatch) -> Order:
    """Where a stored article comes in the store's order: date (undated last), then id."""
    day = match.date.isoformat() if match.date else _UNDATED
    return (day, match.signature.article_id)


class StoredNearDuplicates:
    """Near copies among the stored articles and those of one run, in the store's order.

    Args:
        store: The store; its articles' signatures are read from it, never their texts.
        hasher: The MinHash functions (default: a new ``MinHasher``).
    """

    def __init__(self, store: Store, hasher: MinHasher | None = None) -> None:
        self.store = store
        self.run = NearDuplicateIndex(hasher=hasher)
        self.scheme = self.run.scheme
        # the run's signatures, stored at the end: MinHash bytes, shingles, band keys as
        # bytes (about 0.6 KB an article; as an ArticleSignature they take 2 KB)
        self._pending: dict[str, tuple[bytes, int, bytes]] = {}
        self._roots: dict[str, str] = {}  # stored article id -> its group, once looked up

    def signature(self, article: Article) -> tuple[Signature, U64, ArticleSignature]:
        """The article's signature, band keys, and both as the store keeps them."""
        sig = self.run.hasher.signature(article.text)
        keys = self.run.band_keys(sig.values)
        stored = ArticleSignature(
            article_id=article.id,
            scheme=self.scheme,
            minhash=sig.values.astype("<u2").tobytes(),
            shingles=sig.size,
            bands=tuple(keys.view(np.int64).tolist()),
        )
        return sig, keys, stored

    def sign_stored(self, batch_size: int = SIGN_BATCH) -> int:
        """Sign the stored articles that have no signature of this scheme; how many."""
        done = 0
        pending: list[ArticleSignature] = []
        for article in self.store.unsigned_articles(self.scheme):
            pending.append(self.signature(article)[2])
            if len(pending) >= batch_size:
                self.store.put_signatures(pending)
                done += len(pending)
                pending = []
        if pending:
            self.store.put_signatures(pending)
            done += len(pending)
        return done

    def check_batch(self, articles: Sequence[Article]) -> list[str | None]:
        """Check new articles of the run in reading order and index them; for each, the
        id of the first-seen article of the group it nearly copies (or None)."""
        signed = [self.signature(a) for a in articles]
        wanted = {k for _, _, s in signed for k in s.bands}
        holders = self.store.band_holders(self.scheme, wanted) if wanted else {}
        roots: list[str | None] = []
        for article, (sig, keys, stored) in zip(articles, signed, strict=True):
            self._pending.setdefault(article.id, (stored.minhash, stored.shingles, keys.tobytes()))
            held = [holders.get(k) for k in stored.bands]
            root = self._stored_root_of(sig, held)
            if root is None:
                masked = np.array([h is not None for h in held], dtype=bool)
                root = self.run.check(article.id, article.text, signature=sig, masked=masked)
            else:
                self.run.check(article.id, article.text, signature=sig, duplicate_of=root)
            roots.append(root)
        return roots

    def finish(self, batch_size: int = SIGN_BATCH) -> int:
        """Store the signatures of the articles checked since the last call, which must
        all be stored by now (by this run or another writer: a signature is the text's),
        ``batch_size`` per transaction; how many."""
        ready = list(self._pending.items())
        for start in range(0, len(ready), batch_size):
            self.store.put_signatures(
                [
                    ArticleSignature(
                        a, self.scheme, m, n, tuple(np.frombuffer(k, np.int64).tolist())
                    )
                    for a, (m, n, k) in ready[start : start + batch_size]
                ]
            )
        self._pending.clear()
        return len(ready)

    def _stored_root_of(self, sig: Signature, held: Sequence[SignatureMatch | None]) -> str | None:
        """The group of the first stored candidate the signature nearly copies, or None."""
        found = _first_near(sig.values.astype(np.uint16), sig.size, held, self.run.threshold)
        return None if found is None else self._root(found)

    def _root(self, match: SignatureMatch) -> str:
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
            holders = self.store.band_holders(self.scheme, match.signature.bands)
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
    values: np.ndarray, size: int, held: Sequence[SignatureMatch | None], threshold: float
) -> SignatureMatch | None:
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
