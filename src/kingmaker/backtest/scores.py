"""Proper scores of one day's forecast against the eventual outcome: pure functions.

Brier: sum over outcomes of (p - outcome)^2, 0 (perfect) to 2. Log score: ln p(winner),
floored at ln(LOG_FLOOR) so one impossible-looking outcome costs a bounded amount.
Baseline-relative log score, as forecasting platforms use it: 100 * ln(N * p) / ln N for
N options (named active candidates plus the field): 0 for a uniform guess, 100 for
certainty on the winner, negative below uniform. Rank: 1 for the favourite; outcomes tied
with the winner share the places they span (average rank), so a uniform forecast over
three options ranks the winner 2, not 1. First: 1 when the winner is the sole favourite,
1/k when k outcomes tie for the top, 0 otherwise (the chance that breaking ties at random
puts the winner first).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

LOG_FLOOR = 1e-3
TIE = 1e-12  # probabilities closer than this are tied


@dataclass(frozen=True)
class Score:
    """Scores of one forecast."""

    brier: float
    log: float
    relative_log: float | None
    rank: float
    first: float


def brier(probs: Mapping[str, float], winner: str) -> float:
    """Sum of squared errors over the outcomes; an outcome left out counts as p = 0."""
    total = sum((p - (1.0 if k == winner else 0.0)) ** 2 for k, p in probs.items())
    return total if winner in probs else total + 1.0


def log_score(probs: Mapping[str, float], winner: str) -> float:
    """ln p(winner), floored at ln(LOG_FLOOR)."""
    return math.log(max(probs.get(winner, 0.0), LOG_FLOOR))


def relative_log(probs: Mapping[str, float], winner: str, n_options: int) -> float | None:
    """100 * ln(N p) / ln N: 0 for uniform over N options, 100 for certainty; None if N < 2."""
    if n_options < 2:
        return None
    p = max(probs.get(winner, 0.0), LOG_FLOOR)
    return 100 * math.log(n_options * p) / math.log(n_options)


def average_rank(probs: Mapping[str, float], winner: str) -> float:
    """The winner's place by probability, 1 for the favourite; ties share their places."""
    p_w = probs.get(winner, 0.0)
    above = sum(1 for k, p in probs.items() if k != winner and p > p_w + TIE)
    tied = sum(1 for k, p in probs.items() if k != winner and abs(p - p_w) <= TIE)
    return 1 + above + tied / 2


def first_place(probs: Mapping[str, float], winner: str) -> float:
    """1 if the winner alone is the favourite, 1/k if k outcomes share the top, else 0."""
    p_w = probs.get(winner, 0.0)
    if any(k != winner and p > p_w + TIE for k, p in probs.items()):
        return 0.0
    tied = sum(1 for k, p in probs.items() if k != winner and abs(p - p_w) <= TIE)
    return 1 / (1 + tied)


def score(probs: Mapping[str, float], winner: str, n_options: int) -> Score:
    """Score ``probs`` (outcome id -> probability) against the ``winner`` outcome id."""
    return Score(
        brier=brier(probs, winner),
        log=log_score(probs, winner),
        relative_log=relative_log(probs, winner, n_options),
        rank=average_rank(probs, winner),
        first=first_place(probs, winner),
    )
