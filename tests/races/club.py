"""A small club race for the format and warning tests: four members of group EU (one
seated late, one joining the group mid-race), two candidates."""

from __future__ import annotations

import json
from typing import Any

SOURCE = {"source": {"url": "https://example.org/1"}, "producer": "curated:t"}

_TOML = """
id = "club"
name = "Club chair"
opened = 2024-01-01

[post]
name = "Chair"

[rule]
kind = "consensus"

[[bodies]]
id = "board"
name = "Board"

[[bodies.members]]
id = "A"
name = "Alpha"
groups = ["EU"]

[[bodies.members]]
id = "B"
name = "Beta"
groups = ["EU"]

[[bodies.members]]
id = "C"
name = "Gamma"
joined = 2024-03-01
groups = ["EU"]

[[bodies.members]]
id = "D"
name = "Delta"
{spells}
[[candidates]]
id = "x"
name = "Xavier"

[[candidates]]
id = "y"
name = "Yvonne"
"""
_SPELLS = '\n[[bodies.members.group_spells]]\ngroup = "EU"\nstart = 2024-02-15\n'


def club_toml(*, spells: bool = True, fmt: int | None = 2) -> str:
    """The race file; ``spells`` gives D the group EU from 2024-02-15 (a format 2 key)."""
    head = f"format = {fmt}\n" if fmt is not None else ""
    return head + _TOML.replace("{spells}", _SPELLS if spells else "")


def rows(*items: dict[str, Any]) -> str:
    """Evidence JSONL: each item with a source and a producer."""
    return "\n".join(json.dumps({**SOURCE, **i}) for i in items)


def cand(eid: str, day: str, who: str, status: str = "declared", **kw: Any) -> dict[str, Any]:
    """A candidacy row."""
    return {"id": eid, "kind": "candidacy", "date": day, "candidate": who, "status": status, **kw}
