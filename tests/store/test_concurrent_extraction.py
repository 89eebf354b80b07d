"""Two ``kingmaker ingest`` runs of one feed at once, with extraction, each through its own
connection to one database (SQLite file, PostgreSQL): no evidence item is extracted twice.
Together they store exactly what one ingest stores (the same articles, links and near
copies, the same evidence, every article read), and the items their reports count as new
add up to that evidence, none counted by both."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ingest.feeds import write_feed  # tests/ingest/feeds.py
from ingest.test_kill_ingest import snapshot
from kingmaker.newsdesk import NewsReport, ingest_news
from kingmaker.records import Race
from kingmaker.service import Kingmaker
from kingmaker.store import MemoryStore, Store

from .conftest import run_together
from .test_concurrent_ingest import Lockstep

NATO = "nato-sg-2024"
ARTICLES = 60


def feed_with_copies(path: Path) -> Path:
    """The generated feed, and a near copy of every tenth of its on-topic articles at the
    end (the same text with a line added, another URL): copies are stored and linked,
    and their evidence must not be read again."""
    write_feed(path, ARTICLES)
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    copies = [
        {**row, "text": row["text"] + " Updated with reactions.", "url": row["url"] + "?copy"}
        for row in rows[::10]
    ]
    with path.open("a", encoding="utf-8") as out:
        out.writelines(json.dumps(c) + "\n" for c in copies)
    return path


def duplicates(store: Store) -> list[Any]:
    """Machine items saying the same thing as another from the same article, or from one
    of its near copies."""
    original = {a.id: a.duplicate_of or a.id for a in store.articles()}
    seen: Counter[tuple[Any, ...]] = Counter()
    for e in store.get_race(NATO).evidence:
        article = e.source.content_hash  # the sha256 of the text: the article's id
        if article is None:
            continue  # a curated item of the bundled race
        said = e.model_dump(mode="json", exclude={"id", "source", "span", "note"})
        seen[(original.get(article, article), json.dumps(said, sort_keys=True))] += 1
    return [key for key, n in seen.items() if n > 1]


def test_two_ingests_with_extraction_at_once_extract_nothing_twice(
    same_database: Callable[[], Store], tmp_path: Path
) -> None:
    feed = str(feed_with_copies(tmp_path / "feed.jsonl"))
    once = Kingmaker(MemoryStore())  # one ingest alone: what both together must store
    alone = once.ingest([feed], race_id=NATO, mode="fallback")
    expected = snapshot(once.store)
    assert duplicates(once.store) == []
    assert alone.copies_skipped > 0 and alone.evidence[NATO] > 0

    services = [Kingmaker(same_database()) for _ in range(2)]
    reports: list[NewsReport | None] = [None, None]

    def work(i: int) -> None:
        reports[i] = services[i].ingest([feed], race_id=NATO, mode="fallback")

    failures = run_together(work, 2)
    assert not failures, failures
    assert duplicates(services[0].store) == []
    assert snapshot(services[0].store) == expected
    assert sum(r.evidence.get(NATO, 0) for r in reports if r) == alone.evidence[NATO]


def test_ingests_with_extraction_racing_for_every_batch_store_what_one_does(
    tmp_path: Path, nato: Race
) -> None:
    """Both ingests read every batch before either stores it (``Lockstep``): the one that
    stores second finds its articles taken, writes nothing, reads them again as stored
    (for no race: the first read them all) and then stores its batch."""
    feed = str(feed_with_copies(tmp_path / "feed.jsonl"))
    once = MemoryStore()
    once.put_race(nato)
    alone = ingest_news(once, [nato], [feed], mode="fallback", batch_size=10)
    expected = snapshot(once)

    Lockstep.barrier.reset()
    stores = [Lockstep(tmp_path / "k.db"), Lockstep(tmp_path / "k.db")]
    stores[0].put_race(nato)
    reports: list[NewsReport | None] = [None, None]

    def work(i: int) -> None:
        reports[i] = ingest_news(stores[i], [nato], [feed], mode="fallback", batch_size=10)

    try:
        failures = run_together(work, 2)
        assert not failures, failures
        assert snapshot(stores[0]) == expected
        assert duplicates(stores[0]) == []
        done = [r for r in reports if r is not None]
        assert sum(r.evidence.get(NATO, 0) for r in done) == alone.evidence[NATO]
        assert sum(r.ingest.new for r in done) == alone.ingest.new
        # every article was raced for: each run stored some, the other counts them repeats
        assert all(r.ingest.new > 0 for r in done)
    finally:
        for store in stores:
            store.close()
