"""Bad command-line input: one line on stderr and a non-zero exit, nothing half-done; an
ingest that could read nothing says so and fails."""

from __future__ import annotations

import gzip
import json
import socket
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import kingmaker.web
from kingmaker.cli import app

runner = CliRunner()
NATO = "nato-sg-2024"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A fresh store, for a test that writes."""
    return tmp_path / "km.db"


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One store for the tests whose commands store nothing (seeded once: quicker)."""
    return tmp_path_factory.mktemp("cli") / "km.db"


def km(db: Path, *args: str) -> Any:
    return runner.invoke(app, ["--db", str(db), *args])


def one_line_error(res: Any, words: str) -> None:
    """A refusal: exit 1, no traceback, and ``words`` in a single line on stderr."""
    assert res.exit_code == 1, res.output
    assert res.exception is None or isinstance(res.exception, SystemExit)
    lines = res.stderr.strip().splitlines()
    assert lines and lines[-1].startswith("error: ") and words in lines[-1], res.stderr
    assert "Traceback" not in res.output


def evidence_of(db: Path) -> list[Any]:
    res = km(db, "evidence", NATO, "--json")
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)  # type: ignore[no-any-return]


def unusable_inputs(tmp_path: Path) -> dict[str, str]:
    """Inputs with no article in them, by what they are."""
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    (tmp_path / "feed.jsonl.gz").write_bytes(gzip.compress(b'{"text": "Rutte"}\n'))
    (tmp_path / "binary.txt").write_bytes(b"Rutte\x00\x01\x02\x03")
    (tmp_path / "blank.html").write_text("<html><body><script>x()</script></body></html>")
    return {
        "missing path": str(tmp_path / "no-such-file.txt"),
        "empty glob": str(tmp_path / "nothing-*.jsonl"),
        "empty file": str(tmp_path / "empty.txt"),
        "png": str(tmp_path / "logo.png"),
        "gzip": str(tmp_path / "feed.jsonl.gz"),
        "binary": str(tmp_path / "binary.txt"),
        "html without text": str(tmp_path / "blank.html"),
    }


@pytest.mark.parametrize(
    "kind",
    ["missing path", "empty glob", "empty file", "png", "gzip", "binary", "html without text"],
)
def test_ingest_fails_when_no_input_was_usable(shared: Path, tmp_path: Path, kind: str) -> None:
    path = unusable_inputs(tmp_path)[kind]
    res = km(shared, "ingest", path, "--mode", "fallback")
    one_line_error(res, "no article could be read from the input; nothing was stored")
    assert "Read 0 articles" in res.stdout  # the report still says what happened
    as_json = km(shared, "ingest", path, "--mode", "fallback", "--json")
    assert as_json.exit_code == 1 and json.loads(as_json.stdout)["read"] == 0


def test_ingest_stores_the_good_lines_around_a_deep_one_and_succeeds(
    db: Path, tmp_path: Path
) -> None:
    rows = [
        json.dumps({"date": f"2024-03-0{i}", "text": f"Hungary would back Mark Rutte, day {i}."})
        for i in range(1, 7)
    ]
    feed = tmp_path / "feed.jsonl"
    deep = '{"text": ' + "[" * 100_000 + "]" * 100_000 + "}"
    feed.write_text("\n".join([*rows[:3], deep, *rows[3:]]) + "\n")
    png = unusable_inputs(tmp_path)["png"]  # some input unusable, some read: a success
    res = km(db, "ingest", str(feed), png, "--mode", "fallback", "--json")
    assert res.exit_code == 0, res.output
    report = json.loads(res.stdout)
    assert report["read"] == 6 and report["new"] == 6
    assert report["problems"] == [
        f"{feed}:4: nested deeper than 64 levels; flatten it; skipped",
        f"{png}: a PNG image, not text; convert it to text, HTML or JSONL first; skipped",
    ]


