"""Regenerate the CLI session shown in README.md from real output (``--check`` to verify).

The session sits between ``<!-- session:start -->`` and ``<!-- session:end -->``; each
``$ kingmaker ...`` line is run in-process on a fresh database and followed by its output.
"""

from __future__ import annotations

import os
import shlex
import sys
import tempfile
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"
START, END = "<!-- session:start -->", "<!-- session:end -->"
COMMANDS = [
    "kingmaker forecast nato-sg-2024 --as-of 2024-04-29",
    "kingmaker backtest nato-sg-2024 un-sg-2016 who-dg-2017 --every 7d",
]


def session() -> str:
    """The session block: each command and its real output, at a fixed width."""
    os.environ.update({"COLUMNS": "110", "NO_COLOR": "1", "TERM": "dumb"})
    from typer.testing import CliRunner

    from kingmaker.cli import app

    runner = CliRunner()
    parts = ["```text"]
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "readme.db")
        for cmd in COMMANDS:
            args = shlex.split(cmd)[1:]
            res = runner.invoke(app, ["--db", db, *args], env={"COLUMNS": "110"})
            if res.exit_code != 0:
                raise SystemExit(f"`{cmd}` failed: {res.output}")
            parts.append(f"$ {cmd}")
            parts.append("\n".join(line.rstrip() for line in res.stdout.rstrip().splitlines()))
    parts.append("```")
    return "\n".join(parts)


def render(text: str) -> str:
    """README text with the session block replaced by fresh output."""
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{session()}\n{END}{tail}"


def check() -> bool:
    """Whether README.md's session is what the code prints now."""
    text = README.read_text()
    return render(text) == text


def main() -> None:
    if "--check" in sys.argv[1:]:
        if not check():
            print("README.md's CLI session is out of date; run python scripts/readme_session.py")
            raise SystemExit(1)
        return
    README.write_text(render(README.read_text()))


if __name__ == "__main__":
    main()
