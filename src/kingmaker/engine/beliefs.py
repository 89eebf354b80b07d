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
from urllib.parse import urlsplit

import numpy as np

from kingmaker.engine.ballots import roll_call_stances, vote_propensity
from kingmaker.engine.constraints import CountConstraint, from_count, from_poll, implied_backing
from kingmaker.engine.lean import lean_counts
from kingmaker.engine.params import Params
from kingmaker.engine.stances import Episode, acceptance, backs, decay, episodes_of
from kingmaker.records import (
    AppointmentEvidence,
    BallotEvidence,
    CandidacyEvidence,
    CountEvidence,
    PollEvidence,
    Race,
    StanceEvidence,
)
from kingmaker.rules import Electorate

FIELD_ID = "field"
FIELD_NAME = "the field (someone not yet named)"


@dataclass(frozen=True)
class Beliefs:
    """Everything the simulation needs for one race on one day, plus where it came from."""

    as_of: dt.date
    electorate: Electorate
    candidate_ids: tuple[str, ...]  # named candidates in race order, then FIELD_ID
    status: tuple[str | None, ...]
    accept: np.ndarray  # (C, M) float
    backing: np.ndarray  # (C, M) float: how firmly each member publicly backs each candidate
    stand: np.ndarray  # (C,) float
    counts: tuple[CountConstraint, ...]
    field_prior: float = 0.0  # share set aside for someone not yet named
    time_left: float = 1.0  # time to find someone new, 1 (plenty) toward 0 (see time_left)
    silent: np.ndarray | None = None  # (C, M) bool: the member has no stance on the candidate
    # (C, M) float: each member's acceptance had it said nothing about the candidate; a
    # stance moves the member from there, in every sample in the stance's direction
    reference: np.ndarray | None = None
    endorse: np.ndarray | None = None  # (C,) endorsement share (public backing, plus one)
    votes: np.ndarray | None = None  # (C, M) vote propensity, for bodies that vote
    lean: np.ndarray | None = None  # (C,) backing counts of the body's revealed lean
    episodes: dict[tuple[str, str], tuple[Episode, ...]] = field(default_factory=dict)
    used: tuple[str, ...] = ()
    decided: AppointmentEvidence | None = None

    @property
    def member_ids(self) -> tuple[str, ...]:
        """Seated members, in column order."""
        return self.electorate.member_ids

    def same_numbers(self, other: Beliefs) -> bool:
        """Whether ``other`` would simulate identically (used to skip no-op ablations)."""

        def same(a: np.ndarray | None, b: np.ndarray | None) -> bool:
            return (a is None and b is None) or (
                a is not None and b is not None and np.array_equal(a, b)
            )

        return (
            self.candidate_ids == other.candidate_ids
            and np.array_equal(self.accept, other.accept)
            and np.array_equal(self.backing, other.backing)
            and np.array_equal(self.stand, other.stand)
            and self.field_prior == other.field_prior
            and self.time_left == other.time_left
            and same(self.silent, other.silent)
            and same(self.reference, other.reference)
            and same(self.endorse, other.endorse)
            and same(self.votes, other.votes)
            and same(self.lean, other.lean)
            and [c.key() for c in self.counts] == [c.key() for c in other.counts]
            and (self.decided is None) == (other.decided is None)
        )


def electorate_on(race: Race, day: dt.date) -> Electorate:
    """The members of every body seated on ``day``, as arrays."""
    seated = [(b.id, m) for b in race.bodies for m in b.active_members(day)]
    ids = tuple(m.id for _, m in seated)
    groups: dict[str, np.ndarray] = {}
    for i, (_, m) in enumerate(seated):
        for g in m.groups_on(day):
            groups.setdefault(g, np.zeros(len(seated), dtype=bool))[i] = True
    return Electorate(
        member_ids=ids,
        weights=np.array([m.weight for _, m in seated], dtype=np.float64),
        veto=np.array([m.veto for _, m in seated], dtype=bool),
        bodies={
            b.id: np.array([bid == b.id for bid, _ in seated], dtype=bool) for b in race.bodies
        },
        groups=groups,
    )


