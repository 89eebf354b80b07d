"""The ingest stage end to end: counts, re-ingest, off-topic, batches, callbacks, failures."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from kingmaker.errors import IngestError, StoreError, UnknownRaceError
from kingmaker.ingest import IngestReport, Problem
from kingmaker.pipeline import ingest
from kingmaker.races import load_race_dir
from kingmaker.records import Article, Race
from kingmaker.store import MemoryStore, SQLiteStore, Store
from kingmaker.store.base import ArticleSignature

from .conftest import RIVERSIDE, TODAY, write

FOOTBALL = "Manchester United won 2-1 at home on Sunday, their third win in a row."


def run(store: Store, *paths: Any, **kw: Any) -> IngestReport:
    return ingest(store, [str(p) for p in paths], today=TODAY, **kw)


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


def test_on_article_sees_each_stored_article_with_its_races(
    nato_store: MemoryStore, nato_news: Path
) -> None:
    seen: list[tuple[str, list[str], bool]] = []

    def on_article(article: Article, races: list[str]) -> None:
        seen.append((article.id, races, nato_store.has_article(article.id)))

    progress: list[int] = []
    run(nato_store, nato_news, on_article=on_article, progress=progress.append, batch_size=50)
    assert len(seen) == 119
    assert all(races == ["nato-sg-2024"] and stored for _, races, stored in seen)
    assert progress == [50, 100, 119]
    seen.clear()
    run(nato_store, nato_news, on_article=on_article)
    assert seen == []  # nothing new, nothing to extract


class CountingStore(MemoryStore):
    """A memory store that records batch sizes and can fail on a chosen batch."""

    def __init__(self, fail_on: int | None = None) -> None:
        super().__init__()
        self.batches: list[int] = []
        self.fail_on = fail_on

    def add_articles_new_ids(
        self,
        items: Sequence[tuple[Article, Sequence[str]]],
        *,
        signatures: Sequence[ArticleSignature] = (),
    ) -> list[str]:
        self.batches.append(len(items))
        if len(self.batches) == self.fail_on:
            raise StoreError("disk full")
        return super().add_articles_new_ids(items, signatures=signatures)


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
    run(store, tmp_path)
    store.put_race(load_race_dir(RIVERSIDE))
    seen: list[list[str]] = []
    report = run(store, tmp_path, on_article=lambda a, races: seen.append(races))
    assert (report.new, report.exact_duplicates, report.relinked) == (0, 1, 1)
    assert seen == [["riverside-chair-2024"]]
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
