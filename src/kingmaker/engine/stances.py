"""Stance evidence of one member on one candidate: episodes, and the acceptance they imply."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from kingmaker.engine.params import Params
from kingmaker.records import StanceEvidence

_DAY_ORDER = {"oppose": 0, "neutral": 1, "support": 2, "lifted": 3}


@dataclass(frozen=True)
class Episode:
    """Consecutive reports of the same stance by one member on one candidate."""

    key: str  # support | oppose | neutral | lifted
    reliability: float
    first: dt.date
    last: dt.date
    evidence_ids: tuple[str, ...]


def decay(params: Params, age_days: int, half_life: float | None = None) -> float:
    """Weight left to evidence ``age_days`` old."""
    return float(0.5 ** (max(age_days, 0) / (half_life or params.half_life_days)))


def _key(r: StanceEvidence) -> str:
    return "lifted" if r.lifted else r.stance


def episodes_of(reports: Sequence[StanceEvidence]) -> tuple[Episode, ...]:
    """Group date-ordered stance reports into episodes of the same stance.

    Repeated reports of one stance (wire copies, several outlets) raise the episode's
    reliability (1 - prod(1 - confidence)) instead of counting as fresh statements.
    Support that follows an objection is a lifted objection, whether or not the source
    says so ("had opposed ... now backs").
    """
    out: list[Episode] = []
    objected = False
    # Within one day, objections come before support and lifts: a lift reported the same
    # day as the objection it ends is the later state.
    for r in sorted(reports, key=lambda e: (e.date, _DAY_ORDER[_key(e)], e.id)):
        key = _key(r)
        if key == "support" and objected:
            key = "lifted"
        objected = objected or key in ("oppose", "lifted")
        if out and out[-1].key == key:
            prev = out[-1]
            out[-1] = Episode(
                key,
                1 - (1 - prev.reliability) * (1 - r.confidence),
                prev.first,
                r.date,
                (*prev.evidence_ids, r.id),
            )
        else:
            out.append(Episode(key, r.confidence, r.date, r.date, (r.id,)))
    return tuple(out)


def acceptance(prior: float, episodes: Sequence[Episode], as_of: dt.date, params: Params) -> float:
    """Prior moved toward each episode's target in turn, by reliability times recency.

    Support and lifts only ever raise acceptance. An objection's target is relative: it
    keeps ``target_oppose`` of the acceptance it finds, so it always lowers it, however
    low a prior (a rival party's member) already put it."""
    p = prior
    for ep in episodes:
        alpha = ep.reliability * decay(params, (as_of - ep.last).days)
        if ep.key == "oppose":
            p -= alpha * p * (1 - params.target_oppose)
            continue
        target = params.target_for("support" if ep.key == "lifted" else ep.key, ep.key == "lifted")
        step = target - p
        if ep.key in ("support", "lifted"):
            step = max(step, 0.0)
        p += alpha * step
    return p


def backs(episodes: Sequence[Episode]) -> bool:
    """Whether the latest episode is support or a lifted objection."""
    return bool(episodes) and episodes[-1].key in ("support", "lifted")


def objects(episodes: Sequence[Episode]) -> bool:
    """Whether the latest episode is an objection."""
    return bool(episodes) and episodes[-1].key == "oppose"
