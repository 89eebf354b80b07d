"""Deeply nested JSON in articles: the line (or document) is one problem, never a
RecursionError, and the good articles around it are still read."""

from __future__ import annotations

import json

import pytest

from kingmaker.ingest import Document, Problem, read_paths
from kingmaker.records import Article

from .conftest import TODAY

DEEP = "[" * 100_000 + "]" * 100_000
TOO_DEEP = "nested deeper than 64 levels; flatten it; skipped"


def good(i: int) -> str:
    return json.dumps({"date": "2024-03-01", "text": f"Hungary would back Mark Rutte ({i})."})


@pytest.mark.parametrize("deep", [DEEP, "[" * 70 + "]" * 70])
def test_a_deep_jsonl_line_is_skipped_and_the_others_read(deep: str) -> None:
    lines = [good(1), good(2), '{"text": "x", "meta": ' + deep + "}", good(3)]
    doc = Document(name="feed.jsonl", data="\n".join(lines).encode())
    items = list(read_paths([doc], today=TODAY))
    assert [i.text for i in items if isinstance(i, Article)] == [
        f"Hungary would back Mark Rutte ({i})." for i in (1, 2, 3)
    ]
    assert [str(p) for p in items if isinstance(p, Problem)] == [f"feed.jsonl:3: {TOO_DEEP}"]


def test_a_deep_json_document_is_one_problem() -> None:
    items = list(read_paths([Document(name="feed.json", data=DEEP.encode())], today=TODAY))
    assert [str(i) for i in items] == [f"feed.json: {TOO_DEEP}"]


def test_text_given_as_a_list_is_refused() -> None:
    doc = Document(name="feed.jsonl", data=b'{"date": "2024-03-01", "text": ["a"]}\n')
    items = list(read_paths([doc], today=TODAY))
    assert [str(i) for i in items] == [
        "feed.jsonl:1: 'text' must be a string, got a JSON array; skipped"
    ]
