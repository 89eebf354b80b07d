"""Benchmarks of the extraction stage; prints figures, asserts nothing.

The 119 annotated NATO articles, repeated to about 2,000, read three ways: the
pre-filter alone (sentence split + name search), and full extraction in model and in
fallback mode. Prints articles per second per core (one process, one core) and the
peak resident memory; then one long article (the texts joined up to the web upload
limit, 2 MiB; ingest keeps the first 1,000,000 characters) in fallback mode, which
shows that the time grows in step with the length.
Run: .venv/bin/python benchmarks/extract.py [--articles 2000]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import resource
import time
from collections.abc import Callable
from pathlib import Path

from kingmaker.extract import Extractor, load_gold_set
from kingmaker.extract.pipeline import model_available
from kingmaker.extract.prefilter import split_sentences
from kingmaker.races import load_bundled
from kingmaker.records import Article
from kingmaker.web.settings import MAX_UPLOAD

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(
    os.environ.get("KINGMAKER_NEWS", ROOT.parent / "shared" / "data" / "news" / "nato-sg-2024")
)


def peak_mib() -> float:
    """Peak resident set size of this process so far, in MiB."""
    kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kib / 1024 if platform.system() != "Darwin" else kib / 1024 / 1024


def timed(label: str, n: int, work: Callable[[], object]) -> None:
    """Run ``work`` once and print articles per second and the peak memory so far."""
    start = time.perf_counter()
    work()
    secs = time.perf_counter() - start
    rate = f"{n / secs:>9.0f} articles/s/core"
    print(f"{label:<34} {rate}  ({secs:6.2f} s, peak RSS {peak_mib():6.0f} MiB)")


def long_article(articles: list[Article], ex: Extractor) -> None:
    """Seconds to extract one article of a quarter, a half and all of 2 MiB."""
    text = "\n\n".join(a.text for a in articles)
    while len(text.encode()) < MAX_UPLOAD:
        text += "\n\n" + text
    for share in (0.25, 0.5, 1.0):
        part = text.encode()[: int(MAX_UPLOAD * share)].decode(errors="ignore")
        sha = hashlib.sha256(part.encode()).hexdigest()
        one = articles[0].model_copy(update={"text": part, "id": sha, "title": "long"})
        start = time.perf_counter()
        ex.extract(one)
        secs = time.perf_counter() - start
        print(f"{f'one {len(part) / 2**20:.1f} MiB article, fallback':<34} {secs:9.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark the extraction stage.")
    parser.add_argument("--articles", type=int, default=2000, help="how many articles to read")
    args = parser.parse_args()
    race = load_bundled("nato-sg-2024")
    if not (DATA / "gold.jsonl").is_file():
        raise SystemExit(f"no gold set at {DATA}: put ../shared beside the repository")
    base, _ = load_gold_set(DATA)
    articles: list[Article] = (base * (args.articles // len(base) + 1))[: args.articles]
    chars = sum(len(a.text) for a in articles)
    print(
        f"{len(articles)} articles ({chars / 1e6:.1f} M chars), python {platform.python_version()}"
    )
    fallback = Extractor(race, mode="fallback")
    _ = fallback.nlp  # build outside the timings
    timed("pre-filter only", len(articles), lambda: [fallback.select(a) for a in articles])
    kept = sum(len(fallback.select(a)[1]) for a in articles)
    total = sum(len(split_sentences(a.text)) for a in articles)
    print(f"{'':<34} sentences kept for parsing: {kept}/{total} ({kept / total:.0%})")
    timed(
        "full extraction, fallback mode",
        len(articles),
        lambda: list(fallback.extract_many(articles)),
    )
    long_article(articles, fallback)
    ok, why = model_available()
    if not ok:
        print(f"model mode skipped: {why}")
        return
    start = time.perf_counter()
    model = Extractor(race, mode="model")
    _ = model.nlp
    print(f"{'model verify + load':<34} {time.perf_counter() - start:9.2f} s")
    timed("full extraction, model mode", len(articles), lambda: list(model.extract_many(articles)))


if __name__ == "__main__":
    if hasattr(os, "sched_setaffinity"):  # one core, so the rates are per core
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    main()
