"""README.md's CLI session is the real output of the code as it is now."""

from __future__ import annotations

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).parents[1] / "scripts" / "readme_session.py"


def test_readme_session_is_current() -> None:
    spec = importlib.util.spec_from_file_location("readme_session", SCRIPT)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert mod.check(), "README.md's session is stale; run python scripts/readme_session.py"
