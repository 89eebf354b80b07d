"""Benchmark of ``kingmaker ingest`` with extraction; prints figures, asserts nothing.

Ingests N generated articles (built from the NATO news texts with small mutations: wire
copies, rewrites, exact repeats and off-topic pieces) into a SQLite store holding the
bundled nato-sg-2024 race, with extraction (the fallback extractor unless ``--mode``
says otherwise), each run in a fresh process. For each size it prints the wall time,
CPU time, articles per second, peak resident memory and the projected hours for 1M
articles on one core (from the CPU time). ``--prefill N`` first ingests N other
generated articles into the store (not timed), to show what an ingest into a full store
costs. Linear ingest keeps the rate flat as N grows.

``--jobs 1 2 ...`` runs each size with extraction in that many processes (default: 1 and
every core) and prints the speed-up over one process, and at the end the projected hours
for 1M articles on one core and on all cores (from the wall time of the largest size).
CPU time counts the worker processes too.

Run: .venv/bin/python benchmarks/ingest.py [--counts 1000 10000 50000] [--prefill 0]
     [--mode fallback] [--layout jsonl|files] [--jobs 1 2]
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

ROOT = Path(__file__).resolve().parents[1]
NEWS = "data/news/nato-sg-2024/articles.jsonl"
RACE = "nato-sg-2024"
TODAY = dt.date(2026, 11, 28)
TEAMS = ["Ajax", "Benfica", "Celtic", "Dortmund", "Everton", "Feyenoord", "Genoa", "Hertha"]
MILLION = 1_000_000


def news_rows() -> list[dict[str, Any]]:
    """The NATO news set, from the repository or from shared/ beside it."""
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
        yield {"url": f"https://example.org/{seed}/{n}", "date": day, "text": text}


def write_articles(
    folder: Path, rows: list[dict[str, Any]], count: int, layout: str, seed: int
) -> Path:
    """``count`` generated articles as one JSONL file or a folder of text files."""
    if layout == "jsonl":
        path = folder / f"articles-{seed}-{count}.jsonl"
        with path.open("w", encoding="utf-8") as f:
            for row in generate(rows, count, seed):
                f.write(json.dumps(row) + "\n")
        return path
    path = folder / f"articles-{seed}-{count}"
    path.mkdir()
    for n, row in enumerate(generate(rows, count, seed)):
        (path / f"{n:06d}.txt").write_text(f"date {row['date']} {row['text']}", encoding="utf-8")
    return path


def child_ingest(source: str, db: str, mode: str, jobs: str = "1") -> None:
    """Run in a fresh process: ingest into the SQLite store ``db`` with extraction in
    ``jobs`` processes, print figures as JSON."""
    from kingmaker.newsdesk import ingest_news
    from kingmaker.races import load_bundled
    from kingmaker.store import SQLiteStore

    store = SQLiteStore(db)
    if not store.has_race(RACE):
        store.put_race(load_bundled(RACE))
    races = [store.get_race(RACE)]
    held = store.article_count()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    wall, cpu = time.perf_counter(), _cpu()
    report = ingest_news(store, races, [source], mode=mode, jobs=int(jobs))  # type: ignore[arg-type]
    wall, cpu = time.perf_counter() - wall, _cpu() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    stored = store.article_count()
    store.close()
    print(
        json.dumps(
            {
                "held": held,
                "read": report.ingest.read,
                "new": report.ingest.new,
                "near": report.ingest.near_duplicates,
                "evidence": sum(report.evidence.values()),
                "mode": report.mode,
                "stored": stored,
                "wall": wall,
                "cpu": cpu,
                "before_kib": before,
                "peak_kib": peak,
                "db_bytes": os.path.getsize(db),
            }
        )
    )


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (the worker processes)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def run_child(source: Path, db: Path, mode: str, jobs: int = 1) -> dict[str, Any]:
    """``child_ingest`` in a fresh process; its figures."""
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(source), str(db), mode, str(jobs)],
        capture_output=True,
        text=True,
    )
    if out.returncode:
        raise SystemExit(f"the ingest failed:\n{out.stderr[-2000:]}")
    figures: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return figures


def load_now() -> str:
    """The load averages (1, 5, 15 min), where the system tells them."""
    try:
        return ", ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--counts", type=int, nargs="+", default=[1_000, 10_000, 50_000])
    ap.add_argument("--prefill", type=int, default=0, help="articles stored first (not timed)")
    ap.add_argument("--mode", choices=["fallback", "model", "auto"], default="fallback")
    ap.add_argument("--layout", choices=["jsonl", "files"], default="jsonl")
    ap.add_argument("--keep", type=Path, help="folder to keep the articles and stores in")
    ap.add_argument(
        "--jobs", type=int, nargs="+", help="processes extracting (default: 1 and every core)"
    )
    ap.add_argument(
        "--child", nargs=4, metavar=("SOURCE", "DB", "MODE", "JOBS"), help=argparse.SUPPRESS
    )
    args = ap.parse_args()
    if args.child:
        child_ingest(*args.child)
        return
    if min(args.counts) < 1 or args.prefill < 0:
        raise SystemExit("--counts must be at least 1 and --prefill at least 0")
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    jobs = sorted(set(args.jobs or [1, cores or 1]))
    if min(jobs) < 1:
        raise SystemExit("--jobs must be at least 1")

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; load average {load_now()}"
    )
    rows = news_rows()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        filled = None
        if args.prefill:
            filled = folder / f"prefill-{args.prefill}.db"
            if not filled.exists():
                source = write_articles(folder, rows, args.prefill, args.layout, seed=3)
                c = run_child(source, filled, args.mode)
                print(
                    f"prefill: {c['stored']:,} articles stored in {c['wall']:.1f} s "
                    f"({c['evidence']:,} evidence items)"
                )
        print(
            f"{'articles':>9} {'jobs':>4} {'held':>7} {'new':>7} {'near':>6} {'evidence':>8} "
            f"{'wall s':>8} {'CPU s':>8} {'per s':>7} {'speed-up':>8} {'per CPU-s':>9} "
            f"{'peak MiB':>8} {'1M h/core':>9}"
        )
        last: dict[int, dict[str, Any]] = {}
        for count in args.counts:
            source = write_articles(folder, rows, count, args.layout, seed=1)
            for n in jobs:
                db = folder / f"run-{count}.db"
                db.unlink(missing_ok=True)
                if filled is not None:
                    db.write_bytes(filled.read_bytes())
                c = run_child(source, db, args.mode, n)
                last[n] = c
                per_cpu = c["read"] / c["cpu"]
                speedup = last[jobs[0]]["wall"] / c["wall"]
                print(
                    f"{c['read']:>9,} {n:>4} {c['held']:>7,} {c['new']:>7,} {c['near']:>6,} "
                    f"{c['evidence']:>8,} {c['wall']:>8.1f} {c['cpu']:>8.1f} "
                    f"{c['read'] / c['wall']:>7.0f} {speedup:>8.2f} {per_cpu:>9.0f} "
                    f"{c['peak_kib'] / 1024:>8.0f} {MILLION / per_cpu / 3600:>9.2f}",
                    flush=True,
                )
                db.unlink(missing_ok=True)
        one, most = last[jobs[0]], last[jobs[-1]]
        print(
            f"projected for 1M articles: {MILLION / (one['read'] / one['cpu']) / 3600:.1f} h "
            f"on one core (CPU time); {MILLION / (most['read'] / most['wall']) / 3600:.1f} h "
            f"on {jobs[-1]} core{'s' if jobs[-1] > 1 else ''} (wall time with {jobs[-1]} "
            f"process{'es' if jobs[-1] > 1 else ''})"
        )
        print(f"extraction mode {c['mode']}; load average at the end {load_now()}")


if __name__ == "__main__":
    main()
