"""Strategies of the fuzz tests over article inputs (CLI and web ingest), and the dump of
a SQLite store that a refused write must leave as it was."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

NATO = "nato-sg-2024"
SENTENCES = st.sampled_from(
    [
        "Hungary's prime minister Viktor Orbán said Hungary would back Mark Rutte.",
        "Estonia backs Kaja Kallas to become NATO Secretary General.",
        "Romania announced Klaus Iohannis as its candidate.",
        "Türkiye will not oppose Rutte, the president said on 2024-04-29.",
        "Rutte " * 40,
        "2024-03-01",
        "",
    ]
)
# every code point, lone surrogates and control characters included
NOISE = st.text(st.characters(codec=None, exclude_categories=()), max_size=60)
LINES = st.lists(SENTENCES | NOISE, min_size=0, max_size=6).map(" ".join)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | NOISE | SENTENCES,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(NOISE, inner, max_size=3),
    max_leaves=6,
)
ROWS = st.fixed_dictionaries(
    {},
    optional={  # type: ignore[arg-type]
        "text": LINES | JSON_VALUES,
        "date": st.sampled_from(["2024-03-01", "2024-03-01T10:00:00", "2023-02-30", "nan"])
        | JSON_VALUES,
        "title": NOISE | JSON_VALUES,
        "url": st.sampled_from(["https://example.org/a", "javascript:x"]) | JSON_VALUES,
        "race": st.sampled_from([NATO, "no-such-race"]) | JSON_VALUES,
    },
)


def jsonl(rows: list[Any], deep: int) -> bytes:
    lines = [json.dumps(r, ensure_ascii=True) for r in rows]
    if deep:
        lines.append("[" * deep + "]" * deep)
    return "\n".join(lines).encode("ascii")


ARTICLE_FILES = st.one_of(
    st.tuples(st.just("a.txt"), LINES.map(lambda t: t.encode("utf-8", "surrogatepass"))),
    st.tuples(
        st.just("a.html"),
        LINES.map(
            lambda t: f"<html><body><p>{t}</p></body></html>".encode("utf-8", "surrogatepass")
        ),
    ),
    st.tuples(
        st.just("a.jsonl"),
        st.builds(
            jsonl,
            st.lists(ROWS | JSON_VALUES, min_size=1, max_size=4),
            st.sampled_from([0, 0, 0, 100, 5_000]),
        ),
    ),
    st.tuples(st.sampled_from(["a.txt", "a.jsonl", "a.html"]), st.binary(max_size=200)),
)


def dump(db: Path) -> list[str]:
    """Every row of the SQLite file, as SQL (read only: it writes nothing, even on a full
    disk)."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return list(con.iterdump())
    finally:
        con.close()
