"""Generated feeds for the ingest fault tests: many distinct dated articles about the NATO
race, some off topic, some repeated, built from a seed so every run gets the same file."""

from __future__ import annotations

import json
import random
from pathlib import Path

COUNTRIES = ("Hungary", "Turkey", "Slovakia", "Romania", "Poland", "France", "Germany", "Italy")
CANDIDATES = ("Mark Rutte", "Klaus Iohannis")
WORDS = [
    "the",
    "council",
    "ministers",
    "capital",
    "talks",
    "summit",
    "alliance",
    "defence",
    "budget",
    "support",
    "backing",
    "vote",
    "week",
    "officials",
    "said",
    "sources",
    "diplomats",
    "envoy",
    "meeting",
]


def write_feed(path: Path, n: int, *, seed: int = 1) -> Path:
    """Write ``n`` JSON Lines articles to ``path``: every tenth is about football (off
    topic), every twentieth repeats the article before it; the rest name a country
    backing a candidate for NATO secretary general, dated in March 2024."""
    rng = random.Random(seed)
    lines: list[str] = []
    for i in range(n):
        if i % 20 == 19:
            lines.append(lines[-1])
            continue
        filler = " ".join(rng.choice(WORDS) for _ in range(12))
        if i % 10 == 9:
            text = f"Match report {i}: the home side won 2-1 on Sunday. {filler}."
        else:
            country, name = rng.choice(COUNTRIES), rng.choice(CANDIDATES)
            text = (
                f"Report {i}: {country} said it would back {name} for NATO secretary "
                f"general. {filler}."
            )
        row = {"date": f"2024-03-{i % 28 + 1:02d}", "text": text, "url": f"https://example.org/{i}"}
        lines.append(json.dumps(row))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
