"""Fuzzing ``kingmaker ingest`` with generated article files (plain text, JSON lines,
HTML): random text with lone surrogates, control characters, NUL bytes, invalid UTF-8,
odd dates and rows of the wrong shape. Each run succeeds (exit 0) or fails with exit 1
and one line on stderr, never a traceback; a failed run leaves the store as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from fuzz_inputs import ARTICLE_FILES, dump
from kingmaker.cli import app

runner = CliRunner()
NATO = "nato-sg-2024"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One store for the module (seeded once); each example checks what it changed."""
    path = tmp_path_factory.mktemp("fuzz") / "km.db"
    assert runner.invoke(app, ["--db", str(path), "races"]).exit_code == 0
    return path


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    file=ARTICLE_FILES,
    date=st.sampled_from(
        [[], ["--date", "2024-03-01"], ["--date", "2024-03-01"], ["--date", "2024-13-01"]]
    ),
)
def test_any_article_file_is_ingested_or_refused_in_one_line(
    db: Path, tmp_path_factory: pytest.TempPathFactory, file: tuple[str, bytes], date: list[str]
) -> None:
    name, data = file
    path = tmp_path_factory.mktemp("in") / name
    path.write_bytes(data)
    before = dump(db)
    res = runner.invoke(
        app, ["--db", str(db), "ingest", str(path), "--race", NATO, "--mode", "fallback", *date]
    )
    assert res.exit_code in (0, 1), res.output
    assert "Traceback" not in res.output
    assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)
    if res.exit_code == 1:
        lines = res.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), res.stderr
        assert dump(db) == before, f"a failed ingest changed the store: {lines[0]}"