@pytest.mark.parametrize("value", ["5", "-0.1", "nan", "inf"])
def test_review_threshold_outside_0_1_is_refused(shared: Path, value: str) -> None:
    one_line_error(km(shared, "review", NATO, "--threshold", value), "--threshold must be between")


def test_review_threshold_inside_0_1_is_taken(shared: Path) -> None:
    assert km(shared, "review", NATO, "--threshold", "1", "--json").exit_code == 0


@pytest.mark.parametrize("value", ["0", "-1"])
def test_fit_evaluations_below_1_is_refused_and_writes_nothing(
    shared: Path, tmp_path: Path, value: str
) -> None:
    out = tmp_path / "params.json"
    res = km(shared, "fit", "--all", "--evaluations", value, "--out", str(out))
    one_line_error(res, f"--evaluations must be 1 or more, got {value}")
    assert not out.exists()


@pytest.fixture
def no_server(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """``serve`` never starts a server in these tests; a start is recorded instead."""
    started: list[str] = []
    monkeypatch.setattr(kingmaker.web, "serve", lambda km, settings: started.append("started"))
    return started


@pytest.mark.parametrize("value", [str(10**12), "5000001", "99"])
def test_serve_samples_outside_the_forecast_limit_is_refused(
    shared: Path, no_server: list[str], value: str
) -> None:
    res = km(shared, "serve", "--samples", value, "--port", "1")
    one_line_error(res, "--samples must be between 100 and 5,000,000")
    assert "serving" not in res.stdout and not no_server


def test_serve_on_a_taken_port_fails_before_saying_it_serves(
    shared: Path, no_server: list[str]
) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        res = km(shared, "serve", "--port", str(port))
    one_line_error(res, f"cannot listen on 127.0.0.1:{port}")
    assert "serving" not in res.stdout and not no_server


def test_serve_on_a_free_port_starts(shared: Path, no_server: list[str]) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    res = km(shared, "serve", "--port", str(port), "--samples", "5000000")
    assert res.exit_code == 0, res.output
    assert "serving" in res.stdout and no_server == ["started"]


def test_an_edit_that_changes_nothing_is_refused_and_stores_nothing(shared: Path) -> None:
    before = evidence_of(shared)
    item = next(e for e in before if e["kind"] == "stance" and e["review"] != "rejected")
    other = next(e for e in before if e["id"] != item["id"] and e["review"] != "rejected")
    res = km(
        shared,
        "review",
        NATO,
        "--reject",
        other["id"],  # asked with the edit: not done either, as the edit is refused first
        "--edit",
        item["id"],
        "--set",
        f"stance={item['stance']}",
        "--set",
        f"member={item['member']}",
    )
    one_line_error(res, "the edit changes nothing")
    assert evidence_of(shared) == before


def test_an_edit_that_changes_something_still_works(db: Path) -> None:
    item = next(e for e in evidence_of(db) if e["kind"] == "stance" and e["stance"] == "support")
    res = km(db, "review", NATO, "--edit", item["id"], "--set", "stance=oppose")
    assert res.exit_code == 0, res.output
    assert f"replaced {item['id']} by {item['id']}.r1" in res.stdout


@pytest.mark.parametrize("value", ["2024-03-10T10:00", "20240310", "2024-W10-7"])
def test_as_of_must_be_a_plain_day(shared: Path, value: str) -> None:
    res = km(shared, "forecast", NATO, "--as-of", value)
    one_line_error(res, f"--as-of must be a date as YYYY-MM-DD, got '{value}'")


def test_fit_folds_without_loo_is_refused_and_writes_nothing(shared: Path, tmp_path: Path) -> None:
    out, folds = tmp_path / "params.json", tmp_path / "folds"
    res = km(shared, "fit", "--all", "--folds", str(folds), "--out", str(out))
    one_line_error(res, "--folds needs --loo")
    assert not out.exists() and not folds.exists()
