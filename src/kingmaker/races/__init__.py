"""Race files: load a race directory, warn about what it may not mean, find the races
bundled with the package, and write a new one from body presets and a rule template."""

from kingmaker.races.bundle import bundled_race_dirs, load_bundled
from kingmaker.races.lint import race_warnings
from kingmaker.races.loader import load_race_dir, parse_evidence, parse_race
from kingmaker.races.presets import TEMPLATES, load_preset, preset_names
from kingmaker.races.scaffold import race_counts, scaffold_race, write_scaffold

__all__ = [
    "TEMPLATES",
    "bundled_race_dirs",
    "load_bundled",
    "load_preset",
    "load_race_dir",
    "parse_evidence",
    "parse_race",
    "preset_names",
    "race_counts",
    "race_warnings",
    "scaffold_race",
    "write_scaffold",
]