def build_beliefs(
    race: Race,
    as_of: dt.date,
    params: Params,
    *,
    evidence: Sequence[Any] | None = None,
    memo: BeliefsMemo | None = None,
) -> Beliefs:
    """Beliefs for ``race`` as known on ``as_of``.

    Args:
        race: the race; only its evidence dated on or before ``as_of`` is read.
        as_of: the forecast day.
        params: model parameters.
        evidence: use these items instead of the race's (for ablations); still cut at as_of.
        memo: what earlier builds for the same race, day and parameters worked out.
    """
    items = (
        race.evidence_until(as_of)
        if evidence is None
        else tuple(
            sorted(
                (e for e in evidence if e.date <= as_of and e.review != "rejected"),
                key=lambda e: (e.date, e.id),
            )
        )
    )
    return beliefs_from(race, as_of, params, read_evidence(items, params), memo)


@dataclass
class Reading:
    """What a run of evidence items (oldest first) says, before any arithmetic (not to be
    changed once made: a BeliefsMemo knows its lists of reports by identity)."""

    status: dict[str, str]  # candidate -> status
    stand_p: dict[str, float]  # candidate -> P(stands) from candidacy reports
    stances: dict[tuple[str, str], list[StanceEvidence]]  # (member, candidate), first report first
    latest_count: dict[str, CountEvidence]
    latest_poll: dict[str, PollEvidence]
    ballots: list[BallotEvidence]
    decided: AppointmentEvidence | None
    used: tuple[str, ...]


APPOINTMENT_SOURCES = 2
"""Sites that must report an unreviewed appointment before it settles the race."""


def _site(e: AppointmentEvidence) -> str:
    """Where an item was published: the web site (host without 'www.'), else the file."""
    if e.source.url:
        host = urlsplit(e.source.url).hostname or e.source.url
        return host.removeprefix("www.")
    return e.source.file or ""


def read_evidence(items: Sequence[Any], params: Params) -> Reading:
    """Read ``items`` (oldest first, already cut at the forecast day) in order.

    A candidate's status and P(stands) depend only on the items that name it. An
    appointment settles the race when a person accepted it (a race file's rows are), or,
    read by the extractor and not yet reviewed, once ``APPOINTMENT_SOURCES`` different sites
    report the same appointee: one misread sentence must not end a live race."""
    status: dict[str, str] = {}
    stand_p: dict[str, float] = {}
    stances: dict[tuple[str, str], list[StanceEvidence]] = {}
    latest_count: dict[str, CountEvidence] = {}
    latest_poll: dict[str, PollEvidence] = {}
    ballots: list[BallotEvidence] = []
    decided: AppointmentEvidence | None = None
    reported: dict[str, set[str]] = {}  # candidate -> sites reporting its appointment
    for e in items:
        if isinstance(e, CandidacyEvidence):
            _update_status(status, stand_p, e.candidate, e.status, e.confidence, params)
        elif isinstance(e, StanceEvidence):
            stances.setdefault((e.member, e.candidate), []).append(e)
            _mention(status, stand_p, e.candidate, params)
        elif isinstance(e, CountEvidence):
            latest_count[e.candidate] = e
            _mention(status, stand_p, e.candidate, params)
        elif isinstance(e, PollEvidence):
            latest_poll[e.candidate] = e
            _mention(status, stand_p, e.candidate, params)
        elif isinstance(e, BallotEvidence):
            ballots.append(e)
            for st in roll_call_stances(e):
                stances.setdefault((st.member, st.candidate), []).append(st)
            for cid in (*e.tallies, *(v for v in e.votes.values() if v is not None)):
                _mention(status, stand_p, cid, params)
        elif isinstance(e, AppointmentEvidence) and e.confidence >= params.appointment_confidence:
            sites = reported.setdefault(e.candidate, set())
            sites.add(_site(e))
            if e.review == "accepted" or len(sites) >= APPOINTMENT_SOURCES:
                decided = e
    return Reading(
        status=status,
        stand_p=stand_p,
        stances=stances,
        latest_count=latest_count,
        latest_poll=latest_poll,
        ballots=ballots,
        decided=decided,
        used=tuple(e.id for e in items),
    )


