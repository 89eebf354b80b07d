"""A forecast the store cannot take (full disk, read-only database) is still shown: the
CLI prints it and says in one line on stderr that it was not saved; nothing is stored."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kingmaker.cli import app
from kingmaker.errors import StoreError
from kingmaker.service import Kingmaker
from kingmaker.store import SQLiteStore

runner = CliRunner()
NATO = "nato-sg-2024"
FORECAST = ("forecast", NATO, "--as-of", "2024-04-29", "--samples", "2000", "--no-explain")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A store seeded with the bundled races (the first open writes them)."""
    path = tmp_path / "km.db"
    assert runner.invoke(app, ["--db", str(path), "races"]).exit_code == 0
    return path


def km(db: Path, *args: str) -> Any:
    return runner.invoke(app, ["--db", str(db), *args])


def history(db: Path) -> list[Any]:
    with SQLiteStore(db) as store:
        return store.forecasts(NATO)


def read_only(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: SQLiteStore, run: Any) -> int:
        raise StoreError(f"{self._label} cannot be written (attempt to write a readonly database)")

    monkeypatch.setattr(SQLiteStore, "save_forecast", refuse)


def full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every connection opened from now on cannot grow the file: SQLite answers
    'database or disk is full', as on a full disk."""
    prepare = SQLiteStore._prepare

    def capped(self: SQLiteStore, conn: sqlite3.Connection) -> None:
        prepare(self, conn)
        conn.execute("PRAGMA max_page_count = 1")  # raised to the current size

    monkeypatch.setattr(SQLiteStore, "_prepare", capped)


def one_warning(res: Any, words: str) -> None:
    assert res.exit_code == 0, res.output
    assert "Traceback" not in res.output
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("warning: ") and words in lines[0], res.stderr


@pytest.mark.parametrize(
    ("fault", "why"), [(read_only, "readonly database"), (full_disk, "database or disk is full")]
)
def test_forecast_is_printed_and_says_it_was_not_saved(
    db: Path, monkeypatch: pytest.MonkeyPatch, fault: Any, why: str
) -> None:
    expected = json.loads(km(db, *FORECAST, "--json").stdout)
    assert len(history(db)) == 1
    fault(monkeypatch)
    res = km(db, *FORECAST, "--json")
    one_warning(res, "the forecast was not saved")
    assert why in res.stderr
    assert json.loads(res.stdout)["outcomes"] == expected["outcomes"]
    table = km(db, *FORECAST)
    one_warning(table, "the forecast was not saved")
    assert "Who will be chosen" in table.stdout
    monkeypatch.undo()
    assert len(history(db)) == 1


def test_timeline_writes_its_chart_and_says_how_many_were_not_saved(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    read_only(monkeypatch)
    out = tmp_path / "chart.html"
    args = ("--from", "2024-01-01", "--to", "2024-03-01", "--every", "1m", "--samples", "500")
    res = km(db, "timeline", NATO, "--out", str(out), *args)
    one_warning(res, "3 forecasts were not saved")
    assert out.is_file() and "3 forecasts" in res.stdout


def test_without_a_handler_the_service_raises(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    read_only(monkeypatch)
    service = Kingmaker(SQLiteStore(db))
    try:
        with pytest.raises(StoreError, match="cannot be written"):
            service.forecast(NATO, samples=500, explain=False)
        told: list[tuple[int, str]] = []
        service.on_unsaved = lambda n, exc: told.append((n, str(exc)))
        fc = service.forecast(NATO, samples=500, explain=False)
        assert fc.race_id == NATO and [n for n, _ in told] == [1]
    finally:
        service.close()
