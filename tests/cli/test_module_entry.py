"""``python -m kingmaker`` runs the command line, like the installed script."""

from __future__ import annotations

import subprocess
import sys


def test_python_dash_m_kingmaker_runs_the_cli() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "kingmaker", "--help"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "forecast" in done.stdout and "backtest" in done.stdout
