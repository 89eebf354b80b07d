"""`kingmaker remove` (asks first, removes what is stored for the race, refuses a store that
cannot be written) and `kingmaker rerun` saying plainly when the race changed since a run."""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kingmaker.cli import app
from kingmaker.store import SQLiteStore

runner = CliRunner()
FIXTURE = Path(__file__).parents[1] / "fixtures" / "races" / "committee-chair"
RACE = "riverside-chair-2024"


def km(db: Path, *args: str, stdin: str | None = None) -> Any:
    return runner.invoke(app, ["--db", str(db), *args], input=stdin)


@pytest.fixture
def loaded(tmp_path: Path) -> tuple[Path, Path]:
    """A database holding the committee race (from a copy of its folder) and one article."""
    race_dir = tmp_path / "committee-chair"
    shutil.copytree(FIXTURE, race_dir)
    db = tmp_path / "km.db"
    assert km(db, "load", str(race_dir)).exit_code == 0
    article = tmp_path / "news.txt"
    article.write_text("2024-02-20\nOkafor is expected to win the chair, members say.\n")
    km(db, "ingest", str(article), "--race", RACE)
    return db, race_dir


def test_remove_asks_and_no_keeps_the_race(loaded: tuple[Path, Path]) -> None:
    db, _ = loaded
    res = km(db, "remove", RACE, stdin="n\n")
    assert res.exit_code == 1
    assert f"Remove race {RACE}" in res.output and "7 evidence items" in res.output
    assert RACE in km(db, "races").stdout


def test_remove_yes_removes_the_race_its_runs_and_its_own_articles(
    loaded: tuple[Path, Path],
) -> None:
    db, _ = loaded
    assert km(db, "forecast", RACE, "--as-of", "2024-02-15", "--samples", "500").exit_code == 0
    with SQLiteStore(db) as store:
        articles = store.article_count(RACE)
    res = km(db, "remove", RACE, stdin="y\n")
    assert res.exit_code == 0, res.output
    assert f"removed {RACE}: 7 evidence items, 1 forecasts, {articles} articles" in res.output
    assert RACE not in km(db, "races").stdout
    with SQLiteStore(db) as store:
        assert not store.has_race(RACE) and store.article_count() == 0
        assert "nato-sg-2024" in store.race_ids()  # the others stay


def test_removing_a_bundled_race_says_it_comes_back(tmp_path: Path) -> None:
    db = tmp_path / "km.db"
    res = km(db, "remove", "nato-sg-2024", "--yes")
    assert res.exit_code == 0, res.output
    assert "comes back, as shipped" in res.output


def test_remove_of_an_unknown_race_is_one_line(tmp_path: Path) -> None:
    res = km(tmp_path / "km.db", "remove", "nope", "--yes")
    assert res.exit_code == 1 and res.output.count("\n") == 1
    assert res.output.startswith("error: no race 'nope'")


def test_remove_on_a_read_only_store_refuses_in_one_line_before_asking(
    loaded: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    db, _ = loaded
    prepare = SQLiteStore._prepare

    def read_only(self: SQLiteStore, conn: sqlite3.Connection) -> None:
        prepare(self, conn)
        conn.execute("PRAGMA query_only = ON")  # as a read-only file or mount

    monkeypatch.setattr(SQLiteStore, "_prepare", read_only)
    res = km(db, "remove", RACE)  # no --yes: it must not even ask
    assert res.exit_code == 1
    assert res.output.count("\n") == 1 and "cannot be written" in res.output
    assert "Remove race" not in res.output
    monkeypatch.undo()
    assert RACE in km(db, "races").stdout


def _change(db: Path, race_dir: Path, old: str, new: str) -> None:
    """Edit the race file and load it again."""
    toml = race_dir / "race.toml"
    toml.write_text(toml.read_text().replace(old, new))
    assert km(db, "load", str(race_dir)).exit_code == 0


def _run_id(db: Path) -> str:
    res = km(db, "forecast", RACE, "--as-of", "2024-02-15", "--samples", "2000")
    assert res.exit_code == 0, res.output
    return str(km(db, "history", RACE, "--json").stdout.count('"id"'))


def test_rerun_of_an_unchanged_race_reproduces(loaded: tuple[Path, Path]) -> None:
    db, _ = loaded
    run = _run_id(db)
    res = km(db, "rerun", run)
    assert res.exit_code == 0 and res.output.startswith(f"run {run} reproduced exactly")
    assert res.output.count("\n") == 1


def test_rerun_after_the_race_changed_says_so_and_what_it_means(loaded: tuple[Path, Path]) -> None:
    db, race_dir = loaded
    run = _run_id(db)
    _change(db, race_dir, "fraction = 0.6667", "fraction = 1")  # 5 of 5 votes, not 4
    res = km(db, "rerun", run)
    assert res.exit_code == 1
    text = " ".join(res.output.split())
    assert f"run {run} did not reproduce: Race {RACE} has been changed since run {run}" in text
    assert "different numbers are expected" in text and "--db" in text
    assert re.search(r"okafor: stored 0\.\d{4}, now 0\.\d{4}", res.output)


def test_rerun_after_a_change_that_moves_nothing_reproduces_and_says_so(
    loaded: tuple[Path, Path],
) -> None:
    db, race_dir = loaded
    run = _run_id(db)
    _change(db, race_dir, 'aliases = ["committee chair"', 'aliases = ["chair"')
    res = km(db, "rerun", run)
    assert res.exit_code == 0
    assert "has been changed since run" in res.output and "not in a way that moves" in res.output


def test_rerun_of_a_run_without_a_version_says_it_cannot_tell(loaded: tuple[Path, Path]) -> None:
    db, race_dir = loaded
    run = _run_id(db)
    with sqlite3.connect(db) as conn:  # as a run stored before 0007
        conn.execute("UPDATE forecasts SET race_version = NULL")
    _change(db, race_dir, "fraction = 0.6667", "fraction = 1")
    res = km(db, "rerun", run)
    assert res.exit_code == 1
    assert "cannot tell whether race" in " ".join(res.output.split())
