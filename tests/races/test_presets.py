"""Body presets and `kingmaker new`: every preset writes a race that loads, with the right
members on the right days; bad requests are one line and write nothing."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kingmaker.cli import app
from kingmaker.errors import RaceFileError
from kingmaker.races import TEMPLATES, load_preset, preset_names, scaffold_race
from kingmaker.races.loader import load_race_dir
from kingmaker.races.presets import states
from kingmaker.records import Race

runner = CliRunner()
DAY = dt.date(2026, 12, 1)
PRESETS = (
    "ep-groups-2019",
    "ep-groups-2024",
    "eu-member-states",
    "nato-allies",
    "un-general-assembly",
    "unsc-2016",
    "unsc-2024",
    "unsc-2025",
    "unsc-2026",
    "wto-members",
)


def race_of(*presets: str, rule: str | None = None) -> Race:
    return scaffold_race("test-race", presets, rule, opened=dt.date(1990, 1, 1))[1]


def seated(race: Race, day: dt.date = DAY) -> list[str]:
    return [m.id for m in race.bodies[0].active_members(day)]


def test_the_bundled_presets_are_these() -> None:
    assert tuple(preset_names()) == PRESETS


@pytest.mark.parametrize("name", PRESETS)
def test_every_preset_writes_a_race_that_loads_with_its_usual_rule(name: str) -> None:
    preset = load_preset(name)
    race = race_of(name)
    assert race.rule.kind == TEMPLATES[preset.rule].build(preset)["kind"]
    assert preset.sources and all(s.startswith("https://") for s in preset.sources)
    assert all(m.source is None or m.source.startswith("https://") for m in preset.body.members)
    for m in race.bodies[0].members:
        assert m.name and m.id
    # No alias (or name) names two members: the extraction matches members by these.
    owner: dict[str, str] = {}
    for m in race.bodies[0].members:
        for word in {m.name.lower(), *(a.lower() for a in m.aliases)}:
            assert owner.setdefault(word, m.id) == m.id, f"'{word}': {owner[word]} and {m.id}"


@pytest.mark.parametrize(
    ("name", "elected"),
    [
        ("unsc-2016", {"AGO", "MYS", "NZL", "ESP", "VEN", "EGY", "JPN", "SEN", "UKR", "URY"}),
        ("unsc-2024", {"ECU", "JPN", "MLT", "MOZ", "CHE", "DZA", "GUY", "KOR", "SLE", "SVN"}),
        ("unsc-2025", {"DZA", "GUY", "KOR", "SLE", "SVN", "DNK", "GRC", "PAK", "PAN", "SOM"}),
        ("unsc-2026", {"DNK", "GRC", "PAK", "PAN", "SOM", "BHR", "COL", "COD", "LVA", "LBR"}),
    ],
)
def test_each_council_has_the_p5_with_vetoes_and_ten_elected(name: str, elected: set[str]) -> None:
    race = race_of(name)
    members = race.bodies[0].members
    assert len(members) == 15
    p5 = {m.id for m in members if "P5" in m.groups}
    assert p5 == {"CHN", "FRA", "RUS", "GBR", "USA"} == {m.id for m in members if m.veto}
    assert {m.id for m in members if "E10" in m.groups} == elected
    assert race.rule.model_dump() == {
        "kind": "threshold-veto",
        "body": "unsc",
        "threshold": 9.0,
        "veto_group": "P5",
    }
    china = race.member("CHN")
    assert {"Chinese", "Beijing"} <= set(china.aliases) and "Asia-Pacific Group" in china.groups


def test_nato_has_32_allies_from_swedens_accession() -> None:
    race = race_of("nato-allies")
    assert len(seated(race, dt.date(2024, 3, 7))) == 32
    assert len(seated(race, dt.date(2024, 3, 6))) == 31
    assert len(seated(race, dt.date(2023, 4, 4))) == 31
    assert len(seated(race, dt.date(2023, 4, 3))) == 30
    assert race.member("SWE").joined == dt.date(2024, 3, 7)
    assert race.member("FIN").joined == dt.date(2023, 4, 4)
    assert race.member("MKD").joined == dt.date(2020, 3, 27)
    assert len(seated(race, dt.date(1950, 1, 1))) == 12
    assert race.rule.kind == "consensus"


def test_the_eu_has_27_states_whose_population_weights_sum_to_100() -> None:
    race = race_of("eu-member-states")
    members = race.bodies[0].members
    assert len(members) == 27
    assert sum(m.weight for m in members) == pytest.approx(100.0, abs=0.05)
    assert race.member("DEU").weight == max(m.weight for m in members)
    assert race.member("MLT").weight == min(m.weight for m in members)
    assert len(seated(race, dt.date(2013, 6, 30))) == 26  # Croatia joined on 1 July 2013
    assert race.rule.model_dump() == {
        "kind": "double-majority",
        "body": "euco",
        "member_share": 0.55,
        "weight_share": 0.65,
    }
    reinforced = race_of("eu-member-states", rule="reinforced-qualified-majority")
    assert reinforced.rule.model_dump()["member_share"] == 0.72


def test_nato_eu_group_is_the_eu_preset() -> None:
    nato = race_of("nato-allies").bodies[0].members
    eu = {m.id for m in race_of("eu-member-states").bodies[0].members}
    assert {m.id for m in nato if "EU" in m.groups} == eu & {m.id for m in nato}
    assert len(eu & {m.id for m in nato}) == 23


@pytest.mark.parametrize(("name", "seats"), [("ep-groups-2019", 751), ("ep-groups-2024", 720)])
def test_parliament_groups_weigh_their_seats(name: str, seats: int) -> None:
    race = race_of(name)
    assert sum(m.weight for m in race.bodies[0].members) == seats
    assert race.member("EPP").weight == max(m.weight for m in race.bodies[0].members)
    assert race.rule.model_dump() == {"kind": "majority", "body": "ep", "of": "members"}


def test_wto_has_164_members_until_2024_and_166_after() -> None:
    race = race_of("wto-members")
    assert len(seated(race, dt.date(2016, 7, 29))) == 164
    assert len(seated(race, dt.date(2016, 7, 28))) == 163
    assert len(seated(race, dt.date(2024, 8, 29))) == 165
    assert len(seated(race, DAY)) == 166
    ids = {m.id for m in race.bodies[0].members}
    assert {"EUU", "HKG", "MAC", "TWN", "CHN", "USA"} <= ids
    assert not {"DZA", "IRN", "SRB", "ETH", "PRK"} & ids
    assert race.member("CHN").joined == dt.date(2001, 12, 11)


def test_the_general_assembly_is_one_body_of_every_un_state() -> None:
    race = race_of("un-general-assembly")
    (body,) = race.bodies
    assert len(body.members) == len(states()) == 193
    assert all(m.weight == 1 and not m.veto for m in body.members)
    assert race.rule.model_dump() == {"kind": "majority", "body": "unga", "of": "votes_cast"}
    assert "un-general-assembly" in load_preset("un-general-assembly").id
    assert not load_preset("un-general-assembly").body.members  # drawn, not listed twice


def test_two_stage_council_then_assembly_keeps_member_ids_unique() -> None:
    race = race_of("unsc-2026", "un-general-assembly")
    council, assembly = race.bodies
    assert race.rule.model_dump()["propose"]["kind"] == "threshold-veto"
    assert race.rule.model_dump()["confirm"] == {
        "kind": "majority",
        "body": "unga",
        "of": "votes_cast",
    }
    assert "FRA" in {m.id for m in council.members}
    assert "FRA-UNGA" in {m.id for m in assembly.members}
    assert race.member("FRA-UNGA").name == "France"


@pytest.mark.parametrize(
    ("presets", "rule", "says"),
    [
        (("nope",), None, "no preset 'nope'; presets: ep-groups-2019"),
        (("nato-allies",), "nope", "no rule template 'nope'"),
        (("nato-allies",), "veto-council", "needs a vote threshold"),
        (("nato-allies",), "qualified-majority", "needs member weights"),
        (("nato-allies",), "two-stage", "needs two presets"),
        (("unsc-2026", "unsc-2025"), None, "both presets describe the body 'unsc'"),
        (("unsc-2026", "un-general-assembly"), "consensus", "give one preset"),
    ],
)
def test_bad_requests_say_what_to_do(presets: tuple[str, ...], rule: str | None, says: str) -> None:
    with pytest.raises(RaceFileError, match=says):
        scaffold_race("x", presets, rule)


def test_kingmaker_new_with_the_2026_council_writes_a_race_that_loads(tmp_path: Path) -> None:
    out = tmp_path / "un-sg-2026-mine"
    res = runner.invoke(
        app,
        [
            "new", "un-sg-2026-mine", "--preset", "unsc-2026",
            "--post", "Secretary-General of the United Nations",
            "--candidate", "Rafael Grossi", "--candidate", "Michelle Bachelet",
            "--opened", "2025-11-25", "--out", str(out),
        ],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "15 members" in res.stdout and "threshold-veto.v1" in res.stdout
    text = (out / "race.toml").read_text()
    assert "TODO" not in text
    race = load_race_dir(out)
    assert race.post.name == "Secretary-General of the United Nations"
    assert [c.id for c in race.candidates] == ["grossi", "bachelet"]
    assert race.opened == dt.date(2025, 11, 25)
    loaded = runner.invoke(app, ["--db", str(tmp_path / "km.db"), "load", str(out)])
    assert loaded.exit_code == 0, loaded.output
    assert loaded.stdout.startswith("loaded un-sg-2026-mine: 2 candidates, 0 new evidence")


def test_without_candidates_a_placeholder_keeps_the_race_valid(tmp_path: Path) -> None:
    res = runner.invoke(app, ["new", "club", "--preset", "nato-allies", "--out", str(tmp_path)])
    assert res.exit_code == 0, res.output
    race = load_race_dir(tmp_path)
    assert [c.id for c in race.candidates] == ["candidate-1"]
    assert (tmp_path / "evidence.jsonl").read_text().startswith("//")


def test_a_bad_preset_is_one_line_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "new-race"
    res = runner.invoke(app, ["new", "x", "--preset", "nope", "--out", str(out)])
    assert res.exit_code == 1
    assert res.output.count("\n") == 1 and res.output.startswith("error: no preset 'nope'")
    assert not out.exists()


def test_an_existing_file_is_one_line_and_nothing_is_written(tmp_path: Path) -> None:
    (tmp_path / "evidence.jsonl").write_text("{}\n")
    before = sorted(os.listdir(tmp_path))
    res = runner.invoke(app, ["new", "x", "--preset", "unsc-2026", "--out", str(tmp_path)])
    assert res.exit_code == 1 and res.output.count("\n") == 1
    assert "evidence.jsonl already exists" in res.output
    assert sorted(os.listdir(tmp_path)) == before
    assert (tmp_path / "evidence.jsonl").read_text() == "{}\n"


def test_help_lists_the_presets_and_templates() -> None:
    res = runner.invoke(app, ["new", "--help"], env={"COLUMNS": "200"})
    assert res.exit_code == 0
    for name in (*PRESETS, *TEMPLATES):
        assert name in res.stdout
