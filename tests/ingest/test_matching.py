"""Race matching: the post or a candidate named as a whole word, any case, any accents."""

from __future__ import annotations

from pathlib import Path

import pytest

from kingmaker.ingest import RaceMatcher, match_races, read_paths
from kingmaker.ingest.matching import race_terms
from kingmaker.races import load_race_dir
from kingmaker.records import Article, Race

from .conftest import RIVERSIDE, TODAY


@pytest.fixture(scope="module")
def riverside() -> Race:
    return load_race_dir(RIVERSIDE)


@pytest.mark.parametrize(
    ("text", "hit"),
    [
        ("Mark Rutte met Erdogan.", True),
        ("RUTTE'S BID gains ground", True),  # a possessive is still the whole word
        ("Marko Rutte, as one outlet spelled it", True),
        ("Latvia's Karins is in the race", True),
        ("Latvia's Kariņš is in the race", True),
        ("Latvia's KARIŅŠ", True),
        ("Callas sang at La Scala", True),  # an alias of Kallas in the race file
        ("Who will be the next NATO chief?", True),
        ("the alliance's top job", True),
        ("Ruttenberg wrote a book on Dutch cheese", False),
        ("Manchester United won 2-1 at home on Sunday.", False),
        ("The Riverside committee chair stepped down.", False),
    ],
)
def test_nato_race_matching(nato: Race, text: str, hit: bool) -> None:
    assert match_races(text, [nato]) == (["nato-sg-2024"] if hit else [])


def test_terms_include_surnames_and_fold_accents(nato: Race) -> None:
    terms = race_terms(nato)
    assert {
        "rutte",
        "iohannis",
        "karins",
        "kallas",
        "von der leyen",
        "secretary general of nato",
    } <= set(terms)
    assert terms == sorted(terms, key=lambda t: (-len(t), t))


def test_two_races_are_told_apart(nato: Race, riverside: Race) -> None:
    matcher = RaceMatcher([nato, riverside])
    assert matcher.match("Ada Okafor was elected finance chair.") == ["riverside-chair-2024"]
    assert matcher.match("Rutte and Lindqvist spoke.") == ["nato-sg-2024", "riverside-chair-2024"]
    assert matcher.match("Nothing to see.") == []
    article = Article(id="0" * 64, text="Okafor leads.", date=None, date_basis="", file="x.txt")
    assert match_races(article, matcher) == ["riverside-chair-2024"]
    assert match_races(article, [riverside, nato]) == ["riverside-chair-2024"]


def test_every_nato_news_article_concerns_the_nato_race(nato: Race, nato_news: Path) -> None:
    articles = [a for a in read_paths([nato_news], today=TODAY) if isinstance(a, Article)]
    assert len(articles) == 119
    assert all(match_races(a, [nato]) == ["nato-sg-2024"] for a in articles)


def test_the_pattern_cache_follows_the_races_passed(nato: Race, riverside: Race) -> None:
    for _ in range(3):
        assert match_races("Okafor", [riverside]) == ["riverside-chair-2024"]
        assert match_races("Okafor", [nato]) == []


def test_news_long_after_a_race_is_over_does_not_concern_it(nato: Race) -> None:
    """NATO 2023-24 was decided on 2024-06-26 and Rutte took office on 2024-10-01: a
    report of the handover that week still concerns it, a 2026 mention of Rutte does not;
    undated text always can."""
    import datetime as dt

    assert nato.resolution is not None and nato.post.vacancy_date == dt.date(2024, 10, 1)
    decided = nato.post.vacancy_date

    def dated(day: dt.date | None) -> Article:
        return Article(id="1" * 64, text="Rutte spoke.", date=day, date_basis="", file="x.txt")

    matcher = RaceMatcher([nato])
    assert match_races(dated(decided + dt.timedelta(days=7)), matcher) == ["nato-sg-2024"]
    assert match_races(dated(decided + dt.timedelta(days=8)), [nato]) == []
    assert match_races(dated(dt.date(2026, 3, 1)), matcher) == []
    assert match_races(dated(None), matcher) == ["nato-sg-2024"]
    assert matcher.match("Rutte spoke.", dt.date(2023, 1, 1)) == ["nato-sg-2024"]
