"""Turn a race's evidence, as known on one day, into the numbers the simulation samples.

For each seated member and candidate: the probability that the member accepts the
candidate when the body decides (prior, moved by stance evidence); for each candidate:
the probability that they stand; and the anonymous counts that constrain unnamed members.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from kingmaker.engine.params import Params
from kingmaker.records import (
    AppointmentEvidence,
    CandidacyEvidence,
    CountEvidence,
    Race,
    StanceEvidence,
)
from kingmaker.rules import Electorate

FIELD_ID = "field"
FIELD_NAME = "the field (someone not yet named)"


@dataclass(frozen=True)
class Episode:
    """Consecutive reports of the same stance by one member on one candidate."""

    key: str  # support | oppose | neutral | lifted
    reliability: float
    first: dt.date
    last: dt.date
    evidence_ids: tuple[str, ...]


@dataclass(frozen=True)
class CountConstraint:
    """At least ``needed`` of the ``unnamed`` members back candidate ``column``."""

    column: int
    unnamed: np.ndarray  # (M,) bool
    needed: int
    weight: float  # share of samples in which the constraint holds
    evidence_id: str


@dataclass(frozen=True)
class Beliefs:
    """Everything the simulation needs for one race on one day, plus where it came from."""

    as_of: dt.date
    electorate: Electorate
    candidate_ids: tuple[str, ...]  # named candidates in race order, then FIELD_ID
    status: tuple[str | None, ...]
    accept: np.ndarray  # (C, M) float
    stand: np.ndarray  # (C,) float
    counts: tuple[CountConstraint, ...]
    episodes: dict[tuple[str, str], tuple[Episode, ...]] = field(default_factory=dict)
    used: tuple[str, ...] = ()
    decided: AppointmentEvidence | None = None

    @property
    def member_ids(self) -> tuple[str, ...]:
        """Seated members, in column order."""
        return self.electorate.member_ids

    def same_numbers(self, other: Beliefs) -> bool:
        """Whether ``other`` would simulate identically (used to skip no-op ablations)."""
        return (
            self.candidate_ids == other.candidate_ids
            and np.array_equal(self.accept, other.accept)
            and np.array_equal(self.stand, other.stand)
            and [(c.column, c.needed, c.weight, c.unnamed.tobytes()) for c in self.counts]
            == [(c.column, c.needed, c.weight, c.unnamed.tobytes()) for c in other.counts]
            and (self.decided is None) == (other.decided is None)
        )


def electorate_on(race: Race, day: dt.date) -> Electorate:
    """The members of every body seated on ``day``, as arrays."""
    seated = [(b.id, m) for b in race.bodies for m in b.active_members(day)]
    ids = tuple(m.id for _, m in seated)
    groups: dict[str, np.ndarray] = {}
    for i, (_, m) in enumerate(seated):
        for g in m.groups:
            groups.setdefault(g, np.zeros(len(seated), dtype=bool))[i] = True
    return Electorate(
        member_ids=ids,
        weights=np.array([m.weight for _, m in seated], dtype=np.float64),
        veto=np.array([m.veto for _, m in seated], dtype=bool),
        bodies={b.id: np.array([bid == b.id for bid, _ in seated], dtype=bool) for b in race.bodies},
        groups=groups,
    )


def decay(params: Params, age_days: int, half_life: float | None = None) -> float:
    """Weight left to evidence ``age_days`` old."""
    return float(0.5 ** (max(age_days, 0) / (half_life or params.half_life_days)))


def episodes_of(reports: Sequence[StanceEvidence]) -> tuple[Episode, ...]:
    """Group date-ordered stance reports into episodes of the same stance.

    Repeated reports of one stance (wire copies, several outlets) raise the episode's
    reliability (1 - prod(1 - confidence)) instead of counting as fresh statements.
    """
    out: list[Episode] = []
    for r in sorted(reports, key=lambda e: (e.date, e.id)):
        key = "lifted" if r.lifted else r.stance
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
    """Prior moved toward each episode's target in turn, by reliability times recency."""
    p = prior
    for ep in episodes:
        alpha = ep.reliability * decay(params, (as_of - ep.last).days)
        target = params.target_for("support" if ep.key == "lifted" else ep.key, ep.key == "lifted")
        p += alpha * (target - p)
    return p


