"""Which tracked races an article concerns: it names the post or a candidate, and it is
not dated after the race was over (decided, and the winner in office), with a week's grace.

Per race, one precompiled pattern of the post's name and aliases and each candidate's
name, aliases and surname, as whole words, ignoring case and accents ("Orban" finds
"Orbán" and the other way round). ``Matched`` carries what a worker matched elsewhere.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from kingmaker.ingest.text import fold, normalise_text
from kingmaker.records import Article, Race

_MIN_TERM = 2
_CACHE_SIZE = 64
# Reports of a decision and of the handover come out in the days after them; news later
# than this concerns another race (the next one for the post, or another post of the
# same people).
DECIDED_GRACE = dt.timedelta(days=7)


@dataclass(frozen=True)
class Matched:
    """An article read and matched to races elsewhere (a cluster's worker): its id, the
    races it concerns, and the article itself when it concerns any (None when it is off
    topic, or a repeat the worker had already read)."""

    id: str
    races: tuple[str, ...] = ()
    article: Article | None = None


def still_open(race: Race, day: dt.date | None) -> bool:
    """Whether news of ``day`` can still concern ``race``: undated news can, and so can
    news until a week after the later of its decision and its vacancy date (the handover)."""
    if day is None or race.resolution is None:
        return True
    end = max(race.resolution.date, race.post.vacancy_date or race.resolution.date)
    return day <= end + DECIDED_GRACE


def race_terms(race: Race) -> list[str]:
    """The words that tie an article to ``race``, folded, longest first."""
    raw: list[str] = [race.post.name, *race.post.aliases]
    for c in race.candidates:
        raw += [c.name, *c.aliases]
        parts = c.name.split()
        if len(parts) > 1:
            raw.append(parts[-1])
    terms = {fold(normalise_text(t)) for t in raw}
    return sorted((t for t in terms if len(t) >= _MIN_TERM), key=lambda t: (-len(t), t))


def race_pattern(race: Race) -> re.Pattern[str]:
    """One pattern matching any of the race's terms as a whole word, in folded text."""
    terms = race_terms(race)
    if not terms:
        return re.compile(r"(?!)")  # matches nothing
    alternatives = "|".join(re.escape(t) for t in terms)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


class RaceMatcher:
    """Races to match articles against, with their patterns compiled once."""

    def __init__(self, races: Iterable[Race]) -> None:
        self.races: tuple[Race, ...] = tuple(races)
        self._patterns = [(race, race_pattern(race)) for race in self.races]

    def match(self, text: str, day: dt.date | None = None) -> list[str]:
        """Ids of the races the text, published on ``day``, concerns, in the order the
        races were given: races over before ``day`` (``still_open``) are left out."""
        folded = fold(text)
        return [
            race.id
            for race, pattern in self._patterns
            if still_open(race, day) and pattern.search(folded)
        ]


_cache: OrderedDict[tuple[int, ...], tuple[Sequence[Race], RaceMatcher]] = OrderedDict()


def match_races(article: Article | str, races: Sequence[Race] | RaceMatcher) -> list[str]:
    """Ids of the races ``article`` concerns: it names the post or a candidate.

    Args:
        article: An article, or a text.
        races: The races to consider, or a ``RaceMatcher`` built from them. Patterns of
            races passed repeatedly are compiled once (a small cache keeps them).

    Returns:
        Race ids in the order of ``races``; empty when the article concerns none.
    """
    text = article.text if isinstance(article, Article) else article
    day = article.date if isinstance(article, Article) else None
    if isinstance(races, RaceMatcher):
        return races.match(text, day)
    key = tuple(id(r) for r in races)
    hit = _cache.get(key)
    # The cache holds the races themselves, so their ids cannot be reused meanwhile.
    if hit is None or any(a is not b for a, b in zip(hit[0], races, strict=True)):
        hit = (tuple(races), RaceMatcher(races))
        _cache[key] = hit
        if len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    else:
        _cache.move_to_end(key)
    return hit[1].match(text, day)
