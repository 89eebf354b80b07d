"""The race library: the UN member-state preset and the bundled races built from it."""

from __future__ import annotations

import tomllib
import unicodedata
from importlib import resources
from pathlib import Path
from typing import Any

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
