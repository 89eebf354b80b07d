"""Beliefs without one statement, for explanations, built from the full reading.

Explaining a forecast compares it with the forecast without each statement (a group of
reports stating the same fact). Rebuilding beliefs from all the other evidence for every
statement costs statements x evidence; ``Ablations`` reads the evidence once and, for a
statement of stances, candidacy reports, counts or polls (nearly all of them), changes
just the member-candidate pairs and the candidates it touches (a statement the beliefs
do not read changes nothing; ballots and appointments are read again). The numbers are
those of ``build_beliefs`` on the evidence without the statement, exactly: the same
reading (in the same order) goes through the same arithmetic, with a ``BeliefsMemo``
keeping what does not change.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections.abc import Sequence
from typing import Any

from kingmaker.engine.ballots import roll_call_stances
from kingmaker.engine.beliefs import Beliefs, BeliefsMemo, Reading, beliefs_from, read_evidence
from kingmaker.engine.params import Params
from kingmaker.records import (
    AppointmentEvidence,
    BallotEvidence,
    CandidacyEvidence,
    CountEvidence,
    PollEvidence,
    Race,
    StanceEvidence,
)

# The kinds of evidence that beliefs read (read_evidence); the others change nothing.
_READ = (
    CandidacyEvidence,
    StanceEvidence,
    CountEvidence,
    PollEvidence,
    BallotEvidence,
    AppointmentEvidence,
)


class Ablations:
    """Beliefs for ``race`` on ``as_of`` without one statement at a time.

    Args:
        race: the race.
        as_of: the forecast day.
        params: model parameters.
        items: the evidence of the day (``race.evidence_until(as_of)``), oldest first.
    """

    def __init__(self, race: Race, as_of: dt.date, params: Params, items: Sequence[Any]) -> None:
        self.race, self.as_of, self.params = race, as_of, params
        self.items = tuple(items)
        self.memo = BeliefsMemo(race, as_of, params)
        self.full = read_evidence(self.items, params)
        # Where each stance report first appears: its item, then its place in a roll call.
        self.position: dict[str, tuple[int, int]] = {}
        # The items that set each candidate's status, in order (read_evidence's _mention
        # and candidacy reports).
        self.touching: dict[str, list[Any]] = {}
        self.exact = True  # False where a roll call's stance shares an item's id
        # Each candidate's counts and polls, in order (the latest one counts).
        self.tallies: dict[str, list[Any]] = {}
        self.places: dict[str, list[int]] = {}  # where each id is among the day's items
        for i, e in enumerate(self.items):
            self.places.setdefault(e.id, []).append(i)
            for cid in _named(e):
                self.touching.setdefault(cid, []).append(e)
            if isinstance(e, StanceEvidence):
                self._place(e.id, (i, 0))
            elif isinstance(e, BallotEvidence):
                for j, st in enumerate(roll_call_stances(e)):
                    self._place(st.id, (i, j))
            elif isinstance(e, CountEvidence | PollEvidence):
                self._place(e.id, (i, 0))
                self.tallies.setdefault(f"{e.kind}:{e.candidate}", []).append(e)
        self._full_beliefs: Beliefs | None = None

    def _place(self, report_id: str, where: tuple[int, int]) -> None:
        if report_id in self.position:
            self.exact = False
        self.position[report_id] = where

    def without(self, group: Sequence[Any]) -> Beliefs:
        """Beliefs from every item of the day but those of ``group``."""
        if not any(isinstance(e, _READ) for e in group):  # items the beliefs do not read
            if self._full_beliefs is None:
                self._full_beliefs = beliefs_from(
                    self.race, self.as_of, self.params, self.full, self.memo
                )
            return dataclasses.replace(self._full_beliefs, used=self._used(group))
        return beliefs_from(self.race, self.as_of, self.params, self.reading(group), self.memo)

    def _used(self, group: Sequence[Any]) -> tuple[str, ...]:
        """The ids of the day's items but those of ``group``, in order."""
        cut = sorted({i for e in group for i in self.places.get(e.id, ())})
        used, start = self.full.used, 0
        out: list[tuple[str, ...]] = []
        for i in cut:
            out.append(used[start:i])
            start = i + 1
        out.append(used[start:])
        return tuple(itertools.chain.from_iterable(out))

    def reading(self, group: Sequence[Any]) -> Reading:
        """What every item of the day but those of ``group`` says (``read_evidence``)."""
        ids = {e.id for e in group}
        if not self.exact or any(
            isinstance(e, BallotEvidence | AppointmentEvidence) for e in group
        ):
            return read_evidence([e for e in self.items if e.id not in ids], self.params)
        full = self.full
        latest_count = self._latest(full.latest_count, "count", group, ids)
        latest_poll = self._latest(full.latest_poll, "poll", group, ids)
        stances = full.stances
        pairs = {(e.member, e.candidate) for e in group if isinstance(e, StanceEvidence)}
        if pairs:
            stances = dict(stances)
            moved = False
            for pair in pairs:
                old = stances[pair]
                rest = [r for r in old if r.id not in ids]
                if not rest:
                    del stances[pair]
                    continue
                moved = moved or rest[0] is not old[0]
                stances[pair] = rest
            if moved:  # a pair now starts later: it goes where its first report now is
                stances = dict(sorted(stances.items(), key=lambda kv: self.position[kv[1][0].id]))
        status, stand_p = full.status, full.stand_p
        candidacy = any(isinstance(e, CandidacyEvidence) for e in group)
        for cid in {e.candidate for e in group}:
            touching = self.touching[cid]
            if touching[0].id not in ids and not candidacy:
                continue  # a later mention changes nothing: the first one gave a status
            if status is full.status:
                status, stand_p = dict(status), dict(stand_p)
            again = read_evidence(_status_items(touching, cid, ids), self.params)
            if cid in again.status:
                status[cid], stand_p[cid] = again.status[cid], again.stand_p[cid]
            else:
                status.pop(cid, None)
                stand_p.pop(cid, None)
        return dataclasses.replace(
            full,
            status=status,
            stand_p=stand_p,
            stances=stances,
            latest_count=latest_count,
            latest_poll=latest_poll,
            used=self._used(group),
        )

    def _latest(
        self, full: dict[str, Any], kind: str, group: Sequence[Any], ids: set[str]
    ) -> dict[str, Any]:
        """Each candidate's latest count (or poll) left, keyed in order of its first one."""
        touched = {e.candidate for e in group if e.kind == kind}
        if not touched:
            return full
        out = dict(full)
        moved = False
        for cid in touched:
            seq = self.tallies[f"{kind}:{cid}"]
            rest = [e for e in seq if e.id not in ids]
            if not rest:
                del out[cid]
                continue
            moved = moved or rest[0] is not seq[0]
            out[cid] = rest[-1]
        if not moved:
            return out
        first = {
            cid: next(e for e in self.tallies[f"{kind}:{cid}"] if e.id not in ids).id for cid in out
        }
        return dict(sorted(out.items(), key=lambda kv: self.position[first[kv[0]]]))


def _named(e: Any) -> tuple[str, ...]:
    """Candidates whose status an item can set (see ``read_evidence``)."""
    if isinstance(e, CandidacyEvidence | StanceEvidence | CountEvidence | PollEvidence):
        return (e.candidate,)
    if isinstance(e, BallotEvidence):
        named = (*e.tallies, *(v for v in e.votes.values() if v is not None))
        return tuple(dict.fromkeys(named))
    return ()


def _status_items(touching: Sequence[Any], cid: str, ids: set[str]) -> list[Any]:
    """The items left that set ``cid``'s status: its candidacy reports and the first item
    naming it (later mentions change nothing once it has a status)."""
    out: list[Any] = []
    mentioned = False
    for e in touching:
        if e.id in ids:
            continue
        if isinstance(e, CandidacyEvidence):
            out.append(e)
        elif not mentioned:
            out.append(e)
            mentioned = True
    return out
