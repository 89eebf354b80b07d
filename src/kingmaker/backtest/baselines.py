"""Simple forecasts to beat, computed from the same evidence on the same day.

- ``uniform``: every named candidate still in the race, and the field, equally likely.
- ``endorsements``: in proportion to public backing, plus one: the weight of the members
  who back each candidate, or the largest anonymous tally for it (a count, a poll's
  encouragements, the latest ballot's votes), whichever is larger.
"""

from __future__ import annotations

from kingmaker.engine.beliefs import FIELD_ID, Beliefs
from kingmaker.engine.stances import backs
from kingmaker.records import BallotEvidence, CountEvidence, PollEvidence, Race


def active_options(beliefs: Beliefs) -> list[str]:
    """Named candidates not withdrawn on the day, then the field."""
    named = [
        c
        for c, st in zip(beliefs.candidate_ids, beliefs.status, strict=True)
        if c != FIELD_ID and st != "withdrawn"
    ]
    return [*named, FIELD_ID]


def uniform(beliefs: Beliefs) -> dict[str, float]:
    """Equal chances over the active options."""
    opts = active_options(beliefs)
    return {c: 1 / len(opts) for c in opts}


def endorsements(race: Race, beliefs: Beliefs) -> dict[str, float]:
    """Chances in proportion to public backing plus one (see the module docstring)."""
    opts = active_options(beliefs)
    weight = dict(zip(beliefs.member_ids, beliefs.electorate.weights, strict=True))
    tally = {c: 0.0 for c in opts}
    for (mid, cid), eps in beliefs.episodes.items():
        if cid in tally and mid in weight and backs(eps):
            tally[cid] += float(weight[mid])
    anonymous = {c: 0.0 for c in opts}
    latest_ballot: BallotEvidence | None = None
    for e in race.evidence_until(beliefs.as_of):
        if isinstance(e, CountEvidence) and e.candidate in anonymous:
            n = e.count if e.count is not None else (e.fraction or 0.0) * len(weight)
            anonymous[e.candidate] = float(n)
        elif isinstance(e, PollEvidence) and e.candidate in anonymous:
            anonymous[e.candidate] = float(e.encourage)
        elif isinstance(e, BallotEvidence):
            latest_ballot = e
    if latest_ballot is not None:
        for cid, n in latest_ballot.tallies.items():
            if cid in anonymous:
                anonymous[cid] = float(n)
    raw = {c: max(tally[c], anonymous[c]) + 1.0 for c in opts}
    total = sum(raw.values())
    return {c: v / total for c, v in raw.items()}
