"""A full disk (ENOSPC) under the SQLite store: ``load``, ``ingest`` and ``review`` fail
with one error line, ``forecast`` prints its forecast and one warning line that it was
not saved, and nothing stored is lost or half-written: the store reads back once there
is room again.

Two ways: everywhere, SQLite's ``max_page_count`` caps the file at its size (SQLite then
answers 'database or disk is full', as on a full disk); and where the machine allows
mounting (root, or an unprivileged user namespace), a real tmpfs filled to its last
byte, in a private mount namespace that disappears with the test
(``inside_full_tmpfs`` runs in it).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from fuzz_inputs import dump
from ingest.test_kill_ingest import snapshot
from kingmaker.cli import app
from kingmaker.store import SQLiteStore

from .test_forecast_unsaved import full_disk

NATO = "nato-sg-2024"
TESTS = Path(__file__).parents[1]
RACES = TESTS.parent / "src" / "kingmaker" / "data" / "races"
FULL = "database or disk is full"
runner = CliRunner()


def inputs(folder: Path) -> dict[str, list[str]]:
    """The writes to try, by name: each needs room in the store."""
    feed = folder / "feed.jsonl"
    rows = [
        {
            "date": "2024-03-01",
            "text": "Hungary's prime minister said Hungary would back Mark Rutte.",
        },
        {
            "date": "2024-03-02",
            "text": "Estonia backs Kaja Kallas to become NATO Secretary General.",
        },
    ]
    feed.write_text("".join(json.dumps(r) + "\n" for r in rows))
    race = folder / NATO
    shutil.copytree(RACES / NATO, race)
    toml = race / "race.toml"
    toml.write_text(toml.read_text().replace('name = "NATO ', 'name = "Edited NATO ', 1))
    return {
        "load": ["load", str(race)],
        "ingest": ["ingest", str(feed), "--mode", "fallback"],
        "review": ["review", NATO, "--reject", "e004"],
        "forecast": ["forecast", NATO, "--samples", "500", "--no-explain"],
    }


def check(name: str, code: int, stderr: str) -> None:
    """One line on stderr: an error (exit 1), or for a forecast a warning (exit 0)."""
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and FULL in lines[0] and "Traceback" not in stderr, (name, stderr)
    if name == "forecast":
        assert code == 0 and lines[0].startswith("warning: the forecast was not saved"), stderr
    else:
        assert code == 1 and lines[0].startswith("error: "), (name, code, stderr)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with the bundled races, as one file (no write-ahead log beside it) and
    without free pages."""
    folder = tmp_path_factory.mktemp("seed")
    assert runner.invoke(app, ["--db", str(folder / "live.db"), "races"]).exit_code == 0
    single = folder / "seed.db"
    with sqlite3.connect(folder / "live.db") as live, sqlite3.connect(single) as copy:
        live.backup(copy)
    with sqlite3.connect(single) as copy:  # no free page left inside the file either
        copy.execute("VACUUM")
        assert copy.execute("PRAGMA freelist_count").fetchone() == (0,)
    return single


