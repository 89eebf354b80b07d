"""A news archive backfilled on a Dask LocalCluster of two workers stores what one
process's ingest stores (articles, near copies, evidence, counts) and gives the same
forecast; so does a backtest spread over the cluster."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gzip
import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("distributed")

from kingmaker.backtest import replay
from kingmaker.engine import forecast
from kingmaker.ingest.archive import partitions
from kingmaker.newsdesk import backfill, ingest_news
from kingmaker.parallel import Workers
from kingmaker.races import load_bundled
from kingmaker.spread import replay_races
from kingmaker.store import SQLiteStore
from shared_data import shared_path

RACE = "nato-sg-2024"


@pytest.fixture(scope="module")
def cluster() -> Iterator[Workers]:
    """A LocalCluster of two workers (threads: quick to start, as a test needs)."""
    with Workers(2, "local", processes=False) as workers:
        assert workers.size == 2
        yield workers


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The NATO news as a tree partitioned by date (year/month/day/NNN.txt), with repeats
    across days, a near copy, an off-topic piece, a JSONL file, a WARC crawl and a file of no
    format."""
    root = tmp_path_factory.mktemp("archive")
    news = shared_path(f"data/news/{RACE}/articles.jsonl")
    rows = [json.loads(line) for line in news.read_text().splitlines()[:40]]
    for n, row in enumerate(rows):
        day = row["date"] or "2024-03-01"
        path = root / day.replace("-", "/") / f"{n:03d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"date {day} {row['text']}", encoding="utf-8")
    last = root / "2024" / "12" / "31"
    last.mkdir(parents=True)
    (root / "2024" / "12" / "30").mkdir()
    (last / "900.txt").write_text(f"date 2024-03-01 {rows[0]['text']}")  # a repeat
    (last / "901.txt").write_text(f"date 2024-03-02 PARIS (Wire) - {rows[1]['text']}")
    (last / "902.txt").write_text("date 2024-03-03 Ajax beat Celtic 3-1 on Sunday.")
    (last / "903.pdf").write_bytes(b"%PDF-1.4")
    with gzip.open(root / "2024" / "12" / "30" / "crawl.warc.gz", "wb") as f:
        for n, row in enumerate(rows[5:10]):  # a crawl: HTML responses, a record each
            html = "".join(f"<p>{p}</p>" for p in row["text"].split(". "))
            body = f"<html><body><article>{html}</article></body></html>".encode()
            block = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + body
            head = (
                "WARC/1.0\r\nWARC-Type: response\r\n"
                f"WARC-Target-URI: https://crawl.example/{n}\r\n"
                f"WARC-Date: {row['date'] or '2024-03-01'}T12:00:00Z\r\n"
                "Content-Type: application/http; msgtype=response\r\n"
                f"Content-Length: {len(block)}\r\n\r\n"
            )
            f.write(head.encode() + block + b"\r\n\r\n")
    with (last / "904.jsonl").open("w") as f:
        for row in rows[:5]:  # repeats of other days, as JSONL rows
            f.write(json.dumps({"url": row["url"], "date": row["date"], "text": row["text"]}))
            f.write("\n")
    return root


def stored(store: SQLiteStore) -> tuple[list[str], list[str]]:
    arts = sorted(f"{a.id} {a.duplicate_of} {a.date} {a.url}" for a in store.articles())
    return arts, sorted(e.model_dump_json() for e in store.get_race(RACE).evidence)


def test_backfill_on_a_local_cluster_equals_one_process(
    cluster: Workers, archive: Path, tmp_path: Path
) -> None:
    parts = partitions([archive], files_per_partition=4)
    assert sum(1 for p in parts if isinstance(p, list)) > 8  # the work is spread
    results = []
    for name in ("one", "dask"):
        store = SQLiteStore(str(tmp_path / f"{name}.db"))
        store.put_race(load_bundled(RACE))
        races = [store.get_race(RACE)]
        start = time.perf_counter()
        if name == "one":
            rep = ingest_news(store, races, [archive], mode="fallback", batch_size=15)
        else:
            rep = backfill(
                store,
                races,
                [archive],
                cluster,
                mode="fallback",
                batch_size=15,
                files_per_partition=4,
            )
        assert time.perf_counter() - start < 30
        race = store.get_race(RACE)
        fc = forecast(race, dt.date(2024, 6, 1), samples=2_000, seed=0, explain=False)
        results.append((rep, stored(store), fc.model_dump()))
        store.close()
    (one, one_store, one_fc), (dask, dask_store, dask_fc) = results
    assert dataclasses.replace(dask.ingest, seconds=0) == dataclasses.replace(one.ingest, seconds=0)
    assert one.ingest.exact_duplicates >= 6 and one.ingest.near_duplicates >= 1
    assert one.ingest.off_topic >= 1 and one.ingest.skipped == 1
    assert (dask.evidence, dask.items, dask.articles) == (one.evidence, one.items, one.articles)
    assert dask_store == one_store and len(one_store[1]) > 20
    assert sum("https://crawl.example/" in a for a in one_store[0]) >= 3  # the WARC's pages
    assert dask_fc == one_fc


def test_backtest_on_a_local_cluster_equals_one_process(cluster: Workers) -> None:
    race = load_bundled("fao-dg-2019")
    (rp,) = replay_races(cluster, [race], every=20, samples=300, seed=1)
    one = replay(race, every=20, samples=300, seed=1)
    assert [d.as_dict() for d in rp.days] == [d.as_dict() for d in one.days]
    assert len(one.days) > 5


def test_standard_input_cannot_be_backfilled(tmp_path: Path) -> None:
    from kingmaker.errors import IngestError

    with pytest.raises(IngestError, match="standard input cannot be read by a cluster"):
        partitions(["-"])
