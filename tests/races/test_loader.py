"""Race files: the bundled NATO race loads as documented; bad files fail in one clear line."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from conftest import TODAY, D
from kingmaker.errors import RaceFileError, UnknownRaceError
from kingmaker.races import bundled_race_dirs, load_bundled, load_race_dir, parse_race

NATO = "nato-sg-2024"

GOOD_TOML = """
id = "club"
name = "Club chair"
opened = 2024-01-01

[post]
name = "Chair"

[rule]
kind = "consensus"

[[bodies]]
id = "board"
name = "Board"

[[bodies.members]]
id = "A"
name = "Alpha"

[[bodies.members]]
id = "B"
name = "Beta"
weight = 2

[[candidates]]
id = "x"
name = "Xavier"
home = "A"
"""

GOOD_ROW = {
    "id": "e1",
    "kind": "stance",
    "date": "2024-02-01",
    "member": "A",
    "candidate": "x",
    "stance": "support",
    "source": {"url": "https://example.org/1"},
    "producer": "curated:t",
}


def row(**kw: object) -> str:
    return json.dumps({**GOOD_ROW, **kw})


def test_the_bundled_nato_race_is_complete() -> None:
    assert NATO in bundled_race_dirs()
    race = load_bundled(NATO)
    nac = race.bodies[0]
    assert len(nac.active_members(D("2023-11-16"))) == 31
    assert len(nac.active_members(D("2024-06-20"))) == 32  # Sweden joined on 2024-03-07
    assert race.member("SWE").joined == D("2024-03-07")
    assert {"rutte", "kallas", "karins", "iohannis", "frederiksen"} <= {
        c.id for c in race.candidates
    }
    assert race.rule.name == "consensus.v1"
    assert race.post.incumbent == "Jens Stoltenberg" and race.post.vacancy_date == D("2024-10-01")
    assert any("Military Committee" in d for d in race.post.duties)
    assert race.resolution is not None and race.resolution.winner == "rutte"
    hun = race.member("HUN")
    assert "Budapest" in hun.aliases
    assert {ld.name for ld in hun.leaders if ld.serving_on(D("2024-06-18"))} >= {"Viktor Orbán"}
    assert all(e.source.label for e in race.evidence)


def test_seed_evidence_quotes_the_users_article_exactly() -> None:
    race = load_bundled(NATO)
    folder = bundled_race_dirs()[NATO]
    quoted = [e for e in race.evidence if e.quote]
    assert quoted, "the seed article's evidence carries its sentences"
    for e in quoted:
        data = (folder / e.source.file).read_bytes()
        assert hashlib.sha256(data).hexdigest() == e.source.content_hash
        text = data.decode("utf-8")
        assert e.span is not None and text[e.span[0] : e.span[1]] == e.quote
    kinds = {(e.kind, getattr(e, "candidate", None), getattr(e, "status", None)) for e in quoted}
    assert ("candidacy", "kallas", "interested") in kinds
    assert not any(e.kind == "stance" for e in quoted)


def test_unknown_bundled_race() -> None:
    with pytest.raises(UnknownRaceError, match="no bundled race 'nope'"):
        load_bundled("nope")


def test_a_good_race_parses() -> None:
    race = parse_race(GOOD_TOML, row() + "\n\n// a comment line\n", today=TODAY)
    assert race.member("B").weight == 2 and len(race.evidence) == 1


@pytest.mark.parametrize(
    ("toml", "evidence", "message"),
    [
        (GOOD_TOML + "\n[[bodies", "", "race.toml: not valid TOML"),
        (
            GOOD_TOML.replace('name = "Beta"', 'name = "Beta"\ncolour = "red"'),
            "",
            "race.toml: bodies[board].members[B].colour: unknown key",
        ),
        (
            GOOD_TOML.replace("weight = 2", "weight = -1"),
            "",
            "race.toml: bodies[board].members[B].weight: Input should be greater than 0, got -1",
        ),
        (
            GOOD_TOML.replace("weight = 2", "weight = inf"),
            "",
            "race.toml: bodies[board].members[B].weight: Input should be a finite number",
        ),
        (
            GOOD_TOML.replace('home = "A"', 'home = "A"\nattributes = { seats = nan }'),
            "",
            "attributes.seats",
        ),
        (
            GOOD_TOML,
            json.dumps(
                {
                    "id": "k1",
                    "kind": "count",
                    "date": "2024-02-01",
                    "candidate": "x",
                    "count": 10**400,
                    "source": GOOD_ROW["source"],
                    "producer": "curated:t",
                }
            ),
            "line 1: count: Input should be less than or equal to 1000000000000",
        ),
        (GOOD_TOML.replace('home = "A"', 'home = "Q"'), "", "home 'Q' is not a member id"),
        (
            GOOD_TOML.replace('kind = "consensus"', 'kind = "threshold-veto"\nthreshold = 5'),
            "",
            "threshold 5 exceeds the 3 votes",
        ),
        (
            GOOD_TOML.replace('kind = "consensus"', 'kind = "unanimity-ish"'),
            "",
            "race.toml: rule: kind 'unanimity-ish' is unknown; use one of: consensus",
        ),
        (GOOD_TOML.replace("opened = 2024-01-01\n", ""), "", "opened: required field is missing"),
        (
            GOOD_TOML,
            row() + "\n" + row(member="ZZ"),
            "evidence.jsonl line 2: evidence e1: member 'ZZ'",
        ),
        (
            GOOD_TOML,
            row(candidate="nobody"),
            "line 1: evidence e1: candidate 'nobody' is not in the race",
        ),
        (
            GOOD_TOML,
            row(date="15/11/2023"),
            "evidence.jsonl line 1: date: Input should be a valid date",
        ),
        (GOOD_TOML, row(date="2027-01-01"), "line 1: date 2027-01-01 is in the future"),
        (GOOD_TOML, row() + "\n" + row(), "line 2: evidence id 'e1' already used on line 1"),
        (GOOD_TOML, "{not json", "line 1: not valid JSON"),
        (GOOD_TOML, "[1, 2]", "line 1: expected a JSON object, got list"),
        (GOOD_TOML, row(stance="maybe"), "line 1: stance: Input should be 'support', 'oppose' or"),
        (GOOD_TOML, row(source={"title": "no place"}), "source needs a 'url' or a 'file'"),
        (GOOD_TOML, row(kind="rumour"), "line 1: kind 'rumour' is unknown; use one of: candidacy"),
    ],
)
def test_bad_files_fail_with_one_line_naming_the_place(
    toml: str, evidence: str, message: str
) -> None:
    with pytest.raises(RaceFileError) as info:
        parse_race(toml, evidence, today=TODAY)
    text = str(info.value)
    assert message in text
    assert "\n" not in text


def test_a_missing_or_unreadable_race_directory(tmp_path: Path) -> None:
    with pytest.raises(RaceFileError, match="no race file here"):
        load_race_dir(tmp_path)
    (tmp_path / "race.toml").write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(RaceFileError, match="not UTF-8 text"):
        load_race_dir(tmp_path)
