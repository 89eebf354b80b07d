"""The CLI, run in-process: tables and JSON, the acceptance checks, errors in one line."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kingmaker.cli import app

runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "km.db"


def km(db: Path, *args: str) -> Any:
    return runner.invoke(app, ["--db", str(db), *args])


def as_json(db: Path, *args: str) -> Any:
    res = km(db, *args, "--json")
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def probs(fc: dict[str, Any]) -> dict[str, float]:
    return {o["id"]: o["probability"] for o in fc["outcomes"]}


def test_races_lists_the_bundled_race(db: Path) -> None:
    rows = as_json(db, "races")
    nato = next(r for r in rows if r["id"] == "nato-sg-2024")
    assert nato["rule"] == "consensus.v1" and nato["winner"] == "rutte"
    table = km(db, "races")
    assert table.exit_code == 0 and "nato-sg-2024" in table.stdout


def test_forecast_on_the_articles_day(db: Path) -> None:
    fc = as_json(db, "forecast", "nato-sg-2024", "--as-of", "2023-11-16", "--samples", "5000")
    p = probs(fc)
    assert {"rutte", "kallas", "field", "deadlock"} <= set(p)
    assert sum(p.values()) == pytest.approx(1.0, abs=1e-9)
    assert p["rutte"] > 0.05 and p["kallas"] > 0.05 and p["field"] > 0 and p["deadlock"] > 0
    assert fc["members"] == 31


def test_forecast_on_2024_06_20_puts_rutte_clearly_ahead(db: Path) -> None:
    fc = as_json(db, "forecast", "nato-sg-2024", "--as-of", "2024-06-20", "--samples", "5000")
    p = probs(fc)
    runner_up = max(v for k, v in p.items() if k not in ("rutte", "deadlock"))
    assert p["rutte"] > 0.6 and p["rutte"] > 5 * runner_up
    assert fc["members"] == 32
    holdouts = {"HUN", "SVK", "ROU", "TUR"}
    assert holdouts & {k["member"] for k in fc["kingmakers"]}
    top = fc["explanations"]["rutte"]
    assert all(c["sources"] for c in top)


def test_kingmakers_in_april_2024_are_the_holdouts(db: Path) -> None:
    fc = as_json(
        db, "forecast", "nato-sg-2024", "--as-of", "2024-04-29", "--samples", "5000", "--no-explain"
    )
    assert {k["member"] for k in fc["kingmakers"][:3]} <= {"HUN", "SVK", "ROU", "TUR", "LVA"}
    assert fc["explanations"] == {}


def test_same_seed_same_json_and_later_evidence_changes_nothing(db: Path) -> None:
    args = (
        "forecast",
        "nato-sg-2024",
        "--as-of",
        "2024-02-22",
        "--samples",
        "3000",
        "--seed",
        "11",
        "--json",
    )
    a, b = km(db, *args), km(db, *args)
    assert a.exit_code == 0 and a.stdout == b.stdout
    assert json.loads(a.stdout)["seed"] == 11


def test_forecast_table_shows_kingmakers_and_evidence(db: Path) -> None:
    res = km(db, "forecast", "nato-sg-2024", "--as-of", "2024-04-29", "--samples", "3000")
    assert res.exit_code == 0, res.output
    for text in (
        "Who will be chosen",
        "Kingmakers for Mark Rutte",
        "Hungary (HUN)",
        "Evidence that moved Mark Rutte most",
    ):
        assert text in res.stdout


def test_show_and_evidence(db: Path) -> None:
    race = as_json(db, "show", "nato-sg-2024")
    assert len(race["bodies"][0]["members"]) == 32 and race["rule"]["kind"] == "consensus"
    items = as_json(
        db,
        "evidence",
        "nato-sg-2024",
        "--member",
        "HUN",
        "--candidate",
        "rutte",
        "--as-of",
        "2024-04-30",
    )
    assert items and all(e["member"] == "HUN" and e["candidate"] == "rutte" for e in items)
    assert all(e["date"] <= "2024-04-30" and e["source"]["url"] for e in items)
    assert "Viktor Orbán" in km(db, "show", "nato-sg-2024").stdout


def test_timeline_writes_png_and_self_contained_html(db: Path, tmp_path: Path) -> None:
    png, html = tmp_path / "t.png", tmp_path / "t.html"
    base = (
        "timeline",
        "nato-sg-2024",
        "--from",
        "2024-01-01",
        "--to",
        "2024-07-01",
        "--every",
        "1m",
        "--samples",
        "1000",
    )
    res = km(db, *base, "--out", str(png))
    assert res.exit_code == 0, res.output
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    data = as_json(db, *base, "--out", str(html))
    assert data["forecasts"][0]["as_of"] == "2024-01-01"
    assert data["forecasts"][-1]["as_of"] == "2024-07-01"
    page = html.read_text()
    assert "Plotly.newPlot" in page
    assert not re.search(r"<(script|link)[^>]+(src|href)=", page)  # plotly.js is inline


def test_demo_runs_the_main_job(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "demo"
    res = km(db, "demo", "--out", str(out), "--samples", "2000")
    assert res.exit_code == 0, res.output
    for day in ("2023-11-16", "2024-02-22", "2024-04-29", "2024-06-20"):
        assert f"as of {day}" in res.stdout
    assert (out / "nato-sg-2024-timeline.png").stat().st_size > 10_000
    assert (out / "nato-sg-2024-timeline.html").is_file()
    # the live race beside it, as of the day its news stops
    live = res.stdout[res.stdout.index("The race under way") :]
    assert "as of its latest evidence (2026-03-" in live
    for name in ("Rafael Grossi", "Michelle Bachelet", "Macky Sall", "Rebeca Grynspan"):
        assert name in live


def test_forecast_runs_are_stored_with_seed_and_parameters(db: Path) -> None:
    km(db, "forecast", "nato-sg-2024", "--as-of", "2024-02-22", "--samples", "1000", "--seed", "5")
    from kingmaker.service import Kingmaker

    svc = Kingmaker.open(db)
    runs = svc.history("nato-sg-2024")
    svc.close()
    assert runs[-1].seed == 5 and runs[-1].samples == 1000 and runs[-1].params["prior_accept"] > 0
    assert runs[-1].result["outcomes"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("forecast", "nope"), "error: no race 'nope' in"),
        (
            ("forecast", "nato-sg-2024", "--as-of", "16/11/2023"),
            "--as-of must be a date as YYYY-MM-DD",
        ),
        (("forecast", "nato-sg-2024", "--as-of", "2099-01-01"), "is in the future"),
        (("forecast", "nato-sg-2024", "--as-of", "2020-01-01"), "before race nato-sg-2024 opened"),
        (("forecast", "nato-sg-2024", "--samples", "0"), "samples must be between 1"),
        (("forecast", "nato-sg-2024", "--samples", "-3"), "samples must be between 1"),
        (("timeline", "nato-sg-2024", "--out", "x.svg"), "use a .png or .html file name"),
        (("timeline", "nato-sg-2024", "--out", "/nonexistent/dir/x.png"), "does not exist"),
        (
            ("timeline", "nato-sg-2024", "--out", "x.png", "--every", "soon"),
            "--every must look like",
        ),
        (
            (
                "timeline",
                "nato-sg-2024",
                "--out",
                "x.png",
                "--from",
                "2024-05-01",
                "--to",
                "2024-01-01",
            ),
            "before it starts",
        ),
        (("evidence", "nato-sg-2024", "--member", "XXX"), "--member 'XXX' is not a member"),
        (("load", "/nonexistent"), "no race file here"),
    ],
)
def test_errors_are_one_line_with_exit_code_1(
    db: Path, args: tuple[str, ...], message: str
) -> None:
    res = km(db, *args)
    assert res.exit_code == 1
    assert message in res.stderr
    assert res.stderr.count("\n") == 1 and "Traceback" not in res.output


def test_debug_shows_the_traceback(db: Path) -> None:
    res = runner.invoke(app, ["--db", str(db), "--debug", "forecast", "nope"])
    assert res.exit_code == 1 and res.exception is not None


def test_a_corrupt_database_is_refused_and_left_alone(tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not a database" * 100)
    before = bad.read_bytes()
    res = km(bad, "races")
    assert res.exit_code == 1 and "error:" in res.stderr and res.stderr.count("\n") == 1
    assert bad.read_bytes() == before


def test_an_unwritable_database_location(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    res = km(blocker / "sub" / "km.db", "races")
    assert res.exit_code == 1 and "error:" in res.stderr


def test_a_bad_race_directory_leaves_the_store_untouched(db: Path, tmp_path: Path) -> None:
    before = as_json(db, "races")
    broken = tmp_path / "broken"
    broken.mkdir()
    src = Path(__file__).parents[2] / "src/kingmaker/data/races/nato-sg-2024/race.toml"
    (broken / "race.toml").write_text(src.read_text().replace('id = "nato-sg-2024"', 'id = "copy"'))
    lines = [
        '{"id": "e1", "kind": "stance", "date": "2024-01-01", "member": "HUN", '
        '"candidate": "rutte", "stance": "support", "source": {"url": "https://x.org"}, '
        '"producer": "curated:t"}',
        '{"id": "e2", "kind": "stance", "date": "2024-01-01", "member": "ATLANTIS", '
        '"candidate": "rutte", "stance": "support", "source": {"url": "https://x.org"}, '
        '"producer": "curated:t"}',
    ]
    (broken / "evidence.jsonl").write_text("\n".join(lines))
    res = km(db, "load", str(broken))
    assert res.exit_code == 1 and "evidence.jsonl line 2" in res.stderr
    assert as_json(db, "races") == before


def test_history_and_rerun_reproduce_a_stored_run(db: Path) -> None:
    km(db, "forecast", "nato-sg-2024", "--as-of", "2024-03-01", "--samples", "2000", "--seed", "3")
    runs = as_json(db, "history", "nato-sg-2024")
    assert runs[-1]["seed"] == 3 and runs[-1]["as_of"] == "2024-03-01"
    res = km(db, "rerun", str(runs[-1]["id"]))
    assert res.exit_code == 0 and "reproduced exactly" in res.stdout
    missing = km(db, "rerun", "999")
    assert missing.exit_code == 1 and "no forecast with id 999" in missing.stderr


def test_a_negative_seed_is_one_line(db: Path) -> None:
    res = km(db, "forecast", "nato-sg-2024", "--seed", "-1")
    assert res.exit_code == 1 and "--seed must be 0 or more" in res.stderr


def test_rerun_is_exact_even_after_a_used_item_is_rejected(db: Path) -> None:
    fc = as_json(
        db, "forecast", "nato-sg-2024", "--as-of", "2024-03-10", "--samples", "1000", "--no-explain"
    )
    run_id = as_json(db, "history", "nato-sg-2024")[-1]["id"]
    hun = as_json(db, "evidence", "nato-sg-2024", "--member", "HUN", "--as-of", "2024-03-10")
    res = km(db, "review", "nato-sg-2024", "--reject", hun[0]["id"], "--by", "test")
    assert res.exit_code == 0 and fc["samples"] == 1000
    again = km(db, "rerun", str(run_id))
    assert again.exit_code == 0 and "reproduced exactly" in again.stdout


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--write-token", "short"], "at least 16 characters"),
        (["--port", "70000"], "between 1 and 65535"),
    ],
)
def test_serve_refuses_bad_settings_in_one_line(db: Path, args: list[str], words: str) -> None:
    res = km(db, "serve", *args)
    assert res.exit_code == 1
    assert words in res.output and len(res.output.strip().splitlines()) == 1


def test_the_live_race_says_where_its_news_stops(db: Path) -> None:
    fc = as_json(db, "forecast", "un-sg-2026", "--as-of", "2026-06-30", "--samples", "1000")
    assert fc["evidence_through"] < "2026-06-30"
    for cid in ("grossi", "bachelet", "sall", "grynspan"):
        assert probs(fc)[cid] > 0.02
    res = km(db, "forecast", "un-sg-2026", "--as-of", "2026-06-30", "--samples", "1000")
    assert f"evidence items to {fc['evidence_through']}" in res.stdout


def test_the_review_queue_shows_the_sentence_behind_a_machine_item(db: Path) -> None:
    from conftest import make_race, stance
    from kingmaker.store import open_store

    quote = "Ankara will not back the Dutch candidate, an official said."
    race = make_race(
        evidence=[
            stance(
                "m1",
                "2024-02-01",
                "M1",
                "a",
                "oppose",
                review="pending",
                confidence=0.3,
                quote=quote,
                note="rule: negated-backing",
                producer="fallback@1",
            )
        ]
    )
    store = open_store(str(db))
    store.put_race(race)
    store.close()
    res = km(db, "review", "test-race")
    assert res.exit_code == 0, res.stderr
    flat = " ".join(res.stdout.split())
    assert "Ankara will not back" in flat and "negated-backing" not in flat


def test_loading_again_says_how_many_items_the_store_already_had(db: Path) -> None:
    fixture = Path(__file__).parents[1] / "fixtures" / "races" / "committee-chair"
    first = km(db, "load", str(fixture))
    assert first.exit_code == 0 and "7 new evidence items" in first.stdout
    assert "already in the store" not in first.stdout
    again = km(db, "load", str(fixture))
    assert "0 new evidence items (7 already in the store)" in again.stdout
    # a bundled race is stored when the store opens: loading its directory says so
    bundled = Path(__file__).parents[2] / "src" / "kingmaker" / "data" / "races" / "oecd-sg-2021"
    res = km(db, "load", str(bundled))
    assert res.exit_code == 0 and "0 new evidence items (" in res.stdout
    assert "bundled races are stored when a store is first opened" in res.stdout
