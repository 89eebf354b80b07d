"""Linear ingest gives what the ingest that re-read the store gave: the same articles, the
same near copies (``duplicate_of``) and the same evidence ids, over several runs into one
store with dates out of order, undated articles and near copies across runs; and its
work does not grow with what the store holds."""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from conftest import TODAY, make_article
from kingmaker import pipeline as pipeline_module
from kingmaker.ingest import IngestReport, MinHasher, NearDuplicateIndex
from kingmaker.ingest.dedup import near
from kingmaker.newsdesk import ingest_news
from kingmaker.pipeline import stored_near_duplicates
from kingmaker.records import Article, Race
from kingmaker.store import MemoryStore, SQLiteStore, Store


def ingest(store: Store, paths: list[Path], **options: Any) -> IngestReport:
    """The pipeline's report of an ingest without extraction."""
    return pipeline_module.run(store, paths, **options).report


class Rebuilt:
    """The near-duplicate index as ``ingest`` built it before signatures were stored:
    every stored article read and hashed again, in the store's order, at each ingest."""

    def __init__(self, store: Store) -> None:
        self.index = NearDuplicateIndex()
        for stored in store.articles():
            self.index.check(stored.id, stored.text, duplicate_of=stored.duplicate_of)

    def sign_stored(self) -> int:
        return 0

    def check_batch(self, articles: Sequence[Article]) -> list[str | None]:
        return [self.index.check(a.id, a.text) for a in articles]

    def finish(self) -> int:
        return 0


def corpus(rows: list[dict[str, Any]], count: int, seed: int) -> list[dict[str, Any]]:
    """Articles from the NATO texts: wire copies, rewrites (which share some bands with
    their source without being copies), repeats; dates shuffled, some undated."""
    rng = random.Random(seed)
    vocab = sorted({w for r in rows for w in r["text"].split()})
    out = []
    for n in range(count):
        words = rng.choice(rows)["text"].split()
        roll = rng.random()
        changes = rng.randint(1, 3) if roll < 0.5 else len(words) // rng.choice([3, 5, 8])
        for _ in range(changes if roll < 0.95 else 0):
            words[rng.randrange(len(words))] = rng.choice(vocab)
        day = dt.date(2023, 10, 1) + dt.timedelta(days=rng.randrange(250))
        row: dict[str, Any] = {"url": f"https://example.org/{seed}/{n}", "text": " ".join(words)}
        if rng.random() < 0.9:
            row["date"] = day.isoformat()
        out.append(row)
    return out


def write_runs(tmp_path: Path, rows: list[dict[str, Any]], sizes: Sequence[int]) -> list[Path]:
    paths = []
    for seed, size in enumerate(sizes, start=1):
        path = tmp_path / f"run{seed}.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in corpus(rows, size, seed)))
        paths.append(path)
    return paths


def state(store: Store) -> dict[str, Any]:
    return {
        "articles": {a.id: a.duplicate_of for a in store.articles()},
        "links": {a.id: store.article_races(a.id) for a in store.articles()},
    }


STORES: dict[str, Callable[[Path], Store]] = {
    "memory": lambda _: MemoryStore(),
    "sqlite": lambda p: SQLiteStore(p / "k.db"),
}


