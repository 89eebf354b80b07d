"""Race files at the boundary: deep nesting, quoted dates, and a fuzz over member rows and
evidence rows. Every input either loads and reads back from the store, or is refused in
one line with the stored race left as it was."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from club import club_toml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import TODAY, stance
from kingmaker.errors import KingmakerError, RaceFileError
from kingmaker.races import parse_race
from kingmaker.records import MAX_DEPTH, Race, too_deep
from kingmaker.store import SQLiteStore, open_store
from kingmaker.store.base import Store

GOOD_MEMBER = 'id = "D"\nname = "Delta"\nweight = 2'
GOOD_ROW: dict[str, Any] = stance("e1", "2024-02-01", "A", "x")


def race_toml(member: str = GOOD_MEMBER) -> str:
    """The club race with its last member, D, written as ``member``."""
    return club_toml(spells=False).replace('id = "D"\nname = "Delta"', member)


def refused(toml: str, evidence: str = "") -> str:
    """The one-line message of a refused race."""
    with pytest.raises(RaceFileError) as info:
        parse_race(toml, evidence, today=TODAY)
    message = str(info.value)
    assert "\n" not in message
    return message


@pytest.mark.parametrize(
    "value",
    [
        "[" * 100_000 + "]" * 100_000,  # RecursionError in the parser
        "[" * 200 + "]" * 200,  # parses, deeper than the limit
        "{a = " * 200 + "1" + "}" * 200,
    ],
)
def test_deeply_nested_toml_is_one_line(value: str) -> None:
    message = refused(race_toml(f"{GOOD_MEMBER}\naliases = {value}"))
    assert message == f"race.toml: nested deeper than {MAX_DEPTH} levels; flatten it"


@pytest.mark.parametrize("where", ["row", "source"])
def test_a_key_with_a_line_break_is_quoted_in_a_one_line_message(where: str) -> None:
    """Found by the fuzz test: an unknown key holding a line break was shown raw."""
    row = dict(GOOD_ROW)
    if where == "row":
        row["bad\nkey"] = 1
    else:
        row["source"] = {**row["source"], "bad\nkey": 1}
    message = refused(race_toml(), json.dumps(row))
    assert "'bad\\nkey'" in message and "unknown key" in message


@pytest.mark.parametrize("depth", [100_000, 200])
def test_a_deeply_nested_evidence_row_is_one_line(depth: int) -> None:
    deep = json.dumps(GOOD_ROW)[:-1] + ', "note": ' + "[" * depth + "]" * depth + "}"
    message = refused(race_toml(), json.dumps(GOOD_ROW | {"id": "e0"}) + "\n" + deep)
    assert message == f"evidence.jsonl line 2: nested deeper than {MAX_DEPTH} levels; flatten it"


def test_nesting_up_to_the_limit_is_not_too_deep() -> None:
    value: Any = 1
    for _ in range(MAX_DEPTH):
        value = [value]
    assert not too_deep(value) and too_deep([value])


@pytest.mark.parametrize(
    ("line", "where"),
    [
        ('opened = "2024-01-02"', "opened"),
        ('opened = "2024-01-02T00:00:00"', "opened"),
    ],
)
def test_a_quoted_top_level_date_is_refused(line: str, where: str) -> None:
    toml = race_toml().replace("opened = 2024-01-01", line)
    assert refused(toml) == (
        f"race.toml: {where}: a date must be a TOML date (2024-01-02, no quotes), not a "
        "quoted string"
    )


@pytest.mark.parametrize(
    ("extra", "where"),
    [
        ('joined = "2024-01-02"', "bodies[board].members[D].joined"),
        (
            '[[bodies.members.leaders]]\nname = "Bo"\nstart = "2024-01-02"',
            "bodies[board].members[D].leaders[0].start",
        ),
        (
            '[[bodies.members.group_spells]]\ngroup = "G"\nend = "2024-03-01"',
            "bodies[board].members[D].group_spells[0].end",
        ),
    ],
)
def test_a_quoted_nested_date_is_refused(extra: str, where: str) -> None:
    assert refused(race_toml(f"{GOOD_MEMBER}\n{extra}")).startswith(f"race.toml: {where}: ")


def test_bare_toml_dates_still_load() -> None:
    race = parse_race(race_toml(f"{GOOD_MEMBER}\njoined = 2024-01-02"), today=TODAY)
    assert race.opened == dt.date(2024, 1, 1) and race.member("D").joined == dt.date(2024, 1, 2)


# --- the fuzz ---------------------------------------------------------------------------

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.sampled_from([10**12, 10**12 + 1, 10**400, -1, 0]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["2024-02-01", "2024-02-30", "", "HUN", "A", "x", "support", "\ud800"]),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1)),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=6,
)
DAYS = st.dates(min_value=dt.date(2023, 12, 1), max_value=TODAY)
NAMES = st.lists(st.text(min_size=1, max_size=6), max_size=3)
# values that may well be right, so that the fuzz stores races as well as refusing them
MEMBER_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "name": st.text(min_size=1, max_size=10),
    "weight": st.floats(min_value=0.01, max_value=1e6) | st.integers(1, 10**12),
    "veto": st.booleans(),
    "groups": NAMES,
    "aliases": NAMES,
    "joined": DAYS,
    "left": DAYS,
}
ROW_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "date": DAYS,
    "stance": st.sampled_from(["support", "oppose", "neutral"]),
    "member": st.sampled_from(["A", "C", "D"]),
    "confidence": st.floats(min_value=0, max_value=1),
    "quote": st.text(max_size=20),
    "note": st.text(max_size=20),
}
KINDS = ["stance", "candidacy", "count", "ballot", "poll", "proposal", "vacancy", "meeting"]


def changes_of(
    keys: list[str], plausible: dict[str, st.SearchStrategy[Any]]
) -> st.SearchStrategy[dict[str, Any]]:
    """Up to 3 of ``keys``, each with a plausible value or any value."""
    chosen = st.lists(st.sampled_from(keys), unique=True, max_size=3)
    return chosen.flatmap(
        lambda ks: st.fixed_dictionaries({k: plausible.get(k, VALUES) | VALUES for k in ks})
    )


def toml_value(value: Any) -> str:
    """``value`` as a TOML value (inline tables and arrays; TOML has no null: '')."""
    if value is None:
        return '""'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | dt.date):
        return str(value) if isinstance(value, int) else value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else "inf" if value > 0 else "-inf"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)  # a TOML basic string is JSON's string escaping
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return "{" + ", ".join(f"{json.dumps(k)} = {toml_value(v)}" for k, v in value.items()) + "}"


def json_value(value: Any) -> Any:
    """``value`` with dates as JSON strings."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [json_value(v) for v in value]
    if isinstance(value, dict):
        return {k: json_value(v) for k, v in value.items()}
    return value


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """An SQLite store holding the good race (what a refusal must leave as it was)."""
    s = open_store(tmp_path_factory.mktemp("fuzz") / "fuzz.db")
    s.put_race(parse_race(race_toml(), json.dumps(GOOD_ROW), today=TODAY))
    yield s
    s.close()


