"""kingmaker's own code against the libraries that could replace it; prints figures, asserts
nothing (docs/architecture.md, "Libraries or our own code", quotes them).

- ``minhash``: near-duplicate signatures and LSH (kingmaker.ingest.dedup) against
  datasketch's MinHash and MinHashLSH (128 permutations, 32 bands of 4 rows, the same
  5-word shingles and the same near-copy rule), on the ingest benchmark's generated
  articles: time per article and how many articles land in the same group.
- ``dates``: kingmaker.ingest.dates.leading_date against dateparser's search_dates on the
  shared news articles' starts, as stored and with their date prepended in six written
  forms; kingmaker.extract.dates.find_dates against search_dates on their sentences.
- ``throttle``: the web's LoginThrottle against limits' moving window in memory, for
  many addresses each giving a wrong token: time per check, addresses held, memory.

The libraries are not kingmaker's dependencies: ``pip install datasketch limits``
(dateparser comes with trafilatura). A part whose library is missing says so and is skipped.

Run: .venv/bin/python benchmarks/libraries.py [--only minhash dates throttle]
     [--articles 5000] [--addresses 20000]
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import re
import sys
import threading
import time
import tracemalloc
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
NEWS = ROOT.parent / "shared" / "data" / "news"
sys.path.insert(0, str(ROOT / "benchmarks"))

import ingest as ingest_benchmark  # noqa: E402  (benchmarks/ingest.py: generated articles)


def minhash(count: int) -> None:
    """kingmaker's MinHash + LSH against datasketch's on generated articles."""
    try:
        from datasketch import MinHash, MinHashLSH
    except ImportError:
        print("minhash: skipped (pip install datasketch)")
        return
    from kingmaker.ingest.dedup import MIN_CONTAINED, THRESHOLD, MinHasher, NearDuplicateIndex

    texts = [a["text"] for a in ingest_benchmark.generate(ingest_benchmark.news_rows(), count)]
    print(f"minhash: {count} generated articles, {sum(map(len, texts)) // count} chars on average")
    start = time.perf_counter()
    index = NearDuplicateIndex()
    ours = [index.check(f"{i:064x}", text) for i, text in enumerate(texts)]
    ours_all = time.perf_counter() - start
    hasher = MinHasher()
    start = time.perf_counter()
    for text in texts:
        hasher.signature(text)
    ours_sig = time.perf_counter() - start

    word = re.compile(r"\w+")

    def shingles(text: str) -> set[bytes]:
        words = word.findall(text.lower())
        k = min(5, len(words)) or 1
        return {" ".join(words[i : i + k]).encode() for i in range(max(1, len(words) - k + 1))}

    start = time.perf_counter()
    sigs, sizes = [], []
    for text in texts:
        found = shingles(text)
        m = MinHash(num_perm=128, seed=1)
        m.update_batch(list(found))
        sigs.append(m)
        sizes.append(len(found))
    theirs_sig = time.perf_counter() - start
    lsh = MinHashLSH(num_perm=128, params=(32, 4))
    roots: list[int | None] = []
    for i, m in enumerate(sigs):
        root = None
        for c in sorted(int(c) for c in lsh.query(m)):
            j = m.jaccard(sigs[c])
            shorter = min(sizes[i], sizes[c])
            contained = j * (sizes[i] + sizes[c]) / (1 + j) / shorter
            if j >= THRESHOLD or (contained >= THRESHOLD and shorter >= MIN_CONTAINED):
                root = roots[c] if roots[c] is not None else c
                break
        roots.append(root)
        lsh.insert(str(i), m)
    theirs_all = time.perf_counter() - start + theirs_sig
    ours_groups = [int(r, 16) if r is not None else i for i, r in enumerate(ours)]
    their_groups = [r if r is not None else i for i, r in enumerate(roots)]
    same = sum(a == b for a, b in zip(ours_groups, their_groups, strict=True))
    for name, sig, total, copies in (
        ("kingmaker", ours_sig, ours_all, sum(r is not None for r in ours)),
        ("datasketch", theirs_sig, theirs_all, sum(r is not None for r in roots)),
    ):
        print(
            f"  {name}: signature {sig / count * 1e3:.3f} ms an article, signature + index + "
            f"check {total / count * 1e3:.3f} ms, near copies found {copies}"
        )
    print(f"  same group for {same} of {count} articles ({100 * same / count:.1f}%)")


def dates() -> None:
    """kingmaker's date reading against dateparser's on the shared news articles."""
    try:
        from dateparser.search import search_dates
    except ImportError:
        print("dates: skipped (pip install dateparser)")
        return
    from kingmaker.extract.dates import find_dates
    from kingmaker.ingest.dates import DateError, leading_date

    files = sorted(NEWS.glob("*/articles.jsonl"))
    if not files:
        print(f"dates: skipped ({NEWS} has no */articles.jsonl)")
        return
    rows = [json.loads(line) for f in files for line in f.read_text().splitlines() if line]
    warnings.filterwarnings("ignore")
    settings = {"PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["day", "month", "year"]}

    def ours(head: str) -> dt.date | None:
        try:
            return leading_date(head)
        except DateError:
            return None

    def theirs(head: str) -> dt.date | None:
        for text, when in (search_dates(head[:80], languages=["en"], settings=settings) or [])[:1]:
            if head.lstrip().lower().find(text.lower()) <= 12:  # at the start
                return when.date()
        return None

    forms: dict[str, Callable[[dt.date], str]] = {
        "2023-10-28": lambda d: d.isoformat(),
        "28 October 2023": lambda d: f"{d.day} {d:%B %Y}",
        "October 28, 2023": lambda d: f"{d:%B} {d.day}, {d.year}",
        "Oct. 28, 2023": lambda d: f"{d:%b}. {d.day}, {d.year}",
        "28.10.2023": lambda d: f"{d.day:02d}.{d.month:02d}.{d.year}",
        "Published: October 28, 2023": lambda d: f"Published: {d:%B} {d.day}, {d.year}",
    }
    dated = [(r, dt.date.fromisoformat(r["date"])) for r in rows if r.get("date")]
    print(f"dates: {len(rows)} shared news articles, {len(dated)} dated")
    for name, read in (("kingmaker", ours), ("dateparser", theirs)):
        start, tried, right = time.perf_counter(), 0, collections.Counter[str]()
        for form, write in forms.items():
            for row, day in dated:
                tried += 1
                right[form] += read(f"{write(day)} {row['text']}") == day
        stored = [read(r["text"]) for r in rows]
        spent = time.perf_counter() - start
        shown = ", ".join(f"'{form}' {n}" for form, n in right.items())
        print(
            f"  {name} leading_date: {sum(right.values())} of {tried} prepended dates read "
            f"({shown}; of {len(dated)} each); a date at the start of "
            f"{sum(d is not None for d in stored)} of the {len(rows)} stored texts; "
            f"{spent / (tried + len(rows)) * 1e3:.3f} ms a text"
        )
    sentences = [
        (s, day)
        for row, day in dated
        for s in re.split(r"(?<=[.!?])\s+", row["text"])
        if 20 < len(s) < 400
    ]
    start = time.perf_counter()
    found = [[m.value for m in find_dates(s, day)] for s, day in sentences]
    ours_time = time.perf_counter() - start
    start = time.perf_counter()
    theirs_found: list[list[tuple[str, str]]] = []
    for s, day in sentences:
        base = {"RELATIVE_BASE": dt.datetime.combine(day, dt.time()), "PREFER_DATES_FROM": "past"}
        hits = search_dates(s, languages=["en"], settings=base) or []
        theirs_found.append([(text, when.date().isoformat()) for text, when in hits])
    theirs_time = time.perf_counter() - start
    shared = sum(
        1
        for mine, other in zip(found, theirs_found, strict=True)
        for value in mine
        if any(when.startswith(value) for _, when in other)
    )
    common = collections.Counter(text.lower() for hits in theirs_found for text, _ in hits)
    print(
        f"  mentions in {len(sentences)} sentences: kingmaker find_dates "
        f"{ours_time / len(sentences) * 1e3:.3f} ms a sentence, {sum(map(len, found))} "
        f"mentions; dateparser search_dates {theirs_time / len(sentences) * 1e3:.2f} ms, "
        f"{sum(map(len, theirs_found))} mentions, {shared} of kingmaker's among them"
    )
    print(f"  dateparser's most frequent finds: {common.most_common(15)}")


def throttle(addresses: int) -> None:
    """The web's login throttle against limits' moving window, many failing addresses."""
    try:
        from limits import parse
        from limits.storage import MemoryStorage
        from limits.strategies import MovingWindowRateLimiter
    except ImportError:
        print("throttle: skipped (pip install limits)")
        return
    from kingmaker.web.security import LoginThrottle

    names = [f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}" for n in range(addresses)]
    print(f"throttle: {addresses} addresses, one wrong token each within a minute")

    def measure(name: str, fail: Callable[[str], Any], held: Callable[[], int]) -> None:
        tracemalloc.start()
        start = time.perf_counter()
        for address in names:
            fail(address)
        spent = time.perf_counter() - start
        memory = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        print(
            f"  {name}: {spent / addresses * 1e6:.0f} us a wrong token, {held()} addresses "
            f"held, {memory / 2**20:.1f} MiB"
        )

    ours = LoginThrottle()
    measure("kingmaker LoginThrottle", lambda a: ours.verify(a, lambda: False), lambda: len(ours))
    storage = MemoryStorage()
    limiter = MovingWindowRateLimiter(storage)
    item = parse("5/minute")
    lock = threading.Lock()

    def fail(address: str) -> None:
        with lock:  # check and count together, as LoginThrottle does
            if limiter.test(item, "login", address):
                limiter.hit(item, "login", address)

    measure("limits MovingWindowRateLimiter", fail, lambda: len(storage.events))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="*", default=["minhash", "dates", "throttle"])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--addresses", type=int, default=20_000)
    opts = parser.parse_args()
    if "minhash" in opts.only:
        minhash(opts.articles)
    if "dates" in opts.only:
        dates()
    if "throttle" in opts.only:
        throttle(opts.addresses)


if __name__ == "__main__":
    main()
