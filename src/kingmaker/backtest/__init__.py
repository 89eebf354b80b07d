"""Backtests: replay resolved races day by day, score against baselines, fit parameters."""

from kingmaker.backtest.checks import check_backtestable
from kingmaker.backtest.replay import METHODS, Day, Replay, replay, replay_days
from kingmaker.backtest.scores import Score, score

__all__ = [
    "METHODS",
    "Day",
    "Replay",
    "Score",
    "check_backtestable",
    "replay",
    "replay_days",
    "score",
]