class BeliefsMemo:
    """Parts of beliefs that builds for one race, day and parameters share (the seated
    members and their groups, the priors of a set of candidates, each member's episodes
    and acceptance of a candidate for the same reports), so that an ablation recomputes
    only what its statement touches. Results are the same as without it."""

    def __init__(self, race: Race, as_of: dt.date, params: Params) -> None:
        self.context = (race, as_of, params)
        self.electorate = electorate_on(race, as_of)
        self.groups_of = groups_on(race, as_of)
        self.priors: dict[tuple[str, ...], np.ndarray] = {}
        self.specific: dict[tuple[str, ...], np.ndarray] = {}
        # id of a reading's list of reports -> the list (kept, so the id stays its own),
        # its episodes, and the acceptance they give each prior.
        self.episodes: dict[int, tuple[list[Any], tuple[Episode, ...], dict[float, float]]] = {}

    def check(self, race: Race, as_of: dt.date, params: Params) -> None:
        """Refuse a memo made for another race, day or parameters."""
        r, d, p = self.context
        if r is not race or d != as_of or p != params:
            raise ValueError("a BeliefsMemo serves one race, day and parameters")


def beliefs_from(
    race: Race,
    as_of: dt.date,
    params: Params,
    reading: Reading,
    memo: BeliefsMemo | None = None,
) -> Beliefs:
    """Beliefs for ``race`` on ``as_of`` from what its evidence says (``read_evidence``)."""
    if memo is not None:
        memo.check(race, as_of, params)
    electorate = electorate_on(race, as_of) if memo is None else memo.electorate
    members = electorate.member_ids
    m_index = {m: i for i, m in enumerate(members)}
    status, stand_p, stances = reading.status, reading.stand_p, reading.stances
    latest_count, latest_poll, ballots = reading.latest_count, reading.latest_poll, reading.ballots

    named = [c for c in race.candidates if c.id in status]
    cand_ids = (*(c.id for c in named), FIELD_ID)
    c_index = {c: i for i, c in enumerate(cand_ids)}
    named_ids = tuple(c.id for c in named)
    groups_of = groups_on(race, as_of) if memo is None else memo.groups_of
    if memo is None or named_ids not in memo.priors:
        shared = affinity(race, named, members, groups_of)
        accept = _priors(race, named, members, shared, params, groups_of)
        if memo is not None:
            memo.priors[named_ids] = accept.copy()
    else:
        accept = memo.priors[named_ids].copy()

    prior = accept.copy()  # before any stance: the reference a member's stances move it from
    episodes: dict[tuple[str, str], tuple[Episode, ...]] = {}
    backing = np.zeros_like(accept)  # how firmly each member publicly backs each candidate
    for (mid, cid), reports in stances.items():
        eps, accepted = _episodes(reports, memo)
        episodes[(mid, cid)] = eps
        if mid in m_index:
            ci, mi = c_index[cid], m_index[mid]
            before = float(accept[ci, mi])
            if before not in accepted:
                accepted[before] = acceptance(before, eps, as_of, params)
            accept[ci, mi] = accepted[before]
            last = eps[-1]
            if last.key in ("support", "lifted"):
                backing[ci, mi] = last.reliability * decay(params, (as_of - last.last).days)

    active = {cid for cid in cand_ids if status.get(cid) != "withdrawn"}
    for ci, cid in enumerate(cand_ids):
        if cid not in active:
            backing[ci] = 0.0  # a withdrawn candidate's backers are free again
    counts: list[CountConstraint] = []
    for cid, ev in latest_count.items():
        if cid in active:
            counts.append(from_count(ev, cid, c_index[cid], electorate, episodes, as_of, params))
    for cid, poll in latest_poll.items():
        if cid in active:
            counts += from_poll(
                poll, c_index[cid], members, electorate.groups, episodes, as_of, params
            )
    votes_in_rounds = race.rule.votes_in_rounds
    if ballots and not votes_in_rounds:
        latest = max(ballots, key=lambda b: (b.date, b.round))
        for cid in latest.tallies:
            if cid in active:
                counts.append(
                    from_count(latest, cid, c_index[cid], electorate, episodes, as_of, params)
                )
    counts = [c for c in counts if c.needed > 0 and c.weight > 0]
    for cons in counts:
        pool, implied = implied_backing(cons)
        row = backing[cons.column]
        row[pool] = np.maximum(row[pool], implied)
    accept, reference = _competition(accept, prior, backing, electorate, params)
    votes_cast = race.rule.draws_votes  # every rule that votes in rounds draws votes
    votes = (
        vote_propensity(
            accept,
            backing,
            _specific(race, named, members, groups_of, memo),
            cand_ids,
            members,
            ballots,
            params,
            [c in active for c in cand_ids],
        )
        if votes_cast
        else None
    )
    silent = np.ones(accept.shape, dtype=bool)
    for mid, cid in episodes:
        if mid in m_index:
            silent[c_index[cid], m_index[mid]] = False

    endorse = endorsement_share(
        electorate,
        episodes,
        [*latest_count.values(), *latest_poll.values(), *ballots[-1:]],
        active,
        cand_ids,
    )
    weights = electorate.weights
    backed = backing @ weights / float(weights.sum()) if weights.size else np.zeros(len(cand_ids))
    stand = np.array([stand_p[c.id] for c in named] + [0.0])
    # Members do not back people who will not stand: backing closes the gap to 1.
    stand += (1 - stand) * np.minimum(params.stand_backing * backed, 1.0) * (stand > 0)
    stand[-1] = 0.0  # the field stands in a sample only when no named candidate does
    return Beliefs(
        as_of=as_of,
        electorate=electorate,
        candidate_ids=cand_ids,
        status=(*(status[c.id] for c in named), None),
        accept=accept,
        backing=backing,
        stand=stand,
        counts=tuple(counts),
        field_prior=field_prior(race, as_of, params, backing, electorate.weights),
        time_left=time_left(race, as_of, params),
        silent=silent,
        reference=reference,
        endorse=endorse,
        votes=votes,
        # Where ballots were cast, propensities already follow the latest one's shares.
        lean=lean_counts(endorse) if votes_cast and not ballots else None,
        episodes=episodes,
        used=reading.used,
        decided=reading.decided,
    )