def load_or_refuse(store: Store, toml: str, evidence: str) -> None:
    """Load into ``store`` like ``kingmaker load``: either the race is stored and reads back,
    or one line of RaceFileError and the stored race unchanged."""
    before = store.get_race("club")
    try:
        race = parse_race(toml, evidence, today=TODAY)
    except KingmakerError as exc:
        assert isinstance(exc, RaceFileError) and "\n" not in str(exc) and str(exc)
        assert store.get_race("club") == before
        return
    if race.id != "club":  # a fuzzed id: the stored race is not the one to compare
        return
    # A loaded race is stored in an empty store: loading it over the good race would keep
    # the good race's evidence (a reload never drops stored items), so it would not read
    # back as loaded; the module's store keeps the good race for the refusals.
    fresh = SQLiteStore(":memory:")
    try:
        fresh.put_race(race)
    except KingmakerError as exc:  # the store refuses: one line, nothing written
        assert "\n" not in str(exc)
        assert store.get_race("club") == before
        return
    stored = fresh.get_race("club")
    fresh.close()
    assert stored == race
    assert Race.model_validate_json(race.model_dump_json()) == race
    assert store.get_race("club") == before


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(changes_of([*MEMBER_VALUES, "id", "leaders", "x"], MEMBER_VALUES))
def test_fuzzed_member_rows_load_or_are_refused_in_one_line(
    store: Store, changes: dict[str, Any]
) -> None:
    member = {"id": "D", "name": "Delta", "weight": 2, **changes}
    lines = [f"{k} = {toml_value(v)}" for k, v in member.items()]
    load_or_refuse(store, race_toml("\n".join(lines)), json.dumps(GOOD_ROW))


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.sampled_from(KINDS) | st.just("stance"),
    changes_of([*GOOD_ROW, *ROW_VALUES, "tallies", "votes", "count", "body"], ROW_VALUES),
)
def test_fuzzed_evidence_rows_load_or_are_refused_in_one_line(
    store: Store, kind: str, changes: dict[str, Any]
) -> None:
    row = json_value({**GOOD_ROW, "kind": kind, **changes})
    load_or_refuse(store, race_toml(), json.dumps(row))  # NaN, Infinity, \ud800 as JSON has them


def test_the_fuzz_store_holds_the_good_race_at_the_end(store: Store) -> None:
    race = store.get_race("club")
    assert [e.id for e in race.evidence] == ["e1"] and race.member("D").weight == 2


def test_files_written_by_the_fuzz_helpers_parse(tmp_path: Path) -> None:
    """The helpers write what they mean: a dict and a date survive the TOML renderer."""
    lines = [f"aliases = {toml_value(['a', 'b'])}", f"joined = {toml_value(dt.date(2024, 1, 3))}"]
    race = parse_race(race_toml("\n".join([GOOD_MEMBER, *lines])), today=TODAY)
    assert race.member("D").aliases == ("a", "b")
    assert race.member("D").joined == dt.date(2024, 1, 3)
