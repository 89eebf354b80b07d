"""Quality floors on the hand-annotated NATO set, and the user's seed article."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from conftest import make_article
from kingmaker.extract import Extractor, Report, evaluate
from kingmaker.records import Article, Race
from shared_data import shared_path

from .conftest import MODES, SEED, require_mode

FLOORS = {
    "model": {
        "stance": 0.85,
        "candidacy": 0.85,
        "count": 0.8,
        "vacancy": 0.8,
        "appointment": 0.8,
    },
    "fallback": {
        "stance": 0.8,
        "candidacy": 0.8,
        "count": 0.75,
        "vacancy": 0.75,
        "appointment": 0.75,
    },
}


@pytest.fixture(scope="session")
def reports(nato: Race, gold_set: tuple[list[Article], dict[str, Any]]) -> dict[str, Report]:
    out = {}
    for mode in MODES:
        try:
            require_mode(mode)
        except pytest.skip.Exception:
            continue
        out[mode] = evaluate(gold_set[0], gold_set[1], nato, Extractor(nato, mode=mode))
    return out


@pytest.mark.parametrize("mode", MODES)
def test_f1_floors_on_the_nato_set(mode: str, reports: dict[str, Report]) -> None:
    require_mode(mode)
    report = reports[mode]
    low = {
        k: round(report.scores[k].f1, 3)
        for k, floor in FLOORS[mode].items()
        if report.scores[k].f1 < floor
    }
    assert not low, f"{mode} mode below its floors: {low}\n{report.render()}"


def test_report_renders_scores_misses_and_false_alarms(reports: dict[str, Report]) -> None:
    report = next(iter(reports.values()))
    text = report.render(details=True)
    assert text.splitlines()[0].startswith("extraction (")
    assert all(kind in text for kind in ("stance", "candidacy", "count", "vacancy", "appointment"))
    assert "misses:" in text and "false alarms:" in text
    s = report.scores["stance"]
    assert s.tp + s.fn == 205, "every gold stance is either found or listed as a miss"


def seed_article() -> Article:
    path = shared_path(SEED)
    text = path.read_text(encoding="utf-8").strip()
    return make_article(text, date=dt.date(2023, 11, 16), file=path.name)


@pytest.mark.parametrize("mode", MODES)
def test_seed_article_gives_exactly_the_expected_events(mode: str, nato: Race) -> None:
    require_mode(mode)
    a = seed_article()
    events = [e for e in Extractor(nato, mode=mode).extract(a) if e.confidence >= 0.5]
    got = {e.key() + ((e.ends,) if e.kind == "vacancy" else ()) for e in events}
    assert got == {
        ("vacancy", "Jens Stoltenberg", "2024-10"),
        ("candidacy", "kallas", "interested"),
        ("candidacy", "rutte", "mentioned"),
    }
    for e in events:
        assert a.text[e.span[0] : e.span[1]] == e.sentence
        assert e.mode == mode
    assert not [e for e in Extractor(nato, mode=mode).extract_all(a) if e.kind == "stance"]
