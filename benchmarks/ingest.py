"""Benchmark of the ingest stage; prints figures, asserts nothing.

1. Reading + exact de-duplication + race matching + near-duplicate detection of N generated
   articles (default 10,000, built from the NATO news texts with small mutations), one
   process: articles per second of wall time and per CPU-second (= per core).
2. The full ``ingest`` of the same articles into a SQLite store in a temp dir, in a fresh
   process: time and peak resident memory (``resource.getrusage``).
Run: .venv/bin/python benchmarks/ingest.py [--count 10000] [--layout jsonl|files]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kingmaker.ingest import NearDuplicateIndex, RaceMatcher, ingest, read_paths
from kingmaker.races import load_bundled
from kingmaker.records import Article
from kingmaker.store import SQLiteStore

ROOT = Path(__file__).resolve().parents[1]
NEWS = "data/news/nato-sg-2024/articles.jsonl"
TODAY = dt.date(2026, 11, 28)
TEAMS = ["Ajax", "Benfica", "Celtic", "Dortmund", "Everton", "Feyenoord", "Genoa", "Hertha"]


def news_rows() -> list[dict[str, Any]]:
    for base in (ROOT, ROOT.parent / "shared"):
        if (base / NEWS).is_file():
            return [json.loads(line) for line in (base / NEWS).read_text().splitlines()]
    raise SystemExit(f"{NEWS} not found in the repository or in shared/ beside it")


def generate(rows: list[dict[str, Any]], count: int, seed: int = 1) -> Iterator[dict[str, Any]]:
    """Articles made from the NATO texts: wire copies, rewrites, exact repeats, off-topic."""
    rng = random.Random(seed)
    vocab = sorted({w for r in rows for w in r["text"].split()})
    for n in range(count):
        base = rng.choice(rows)
        words = base["text"].split()
        roll = rng.random()
        if roll < 0.5:  # a wire copy: another dateline, one or two words changed
            for _ in range(rng.randint(1, 2)):
                words[rng.randrange(len(words))] = rng.choice(vocab)
            text = f"{rng.choice(['BRUSSELS', 'PARIS', 'ANKARA'])} (Wire {n}) - {' '.join(words)}"
        elif roll < 0.85:  # a rewrite: a quarter of the words replaced
            for _ in range(len(words) // 4):
                words[rng.randrange(len(words))] = rng.choice(vocab)
            text = " ".join(words)
        elif roll < 0.9:  # an exact repeat of a source text
            text = base["text"]
        else:  # about no tracked race
            a, b = rng.sample(TEAMS, 2)
            filler = " ".join(
                rng.choice(["goal", "match", "league", "fans", "coach"]) for _ in range(80)
            )
            text = f"{a} beat {b} {rng.randint(1, 5)}-{rng.randint(0, 4)} on Sunday ({n}). {filler}"
        day = base["date"] or "2024-03-01"
        yield {"url": f"https://example.org/{n}", "date": day, "text": text}


def write_articles(folder: Path, rows: list[dict[str, Any]], count: int, layout: str) -> Path:
    if layout == "jsonl":
        path = folder / "articles.jsonl"
        with path.open("w", encoding="utf-8") as f:
            for row in generate(rows, count):
                f.write(json.dumps(row) + "\n")
        return path
    path = folder / "articles"
    path.mkdir()
    for n, row in enumerate(generate(rows, count)):
        (path / f"{n:06d}.txt").write_text(f"date {row['date']} {row['text']}", encoding="utf-8")
    return path


def read_dedup_match(source: Path) -> dict[str, float]:
    """Stage 1 without the store: read, drop exact repeats, match, near-duplicate check."""
    matcher = RaceMatcher([load_bundled("nato-sg-2024")])
    index = NearDuplicateIndex()
    seen: set[str] = set()
    counts = {"read": 0, "exact": 0, "off_topic": 0, "near": 0}
    wall, cpu = time.perf_counter(), time.process_time()
    for item in read_paths([source], today=TODAY):
        if not isinstance(item, Article):
            continue
        counts["read"] += 1
        if item.id in seen:
            counts["exact"] += 1
            continue
        seen.add(item.id)
        if not matcher.match(item.text):
            counts["off_topic"] += 1
            continue
        counts["near"] += index.check(item.id, item.text) is not None
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {**counts, "wall": wall, "cpu": cpu}


def parts(source: Path) -> dict[str, float]:
    """CPU seconds of each part alone: reading, matching, MinHash + LSH."""
    cpu = time.process_time()
    articles = [a for a in read_paths([source], today=TODAY) if isinstance(a, Article)]
    out = {"read": time.process_time() - cpu}
    matcher = RaceMatcher([load_bundled("nato-sg-2024")])
    cpu = time.process_time()
    for a in articles:
        matcher.match(a.text)
    out["match"] = time.process_time() - cpu
    index = NearDuplicateIndex()
    cpu = time.process_time()
    for a in articles:
        index.check(a.id, a.text)
    out["dedup"] = time.process_time() - cpu
    return out


def resident_kib() -> int:
    """Resident memory now (Linux), else the peak so far."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
    except (OSError, ValueError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def child_ingest(source: str, db: str) -> None:
    """Run in a fresh process: ingest into SQLite and print figures as JSON."""
    store = SQLiteStore(db)
    store.put_race(load_bundled("nato-sg-2024"))
    before = resident_kib()
    cpu = time.process_time()
    report = ingest(store, [source], today=TODAY)
    cpu = time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    stored = store.article_count()
    store.close()
    print(
        json.dumps(
            {
                "before_kib": before,
                "peak_kib": peak,
                "cpu": cpu,
                "stored": stored,
                "db_bytes": os.path.getsize(db),
                "report": report.render(),
                "seconds": report.seconds,
                "read": report.read,
            }
        )
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--count", type=int, default=10_000)
    ap.add_argument("--layout", choices=["jsonl", "files"], default="jsonl")
    ap.add_argument("--child", nargs=2, metavar=("SOURCE", "DB"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child_ingest(*args.child)
        return

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    rows = news_rows()
    with tempfile.TemporaryDirectory() as tmp:
        source = write_articles(Path(tmp), rows, args.count, args.layout)
        read_dedup_match(source)  # warm-up: imports, caches, the page cache
        r = read_dedup_match(source)
        print(
            f"read + exact dedup + match + near-dup, {r['read']:,.0f} generated articles "
            f"({args.layout}), 1 process: {r['read'] / r['wall']:,.0f} articles/s wall, "
            f"{r['read'] / r['cpu']:,.0f} articles per CPU-second (per core)"
        )
        print(
            f"  outcome: {r['exact']:,.0f} exact repeats, {r['off_topic']:,.0f} off-topic, "
            f"{r['near']:,.0f} near copies linked"
        )
        p = parts(source)
        print(
            "  CPU per 1,000 articles: "
            + ", ".join(f"{k} {v / r['read'] * 1e3 * 1e3:.0f} ms" for k, v in p.items())
        )
        db = str(Path(tmp) / "kingmaker.db")
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(source), db],
            capture_output=True,
            text=True,
            check=True,
        )
        c = json.loads(out.stdout)
        print(
            f"ingest into SQLite (fresh process): {c['read'] / c['seconds']:,.0f} articles/s wall, "
            f"{c['read'] / c['cpu']:,.0f} per CPU-second; {c['stored']:,} stored, "
            f"database {c['db_bytes'] / 2**20:.1f} MiB"
        )
        print(
            f"  peak resident memory of that process {c['peak_kib'] / 1024:.0f} MiB; "
            f"{c['before_kib'] / 1024:.0f} MiB resident just before the ingest (Python, "
            f"numpy, kingmaker, the race), so the ingest added at most "
            f"{max(0, c['peak_kib'] - c['before_kib']) / 1024:.0f} MiB"
        )
        print(f"  {c['report']}")


if __name__ == "__main__":
    main()