def test_writes_on_a_capped_store_fail_in_one_line_and_lose_nothing(
    seeded: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Capped, a write that fits in the pages the file has may still land (a review, a
    small article row): an ingest then stores what it could, one whole article at a time,
    and a re-run with room ends where one ingest with room all along does. (On the full
    tmpfs below, every write is refused.)"""
    db, clean = tmp_path / "km.db", tmp_path / "clean.db"
    shutil.copy(seeded, db)
    shutil.copy(seeded, clean)
    writes = inputs(tmp_path)
    full_disk(monkeypatch)
    refused = []
    for name, args in writes.items():
        before, was = dump(db), stored(db)
        res = runner.invoke(app, ["--db", str(db), *args])
        assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)
        if name in ("review", "ingest") and res.exit_code == 0 and not res.stderr:
            continue  # small rows that fit in the pages the file has
        check(name, res.exit_code, res.stderr)
        refused.append(name)
        if name != "ingest":
            assert dump(db) == before, f"{name} on a full disk changed the store"
        else:  # it keeps what it could store before the disk was full, and loses nothing
            kept = stored(db)
            assert was["articles"].items() <= kept["articles"].items()
            for race, items in was["evidence"].items():
                assert set(items) <= set(kept["evidence"][race]), f"{race} lost evidence"
    assert {"load", "forecast"} <= set(refused)
    monkeypatch.undo()  # room again: the store reads, and the ingest finishes its work
    assert runner.invoke(app, ["--db", str(db), "races"]).exit_code == 0
    for path in (db, clean):
        res = runner.invoke(app, ["--db", str(path), *writes["ingest"]])
        assert res.exit_code == 0, res.output
    if "review" not in refused:  # it fitted: the clean store takes it too
        assert runner.invoke(app, ["--db", str(clean), *writes["review"]]).exit_code == 0
    assert stored(db) == stored(clean) and len(stored(clean)["articles"]) == 2


def stored(db: Path) -> dict[str, Any]:
    """The articles, their links and copies, and the evidence of each race."""
    with SQLiteStore(db) as store:
        return snapshot(store)


def unshare() -> list[str]:
    """The command that makes a private mount namespace (as root, or as root of a new
    user namespace)."""
    if shutil.which("unshare") is None:
        pytest.skip("no unshare command here: cannot make a private tmpfs to fill")
    return ["unshare", "--mount"] if os.geteuid() == 0 else ["unshare", "-rm"]


def test_writes_on_a_full_tmpfs_fail_in_one_line_and_change_nothing(
    seeded: Path, tmp_path: Path
) -> None:
    mount = tmp_path / "mnt"
    mount.mkdir()
    probe = subprocess.run(
        [*unshare(), "sh", "-c", f"mount -t tmpfs -o size=1m tmpfs '{mount}'"],
        capture_output=True,
        text=True,
        check=False,
    )
    if probe.returncode != 0:
        why = (probe.stderr.strip().splitlines() or ["no reason given"])[-1]
        pytest.skip(f"this machine does not allow mounting a tmpfs ({why})")
    script = (
        f"import json, sys; sys.path.insert(0, {str(TESTS)!r}); "
        "from store.test_full_disk import inside_full_tmpfs as run; "
        f"print(json.dumps(run(*map(__import__('pathlib').Path, sys.argv[1:]))))"
    )
    inside = (
        f"mount -t tmpfs -o size=16m tmpfs '{mount}' && "
        f"exec '{sys.executable}' -c \"{script}\" '{mount}' '{seeded}' '{tmp_path}'"
    )
    run = subprocess.run(
        [*unshare(), "sh", "-c", inside], capture_output=True, text=True, check=False, timeout=300
    )
    assert run.returncode == 0, run.stderr
    report: dict[str, Any] = json.loads(run.stdout.strip().splitlines()[-1])
    assert report["filled"], "the tmpfs never ran out of room"
    for name, got in report["writes"].items():
        check(name, got["code"], got["stderr"])
        assert got["unchanged"], f"{name} on a full disk changed the store"
    assert report["reads_after"] == 0 and report["unchanged_after"]


def inside_full_tmpfs(mount: Path, seeded: Path, work: Path) -> dict[str, Any]:
    """On the tmpfs mounted at ``mount``: copy the store there, fill the rest, try each
    write with the CLI, then make room and read the store back."""
    db = mount / "km.db"
    shutil.copy(seeded, db)
    before = dump(db)
    filler = mount / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    filled = False
    try:
        while True:
            os.write(fd, bytes(4096))
    except OSError as exc:
        filled = exc.errno == 28  # ENOSPC
    finally:
        os.close(fd)
    writes = {}
    for name, args in inputs(work).items():
        res = runner.invoke(app, ["--db", str(db), *args])
        writes[name] = {
            "code": res.exit_code,
            "stderr": res.stderr
            if res.exception is None or isinstance(res.exception, SystemExit)
            else repr(res.exception),
            "unchanged": dump(db) == before,
        }
    filler.unlink()
    reads = runner.invoke(app, ["--db", str(db), "races"]).exit_code
    return {
        "filled": filled,
        "writes": writes,
        "reads_after": reads,
        "unchanged_after": dump(db) == before,
    }


def test_a_store_missing_a_bundled_race_still_opens_on_a_full_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bundled race added by an upgrade cannot be stored on a full disk; the store
    still opens for everything else (the race is added on a later open)."""
    import kingmaker.service

    db = tmp_path / "km.db"
    every = kingmaker.service.bundled_race_dirs()
    older = {k: v for k, v in every.items() if k != "un-sg-2026"}
    monkeypatch.setattr(kingmaker.service, "bundled_race_dirs", lambda: older)
    assert runner.invoke(app, ["--db", str(db), "races"]).exit_code == 0
    monkeypatch.setattr(kingmaker.service, "bundled_race_dirs", lambda: every)
    full_disk(monkeypatch)
    before = dump(db)
    res = runner.invoke(
        app, ["--db", str(db), "forecast", NATO, "--samples", "500", "--no-explain"]
    )
    check("forecast", res.exit_code, res.stderr)
    assert runner.invoke(app, ["--db", str(db), "races", "--json"]).exit_code == 0
    assert dump(db) == before
    monkeypatch.undo()  # room again: the next open adds it
    listed = runner.invoke(app, ["--db", str(db), "races", "--json"])
    assert "un-sg-2026" in {r["id"] for r in json.loads(listed.stdout)}
