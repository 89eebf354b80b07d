"""Near-duplicate detection (``minhash-5gram.v1``): MinHash over word 5-gram shingles, LSH bands.

A text's shingles are hashed once; 128 multiply-shift hashes give its signature; 32 bands
of 4 rows find candidates, and a candidate is a near copy when the estimated Jaccard
similarity, or the share of the shorter text contained in the longer, is at least the
threshold (0.8). Texts are not kept: under 1 KB per indexed article.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

NAME = "minhash-5gram.v1"
THRESHOLD = 0.8
SHINGLE_WORDS = 5
NUM_PERM = 128
BANDS = 32
MIN_CONTAINED = 20
"""Fewest shingles of the shorter text for the containment rule (a short quote is not a copy)."""

_SEED = 20231116
_CHUNK = 2048
_MERGE_AT = 1 << 16
_WORD_CACHE_MAX = 1 << 20
_WORD = re.compile(r"\w+")
_M1 = np.uint64(0x9E3779B97F4A7C15)
_M2 = np.uint64(0xBF58476D1CE4E5B9)
_M3 = np.uint64(0x94D049BB133111EB)

U64 = npt.NDArray[np.uint64]
U32 = npt.NDArray[np.uint32]
U16 = npt.NDArray[np.uint16]
Mask = npt.NDArray[np.bool_]


def _mix(x: U64) -> U64:
    """splitmix64's finaliser: spreads the bits of each value (wrapping arithmetic)."""
    x = x ^ (x >> np.uint64(30))
    x = x * _M2
    x = x ^ (x >> np.uint64(27))
    x = x * _M3
    return x ^ (x >> np.uint64(31))


@dataclass(frozen=True)
class Signature:
    """A text's MinHash signature and its number of distinct shingles."""

    values: U32
    size: int


class MinHasher:
    """Signatures of texts; the same text gets the same signature in every process."""

    def __init__(self, num_perm: int = NUM_PERM, shingle_words: int = SHINGLE_WORDS) -> None:
        rng = np.random.default_rng(_SEED)
        self.num_perm = num_perm
        self.shingle_words = shingle_words
        self._a = rng.integers(0, 2**64 - 1, size=num_perm, dtype=np.uint64) | np.uint64(1)
        self._b = rng.integers(0, 2**64 - 1, size=num_perm, dtype=np.uint64)
        self._words: dict[str, int] = {}

    def _word_hashes(self, words: list[str]) -> U64:
        """64-bit hashes of words (blake2b, cached: most words recur)."""
        cache = self._words
        hashes = list(map(cache.get, words))
        if None in hashes:
            if len(cache) >= _WORD_CACHE_MAX:
                cache.clear()
            for i, value in enumerate(hashes):
                if value is None:
                    word = words[i]
                    digest = hashlib.blake2b(word.encode("utf-8", "surrogatepass"), digest_size=8)
                    hashes[i] = cache[word] = int.from_bytes(digest.digest(), "little")
        return np.array(hashes, dtype=np.uint64)

    def shingles(self, text: str) -> U64:
        """Distinct hashes of the text's word n-grams (lower case; the whole text if short)."""
        words = _WORD.findall(text.lower())
        if not words:
            digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8)
            return np.array([int.from_bytes(digest.digest(), "little")], dtype=np.uint64)
        w = self._word_hashes(words)
        k = min(self.shingle_words, len(w))
        n = len(w) - k + 1
        h = w[:n].copy()
        for j in range(1, k):
            h = h * _M1 + w[j : j + n]
        return np.unique(_mix(h))

    def signature(self, text: str) -> Signature:
        """The text's signature: per hash function, the least hash of any shingle."""
        sh = self.shingles(text)
        sig = np.full(self.num_perm, np.iinfo(np.uint32).max, dtype=np.uint32)
        for start in range(0, len(sh), _CHUNK):
            block = sh[start : start + _CHUNK, None] * self._a + self._b
            np.minimum(sig, (block >> np.uint64(32)).astype(np.uint32).min(axis=0), out=sig)
        return Signature(sig, len(sh))


def near(
    values: U16, size: int, sigs: U16, sizes: npt.NDArray[np.integer], threshold: float
) -> Mask:
    """Which of the texts with signatures ``sigs`` (rows, 16-bit) and ``sizes`` distinct
    shingles a text with ``values`` and ``size`` nearly copies, or is nearly copied by:
    estimated Jaccard similarity, or the share of the shorter text contained in the
    longer, at least ``threshold``."""
    similar = (sigs == values).mean(axis=1)
    sizes = sizes.astype(np.float64)
    shorter = np.minimum(sizes, size)
    contained = similar * (sizes + size) / (1 + similar) / shorter
    ok: Mask = (similar >= threshold) | ((contained >= threshold) & (shorter >= MIN_CONTAINED))
    return ok