def _episodes(
    reports: list[Any], memo: BeliefsMemo | None
) -> tuple[tuple[Episode, ...], dict[float, float]]:
    """A pair's episodes, and the acceptances already worked out from them by prior (the
    memo knows a list of reports by identity: a reading's lists are never changed)."""
    if memo is None:
        return episodes_of(reports), {}
    entry = memo.episodes.get(id(reports))
    if entry is None or entry[0] is not reports:
        entry = memo.episodes[id(reports)] = (reports, episodes_of(reports), {})
    return entry[1], entry[2]


def _specific(
    race: Race,
    named: Sequence[Any],
    members: tuple[str, ...],
    groups_of: dict[str, tuple[str, ...]],
    memo: BeliefsMemo | None,
) -> np.ndarray:
    """``affinity(..., specific=True)``, once per set of candidates with a memo."""
    if memo is None:
        return affinity(race, named, members, groups_of, specific=True)
    key = tuple(c.id for c in named)
    if key not in memo.specific:
        memo.specific[key] = affinity(race, named, members, groups_of, specific=True)
    return memo.specific[key]


def time_left(race: Race, as_of: dt.date, params: Params) -> float:
    """How much time the body still has to find someone new, from 1 (the race has just
    opened, or the vacancy is far off) toward 0: while the vacancy is ahead, one minus
    ``0.5 ** (days to the vacancy / field_half_life_days)``; with the seat already vacant
    or no vacancy date, it halves with the days since the race opened; the larger of the
    two while the vacancy is ahead, so that nothing jumps on the vacancy date."""
    vacancy = race.post.vacancy_date
    timing = decay(params, (as_of - race.opened).days, params.field_half_life_days)
    if vacancy is not None and vacancy > as_of:
        ahead = 1 - decay(params, (vacancy - as_of).days, params.field_half_life_days)
        timing = max(timing, ahead)
    return float(timing)


def field_prior(
    race: Race, as_of: dt.date, params: Params, backing: np.ndarray, weights: np.ndarray
) -> float:
    """The share set aside for someone not yet named.

    ``field_share``, shrinking as the race matures: in time (``time_left``) and in
    consolidation (times one minus the share
    of the members' weight publicly backing the best-backed named candidate)."""
    timing = time_left(race, as_of, params)
    total = float(weights.sum())
    named = backing[:-1] @ weights if backing.shape[0] > 1 and total > 0 else np.zeros(1)
    consolidation = float(named.max(initial=0.0)) / total if total > 0 else 0.0
    return float(params.field_share * timing * (1 - min(consolidation, 1.0)))


