"""The ingest stage end to end: counts, re-ingest, off-topic, batches, the extractor, failures."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from conftest import make_article
from kingmaker import pipeline
from kingmaker.errors import IngestError, StoreError, UnknownRaceError
from kingmaker.ingest import IngestReport, Problem
from kingmaker.races import load_race_dir
from kingmaker.records import Article, Race
from kingmaker.store import MemoryStore, SQLiteStore, Store
from kingmaker.store.base import StoredBatch

from .conftest import RIVERSIDE, TODAY, write

FOOTBALL = "Manchester United won 2-1 at home on Sunday, their third win in a row."


def run(store: Store, *paths: Any, **kw: Any) -> IngestReport:
    return pipeline.run(store, [str(p) for p in paths], today=TODAY, **kw).report


def test_the_nato_set_goes_in_once(nato_store: MemoryStore, nato_news: Path) -> None:
    report = run(nato_store, nato_news)
    assert (report.read, report.new, report.near_duplicates, report.off_topic) == (119, 119, 1, 0)
    assert (report.exact_duplicates, report.skipped, report.files) == (0, 0, 1)
    assert len(report.problems) == 7  # the seven undated rows, read with a note
    assert nato_store.article_count("nato-sg-2024") == 119
    (copy,) = [a for a in nato_store.articles() if a.duplicate_of]
    assert copy.file and copy.file.endswith("#n114")
    assert nato_store.get_article(copy.duplicate_of or "").file.endswith("#n113")  # type: ignore[union-attr]

    again = run(nato_store, nato_news)
    assert (again.read, again.new, again.exact_duplicates, again.relinked) == (119, 0, 119, 0)
    assert nato_store.article_count() == 119


def test_repeats_in_one_run_are_counted_once(nato_store: MemoryStore, tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "2024-02-22 Germany backs Rutte.")
    write(tmp_path / "b.txt", "2024-02-22 Germany backs Rutte.\r\n")  # same normalised text
    report = run(nato_store, tmp_path)
    assert (report.read, report.new, report.exact_duplicates) == (2, 1, 1)


def test_off_topic_articles_are_counted_and_skipped(
    nato_store: MemoryStore, tmp_path: Path
) -> None:
    write(tmp_path / "sport.txt", "2024-02-22 " + FOOTBALL)
    write(tmp_path / "nato.txt", "2024-02-22 Germany backs Rutte.")
    report = run(nato_store, tmp_path)
    assert (report.read, report.new, report.off_topic) == (2, 1, 1)
    assert [a.text for a in nato_store.articles()] == ["2024-02-22 Germany backs Rutte."]


def test_race_id_restricts_to_one_race(nato: Race, tmp_path: Path) -> None:
    store = MemoryStore()
    store.put_race(nato)
    store.put_race(load_race_dir(RIVERSIDE))
    write(tmp_path / "a.txt", "2024-02-22 Germany backs Rutte.")
    write(tmp_path / "b.txt", "2024-02-22 Okafor leads the finance chair race.")
    report = run(store, tmp_path, race_id="riverside-chair-2024")
    assert (report.new, report.off_topic) == (1, 1)
    assert store.article_count("nato-sg-2024") == 0
    assert store.article_count("riverside-chair-2024") == 1
    with pytest.raises(UnknownRaceError, match="no race 'nope'"):
        run(store, tmp_path, race_id="nope")


class Recorder:
    """An extractor that finds nothing and records what it is asked to read: (article id,
    race id, whether the article was stored by then)."""

    concurrent = False

    def __init__(self, store: Store) -> None:
        self.store = store
        self.asked: list[tuple[str, str, bool]] = []

    def start(self, todo: Sequence[tuple[Article, str]]) -> Callable[[], list[list[Any]]]:
        self.asked.extend((a.id, r, self.store.has_article(a.id)) for a, r in todo)
        return lambda: [[] for _ in todo]


def test_the_extractor_reads_each_new_dated_original_once_before_it_is_stored(
    nato_store: MemoryStore, nato_news: Path
) -> None:
    reader = Recorder(nato_store)
    progress: list[int] = []
    done = pipeline.run(
        nato_store,
        [nato_news],
        today=TODAY,
        extractor=reader,
        progress=progress.append,
        batch_size=50,
    )
    assert progress == [50, 100, 119]
    # 119 new articles: the near copy and the 7 undated ones are marked read, not read
    assert len(reader.asked) == 119 - 1 - 7
    assert all(race == "nato-sg-2024" and not stored for _, race, stored in reader.asked)
    assert (done.extracted.copies_skipped, done.extracted.undated) == (1, 7)
    assert len(done.extracted.articles) == 119 and done.extracted.evidence == {"nato-sg-2024": 0}
    assert not any(nato_store.unread_races(a.id) for a in nato_store.articles())
    reader.asked.clear()
    run(nato_store, nato_news, extractor=reader)
    assert reader.asked == []  # nothing new, nothing to extract


class CountingStore(MemoryStore):
    """A memory store that records the number of articles of each batch written."""

    def __init__(self) -> None:
        super().__init__()
        self.batches: list[int] = []

    def add_batch(self, articles: Sequence[Any], *args: Any, **kw: Any) -> StoredBatch:
        self.batches.append(len(articles))
        return super().add_batch(articles, *args, **kw)


def test_articles_are_stored_in_batches(nato: Race, nato_news: Path) -> None:
    store = CountingStore()
    store.put_race(nato)
    run(store, nato_news, batch_size=40)
    assert store.batches == [40, 40, 39]


def test_a_failing_batch_keeps_the_earlier_ones_and_writes_none_of_itself(
    nato: Race, nato_news: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = SQLiteStore(tmp_path / "k.db")
    store.put_race(nato)
    calls = {"n": 0}
    real = store._insert_article_links

    def links_then_fail(conn: sqlite3.Connection, links: list[tuple[str, str]]) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise sqlite3.OperationalError("disk I/O error")
        real(conn, links)

    monkeypatch.setattr(store, "_insert_article_links", links_then_fail)
    with pytest.raises(StoreError, match="disk I/O error"):
        run(store, nato_news, batch_size=50)
    monkeypatch.undo()
    assert store.article_count() == store.article_count("nato-sg-2024") == 50
    # Ingesting again completes the job without repeating the first batch.
    report = run(store, nato_news, batch_size=50)
    assert (report.new, report.exact_duplicates) == (69, 50)
    assert store.article_count() == 119
    store.close()


def test_near_copies_are_found_against_the_store(
    nato_store: MemoryStore, nato_rows: Any, tmp_path: Path
) -> None:
    first = write(tmp_path / "first.jsonl", json.dumps(nato_rows["n113"]) + "\n")
    second = write(tmp_path / "second.jsonl", json.dumps(nato_rows["n114"]) + "\n")
    run(nato_store, first)
    report = run(nato_store, second)
    assert report.near_duplicates == 1
    (original,) = [a for a in nato_store.articles() if a.file and a.file.endswith("#n113")]
    (copy,) = [a for a in nato_store.articles() if a.duplicate_of]
    assert copy.duplicate_of == original.id


def test_a_race_added_later_gets_links_to_stored_articles(nato: Race, tmp_path: Path) -> None:
    store = MemoryStore()
    store.put_race(nato)
    write(tmp_path / "a.txt", "2024-02-22 Rutte and Okafor both spoke.")
    run(store, tmp_path, extractor=Recorder(store))
    store.put_race(load_race_dir(RIVERSIDE))
    reader = Recorder(store)
    report = run(store, tmp_path, extractor=reader)
    assert (report.new, report.exact_duplicates, report.relinked) == (0, 1, 1)
    assert [race for _, race, _ in reader.asked] == ["riverside-chair-2024"]
    (article,) = store.articles()
    assert store.article_races(article.id) == ["nato-sg-2024", "riverside-chair-2024"]


def test_problems_are_reported_not_raised(nato_store: MemoryStore, tmp_path: Path) -> None:
    write(tmp_path / "empty.txt", "")
    write(tmp_path / "ok.txt", "2024-02-22 Germany backs Rutte.")
    report = run(nato_store, tmp_path, tmp_path / "missing.txt")
    assert report.new == 1
    assert report.problems == (
        Problem(str(tmp_path / "empty.txt"), None, "empty file; skipped"),
        Problem(str(tmp_path / "missing.txt"), None, "no such file or directory; skipped"),
    )


def test_default_date_dates_plain_text(nato_store: MemoryStore, tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "Germany backs Rutte.")
    run(nato_store, tmp_path, default_date=dt.date(2024, 2, 22))
    (article,) = nato_store.articles()
    assert (article.date, article.date_basis) == (
        dt.date(2024, 2, 22),
        "default date given at ingest",
    )


@pytest.mark.parametrize(
    ("setup", "kw", "error", "message"),
    [
        ("empty", {}, IngestError, "no race to match articles against"),
        ("nato", {"batch_size": 0}, IngestError, "batch_size must be at least 1"),
        ("empty-with-races", {}, IngestError, "race 'nato-sg-2024' is not in the store"),
    ],
)
def test_misuse_is_an_error(
    nato: Race, setup: str, kw: dict[str, Any], error: type[Exception], message: str
) -> None:
    store = MemoryStore()
    if setup == "nato":
        store.put_race(nato)
    if setup == "empty-with-races":
        kw = {"races": [nato]}
    with pytest.raises(error, match=message):
        run(store, "-", **kw)


def test_the_report_renders_one_paragraph() -> None:
    report = IngestReport(
        read=120,
        new=100,
        exact_duplicates=5,
        near_duplicates=3,
        off_topic=15,
        problems=(
            Problem("a.txt", None, "empty file; skipped"),
            Problem("b.jsonl", 3, "not JSON (Expecting value at column 1); skipped"),
            Problem("c.txt", None, "no date given or found; read without one", skipped=False),
        ),
        files=3,
        seconds=2.0,
    )
    text = report.render()
    assert text == (
        "Read 120 articles from 3 files in 2.0 s (60/s): 100 new (3 of them near copies of "
        "earlier articles), 5 already stored or repeated, 15 about no tracked race; 2 inputs "
        "skipped and 1 note (a.txt: empty file; skipped; b.jsonl:3: not JSON (Expecting value "
        "at column 1); skipped)."
    )
    assert "\n" not in text
    assert report.articles_per_second == 60


class Interloper(MemoryStore):
    """A memory store where another writer stores ``article`` (linked to its race, not
    read for it) just before the first batch is written."""

    def __init__(self, article: Article) -> None:
        super().__init__()
        self.article: Article | None = article

    def add_batch(self, articles: Sequence[Any], *args: Any, **kw: Any) -> StoredBatch:
        if self.article is not None:
            self.add_articles([(self.article, ["nato-sg-2024"])])
            self.article = None
        return super().add_batch(articles, *args, **kw)


def test_an_article_stored_meanwhile_by_another_writer_is_read_as_stored(
    nato: Race, tmp_path: Path
) -> None:
    text = "2024-02-22 Germany backs Rutte."
    write(tmp_path / "a.txt", text)
    write(tmp_path / "b.txt", "2024-02-23 Italy backs Rutte.")
    other = make_article(text, url="https://elsewhere.example/a", date=dt.date(2024, 2, 21))
    store = Interloper(other)
    store.put_race(nato)
    reader = Recorder(store)
    report = run(store, tmp_path, extractor=reader)
    # the batch was not written while taken; the article was read again as the other
    # writer stored it (another date: other evidence), then the batch went in whole
    assert (report.read, report.new, report.exact_duplicates) == (2, 1, 1)
    assert reader.asked[-1] == (other.id, "nato-sg-2024", True)
    assert len(reader.asked) == 3  # both articles, then the taken one again
    assert store.get_article(other.id) == other
    assert not any(store.unread_races(a.id) for a in store.articles())
