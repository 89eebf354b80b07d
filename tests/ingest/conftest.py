"""Fixtures for the ingest tests: the bundled NATO race, its news set, stores and options."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import pytest

from kingmaker.ingest import ReadOptions
from kingmaker.races import load_bundled
from kingmaker.records import Race
from kingmaker.store import MemoryStore

TODAY = dt.date(2026, 11, 28)
ROOT = Path(__file__).resolve().parents[2]
NATO_NEWS = "data/news/nato-sg-2024/articles.jsonl"
RIVERSIDE = ROOT / "tests" / "fixtures" / "races" / "committee-chair"


def nato_news_path() -> Path | None:
    """The NATO news set: in the repository, or in ``shared/`` beside it."""
    for base in (ROOT, ROOT.parent / "shared"):
        if (base / NATO_NEWS).is_file():
            return base / NATO_NEWS
    return None


@pytest.fixture(scope="session")
def nato() -> Race:
    """The bundled NATO Secretary General 2024 race."""
    return load_bundled("nato-sg-2024")


@pytest.fixture(scope="session")
def nato_news() -> Path:
    """Path of the NATO news set (119 articles, with deliberate wire copies)."""
    path = nato_news_path()
    if path is None:
        message = f"{NATO_NEWS} is neither in the repository nor in ../shared beside it"
        if os.environ.get("KINGMAKER_REQUIRE_SERVICES"):
            pytest.fail(message)
        pytest.skip(message)
    return path


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
