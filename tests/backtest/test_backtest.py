"""Backtests: proper scores, baselines, replayed days, checks, fitting, the CLI and report."""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import D, candidacy, make_race, stance
from kingmaker.backtest import check_backtestable, replay, replay_days, score, scores
from kingmaker.backtest.fit import FitSettings, fit, score_races
from kingmaker.backtest.report import MEAN_ROW, calibration, markdown, table_rows
from kingmaker.cli import app
from kingmaker.errors import BacktestError

RESOLVED = {"winner": "a", "date": "2024-03-01", "source": "https://example.org/r"}
SRC = {"source": {"url": "https://example.org/b"}, "producer": "curated:test"}


def test_scores_by_hand() -> None:
    s = score({"a": 0.5, "b": 0.3, "field": 0.1, "deadlock": 0.1}, "a", n_options=3)
    assert s.brier == pytest.approx(0.25 + 0.09 + 0.01 + 0.01)
    assert s.log == pytest.approx(math.log(0.5))
    assert s.relative_log == pytest.approx(100 * math.log(1.5) / math.log(3))
    assert s.rank == 1 and s.first == 1
    worst = score({"a": 0.0, "b": 1.0}, "a", n_options=2)
    assert worst.brier == 2.0 and worst.log == pytest.approx(math.log(1e-3)) and worst.rank == 2
    assert worst.first == 0
    assert score({"a": 0.5, "b": 0.5}, "a", 2).relative_log == pytest.approx(0.0)


@pytest.mark.parametrize(
    ("probs", "winner", "brier", "log_p", "rank", "first"),
    [
        # uniform over three: the winner shares places 1-3, so its rank is 2, first 1/3
        ({"a": 1 / 3, "b": 1 / 3, "field": 1 / 3}, "a", 2 / 3, 1 / 3, 2.0, 1 / 3),
        # tied for second with one other: places 2 and 3 shared
        ({"a": 0.25, "b": 0.5, "c": 0.25}, "a", 0.5625 + 0.25 + 0.0625, 0.25, 2.5, 0.0),
        # tied for first with one other
        ({"a": 0.4, "b": 0.4, "c": 0.2}, "a", 0.36 + 0.16 + 0.04, 0.4, 1.5, 0.5),
        # the winner left out of the forecast: p = 0, last place, Brier gains 1
        ({"b": 0.6, "c": 0.4}, "a", 0.36 + 0.16 + 1, 1e-3, 3.0, 0.0),
    ],
)
def test_scores_with_ties_by_hand(
    probs: dict[str, float], winner: str, brier: float, log_p: float, rank: float, first: float
) -> None:
    assert scores.brier(probs, winner) == pytest.approx(brier)
    assert scores.log_score(probs, winner) == pytest.approx(math.log(log_p))
    assert scores.average_rank(probs, winner) == pytest.approx(rank)
    assert scores.first_place(probs, winner) == pytest.approx(first)


def test_relative_log_needs_two_options() -> None:
    assert scores.relative_log({"a": 1.0}, "a", 1) is None
    assert scores.relative_log({"a": 1.0, "b": 0.0}, "a", 2) == pytest.approx(100.0)


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
    assert not rp.days[0].named and rp.days[-1].named


def test_days_before_the_winner_is_named_are_scored_apart() -> None:
    r = race(evidence=[candidacy("c1", "2024-01-10", "b"), candidacy("c2", "2024-02-20", "a")])
    rp = replay(r, samples=300)
    named, unnamed = rp.phase_days("named"), rp.phase_days("unnamed")
    assert [d.as_of for d in named] == [D("2024-02-20") + dt.timedelta(i) for i in range(10)]
    assert len(unnamed) == len(rp.days) - 10 and all(d.winner == "field" for d in unnamed)
    for m in ("kingmaker", "uniform"):
        by_hand = sum(d.scores[m].brier for d in named) / len(named)
        assert rp.mean(m, "brier", "named") == pytest.approx(by_hand)
    assert rp.mean("uniform", "rank", "named") == pytest.approx(2.0)  # a, b, field tied
    assert rp.first_late("uniform") == pytest.approx(1 / 3) and rp.late_days() == 10
    row, mean = table_rows([rp])
    assert row["days_named"] == 10 and row["days_unnamed"] == len(unnamed)
    assert row["named.uniform.brier"] == pytest.approx(2 / 3)
    assert mean["race"] == MEAN_ROW


def test_the_mean_over_races_weighs_each_race_once() -> None:
    short = replay(race(), days=[D("2024-02-29")], samples=200)
    long = replay(race(), every=1, samples=200)
    rows = table_rows([short, long])
    km = [r["named.kingmaker.brier"] for r in rows]
    assert km[2] == pytest.approx((km[0] + km[1]) / 2)
    assert rows[2]["days_named"] == len(short.days) + len(long.days)