class NearDuplicateIndex:
    """First-seen articles and their near copies, found by LSH over MinHash signatures.

    ``check`` answers, for a new text, the id of the first-seen article it copies (or
    None), and indexes it. Memory grows by about 0.7 KB per article: its signature
    (stored as 16-bit values, enough to compare), its group's id and 32 band keys.
    """

    def __init__(
        self, threshold: float = THRESHOLD, *, bands: int = BANDS, hasher: MinHasher | None = None
    ) -> None:
        self.hasher = hasher or MinHasher()
        if self.hasher.num_perm % bands:
            raise ValueError(f"{bands} bands do not divide {self.hasher.num_perm} hashes")
        self.threshold = threshold
        self.bands = bands
        self._rows = self.hasher.num_perm // bands
        self._salt = _mix(np.arange(1, bands + 1, dtype=np.uint64))
        self._n = 0
        self._sigs = np.zeros((1024, self.hasher.num_perm), dtype=np.uint16)
        self._sizes = np.zeros(1024, dtype=np.int32)
        self._roots = np.zeros(1024, dtype="S64")
        self._keys = np.zeros(0, dtype=np.uint64)
        self._slots = np.zeros(0, dtype=np.int32)
        self._recent: dict[int, int] = {}

    def __len__(self) -> int:
        return self._n

    @property
    def scheme(self) -> str:
        """The versioned name of signatures and band keys made here, as the store keeps
        them: ``NAME``, with the shape when it is not the default one."""
        if (self.hasher.num_perm, self.bands, self.hasher.shingle_words) == (
            NUM_PERM,
            BANDS,
            SHINGLE_WORDS,
        ):
            return NAME
        return f"{NAME}:{self.hasher.shingle_words}w{self.hasher.num_perm}p{self.bands}b"

    def band_keys(self, sig: U32) -> U64:
        """The LSH band keys of a signature's values."""
        rows = sig.reshape(self.bands, self._rows).astype(np.uint64)
        key = self._salt.copy()
        for r in range(self._rows):
            key = key * _M1 + rows[:, r]
        return _mix(key)

    def _candidates(self, keys: U64, masked: Mask | None = None) -> tuple[set[int], Mask]:
        """Indexed slots sharing a band with ``keys`` (but for the ``masked`` ones), and
        which keys are already known."""
        found: set[int] = set()
        known = np.zeros(len(keys), dtype=bool)
        if len(self._keys):
            pos = np.minimum(np.searchsorted(self._keys, keys), len(self._keys) - 1)
            known = self._keys[pos] == keys
            use = known if masked is None else known & ~masked
            found.update(self._slots[pos[use]].tolist())
        for i, key in enumerate(keys.tolist()):
            slot = self._recent.get(key)
            if slot is not None:
                if masked is None or not masked[i]:
                    found.add(slot)
                known[i] = True
        return found, known

    def _match(self, sig: Signature, slots: set[int]) -> str | None:
        if not slots:
            return None
        idx = np.fromiter(slots, dtype=np.int64, count=len(slots))
        ok = near(
            sig.values.astype(np.uint16),
            sig.size,
            self._sigs[idx],
            self._sizes[idx],
            self.threshold,
        )
        if not ok.any():
            return None
        first = int(idx[ok].min())
        return bytes(self._roots[first]).decode("ascii")

    def check(
        self,
        article_id: str,
        text: str,
        *,
        duplicate_of: str | None = None,
        signature: Signature | None = None,
        masked: Mask | None = None,
    ) -> str | None:
        """Index an article; return the id of the first-seen article it nearly copies.

        Args:
            article_id: The article's id (64 hex digits).
            text: Its normalised text.
            duplicate_of: Known answer (an article loaded back from the store, or found
                in another index): it is recorded as is instead of searched for.
            signature: The text's signature, when it was computed already.
            masked: Per band key, True where another index ranked before this one holds
                the key, so that this one's holder of it is no candidate.

        Returns:
            The id of the first-seen article of the group it belongs to, or None.
        """
        sig = signature if signature is not None else self.hasher.signature(text)
        keys = self.band_keys(sig.values)
        slots, known = self._candidates(keys, masked)
        root = duplicate_of if duplicate_of is not None else self._match(sig, slots)
        self._append(article_id if root is None else root, sig)
        slot = self._n - 1
        for key in keys[~known].tolist():
            self._recent[key] = slot
        if len(self._recent) >= _MERGE_AT:
            self._merge()
        return root

    def _append(self, root: str, sig: Signature) -> None:
        if self._n == len(self._sizes):
            grow = len(self._sizes) * 2
            self._sigs = np.resize(self._sigs, (grow, self.hasher.num_perm))
            self._sizes = np.resize(self._sizes, grow)
            self._roots = np.resize(self._roots, grow)
        self._sigs[self._n] = sig.values.astype(np.uint16)
        self._sizes[self._n] = sig.size
        self._roots[self._n] = root.encode("ascii")
        self._n += 1

    def _merge(self) -> None:
        """Move the recent band keys into the sorted arrays (one sort of the new keys)."""
        keys = np.fromiter(self._recent.keys(), dtype=np.uint64, count=len(self._recent))
        slots = np.fromiter(self._recent.values(), dtype=np.int32, count=len(self._recent))
        order = np.argsort(keys)
        keys, slots = keys[order], slots[order]
        at = np.searchsorted(self._keys, keys)
        self._keys = np.insert(self._keys, at, keys)
        self._slots = np.insert(self._slots, at, slots)
        self._recent.clear()
