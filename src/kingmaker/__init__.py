"""kingmaker: who will the council pick for the post, and who decides it?

Model a selection race (post, body, rule, candidates), keep dated sourced evidence of
each member's stance, and forecast day by day who will be chosen and who decides it.
"""

from kingmaker.engine import Forecast, Params, forecast
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
from kingmaker.races import load_bundled, load_race_dir
from kingmaker.records import Body, Candidate, Member, Post, Race
from kingmaker.service import Kingmaker

__version__ = "0.1.0"

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
