"""The checked-in docs agree with the code: docs/cli.md documents every
command, and the complete race in docs/race-format.md is the committee-chair fixture,
which loads and forecasts.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from conftest import TODAY, D
from kingmaker.engine import forecast
from kingmaker.races import load_race_dir

ROOT = Path(__file__).resolve().parents[1]
GENERATOR = ROOT / "scripts" / "gen_cli_docs.py"
RACE_FORMAT = ROOT / "docs" / "race-format.md"
COMMITTEE = ROOT / "tests" / "fixtures" / "races" / "committee-chair"


@pytest.fixture(scope="module")
def gen() -> ModuleType:
    """scripts/gen_cli_docs.py imported from its path (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location("gen_cli_docs", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cli_reference_is_current(gen: ModuleType) -> None:
    assert gen.check(), gen.STALE


def test_cli_reference_has_every_command(gen: ModuleType) -> None:
    text = gen.CLI_MD.read_text(encoding="utf-8")
    names = gen.command_names()
    assert {"forecast", "load"} <= set(names)
    for name in names:
        assert f"## `kingmaker {name}`" in text
        assert f"$ kingmaker {name} [OPTIONS]" in text


def test_check_fails_on_a_stale_file(gen: ModuleType, tmp_path: Path) -> None:
    stale = tmp_path / "cli.md"
    stale.write_text(gen.render() + "\nEdited by hand.\n", encoding="utf-8")
    assert not gen.check(stale)
    assert not gen.check(tmp_path / "missing.md")


@pytest.mark.parametrize("name", ["race.toml", "evidence.jsonl"])
def test_race_format_shows_the_fixture_verbatim(name: str) -> None:
    fixture = (COMMITTEE / name).read_text(encoding="utf-8").strip()
    assert fixture in RACE_FORMAT.read_text(encoding="utf-8")


def test_committee_fixture_loads_and_forecasts() -> None:
    race = load_race_dir(COMMITTEE, today=TODAY)
    assert race.id == "riverside-chair-2024"
    assert race.rule.name == "supermajority.v1"
    assert len(race.evidence) == 7
    fc = forecast(race, D("2024-02-15"), samples=4_000, seed=0, explain=False)
    probs = {o.id: o.probability for o in fc.outcomes}
    assert {"okafor", "lindqvist", "field", "deadlock"} == set(probs)
    assert sum(probs.values()) == pytest.approx(1.0)
    assert probs["okafor"] > probs["lindqvist"]
