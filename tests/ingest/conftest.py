"""Fixtures for the ingest tests: the NATO news set, stores and options (the NATO race and
TODAY are the shared ones of tests/conftest.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import TODAY
from kingmaker.ingest import ReadOptions
from kingmaker.records import Race
from kingmaker.store import MemoryStore
from shared_data import shared_path

ROOT = Path(__file__).resolve().parents[2]
RIVERSIDE = ROOT / "tests" / "fixtures" / "races" / "committee-chair"


@pytest.fixture(scope="session")
def nato_news() -> Path:
    """Path of the NATO news set (119 articles, with deliberate wire copies)."""
    return shared_path("data/news/nato-sg-2024/articles.jsonl")


@pytest.fixture(scope="session")
def nato_rows(nato_news: Path) -> dict[str, dict[str, Any]]:
    """The NATO news rows by their id ('n001', ...)."""
    rows = [json.loads(line) for line in nato_news.read_text(encoding="utf-8").splitlines()]
    return {row["id"]: row for row in rows}


@pytest.fixture
def options() -> ReadOptions:
    """Read options with a fixed today."""
    return ReadOptions(today=TODAY)


@pytest.fixture
def nato_store(nato: Race) -> MemoryStore:
    """A memory store holding the NATO race."""
    store = MemoryStore()
    store.put_race(nato)
    return store


def write(path: Path, content: str | bytes) -> Path:
    """Write text (UTF-8) or bytes to ``path``, creating folders; return the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path