def endorsement_share(
    electorate: Electorate,
    episodes: dict[tuple[str, str], tuple[Episode, ...]],
    tallies: Sequence[CountEvidence | PollEvidence | BallotEvidence],
    active: set[str],
    cand_ids: Sequence[str],
) -> np.ndarray:
    """(C,) the endorsement share: each active candidate's public backing plus one, over
    the active options (the field gets the one alone, withdrawn candidates 0).

    Backing is the larger of the weight of the members whose latest stance backs the
    candidate and its latest anonymous tally (a count, a poll's encouragements, the
    latest ballot's votes), exactly as the endorsement baseline counts it."""
    weight = dict(zip(electorate.member_ids, electorate.weights, strict=True))
    col = {c: i for i, c in enumerate(cand_ids)}
    named = np.zeros(len(cand_ids))
    for (mid, cid), eps in episodes.items():
        if cid in col and mid in weight and backs(eps):
            named[col[cid]] += float(weight[mid])
    anonymous = np.zeros(len(cand_ids))
    for ev in tallies:
        if isinstance(ev, CountEvidence) and ev.candidate in col:
            n = ev.count if ev.count is not None else (ev.fraction or 0.0) * len(weight)
            anonymous[col[ev.candidate]] = float(n)
        elif isinstance(ev, PollEvidence) and ev.candidate in col:
            anonymous[col[ev.candidate]] = float(ev.encourage)
        elif isinstance(ev, BallotEvidence):
            for cid, n in ev.tallies.items():
                if cid in col:
                    anonymous[col[cid]] = float(n)
    raw = np.maximum(named, anonymous) + 1.0
    raw[-1] = 1.0
    for ci, cid in enumerate(cand_ids[:-1]):
        if cid not in active:
            raw[ci] = 0.0
    out: np.ndarray = raw / raw.sum()
    return out


_RANK = {"mentioned": 1, "interested": 2, "declared": 3}


def _mention(status: dict[str, str], stand: dict[str, float], cid: str, params: Params) -> None:
    """A stance, count, poll or ballot names a candidate: it enters the race as mentioned
    if it was not known; otherwise its status and P(stands) are left to candidacy reports."""
    if cid not in status:
        _update_status(status, stand, cid, "mentioned", 1.0, params)


def _update_status(
    status: dict[str, str],
    stand: dict[str, float],
    cid: str,
    new: str,
    confidence: float,
    params: Params,
) -> None:
    """Apply one candidacy report: status only climbs (mentioned < interested < declared)
    until a withdrawal; after one, only 'interested' or 'declared' brings them back.
    P(stands) moves toward the new status's value by the report's confidence. A withdrawal
    reported with at least ``withdrawal_confidence`` sets P(stands) to 0; a less certain
    one (a rumour) only scales it by one minus its confidence."""
    cur = status.get(cid)
    if new == "withdrawn" and confidence < params.withdrawal_confidence:
        if cur is None:
            status[cid] = "mentioned"
            stand[cid] = params.stand_mentioned * (1 - confidence)
        else:
            stand[cid] *= 1 - confidence
        return
    if new == "withdrawn":
        nxt = "withdrawn"
    elif cur is None:
        nxt = new
    elif cur == "withdrawn":
        nxt = new if new != "mentioned" else cur
    else:
        nxt = new if _RANK[new] > _RANK[cur] else cur
    status[cid] = nxt
    if nxt == "withdrawn":
        stand[cid] = 0.0
        return
    target = params.stand_for(nxt)
    prev = stand.get(cid, target)
    stand[cid] = (
        prev + confidence * (target - prev)
        if cur is not None
        else target * (confidence if nxt != "withdrawn" else 1.0)
    )


def groups_on(race: Race, day: dt.date) -> dict[str, tuple[str, ...]]:
    """Each member's groups on ``day``: the lasting ones and the dated spells then
    running (a deputy who changes party, a state that joins a bloc)."""
    return {m.id: m.groups_on(day) for b in race.bodies for m in b.members}


