"""Race files: load a race directory, warn about what it may not mean, and find the races
bundled with the package."""

from kingmaker.races.bundle import bundled_race_dirs, load_bundled
from kingmaker.races.lint import race_warnings
from kingmaker.races.loader import load_race_dir, parse_evidence, parse_race

__all__ = [
    "bundled_race_dirs",
    "load_bundled",
    "load_race_dir",
    "parse_evidence",
    "parse_race",
    "race_warnings",
]
