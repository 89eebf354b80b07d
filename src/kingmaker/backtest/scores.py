"""Proper scores of one day's forecast against the eventual outcome.

Brier: sum over outcomes of (p - outcome)^2, 0 (perfect) to 2. Log score: ln p(winner),
floored at ln(LOG_FLOOR) so one impossible-looking outcome costs a bounded amount.
Baseline-relative log score, as forecasting platforms use it: 100 * ln(N * p) / ln N for
N options (named active candidates plus the field): 0 for a uniform guess, 100 for
certainty on the winner, negative below uniform. Rank: 1 for the favourite.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

LOG_FLOOR = 1e-3


@dataclass(frozen=True)
class Score:
    """Scores of one forecast."""

    brier: float
    log: float
    relative_log: float | None
    rank: int


def score(probs: Mapping[str, float], winner: str, n_options: int) -> Score:
    """Score ``probs`` (outcome id -> probability) against the ``winner`` outcome id."""
    p_w = probs.get(winner, 0.0)
    brier = sum((p - (1.0 if k == winner else 0.0)) ** 2 for k, p in probs.items())
    if winner not in probs:
        brier += 1.0
    floored = max(p_w, LOG_FLOOR)
    rel = 100 * math.log(n_options * floored) / math.log(n_options) if n_options >= 2 else None
    rank = 1 + sum(1 for k, p in probs.items() if p > p_w and k != winner)
    return Score(brier=brier, log=math.log(floored), relative_log=rel, rank=rank)
