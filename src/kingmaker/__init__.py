"""kingmaker: who will the council pick for the post, and who decides it?

Model a selection race (post, body, rule, candidates), keep dated sourced evidence of
each member's stance, and forecast day by day who will be chosen and who decides it.

The names below are loaded on first use (PEP 562), so ``import kingmaker`` is quick and
importing the engine loads no extractor, web server or command line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kingmaker.errors import (
    BacktestError,
    ChartError,
    ExtractionError,
    ForecastError,
    IngestError,
    KingmakerError,
    RaceFileError,
    ReviewError,
    RuleError,
    StoreError,
    UnknownRaceError,
)
from kingmaker.lazy import attach

if TYPE_CHECKING:
    from kingmaker.engine import Forecast, Params, forecast
    from kingmaker.races import load_bundled, load_race_dir
    from kingmaker.records import Body, Candidate, Member, Post, Race
    from kingmaker.service import Kingmaker

__version__ = "0.1.0"

# Public name -> the module that defines it, imported when the name is first asked for.
_LAZY = {
    "Body": "kingmaker.records",
    "Candidate": "kingmaker.records",
    "Forecast": "kingmaker.engine",
    "Kingmaker": "kingmaker.service",
    "Member": "kingmaker.records",
    "Params": "kingmaker.engine",
    "Post": "kingmaker.records",
    "Race": "kingmaker.records",
    "forecast": "kingmaker.engine",
    "load_bundled": "kingmaker.races",
    "load_race_dir": "kingmaker.races",
}

__all__ = [
    "BacktestError",
    "Body",
    "Candidate",
    "ChartError",
    "ExtractionError",
    "Forecast",
    "ForecastError",
    "IngestError",
    "Kingmaker",
    "KingmakerError",
    "Member",
    "Params",
    "Post",
    "Race",
    "RaceFileError",
    "ReviewError",
    "RuleError",
    "StoreError",
    "UnknownRaceError",
    "forecast",
    "load_bundled",
    "load_race_dir",
]


__getattr__, __dir__ = attach(__name__, _LAZY)
