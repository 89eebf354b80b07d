"""Warnings for races that load but may not mean what was meant: API and CLI."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from club import cand, club_toml, rows
from typer.testing import CliRunner

from conftest import TODAY
from kingmaker.cli import app
from kingmaker.races import parse_race, race_warnings

TOML = club_toml(spells=False, fmt=None)
X = cand("c1", "2024-01-10", "x")
Y = cand("c2", "2024-01-10", "y")


def warnings(toml: str, *items: dict[str, Any]) -> list[str]:
    return race_warnings(parse_race(toml, rows(*items), today=TODAY))


def test_a_clean_race_has_no_warnings() -> None:
    assert warnings(TOML, X, Y) == []


def test_a_candidate_never_named() -> None:
    (w,) = warnings(TOML, X)
    assert w.startswith("race club: candidate y is never named in the evidence")
    assert "add a candidacy row" in w


def test_a_stance_dated_before_its_member_joined() -> None:
    early = {
        "id": "s1",
        "kind": "stance",
        "date": "2024-02-01",
        "member": "C",
        "candidate": "x",
        "stance": "oppose",
    }
    (w,) = warnings(TOML, X, Y, early)
    assert "2024-02-01, stance s1: member C is not seated that day (joined 2024-03-01)" in w
    assert "fix the date" in w
    assert warnings(TOML, X, Y, {**early, "date": "2024-03-02"}) == []


def test_a_count_about_a_group_with_nobody_seated_in_it() -> None:
    count = {
        "id": "n1",
        "kind": "count",
        "date": "2024-02-01",
        "candidate": "x",
        "count": 1,
        "group": "EU",
    }
    assert warnings(club_toml(), X, Y, count)[:-1] == []  # A and B are in EU that day
    late = TOML.replace('groups = ["EU"]', 'groups = ["EU"]\nleft = 2024-01-31', 2)
    (w,) = warnings(late, X, Y, count)
    assert "2024-02-01, count n1: no member seated that day is in group 'EU'" in w


def test_a_setting_that_changes_the_mode_and_drops_what_was_written() -> None:
    rounds = TOML.replace('kind = "consensus"', 'kind = "majority"\nof = "votes_cast"')
    assert warnings(rounds, X, Y) == []  # a Speaker-like vote in rounds, nothing lost
    vetoed = rounds.replace('name = "Alpha"', 'name = "Alpha"\nveto = true')
    (w,) = warnings(vetoed, X, Y)
    assert 'of = "votes_cast" puts the race in the rounds mode' in w
    assert "the veto of A is ignored" in w
    assert warnings(vetoed.replace('of = "votes_cast"', 'of = "members"'), X, Y) == []
    grouped = TOML.replace(
        'kind = "consensus"', 'kind = "threshold-veto"\nthreshold = 2\nveto_group = "EU"'
    ).replace('name = "Delta"', 'name = "Delta"\nveto = true')
    (w,) = warnings(grouped, X, Y)
    assert "veto = true on D is ignored: the rule's veto_group 'EU' decides who can block" in w


def test_format_2_features_without_format_2() -> None:
    out = {**Y, "id": "c3", "date": "2024-02-01", "status": "eliminated"}
    (w,) = warnings(TOML, X, Y, out)
    assert "uses status 'eliminated' from format 2; add format = 2" in w
    assert warnings(club_toml(spells=False), X, Y, out) == []


def test_dated_group_membership_loads_without_a_warning() -> None:
    # the model reads spells since v9 (tests/engine/test_group_spells.py)
    assert warnings(club_toml(), X, Y) == []


def test_kingmaker_load_prints_the_warnings(tmp_path: Path) -> None:
    race_dir = tmp_path / "club"
    race_dir.mkdir()
    (race_dir / "race.toml").write_text(TOML)
    (race_dir / "evidence.jsonl").write_text(rows(X))
    res = CliRunner().invoke(app, ["--db", str(tmp_path / "km.db"), "load", str(race_dir)])
    assert res.exit_code == 0, res.output
    assert "loaded club" in res.stdout
    assert res.stderr.strip() == (
        "warning: race club: candidate y is never named in the evidence, so no forecast "
        "includes them; add a candidacy row (e.g. status 'mentioned') or remove the candidate"
    )