@pytest.fixture
def rows(nato_rows: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    return list(nato_rows.values())


@pytest.fixture
def two_runs(rows: list[dict[str, Any]], tmp_path: Path) -> list[Path]:
    """Two files to ingest one after the other, of 80 and 40 articles."""
    return write_runs(tmp_path, rows, [80, 40])


@pytest.mark.parametrize("kind", sorted(STORES))
def test_runs_into_one_store_find_the_copies_the_rebuilt_index_found(
    kind: str,
    nato: Race,
    rows: list[dict[str, Any]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    runs = write_runs(tmp_path, rows, [300, 200, 200])
    (tmp_path / "old").mkdir()
    (tmp_path / "new").mkdir()
    old, new = STORES[kind](tmp_path / "old"), STORES[kind](tmp_path / "new")
    for store in (old, new):
        store.put_race(nato)
    copies = 0
    for n, path in enumerate(runs):
        with monkeypatch.context() as m:
            m.setattr(pipeline_module, "stored_near_duplicates", Rebuilt)
            before = ingest(old, [path], today=TODAY, batch_size=64)
        after = ingest(new, [path], today=TODAY, batch_size=64 if n else 500)
        assert (after.new, after.near_duplicates) == (before.new, before.near_duplicates)
        assert state(new) == state(old)
        copies += after.near_duplicates
    assert copies > 100  # the corpus has copies to find, across runs too
    assert new.article_count() == old.article_count() > 500


def test_the_same_evidence_ids_as_before(
    nato: Race, rows: list[dict[str, Any]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs = write_runs(tmp_path, rows, [60, 40])
    old, new = MemoryStore(), SQLiteStore(tmp_path / "k.db")
    for store in (old, new):
        store.put_race(nato)
    for path in runs:
        with monkeypatch.context() as m:
            m.setattr(pipeline_module, "stored_near_duplicates", Rebuilt)
            before = ingest_news(old, [nato], [path], mode="fallback")
        after = ingest_news(new, [nato], [path], mode="fallback")
        assert after.items == before.items and after.evidence == before.evidence
        assert after.articles == before.articles
    ids = [e.id for e in new.get_race(nato.id).evidence]
    assert ids == [e.id for e in old.get_race(nato.id).evidence]
    assert len(ids) > len(nato.evidence) + 50
    assert state(new) == state(old)


def test_a_store_without_signatures_is_signed_once(nato: Race, two_runs: list[Path]) -> None:
    first, second = two_runs
    store = MemoryStore()
    store.put_race(nato)
    # stored as before signatures were kept: nothing to look up by band
    with pytest.MonkeyPatch.context() as m:
        m.setattr(pipeline_module, "stored_near_duplicates", Rebuilt)
        ingest(store, [first], today=TODAY)
    index = stored_near_duplicates(store)
    assert len(list(store.unsigned_articles(index.scheme))) == store.article_count() > 0
    reference = MemoryStore()
    reference.put_race(nato)
    ingest(reference, [first], today=TODAY)
    assert list(reference.unsigned_articles(index.scheme)) == []
    report = ingest(store, [second], today=TODAY)
    ingest(reference, [second], today=TODAY)
    assert list(store.unsigned_articles(index.scheme)) == []
    assert report.near_duplicates > 0 and state(store) == state(reference)
    assert index.sign_stored() == 0


class Counting(MemoryStore):
    """A memory store that counts the stored articles and evidence items it reads."""

    def __init__(self) -> None:
        super().__init__()
        self.read = 0

    def articles(self, race_id: str | None = None) -> Any:
        for article in super().articles(race_id):
            self.read += 1
            yield article

    def get_race(self, race_id: str) -> Race:
        race = super().get_race(race_id)
        self.read += len(race.evidence)
        return race


def test_an_ingest_reads_no_stored_article_nor_evidence(nato: Race, two_runs: list[Path]) -> None:
    first, second = two_runs
    store = Counting()
    store.put_race(nato)
    ingest_news(store, [nato], [first], mode="fallback")
    held = store.article_count()
    store.read = 0
    ingest_news(store, [nato], [second], mode="fallback")
    assert held > 50 and store.read == 0


def _near(a: Any, b: Any) -> bool:
    values = b.values.astype(np.uint16)[None, :]
    return bool(near(a.values.astype(np.uint16), a.size, values, np.array([b.size]), 0.8)[0])


@pytest.mark.parametrize("kind", sorted(STORES))
def test_a_stored_article_joins_the_group_of_an_earlier_one_it_copies(
    kind: str, nato: Race, rows: list[dict[str, Any]], tmp_path: Path
) -> None:
    # Y, then X (a near copy of Y stored without duplicate_of, as another path may store
    # it), then N: a near copy of X but not of Y. The rebuilt index put X in Y's group,
    # so N joins Y's group, not X's.
    longest = sorted(rows, key=lambda r: -len(r["text"]))
    words = f"{longest[0]['text']} {longest[1]['text']}".split()[:220]
    spots = random.Random(0).sample(range(len(words)), 10)

    def changed(base: list[str], at: list[int], tag: str) -> list[str]:
        out = list(base)
        for i, p in enumerate(at):
            out[p] = f"{tag}{i}"
        return out

    y_words = words
    x_words = changed(y_words, spots[:5], "xq")
    n_words = changed(x_words, spots[5:], "nq")
    hasher = MinHasher()
    y_sig, x_sig, n_sig = (hasher.signature(" ".join(w)) for w in (y_words, x_words, n_words))
    assert _near(y_sig, x_sig) and _near(x_sig, n_sig) and not _near(y_sig, n_sig)

    def article(ws: list[str], day: str) -> Article:
        return make_article(" ".join(ws), date=dt.date.fromisoformat(day))

    y, x = article(y_words, "2024-01-02"), article(x_words, "2024-01-05")
    path = tmp_path / "n.jsonl"
    path.write_text(json.dumps({"date": "2024-01-10", "text": " ".join(n_words)}) + "\n")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    new, old = STORES[kind](tmp_path / "a"), STORES[kind](tmp_path / "b")
    for store in (new, old):
        store.put_race(nato)
        store.add_articles([(x, [nato.id]), (y, [nato.id])])  # X first: order is by date
    with pytest.MonkeyPatch.context() as m:
        m.setattr(pipeline_module, "stored_near_duplicates", Rebuilt)
        ingest(old, [path], today=TODAY)
    ingest(new, [path], today=TODAY)
    assert state(new) == state(old)
    assert sorted(state(new)["articles"].values(), key=str) == [None, None, y.id]