def test_a_phase_without_days_is_nan_and_left_out_of_the_mean() -> None:
    rp = replay(race(), every=7, samples=200)  # the winner is named from the first day
    row, mean = table_rows([rp])
    assert math.isnan(row["unnamed.kingmaker.brier"]) and math.isnan(mean["unnamed.uniform.log"])
    assert "| test-race | 0 | - |" in markdown([row, mean])


def test_calibration_counts_every_outcome_of_every_named_day() -> None:
    rp = replay(race(), every=7, samples=200)
    rows = calibration([rp], bins=3)
    n_outcomes = sum(len(d.probs["uniform"]) for d in rp.days)
    assert sum(r["uniform.n"] for r in rows) == n_outcomes
    # uniform gives 1/3 to each of a, b and the field: all in the middle bin, a third right
    (mid,) = [r for r in rows if r["uniform.n"]]
    assert mid["lo"] == pytest.approx(1 / 3) and mid["uniform.observed"] == pytest.approx(1 / 3)
    assert mid["uniform.forecast"] == pytest.approx(1 / 3)


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
    (w,) = [w for w in check_backtestable(race(evidence=ev)) if "ballot b1" in w]
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
    (w,) = [w for w in check_backtestable(race(evidence=ev)) if "ballot b1" in w]
    assert "b received 1 votes after withdrawing on 2024-01-10" in w


def test_fitting_never_makes_the_training_score_worse() -> None:
    races = [race()]
    cfg = FitSettings(
        every=14, samples=300, max_evaluations=6, names=("target_oppose", "bandwagon")
    )
    from kingmaker.engine import Params

    before = score_races(races, Params(), cfg)
    f = fit(races, settings=cfg)
    assert f.objective >= before - 1e-12 and f.evaluations <= 8
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
    data = json.loads(res.stdout)
    rows = data["rows"]
    assert rows[0]["race"] == "nato-sg-2024" and rows[-1]["race"] == "mean over races"
    for key in ("named.kingmaker.brier", "named.uniform.brier", "named.endorsements.log"):
        assert isinstance(rows[0][key], float)
    assert "days" not in data and len(data["calibration"]) == 10
    assert "Named days (the headline)" in data["explain"]
    assert {p.name for p in out.iterdir()} >= {
        "index.html",
        "scores.md",
        "reliability.png",
        "nato-sg-2024.png",
    }
    page = (out / "index.html").read_text()
    assert "data:image/png;base64," in page and page.count("<table>") == 3
    assert "Calibration" in (out / "scores.md").read_text()
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
    assert row["named.kingmaker.brier"] < row["named.uniform.brier"]


def test_backtest_cli_days_and_table(tmp_path: Path) -> None:
    runner = CliRunner()
    db = str(tmp_path / "km.db")
    args = ["--db", db, "backtest", "nato-sg-2024", "--every", "60d", "--samples", "200"]
    res = runner.invoke(app, [*args, "--days"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    days = data["days"]["nato-sg-2024"]
    assert len(days) == data["rows"][0]["days"]
    first = days[0]
    assert set(first["probs"]) == set(first["scores"]) == {"kingmaker", "uniform", "endorsements"}
    assert sum(first["probs"]["uniform"].values()) == pytest.approx(1.0)
    assert {"brier", "log", "rank", "first"} <= set(first["scores"]["kingmaker"])
    assert first["named"] is (first["winner"] != "field") and first["days_left"] > 0
    text = runner.invoke(app, args, env={"COLUMNS": "120"})
    assert text.exit_code == 0, text.output
    assert "days the winner is named (headline)" in text.stdout and "Calibration" in text.stdout
    assert max(len(line) for line in text.stdout.splitlines()) <= 120


def test_the_scan_finds_the_better_of_two_optima_along_one_parameter() -> None:
    """An objective with a local optimum near the start and a better one far from it: the
    compass search alone stops at the near one; with the scan first it reaches the far one."""
    from kingmaker.backtest import fit as fitmod

    names = ("relent",)
    near, far = fitmod._fwd("relent", 0.6), fitmod._fwd("relent", 0.02)

    class Scorer:
        def many(self, races: object, params: object, key: tuple[float, ...]) -> list[float]:
            x = key[0]
            return [max(-((x - near) ** 2), 0.5 - (x - far) ** 2)]

    start = fitmod.Params(relent=0.5)
    cfg = FitSettings(max_evaluations=60, names=names, scan=0)
    local = fitmod.fit([race()], start=start, settings=cfg, scorer=Scorer())  # type: ignore[arg-type]
    scanned = fitmod.fit(
        [race()],
        start=start,
        settings=FitSettings(max_evaluations=60, names=names, scan=5),
        scorer=Scorer(),  # type: ignore[arg-type]
    )
    assert local.params.relent > 0.3 and local.objective < 0.1
    assert scanned.params.relent < 0.1 and scanned.objective > 0.4
