"""Which tracked races an article concerns: it names the post or a candidate.

Per race, one precompiled pattern of the post's name and aliases and each candidate's
name, aliases and surname, as whole words, ignoring case and accents ("Orban" finds
"Orbán" and the other way round).
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Iterable, Sequence

from kingmaker.ingest.text import fold, normalise_text
from kingmaker.records import Article, Race

_MIN_TERM = 2
_CACHE_SIZE = 64


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
        self._patterns = [(race.id, race_pattern(race)) for race in self.races]

    def match(self, text: str) -> list[str]:
        """Ids of the races the text concerns, in the order the races were given."""
        folded = fold(text)
        return [rid for rid, pattern in self._patterns if pattern.search(folded)]


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
    if isinstance(races, RaceMatcher):
        return races.match(text)
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
    return hit[1].match(text)
