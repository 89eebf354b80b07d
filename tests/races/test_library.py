"""The race library: the UN member-state preset and the bundled races built from it."""

from __future__ import annotations

import json
import tomllib
import unicodedata
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from kingmaker.races import bundled_race_dirs, load_bundled
from kingmaker.records import Race
from shared_data import NEWS, shared_path

PRESET = Path(str(resources.files("kingmaker") / "data" / "presets" / "un-member-states.toml"))


def fold(text: str) -> str:
    """Case- and accent-insensitive form of a name ("Côte d'Ivoire" -> "cote d'ivoire")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).strip()


def load_preset() -> dict[str, Any]:
    with PRESET.open("rb") as fh:
        return tomllib.load(fh)


def test_preset_lists_the_193_un_member_states_once_each() -> None:
    preset = load_preset()
    states = preset["states"]
    ids = [s["id"] for s in states]
    assert len(states) == 193
    assert len(set(ids)) == 193
    assert all(len(i) == 3 and i.isupper() for i in ids)
    assert {s["un_group"] for s in states} == {
        "African Group",
        "Asia-Pacific Group",
        "Eastern European Group",
        "GRULAC",
        "WEOG",
    }
    assert any(u.startswith("https://www.un.org/") for u in preset["sources"])


def test_preset_names_and_aliases_each_name_one_state() -> None:
    owner: dict[str, str] = {}
    clashes = []
    for state in load_preset()["states"]:
        for name in {fold(n) for n in [state["name"], *state["aliases"]]}:
            if owner.setdefault(name, state["id"]) != state["id"]:
                clashes.append((name, owner[name], state["id"]))
    assert clashes == []


def test_preset_knows_the_names_the_news_uses() -> None:
    by_name = {
        fold(n): s["id"] for s in load_preset()["states"] for n in [s["name"], *s["aliases"]]
    }
    for name, iso in [
        ("Türkiye", "TUR"),
        ("Turkey", "TUR"),
        ("Czech Republic", "CZE"),
        ("Britain", "GBR"),
        ("Ethiopian", "ETH"),
        ("Addis Ababa", "ETH"),
        ("South Korea", "KOR"),
        ("Ivory Coast", "CIV"),
        ("Democratic Republic of the Congo", "COD"),
    ]:
        assert by_name[fold(name)] == iso, name


RACES = bundled_race_dirs()


@pytest.fixture(scope="module", params=sorted(RACES))
def race(request: pytest.FixtureRequest) -> Race:
    return load_bundled(request.param)


def test_every_bundled_race_loads_with_a_source_on_every_row(race: Race) -> None:
    assert race.id in RACES
    assert race.resolution is None or race.resolution.source
    for item in race.evidence:
        where = item.source.url or item.source.file
        assert where, f"{race.id} {item.id}: no source"
        assert item.source.file or where.startswith(("http://", "https://")), (race.id, item.id)


def names_of_race(race: Race) -> tuple[set[str], set[str]]:
    """Folded names and aliases of the race's members and of its candidates."""
    members = {fold(n) for b in race.bodies for m in b.members for n in [m.name, *m.aliases]}
    people = {fold(n) for c in race.candidates for n in [c.name, *c.aliases]}
    return members, people


def gold_names(race_id: str) -> tuple[set[str], set[str], set[str]]:
    """Member names (groups left out), person names and incumbents of the race's gold.

    Events with a `post` key are about another post decided in the same package (the OSCE's
    three institutions, the EU's other top jobs): their people are not in the race.
    """
    members: set[str] = set()
    people: set[str] = set()
    incumbents: set[str] = set()
    with (NEWS / race_id / "gold.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            for event in json.loads(line)["events"]:
                if "post" in event:
                    continue
                kind = event["type"]
                if kind == "stance":
                    if not event.get("group"):
                        members.add(event["member"])
                    people.add(event["candidate"])
                elif kind in ("candidacy", "appointment"):
                    people.add(event["person"])
                elif kind == "count" and event.get("candidate"):
                    people.add(event["candidate"])
                elif kind == "vacancy":
                    incumbents.add(event["incumbent"])
    return members, people, incumbents


def test_gold_names_resolve_to_the_race(race: Race) -> None:
    shared_path("data/news")  # the data set: skips, or fails when data are required
    if not (NEWS / race.id / "gold.jsonl").is_file():
        pytest.skip(f"no annotated news for {race.id} in ../shared")
    members, people = names_of_race(race)
    gold_members, gold_people, incumbents = gold_names(race.id)
    assert sorted(m for m in gold_members if fold(m) not in members) == []
    assert sorted(p for p in gold_people if fold(p) not in people) == []
    held = {fold(race.post.incumbent or ""), *people}
    assert sorted(i for i in incumbents if fold(i) not in held) == []


def test_no_name_points_at_two_members_or_two_candidates(race: Race) -> None:
    # A state seated in two bodies (the IMF race's "DEU" and "DEU-IMF") may share its names.
    members: dict[str, set[str]] = {}
    for body in race.bodies:
        for m in body.members:
            for name in {fold(n) for n in [m.name, *m.aliases]}:
                members.setdefault(name, set()).add(m.id.split("-")[0])
    people: dict[str, set[str]] = {}
    for c in race.candidates:
        for name in {fold(n) for n in [c.name, *c.aliases]}:
            people.setdefault(name, set()).add(c.id)
    assert {n: ids for n, ids in members.items() if len(ids) > 1} == {}
    assert {n: ids for n, ids in people.items() if len(ids) > 1} == {}
