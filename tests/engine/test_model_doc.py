"""docs/model.md documents every model parameter with the value the code uses."""

from __future__ import annotations

import re
from pathlib import Path

from kingmaker.engine import MODEL, Params

DOC = Path(__file__).parents[2] / "docs" / "model.md"


def test_every_parameter_is_documented_with_its_value() -> None:
    text = DOC.read_text()
    assert MODEL in text
    rows = dict(re.findall(r"^\| `(\w+)` \| ([^|]+) \|", text, flags=re.M))
    for name, value in Params().model_dump().items():
        assert name in rows, f"docs/model.md has no row for {name}"
        assert float(rows[name]) == float(value), f"{name}: doc says {rows[name]}, code {value}"
    assert set(rows) == set(Params.model_fields)
