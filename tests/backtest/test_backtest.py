"""Backtests: proper scores, baselines, replayed days, checks, fitting, the CLI and report."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import D, candidacy, make_race, stance
from kingmaker.backtest import check_backtestable, replay, replay_days, score
from kingmaker.backtest.fit import FitSettings, fit, score_races
from kingmaker.cli import app
from kingmaker.errors import BacktestError

RESOLVED = {"winner": "a", "date": "2024-03-01", "source": "https://example.org/r"}
SRC = {"source": {"url": "https://example.org/b"}, "producer": "curated:test"}


def test_scores_by_hand() -> None:
    s = score({"a": 0.5, "b": 0.3, "field": 0.1, "deadlock": 0.1}, "a", n_options=3)
    assert s.brier == pytest.approx(0.25 + 0.09 + 0.01 + 0.01)
    assert s.log == pytest.approx(math.log(0.5))
    assert s.relative_log == pytest.approx(100 * math.log(1.5) / math.log(3))
    assert s.rank == 1
    worst = score({"a": 0.0, "b": 1.0}, "a", n_options=2)
    assert worst.brier == 2.0 and worst.log == pytest.approx(math.log(1e-3)) and worst.rank == 2
    assert score({"a": 0.5, "b": 0.5}, "a", 2).relative_log == pytest.approx(0.0)


def race(**kw: Any) -> Any:
    ev = [
        candidacy("c1", "2024-01-10", "a"),
        candidacy("c2", "2024-01-10", "b"),
        stance("s1", "2024-02-01", "M1", "a"),
        stance("s2", "2024-02-01", "M2", "a"),
    ]
    return make_race(
        evidence=kw.pop("evidence", ev), resolution=kw.pop("resolution", RESOLVED), **kw
    )


def test_replay_covers_the_days_before_the_decision_only() -> None:
    r = race()
    days = replay_days(r)
    assert days[0] == D("2024-01-10") and days[-1] == D("2024-02-29")
    rp = replay(r, every=7, samples=500)
    assert rp.days[-1].as_of == D("2024-02-29")
    for d in rp.days:
        assert set(d.probs) == {"kingmaker", "uniform", "endorsements"}
        assert d.winner == "a" and d.n_options == 3
        assert sum(d.probs["uniform"].values()) == pytest.approx(1.0)
        assert sum(d.probs["endorsements"].values()) == pytest.approx(1.0)
    late = rp.days[-1].probs["endorsements"]
    assert late["a"] > late["b"]  # two public backers against none


def test_the_field_wins_while_the_winner_is_unnamed() -> None:
    r = race(evidence=[candidacy("c1", "2024-01-10", "b"), candidacy("c2", "2024-02-20", "a")])
    rp = replay(r, every=10, samples=300)
    assert rp.days[0].winner == "field" and rp.days[-1].winner == "a"


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"resolution": None}, "has no resolution; add [resolution]"),
        (
            {
                "evidence": [
                    {
                        "id": "b1",
                        "kind": "ballot",
                        "date": "2024-02-01",
                        "round": 1,
                        "tallies": {"a": 4, "b": 3},
                        **SRC,
                    }
                ]
            },
            "7 votes but body 'council' has only 5",
        ),
    ],
)
def test_races_that_cannot_be_backtested(kw: dict[str, Any], message: str) -> None:
    with pytest.raises(BacktestError) as info:
        check_backtestable(race(**kw))
    assert message in str(info.value)


def test_a_ballot_published_after_the_decision_is_a_warning() -> None:
    ev = [
        {"id": "b1", "kind": "ballot", "date": "2024-03-05", "round": 1, "tallies": {"a": 3}, **SRC}
    ]
    (w,) = check_backtestable(race(evidence=ev))
    assert "2024-03-05, ballot b1: published after the decision (2024-03-01)" in w


def test_votes_for_a_withdrawn_candidate_are_a_warning() -> None:
    ev = [
        candidacy("c1", "2024-01-10", "b", "withdrawn"),
        {
            "id": "b1",
            "kind": "ballot",
            "date": "2024-02-01",
            "round": 1,
            "tallies": {"a": 3, "b": 1},
            **SRC,
        },
    ]
    (w,) = check_backtestable(race(evidence=ev))
    assert "b received 1 votes after withdrawing on 2024-01-10" in w


def test_fitting_never_makes_the_training_score_worse() -> None:
    races = [race()]
    cfg = FitSettings(
        every=14, samples=300, max_evaluations=6, names=("target_oppose", "bandwagon")
    )
    from kingmaker.engine import Params

    before = score_races(races, Params(), cfg)
    f = fit(races, settings=cfg)
    assert f.log_score >= before - 1e-12 and f.evaluations <= 8
    assert f.races == ("test-race",)


def test_backtest_cli_writes_the_report(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "report"
    db = str(tmp_path / "km.db")
    res = runner.invoke(
        app,
        [
            "--db",
            db,
            "backtest",
            "nato-sg-2024",
            "--every",
            "30d",
            "--samples",
            "500",
            "--report",
            str(out),
            "--json",
        ],
    )
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)["rows"]
    assert rows[0]["race"] == "nato-sg-2024" and rows[-1]["race"] == "mean over races"
    for key in ("kingmaker.brier", "uniform.brier", "endorsements.brier", "kingmaker.log"):
        assert isinstance(rows[0][key], float)
    assert {p.name for p in out.iterdir()} >= {
        "index.html",
        "scores.md",
        "reliability.png",
        "nato-sg-2024.png",
    }
    assert "data:image/png;base64," in (out / "index.html").read_text()
    nothing = runner.invoke(app, ["--db", db, "backtest"])
    assert nothing.exit_code == 1 and "pass --all" in nothing.stderr


def test_a_race_new_to_the_package_loads_and_backtests_without_code_changes(
    tmp_path: Path,
) -> None:
    fixture = Path(__file__).parents[1] / "fixtures" / "races" / "committee-chair"
    race_dir = tmp_path / "committee-chair"
    race_dir.mkdir()
    toml = (fixture / "race.toml").read_text()
    toml += (
        '\n[resolution]\nwinner = "okafor"\ndate = 2024-03-20\n'
        'source = "https://example.org/riverside/result"\n'
    )
    (race_dir / "race.toml").write_text(toml)
    (race_dir / "evidence.jsonl").write_text((fixture / "evidence.jsonl").read_text())
    runner = CliRunner()
    db = str(tmp_path / "km.db")
    loaded = runner.invoke(app, ["--db", db, "load", str(race_dir)])
    assert loaded.exit_code == 0, loaded.output
    race_id = loaded.stdout.split()[1].rstrip(":")
    res = runner.invoke(app, ["--db", db, "backtest", race_id, "--samples", "300", "--json"])
    assert res.exit_code == 0, res.output
    row = json.loads(res.stdout)["rows"][0]
    assert row["race"] == race_id and row["days"] > 30
    assert row["kingmaker.brier"] < row["uniform.brier"]
