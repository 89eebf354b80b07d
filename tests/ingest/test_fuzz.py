"""Fuzzing the readers: any bytes, under any name, give articles or problems, never a crash."""

from __future__ import annotations

import io
import json

from hypothesis import example, given, settings
from hypothesis import strategies as st

from kingmaker.ingest import Problem, ReadOptions, read_bytes, read_document
from kingmaker.ingest.text import article_id, normalise_text
from kingmaker.records import Article

from .conftest import TODAY

OPTIONS = ReadOptions(today=TODAY, max_chars=5_000)
NAMES = st.sampled_from(
    ["a.txt", "a.jsonl", "a.json", "a.html", "a.rss", "a.xml", "noext", "<stdin>", "a.md"]
)
PREFIXES = st.sampled_from(
    [
        b"",
        b" date 2024-01-01 ",
        b"{",
        b"[",
        b"<html><body>",
        b'<?xml version="1.0"?><rss>',
        b"<feed xmlns='http://www.w3.org/2005/Atom'>",
        b"\xef\xbb\xbf",
        b"\xff\xfe",
        b"2023-02-30 ",
    ]
)


def check(items: list[Article | Problem]) -> None:
    for item in items:
        assert isinstance(item, Article | Problem)
        if isinstance(item, Problem):
            assert "\n" not in str(item) and item.message
        else:
            assert item.text and item.text == normalise_text(item.text)
            assert item.id == article_id(item.text)
            assert len(item.text) <= OPTIONS.max_chars
            assert item.date is None or item.date <= TODAY


@settings(max_examples=300, deadline=None)
@given(name=NAMES, prefix=PREFIXES, data=st.binary(max_size=600))
def test_any_bytes_give_articles_or_problems(name: str, prefix: bytes, data: bytes) -> None:
    check(list(read_bytes(name, prefix + data, OPTIONS)))
    check(list(read_document(name, io.BytesIO(prefix + data), OPTIONS)))


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)
ROWS = st.dictionaries(
    st.sampled_from(["url", "date", "text", "html", "title", "publisher", "id", "date_basis", "x"]),
    JSON_VALUES | st.sampled_from(["2024-06-26", "2023-02-30", "2099-01-01", "<p>Rutte</p>"]),
    max_size=6,
)


@settings(max_examples=200, deadline=None)
@given(rows=st.lists(ROWS | JSON_VALUES, min_size=1, max_size=5))
@example(rows=[{"date": "0\n"}])  # a date with a line break is quoted, not printed raw
def test_any_json_rows_give_articles_or_problems(rows: list[object]) -> None:
    data = "\n".join(json.dumps(r) for r in rows).encode()
    items = list(read_bytes("rows.jsonl", data, OPTIONS))
    check(items)
    # Every non-blank line yields exactly one article or one skipping problem.
    dropped = sum(isinstance(i, Problem) and i.skipped for i in items)
    kept = sum(isinstance(i, Article) for i in items)
    assert dropped + kept == len(rows)