def affinity(
    race: Race,
    named: Sequence[Any],
    members: tuple[str, ...],
    groups_of: dict[str, tuple[str, ...]],
    *,
    specific: bool = False,
) -> np.ndarray:
    """(C, M) number of groups each member shares with each candidate (the candidate's
    own groups and its home member's, as ``groups_of`` gives them for the day); 0 for the
    field.

    With ``specific``, a group holding more than half of the seated members' weight counts less,
    down to nothing for one that holds them all: a faction distinguishes its members from
    the rest of the body, a group nearly everyone belongs to does not."""
    out = np.zeros((len(named) + 1, len(members)))
    names = sorted({g for gs in groups_of.values() for g in gs})
    col = {g: i for i, g in enumerate(names)}
    has = np.zeros((len(members), len(names)))  # (M, G): member in group
    for mi, m in enumerate(members):
        for g in groups_of[m]:
            has[mi, col[g]] = 1.0
    weight = np.ones(len(names))
    if specific and len(members):
        w_of = {m.id: m.weight for b in race.bodies for m in b.members}
        w = np.array([w_of[m] for m in members], dtype=np.float64)
        weight = np.clip(2 * (1 - (w @ has) / max(float(w.sum()), 1e-12)), 0, 1)
    for ci, cand in enumerate(named):
        groups = set(cand.groups) | set(groups_of.get(cand.home, ()) if cand.home else ())
        mask = np.array([g in groups for g in names], dtype=np.float64)
        out[ci] = has @ (mask * weight) if names else 0.0
    return out


def _priors(
    race: Race,
    named: Sequence[Any],
    members: tuple[str, ...],
    shared: np.ndarray,
    params: Params,
    groups_of: dict[str, tuple[str, ...]],
) -> np.ndarray:
    """(C, M) acceptance before any stance: the prior, group affinity (and, for a
    candidate with declared groups, the out-group discount for members sharing none of
    them), the home member."""
    m_index = {m: i for i, m in enumerate(members)}
    bump = np.minimum(params.group_affinity * shared, params.group_affinity_cap)
    accept = np.minimum(params.prior_accept + bump, params.home_accept)
    # A partisan candidate: members of none of its groups lean away, more where they
    # vote among candidates than where they approve a nominee.
    discount = (
        params.outgroup_discount if race.rule.draws_votes else params.outgroup_discount_approval
    )
    in_groups = [frozenset(groups_of[m]) for m in members]  # once, not once per candidate
    for ci, cand in enumerate(named):
        if cand.groups:
            # Its own declared groups only: a group it shares with every member through its
            # home (a region, "EU") says nothing about its party.
            outside = np.array([g.isdisjoint(cand.groups) for g in in_groups], dtype=bool)
            accept[ci, outside] *= 1 - discount
    accept[-1, :] = params.field_accept
    for ci, cand in enumerate(named):
        if cand.home is not None and cand.home in m_index:
            accept[ci, m_index[cand.home]] = params.home_accept
    return accept


def _competition(
    accept: np.ndarray,
    prior: np.ndarray,
    backing: np.ndarray,
    electorate: Electorate,
    params: Params,
) -> tuple[np.ndarray, np.ndarray]:
    """Backers of one candidate accept its rivals less; non-backers drift toward a
    candidate that many already back (the pressure to join a consensus): the backed share
    of their own body, or of a group they belong to if larger (a party's members in the
    other body follow it; the rest of that body does not).

    Returns ``accept`` so moved, and the reference a stance moves each member from
    (``Beliefs.reference``): ``prior`` (before any stance) so moved had member m said
    nothing about c (its own backing of c taken as zero; everyone else's as it is)."""
    n_c, n_m = accept.shape
    if n_m == 0:
        return accept.copy(), prior.copy()
    # rivals[c, m]: m's firmest backing of a candidate other than c (top two per member)
    order = np.argsort(-backing, axis=0, kind="stable")
    top = np.take_along_axis(backing, order[:1], axis=0)[0]
    second = np.take_along_axis(backing, order[1:2], axis=0)[0] if n_c > 1 else np.zeros(n_m)
    rivals = np.where(np.arange(n_c)[:, None] == order[0][None, :], second, top)
    spoken = accept * (1 - params.rival_discount * np.clip(rivals - backing, 0, 1))
    silent = prior * (1 - params.rival_discount * np.clip(rivals, 0, 1))
    pull = np.zeros_like(accept)
    pull_silent = np.zeros_like(accept)
    for mask in (*electorate.bodies.values(), *electorate.groups.values()):
        if mask.any():
            n = float(mask.sum())
            total = backing[:, mask].sum(axis=1, keepdims=True)
            pull[:, mask] = np.maximum(pull[:, mask], total / n)
            pull_silent[:, mask] = np.maximum(pull_silent[:, mask], (total - backing[:, mask]) / n)
    spoken += (1 - spoken) * params.bandwagon * pull
    silent += (1 - silent) * params.bandwagon * pull_silent
    return spoken, silent
