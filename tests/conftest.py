"""Shared test factories and fixtures, the one place for what several test folders use:
races built in code, evidence rows, articles, dates, the bundled races (the NATO race as
a fixture), and the PostgreSQL test server (see pgserver.py) with a fresh schema per test.
Folder conftests add only what is their own."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
from collections.abc import Callable, Iterator, Sequence
from typing import Any
from urllib.parse import quote

import pytest

from kingmaker.races import bundled_race_dirs, load_bundled
from kingmaker.records import Article, Race
from kingmaker.store import MemoryStore
from pgserver import postgres_server

D = dt.date.fromisoformat
TODAY = D("2026-11-28")  # a fixed today for tests that read or ingest news
NATO = "nato-sg-2024"
STANCE_TEXT = (  # one article's worth: Hungary backs Rutte (HUN, rutte, support)
    "Hungary's prime minister Viktor Orbán said on Friday that Hungary would back Mark "
    "Rutte to become NATO Secretary General."
)


def member(mid: str, **kw: Any) -> dict[str, Any]:
    """A member row; keyword arguments override the defaults."""
    return {"id": mid, "name": f"Member {mid}", **kw}


def stance(
    eid: str, date: str, mem: str, cand: str, value: str = "support", **kw: Any
) -> dict[str, Any]:
    """A stance evidence row."""
    return {
        "id": eid,
        "kind": "stance",
        "date": date,
        "member": mem,
        "candidate": cand,
        "stance": value,
        "source": {"url": f"https://example.org/{eid}"},
        "producer": "curated:test",
        **kw,
    }


def candidacy(
    eid: str, date: str, cand: str, status: str = "declared", **kw: Any
) -> dict[str, Any]:
    """A candidacy evidence row."""
    return {
        "id": eid,
        "kind": "candidacy",
        "date": date,
        "candidate": cand,
        "status": status,
        "source": {"url": f"https://example.org/{eid}"},
        "producer": "curated:test",
        **kw,
    }


def make_race(
    n_members: int = 5,
    candidates: Sequence[str] = ("a", "b"),
    *,
    rule: dict[str, Any] | None = None,
    evidence: Sequence[dict[str, Any]] = (),
    members: Sequence[dict[str, Any]] | None = None,
    homes: dict[str, str] | None = None,
    **kw: Any,
) -> Race:
    """A small valid race: members M0..Mn-1 in one body, candidates declared by default."""
    homes = homes or {}
    data: dict[str, Any] = {
        "id": "test-race",
        "name": "Test race",
        "opened": "2024-01-01",
        "post": {"name": "Chair", "incumbent": "Someone"},
        "bodies": [
            {
                "id": "council",
                "name": "Council",
                "members": list(members)
                if members is not None
                else [member(f"M{i}") for i in range(n_members)],
            }
        ],
        "rule": rule or {"kind": "consensus"},
        "candidates": [{"id": c, "name": c.upper(), "home": homes.get(c)} for c in candidates],
        "evidence": list(evidence),
        **kw,
    }
    return Race.model_validate(data)


def make_article(text: str = "Ann leads the race for chair.", **fields: Any) -> Article:
    """An article whose id is the sha256 of ``text`` (already in normal form)."""
    return Article(id=hashlib.sha256(text.encode("utf-8")).hexdigest(), text=text, **fields)


def acceptances(sim: Any) -> Any:
    """(C, M, S) every column's acceptances of an engine Simulation, kept or redrawn."""
    import numpy as np

    return np.stack([sim.acceptances(c) for c in range(sim.stands.shape[0])])


@functools.cache
def bundled_races() -> tuple[Race, ...]:
    """Every bundled race, loaded once per test session (loading them takes seconds)."""
    return tuple(load_bundled(race_id) for race_id in bundled_race_dirs())


@pytest.fixture(autouse=True, scope="session")
def _bundled_races_parsed_once() -> Iterator[None]:
    """Every store a test opens is seeded with the bundled races; the suite opens over a
    hundred, and parsing the bundled race files takes over a second each time. The races are
    immutable, so ``Kingmaker`` here reads each race file once per session (and again
    only when its directory or files change). Storing them still runs every time."""
    import kingmaker.service as service

    real = service.load_bundled
    parsed: dict[tuple[object, ...], Race] = {}

    def load_once(race_id: str) -> Race:
        where = service.bundled_race_dirs().get(race_id)
        if where is None:
            return real(race_id)
        key = (race_id, str(where), *((f.name, f.stat().st_mtime_ns) for f in where.iterdir()))
        if key not in parsed:
            parsed[key] = real(race_id)
        return parsed[key]

    service.load_bundled = load_once  # type: ignore[assignment]
    yield
    service.load_bundled = real  # type: ignore[assignment]


def seeded_store() -> MemoryStore:
    """A new memory store holding the bundled races, as ``Kingmaker`` seeds a store (a
    ``Kingmaker`` over it finds them there and adds none)."""
    store = MemoryStore()
    for race in bundled_races():
        store.put_race(race)
    return store


@pytest.fixture
def race_factory() -> Callable[..., Race]:
    """The ``make_race`` factory as a fixture."""
    return make_race


@pytest.fixture(scope="session")
def nato() -> Race:
    """The bundled NATO Secretary General 2024 race."""
    return load_bundled(NATO)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """URL of the test PostgreSQL server (skips the test when there is none)."""
    with postgres_server() as url:
        yield url


@pytest.fixture
def pg_database(postgres_url: str) -> Iterator[Callable[..., str]]:
    """A factory of URLs, each of a fresh empty schema on the test server (made the
    ``search_path``, with any further ``-c`` settings given); dropped after the test."""
    import psycopg

    admin = psycopg.connect(postgres_url, autocommit=True)
    made: list[str] = []

    def make(*settings: str) -> str:
        schema = f"kingmaker_test_{os.getpid()}_{len(made)}"
        admin.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        admin.execute(f"CREATE SCHEMA {schema}")
        made.append(schema)
        options = " ".join(f"-c{s}" for s in (f"search_path={schema}", *settings))
        return f"{postgres_url}{'&' if '?' in postgres_url else '?'}options={quote(options)}"

    yield make
    for schema in made:
        admin.execute(f"DROP SCHEMA {schema} CASCADE")
    admin.close()
