"""The stance matrix: each member's latest stated stance on each candidate, as of a day.

One cell per member and candidate, holding the latest stance report (a stance item, or a
roll-call vote read as support) with its date, quote and source, whether an earlier
objection was lifted, and how many reports there were. Dashboards colour it; the forecast
does not use it (the engine weighs every report, not only the latest).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from kingmaker.engine.ballots import roll_call_stances
from kingmaker.records import Race, StanceEvidence


@dataclass(frozen=True)
class Cell:
    """The latest stance of one member on one candidate."""

    member: str
    candidate: str
    stance: str  # support | oppose | neutral
    lifted: bool  # support that followed an objection (said so, or implied by the order)
    date: dt.date
    evidence_id: str
    quote: str | None
    source: str
    reports: int  # every stance report on this pair up to the day

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {**self.__dict__, "date": self.date.isoformat()}


@dataclass(frozen=True)
class StanceMatrix:
    """Members (rows, seated on the day) by candidates (columns), with the known cells."""

    race_id: str
    as_of: dt.date
    members: tuple[tuple[str, str], ...]  # (id, name)
    candidates: tuple[tuple[str, str], ...]  # (id, name)
    cells: dict[tuple[str, str], Cell]

    def cell(self, member: str, candidate: str) -> Cell | None:
        """The cell of one pair, or None when no stance is on record."""
        return self.cells.get((member, candidate))

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready dict: ids and names of rows and columns, then the known cells."""
        return {
            "race_id": self.race_id,
            "as_of": self.as_of.isoformat(),
            "members": [{"id": i, "name": n} for i, n in self.members],
            "candidates": [{"id": i, "name": n} for i, n in self.candidates],
            "cells": [c.as_dict() for c in self.cells.values()],
        }


def stance_reports(race: Race, as_of: dt.date) -> list[StanceEvidence]:
    """Stance items and roll-call votes dated on or before ``as_of``, oldest first."""
    out: list[StanceEvidence] = []
    for e in race.evidence_until(as_of):
        if e.kind == "stance":
            out.append(e)
        elif e.kind == "ballot":
            out.extend(roll_call_stances(e))
    return sorted(out, key=lambda e: (e.date, e.id))


def stance_matrix(race: Race, as_of: dt.date) -> StanceMatrix:
    """The matrix of ``race`` as of ``as_of`` (pass a race holding only usable evidence)."""
    cells: dict[tuple[str, str], Cell] = {}
    opposed: set[tuple[str, str]] = set()
    counts: dict[tuple[str, str], int] = {}
    for e in stance_reports(race, as_of):
        key = (e.member, e.candidate)
        counts[key] = counts.get(key, 0) + 1
        if e.stance == "oppose":
            opposed.add(key)
        # as the engine reads it: support after an objection lifts it, said so or not
        lifted = e.lifted or (e.stance == "support" and key in opposed)
        cells[key] = Cell(
            member=e.member,
            candidate=e.candidate,
            stance=e.stance,
            lifted=lifted,
            date=e.date,
            evidence_id=e.id,
            quote=e.quote,
            source=e.source.label,
            reports=counts[key],
        )
    seated = {m.id for b in race.bodies for m in b.active_members(as_of)}
    members = tuple(
        (m.id, m.name)
        for b in race.bodies
        for m in b.members
        if m.id in seated or any(k[0] == m.id for k in cells)
    )
    return StanceMatrix(
        race_id=race.id,
        as_of=as_of,
        members=members,
        candidates=tuple((c.id, c.name) for c in race.candidates),
        cells=cells,
    )
