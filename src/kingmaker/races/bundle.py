"""The races shipped inside the package (``kingmaker/data/races/<id>/``)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from kingmaker.errors import UnknownRaceError
from kingmaker.races.loader import RACE_FILE, load_race_dir
from kingmaker.records import Race


def _root() -> Path:
    return Path(str(resources.files("kingmaker") / "data" / "races"))


def bundled_race_dirs() -> dict[str, Path]:
    """Race id -> directory, for every bundled race (directory name is the race id)."""
    root = _root()
    if not root.is_dir():
        return {}
    return {d.name: d for d in sorted(root.iterdir()) if (d / RACE_FILE).is_file()}


def load_bundled(race_id: str) -> Race:
    """Load one bundled race.

    Raises:
        UnknownRaceError: when no bundled race has this id.
    """
    dirs = bundled_race_dirs()
    if race_id not in dirs:
        known = ", ".join(dirs) or "none"
        raise UnknownRaceError(f"no bundled race '{race_id}'; bundled races: {known}")
    return load_race_dir(dirs[race_id])
