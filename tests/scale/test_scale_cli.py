"""The command line's scale options: ``kingmaker backfill`` on a running cluster (at its
address) stores what ``kingmaker ingest`` stores; a bad ``--scheduler`` and standard input
to a cluster fail in one line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kingmaker.cli import app
from shared_data import shared_path

pytest.importorskip("distributed")

runner = CliRunner()


def km(db: Path, *args: str) -> Any:
    return runner.invoke(app, ["--db", str(db), *args])


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """The address of a LocalCluster of two worker threads (quick to start)."""
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        yield cluster.scheduler_address


def test_backfill_stores_what_ingest_stores(tmp_path: Path, scheduler: str) -> None:
    lines = shared_path("data/news/nato-sg-2024/articles.jsonl").read_text().splitlines()
    for n, line in enumerate(lines[:12]):  # a folder a day
        row = json.loads(line)
        day = tmp_path / "news" / (row["date"] or "undated")
        day.mkdir(parents=True, exist_ok=True)
        (day / f"{n}.jsonl").write_text(line + "\n")
    one = km(tmp_path / "one.db", "ingest", str(tmp_path / "news"), "--mode", "fallback", "--json")
    assert one.exit_code == 0, one.output
    many = km(
        tmp_path / "many.db", "backfill", str(tmp_path / "news"), "--scheduler", scheduler,
        "--mode", "fallback", "--json",
    )  # fmt: skip
    assert many.exit_code == 0, many.output
    a, b = json.loads(one.stdout), json.loads(many.stdout)
    a.pop("articles_per_second")
    b.pop("articles_per_second")
    assert a == b and a["read"] == 12 and a["evidence"]["nato-sg-2024"] > 5


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["backtest", "coe-sg-2024", "--scheduler", "nowhere"], "--scheduler must be 'local'"),
        (["backfill", "-"], "standard input cannot be read by a cluster"),
    ],
)
def test_bad_scale_options_fail_in_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    res = km(tmp_path / "km.db", *args)
    assert res.exit_code == 1
    assert message in res.output and len(res.output.strip().splitlines()) == 1
