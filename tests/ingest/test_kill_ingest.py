"""kill -9 in the middle of ``kingmaker ingest`` (SQLite, PostgreSQL): the killed store
holds whole batches only (no article stored without its evidence), and after a re-run
it holds exactly what one uninterrupted ingest stores, the same articles with the same
links and copies, and the same evidence, every article read for its races."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kingmaker.service import Kingmaker
from kingmaker.store import Store, open_store

from .feeds import write_feed

NATO = "nato-sg-2024"
CLI = "import sys; from kingmaker.cli import main; sys.argv[0] = 'kingmaker'; main()"
# `kingmaker ingest` in batches of 10 articles (the CLI's are 500: this feed would be one)
INGEST = (
    "import sys; from kingmaker.newsdesk import ingest_news; "
    "from kingmaker.store import open_store; s = open_store(sys.argv[1]); "
    "ingest_news(s, [s.get_race(r) for r in s.race_ids()], [sys.argv[2]], "
    "mode='fallback', batch_size=10)"
)
ARTICLES = 80
KILL_AFTER = 40  # new evidence items seen stored before the kill (a full run stores ~140)


def cli(db: str, *args: str) -> list[str]:
    return [sys.executable, "-c", CLI, "--db", db, *args]


def snapshot(store: Store) -> dict[str, Any]:
    """What an ingest leaves: articles with links and copies, evidence, unread marks."""
    articles = {a.id: (a.duplicate_of, tuple(store.article_races(a.id))) for a in store.articles()}
    return {
        "articles": articles,
        "unread": {i: store.unread_races(i) for i in articles if store.unread_races(i)},
        "evidence": {
            rid: sorted(e.model_dump_json() for e in store.get_race(rid).evidence)
            for rid in sorted(store.race_ids())
        },
    }


def evidence_count(url: str) -> int:
    with open_store(url) as store:
        return len(store.get_race(NATO).evidence)


def part_way(url: str, before: int) -> bool:
    """Whether the ingest has stored ``KILL_AFTER`` new items (some batches, not all)."""
    with open_store(url) as store:
        return len(store.get_race(NATO).evidence) >= before + KILL_AFTER


def kill_part_way(killed: str, feed: str) -> bool:
    """Start an ingest into the fresh store ``killed`` and kill -9 it part way (``part_way``);
    False when it ended first."""
    assert subprocess.run(cli(killed, "races"), capture_output=True, check=False).returncode == 0
    before = evidence_count(killed)
    proc = subprocess.Popen(
        [sys.executable, "-c", INGEST, killed, feed],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while not part_way(killed, before):
            if proc.poll() is not None:
                return False
            assert time.monotonic() < deadline, "the ingest stored no evidence in 60 s"
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait()
    return proc.returncode == -signal.SIGKILL


@pytest.fixture(params=["sqlite", "postgres"])
def databases(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[str], str]:
    """A factory of fresh empty databases of one kind, by name: their URLs or paths."""
    if request.param == "postgres":
        new_schema = request.getfixturevalue("pg_database")
        return lambda _name: str(new_schema())
    return lambda name: str(tmp_path / f"{name}.db")


def test_a_killed_ingest_rerun_stores_what_one_clean_run_does(
    databases: Callable[[str], str], tmp_path: Path
) -> None:
    feed = str(write_feed(tmp_path / "feed.jsonl", ARTICLES))
    clean = databases("clean")
    service = Kingmaker(open_store(clean))
    try:
        service.ingest([feed], mode="fallback")
        expected = snapshot(service.store)
    finally:
        service.close()
    assert len(expected["articles"]) == 72 and not expected["unread"]

    # The ingest is fast: where it ends before the kill can land, or the kill lands after
    # its last batch was stored (while it closes), try again on a fresh store.
    for attempt in range(5):
        killed = databases(f"killed{attempt}")
        if kill_part_way(killed, feed):
            with open_store(killed) as store:
                cut = snapshot(store)
            if cut != expected:  # killed part way: something was left to do
                break
    else:
        pytest.fail("five ingests ended before they could be killed part way")
    # Each batch is stored whole or not at all (articles, evidence and read marks in one
    # transaction): no article is left stored but unread. (Before, a batch's articles and
    # its evidence were two transactions, and a kill between them left articles unread for
    # the re-run.)
    assert cut["unread"] == {}

    again = subprocess.run(
        cli(killed, "ingest", feed, "--mode", "fallback"), capture_output=True, text=True
    )
    assert again.returncode == 0, again.stderr
    with open_store(killed) as store:
        assert snapshot(store) == expected
