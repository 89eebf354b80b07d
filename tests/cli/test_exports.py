"""Exports from the command line: ``--csv`` on the table commands, the stance matrix,
``kingmaker snapshot``, ``--version``, and race ids never cut in ``kingmaker races``."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kingmaker import __version__
from kingmaker.cli import app

runner = CliRunner()
NATO = "nato-sg-2024"
DAY = "2024-04-29"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("exports") / "km.db"


def km(db: Path, *args: str, env: dict[str, str] | None = None) -> Any:
    return runner.invoke(app, ["--db", str(db), *args], env=env)


def rows(db: Path, *args: str) -> list[dict[str, str]]:
    res = km(db, *args, "--csv")
    assert res.exit_code == 0, res.output
    return list(csv.DictReader(io.StringIO(res.stdout)))


def test_forecast_csv_has_the_json_numbers(db: Path) -> None:
    base = ("forecast", NATO, "--as-of", DAY, "--samples", "2000", "--no-explain")
    table = rows(db, *base)
    data = json.loads(km(db, *base, "--json").stdout)
    assert [r["outcome"] for r in table] == [o["id"] for o in data["outcomes"]]
    for r, o in zip(table, data["outcomes"], strict=True):
        assert float(r["probability"]) == pytest.approx(o["probability"])
        assert float(r["se"]) == pytest.approx(o["se"])
        assert r["as_of"] == DAY and r["race"] == NATO
    assert sum(float(r["probability"]) for r in table) == pytest.approx(1.0)


def test_evidence_matrix_history_and_races_as_csv(db: Path) -> None:
    items = rows(db, "evidence", NATO, "--member", "HUN", "--as-of", DAY)
    assert items and all(r["member"] == "HUN" for r in items)
    assert all(r["date"] <= DAY for r in items)
    assert any(r["source"].startswith("http") for r in items)

    cells = rows(db, "matrix", NATO, "--as-of", DAY)
    hun = next(r for r in cells if r["member"] == "HUN" and r["candidate"] == "rutte")
    assert hun["stance"] == "oppose" and hun["member_name"] == "Hungary"
    matrix = json.loads(km(db, "matrix", NATO, "--as-of", DAY, "--json").stdout)
    assert len(matrix["cells"]) == len(cells)
    table = km(db, "matrix", NATO, "--as-of", DAY)
    assert table.exit_code == 0 and "Hungary (HUN)" in table.stdout

    runs = rows(db, "history", NATO)
    assert runs and set(runs[0]) >= {"id", "as_of", "leader"}
    races = rows(db, "races")
    assert NATO in [r["id"] for r in races]


def test_timeline_csv_one_row_per_day(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "t.html"
    args = ("timeline", NATO, "--out", str(out), "--from", "2024-03-01", "--to", "2024-04-26")
    table = rows(db, *args, "--every", "4w", "--samples", "300")
    assert [r["as_of"] for r in table] == ["2024-03-01", "2024-03-29", "2024-04-26"]
    assert float(table[-1]["rutte"]) > 0.5
    # the chart's page has a title (plotly leaves <head> without one)
    title = re.search(r"<title>(.*?)</title>", out.read_text()[:2000])
    assert title and "NATO Secretary General 2024" in title.group(1)


def test_backtest_days_as_csv(db: Path) -> None:
    table = rows(db, "backtest", "nato-sg-2014", "--every", "14d", "--samples", "300")
    assert {r["method"] for r in table} == {"kingmaker", "uniform", "endorsements"}
    assert {r["race"] for r in table} == {"nato-sg-2014"}
    first = [r for r in table if r["as_of"] == table[0]["as_of"] and r["method"] == "kingmaker"]
    assert sum(float(r["probability"]) for r in first) == pytest.approx(1.0, abs=1e-6)


def test_json_and_csv_together_are_refused(db: Path) -> None:
    res = km(db, "races", "--json", "--csv")
    assert res.exit_code == 1
    assert res.output.strip() == "error: choose --json or --csv, not both"


def test_version(db: Path) -> None:
    res = runner.invoke(app, ["--version"])
    assert res.exit_code == 0 and res.stdout.strip() == f"kingmaker {__version__}"


def test_races_never_cuts_the_ids(db: Path) -> None:
    ids = [r["id"] for r in rows(db, "races")]
    for width in ("80", "60"):
        res = km(db, "races", env={"COLUMNS": width})
        assert res.exit_code == 0
        lines = res.stdout.splitlines()
        for race_id in ids:
            assert any(f"│ {race_id} " in line for line in lines), (width, race_id)


def test_snapshot_writes_a_folder_that_needs_nothing_else(db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "snap"
    res = km(db, "snapshot", NATO, str(folder), "--as-of", DAY, "--samples", "2000")
    assert res.exit_code == 0, res.output
    names = {p.name for p in folder.iterdir()}
    assert names == {
        "index.html",
        "style.css",
        "app.js",
        "favicon.svg",
        "plotly.min.js",
        "forecast.csv",
        "evidence.csv",
    }
    page = (folder / "index.html").read_text()
    # every script, style sheet and icon is a file beside the page: nothing from a server
    refs = re.findall(r'<(?:script|link)[^>]*(?:src|href)="([^"]+)"', page)
    assert sorted(refs) == ["app.js", "favicon.svg", "style.css"]
    assert 'data-plotly="plotly.min.js"' in page
    assert not re.search(r'(?:href|src|action)="/', page), "a link to the server's own pages"
    assert f"Forecast as of {DAY}" in page and 'id="matrix"' in page
    data = json.loads(re.search(r'id="snapshot-data">(.*?)</script>', page, re.S).group(1))  # type: ignore[union-attr]
    assert data["timeline"]["days"] and "rutte" in data["movers"]
    assert data["movers"]["rutte"]["movers"], "what moved Rutte is in the page"
    forecast = list(csv.DictReader(io.StringIO((folder / "forecast.csv").read_text())))
    assert forecast[0]["as_of"] == DAY
    evidence = (folder / "evidence.csv").read_text()
    assert evidence.count("\n") > 100 and page.count('class="item ') > 100

    # a folder that holds something is refused in one line, and nothing is written
    again = km(db, "snapshot", NATO, str(folder))
    assert again.exit_code == 1
    assert (
        again.output.count("\n") == 1 and "not empty" in again.output and "--force" in again.output
    )
    other = tmp_path / "other"
    other.mkdir()
    (other / "keep.txt").write_text("mine")
    assert km(db, "snapshot", NATO, str(other)).exit_code == 1
    assert [p.name for p in other.iterdir()] == ["keep.txt"]
    forced = km(db, "snapshot", NATO, str(other), "--force", "--samples", "1000")
    assert forced.exit_code == 0, forced.output
    assert (other / "keep.txt").read_text() == "mine" and (other / "index.html").is_file()