def build_beliefs(
    race: Race, as_of: dt.date, params: Params, *, evidence: Sequence[Any] | None = None
) -> Beliefs:
    """Beliefs for ``race`` as known on ``as_of``.

    Args:
        race: the race; only its evidence dated on or before ``as_of`` is read.
        as_of: the forecast day.
        params: model parameters.
        evidence: use these items instead of the race's (for ablations); still cut at as_of.
    """
    items = race.evidence_until(as_of) if evidence is None else tuple(
        sorted((e for e in evidence if e.date <= as_of and e.review != "rejected"),
               key=lambda e: (e.date, e.id))
    )
    electorate = electorate_on(race, as_of)
    members = electorate.member_ids
    m_index = {m: i for i, m in enumerate(members)}

    status: dict[str, str] = {}
    stances: dict[tuple[str, str], list[StanceEvidence]] = {}
    latest_count: dict[str, CountEvidence] = {}
    decided: AppointmentEvidence | None = None
    for e in items:
        if isinstance(e, CandidacyEvidence):
            status[e.candidate] = e.status
        elif isinstance(e, StanceEvidence):
            stances.setdefault((e.member, e.candidate), []).append(e)
            status.setdefault(e.candidate, "mentioned")
        elif isinstance(e, CountEvidence):
            latest_count[e.candidate] = e
            status.setdefault(e.candidate, "mentioned")
        elif isinstance(e, AppointmentEvidence) and e.confidence >= params.appointment_confidence:
            decided = e

    named = [c for c in race.candidates if c.id in status]
    cand_ids = (*(c.id for c in named), FIELD_ID)
    n_c, n_m = len(cand_ids), len(members)
    accept = np.full((n_c, n_m), params.prior_accept, dtype=np.float64)
    accept[-1, :] = params.field_accept
    for ci, cand in enumerate(named):
        if cand.home is not None and cand.home in m_index:
            home = race.member(cand.home)
            accept[ci, m_index[cand.home]] = params.home_accept
            for mi, mid in enumerate(members):
                if mid == cand.home:
                    continue
                shared = len(set(home.groups) & set(race.member(mid).groups))
                bump = min(params.group_affinity * shared, params.group_affinity_cap)
                accept[ci, mi] = min(accept[ci, mi] + bump, params.home_accept)

    episodes: dict[tuple[str, str], tuple[Episode, ...]] = {}
    c_index = {c: i for i, c in enumerate(cand_ids)}
    for (mid, cid), reports in stances.items():
        eps = episodes_of(reports)
        episodes[(mid, cid)] = eps
        if mid in m_index:
            ci, mi = c_index[cid], m_index[mid]
            accept[ci, mi] = acceptance(accept[ci, mi], eps, as_of, params)

    stand = np.array([params.stand_for(status[c.id]) for c in named] + [0.0])
    age = (as_of - race.opened).days
    stand[-1] = params.field_share * decay(params, age, params.field_half_life_days)

    counts = tuple(
        _count_constraint(ev, c_index[cid], members, episodes, as_of, params)
        for cid, ev in latest_count.items()
        if status.get(cid) != "withdrawn"
    )
    return Beliefs(
        as_of=as_of,
        electorate=electorate,
        candidate_ids=cand_ids,
        status=(*(status[c.id] for c in named), None),
        accept=accept,
        stand=stand,
        counts=tuple(c for c in counts if c.needed > 0 and c.weight > 0),
        episodes=episodes,
        used=tuple(e.id for e in items),
        decided=decided,
    )


def _count_constraint(
    ev: CountEvidence,
    column: int,
    members: tuple[str, ...],
    episodes: dict[tuple[str, str], tuple[Episode, ...]],
    as_of: dt.date,
    params: Params,
) -> CountConstraint:
    cid = ev.candidate
    total = ev.count if ev.count is not None else round((ev.fraction or 0.0) * len(members))
    named_support = sum(
        1 for m in members if (m, cid) in episodes and episodes[(m, cid)][-1].key in ("support", "lifted")
    )
    unnamed = np.array([(m, cid) not in episodes for m in members], dtype=bool)
    needed = int(min(max(total - named_support, 0), int(unnamed.sum())))
    weight = ev.confidence * decay(params, (as_of - ev.date).days)
    return CountConstraint(column, unnamed, needed, weight, ev.id)
