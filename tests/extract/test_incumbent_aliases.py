"""The post's ``incumbent_aliases`` (format 2): a vacancy is read under any spelling of the
incumbent's name the race file lists, and keyed by the incumbent's one name. Invented race
and sentences."""

from __future__ import annotations

import pytest

from kingmaker.extract import Extractor
from kingmaker.records import Post, Race

from .conftest import MODES, article, require_mode
from .test_extract_principles import RACE

TEXT = "Margareta Mosz will retire when her mandate is over, diplomats said."


def spelt(*aliases: str) -> Race:
    """The invented race with other spellings of its incumbent, Greta Moss."""
    return RACE.model_copy(
        update={"post": RACE.post.model_copy(update={"incumbent_aliases": aliases})}
    )


def vacancies(race: Race, mode: str) -> set[tuple[object, ...]]:
    require_mode(mode)
    which = "model" if mode == "model" else "fallback"
    events = Extractor(race, mode=which).extract(article(TEXT, "2032-02-10"))
    return {e.key() for e in events if e.kind == "vacancy" and e.confidence >= 0.5}


@pytest.mark.parametrize("mode", MODES)
def test_a_vacancy_is_read_under_an_alias_of_the_incumbent(mode: str) -> None:
    assert vacancies(RACE, mode) == set()
    assert vacancies(spelt("Margareta Mosz"), mode) == {("vacancy", "Greta Moss")}


def test_old_race_files_mean_the_same() -> None:
    assert RACE.post.incumbent_aliases == ()
    assert "incumbent_aliases" not in RACE.post.model_dump(exclude_defaults=True)


def test_a_blank_alias_is_a_clear_error_not_a_crash_later() -> None:
    post = {**RACE.post.model_dump(), "incumbent_aliases": ["Margareta Mosz", " "]}
    with pytest.raises(ValueError, match="'incumbent_aliases' holds a blank name"):
        Post.model_validate(post)
