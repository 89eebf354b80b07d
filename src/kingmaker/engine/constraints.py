"""Anonymous tallies as constraints on the members they do not name.

"28 of 32 allies back Rutte" with 20 named backers means at least 8 more backers among
the members with no stance on Rutte. A straw poll's encourage count works the same way;
its discourage count (and a colour-coded poll's permanent-member discourage count)
means at least that many of the unnamed (or of the group) reject the candidate.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from kingmaker.engine.params import Params
from kingmaker.engine.stances import Episode, backs, decay, objects
from kingmaker.records import BallotEvidence, CountEvidence, PollEvidence
from kingmaker.rules import Electorate


@dataclass(frozen=True)
class CountConstraint:
    """At least ``needed`` members of ``pool`` accept (or, if ``reject``, reject) a candidate.

    It holds in a share ``weight`` of the samples (the tally's confidence and recency).
    """

    column: int
    pool: np.ndarray  # (M,) bool
    needed: int
    weight: float
    evidence_id: str
    reject: bool = False

    def key(self) -> tuple[object, ...]:
        """Everything that changes the simulation, for comparing two sets of beliefs."""
        return (self.column, self.needed, self.weight, self.reject, self.pool.tobytes())


EpisodeMap = dict[tuple[str, str], tuple[Episode, ...]]


def _named(members: Sequence[str], cid: str, eps: EpisodeMap, test: Callable[..., bool]) -> int:
    return sum(1 for m in members if test(eps.get((m, cid), ())))


def _unnamed(members: Sequence[str], cid: str, eps: EpisodeMap) -> np.ndarray:
    return np.array([(m, cid) not in eps for m in members], dtype=bool)


def from_count(
    ev: CountEvidence | BallotEvidence,
    cid: str,
    column: int,
    electorate: Electorate,
    eps: EpisodeMap,
    as_of: dt.date,
    params: Params,
) -> CountConstraint:
    """A support constraint from an anonymous count, or from a ballot's total for ``cid``.

    Counts are in votes: members who weigh more (a bloc) count for their weight, and a
    count of a group (a party conference) binds only that group's members.
    """
    members = electorate.member_ids
    w = electorate.weights
    in_scope = np.ones(len(members), dtype=bool)
    if isinstance(ev, BallotEvidence):
        total = float(ev.tallies.get(cid, 0))
    else:
        if ev.group is not None:
            in_scope = electorate.groups.get(ev.group, np.zeros(len(members), dtype=bool))
        scope_weight = float(w[in_scope].sum())
        total = float(ev.count) if ev.count is not None else (ev.fraction or 0.0) * scope_weight
    named = sum(
        float(w[i]) for i, m in enumerate(members) if in_scope[i] and backs(eps.get((m, cid), ()))
    )
    pool = _unnamed(members, cid, eps) & in_scope
    votes_needed = max(total - named, 0.0)
    mean_w = float(w[pool].mean()) if pool.any() else 1.0
    needed = min(int(np.ceil(votes_needed / mean_w - 1e-9)), int(pool.sum()))
    weight = ev.confidence * decay(params, (as_of - ev.date).days)
    return CountConstraint(column, pool, needed, weight, ev.id)


def from_poll(
    ev: PollEvidence,
    column: int,
    members: tuple[str, ...],
    groups: dict[str, np.ndarray],
    eps: EpisodeMap,
    as_of: dt.date,
    params: Params,
) -> list[CountConstraint]:
    """Support, reject and group-reject constraints from one straw poll."""
    cid = ev.candidate
    weight = ev.confidence * decay(params, (as_of - ev.date).days)
    pool = _unnamed(members, cid, eps)
    free = int(pool.sum())
    yes = min(max(ev.encourage - _named(members, cid, eps, backs), 0), free)
    no = min(max(ev.discourage - _named(members, cid, eps, objects), 0), free - yes)
    out = [
        CountConstraint(column, pool, yes, weight, ev.id),
        CountConstraint(column, pool, no, weight, ev.id, reject=True),
    ]
    if ev.group and ev.group_discourage and ev.group in groups:
        in_group = groups[ev.group]
        group_pool = pool & in_group
        named_no = sum(
            1 for i, m in enumerate(members) if in_group[i] and objects(eps.get((m, cid), ()))
        )
        need = min(max(ev.group_discourage - named_no, 0), int(group_pool.sum()))
        out.append(CountConstraint(column, group_pool, need, weight, ev.id, reject=True))
    return [c for c in out if c.needed > 0 and c.weight > 0]


def implied_backing(cons: CountConstraint) -> tuple[np.ndarray, float]:
    """Members a support constraint binds, and how firmly each backs on average."""
    n = int(cons.pool.sum())
    if cons.reject or n == 0:
        return cons.pool, 0.0
    return cons.pool, cons.weight * cons.needed / n
