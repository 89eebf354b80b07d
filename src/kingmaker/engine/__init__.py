"""The forecast engine: beliefs from evidence, rule-aware Monte Carlo, kingmakers, explanations."""

from kingmaker.engine.beliefs import FIELD_ID, Beliefs, build_beliefs
from kingmaker.engine.forecast import DEADLOCK_ID, forecast
from kingmaker.engine.params import MODEL, Params
from kingmaker.engine.result import Contribution, Forecast, Kingmaker, Outcome

__all__ = [
    "DEADLOCK_ID",
    "FIELD_ID",
    "MODEL",
    "Beliefs",
    "Contribution",
    "Forecast",
    "Kingmaker",
    "Outcome",
    "Params",
    "build_beliefs",
    "forecast",
]
