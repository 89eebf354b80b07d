"""Reconcile one article's sentence events into what the article states as of its date.

One candidacy per person (withdrawn > declared > interested > mentioned; being backed
implies a bid; none for the person appointed, unless the article shows the contest:
the votes, a round, a ballot, an election, a beaten rival), one stance per member and
candidate (a lifted objection wins, then the latest confident statement not in the past perfect),
one count per candidate, tally kind and round (the largest number, with any
fraction), one vacancy, one appointment per person. Every kept event is still one
sentence's event; a field taken from another sentence of the same article (a count's
fraction, an appointment's start date) is marked "+merged" in its rule.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable
from typing import Any

from kingmaker.extract.candidacy import NAMED
from kingmaker.extract.events import COMPONENTS, Event
from kingmaker.extract.gazetteer import Gazetteer

FLOOR = 0.5
# the contest itself, not only its outcome: votes, ballots, rounds, a beaten rival
_VOTED_WORDS = (
    r"votes|ballots?|rounds? of voting|(?:first|second|third|final|last) round|run-?off|"
    r"beat|beats|beating|beaten|defeated|defeating"
)
_VOTED = re.compile(rf"\b(?:{_VOTED_WORDS})\b", re.IGNORECASE)
# ... or its outcome
_CONTEST = re.compile(
    rf"\b(?:elected|re-elected|reelected|defeat|defeats|{_VOTED_WORDS})\b", re.IGNORECASE
)
_RANK = {"mentioned": 0, "interested": 1, "declared": 2, "withdrawn": 3}


def consolidate(events: list[Event], gaz: Gazetteer, text: str = "") -> list[Event]:
    """The article-level events, in sentence order (``text``: the article, to tell an
    election from an appointment)."""
    by_kind: dict[str, list[Event]] = {}
    for e in events:
        by_kind.setdefault(e.kind, []).append(e)
    appointed = {e.candidate for e in by_kind.get("appointment", []) if e.confidence >= FLOOR}
    # an article that shows the contest (the votes, a round, a defeated rival) keeps the
    # winner's bid: the winner of an election was a candidate in it
    contest = bool(_CONTEST.search(text))
    if contest:
        appointed = set()
    appointed -= {e.candidate for e in events if e.kind == "count" and e.what == "votes"}
    stances = _stances(by_kind.get("stance", []))
    counts = _counts(by_kind.get("count", []))
    implied = _implied([*stances, *counts], gaz)
    if _VOTED.search(text):  # (every match of it is a contest too)
        implied += _winners(by_kind.get("appointment", []))
    out = [
        *stances,
        *_candidacies([*by_kind.get("candidacy", []), *implied], appointed),
        *counts,
        *_best(
            by_kind.get("vacancy", []),
            lambda e: (e.confidence >= FLOOR, e.ends is not None, e.ends or ""),
        ),
        *_appointments(by_kind.get("appointment", [])),
    ]
    return sorted(out, key=lambda e: (e.span[0], e.kind))


def _best(events: Iterable[Event], key: Callable[[Event], Any]) -> list[Event]:
    ev = list(events)
    return [max(ev, key=key)] if ev else []


def _stances(events: list[Event]) -> list[Event]:
    groups: dict[tuple[str | None, str | None], list[Event]] = {}
    for e in events:
        groups.setdefault((e.member, e.candidate), []).append(e)
    out = []
    for group in groups.values():
        lifted = [e for e in group if e.lifted and e.confidence >= FLOOR]
        if lifted:
            out.append(lifted[0])
            continue
        out.append(
            max(
                group,
                key=lambda e: (
                    e.confidence >= FLOOR,
                    ".past" not in e.rule,
                    e.span[0],
                    e.confidence,
                ),
            )
        )
    return out


def _implied(stances: list[Event], gaz: Gazetteer) -> list[Event]:
    """A confident backing or objection (by a member other than the candidate's home, or
    the home's own nomination: 'Ruritania put up X') or
    an anonymous count of backers implies a declared bid: members do not block or back
    people who are not standing. A congratulation comes after the choice ('congratulated
    X on being appointed'), so it says nothing of a bid."""
    out = []
    name, version = COMPONENTS["candidacy"]
    for e in stances:
        if (
            (e.stance == "support" or (e.stance == "oppose" and not e.lifted))
            and e.confidence >= FLOOR
            and "congratulat" not in e.sentence.lower()
            and (
                gaz.candidate_homes.get(e.candidate or "") != e.member
                or e.rule.startswith("stance.nominate")  # "Ruritania put up X": a bid
            )
        ):
            out.append(
                Event(
                    kind="candidacy", sentence=e.sentence, span=e.span,
                    rule="candidacy.declared.implied-by-support", extractor=name, version=version,
                    mode=e.mode, confidence=round(e.confidence * 0.9, 3), candidate=e.candidate,
                    status="declared",
                )
            )  # fmt: skip
    return out


def _winners(appointments: list[Event]) -> list[Event]:
    """The winner of an election the article shows was a declared candidate in it."""
    name, version = COMPONENTS["candidacy"]
    return [
        Event(
            kind="candidacy", sentence=e.sentence, span=e.span,
            rule="candidacy.declared.implied-by-election", extractor=name, version=version,
            mode=e.mode, confidence=round(e.confidence * 0.9, 3), candidate=e.candidate,
            status="declared",
        )
        for e in appointments
        if e.confidence >= FLOOR
    ]  # fmt: skip


def _candidacies(events: list[Event], appointed: set[str | None]) -> list[Event]:
    best: dict[str | None, Event] = {}
    for e in events:
        if e.candidate in appointed or e.rule == NAMED:
            continue
        key = (e.confidence >= FLOOR, _RANK[e.status or "mentioned"], e.confidence)
        prior = best.get(e.candidate)
        if prior is None or key > (
            prior.confidence >= FLOOR,
            _RANK[prior.status or "mentioned"],
            prior.confidence,
        ):
            best[e.candidate] = e
    for e in events:  # named without a stated status: running, where nothing else was read
        if e.rule == NAMED and e.candidate not in best and e.candidate not in appointed:
            best[e.candidate] = e
    return list(best.values())


def _counts(events: list[Event]) -> list[Event]:
    groups: dict[tuple[str | int | None, ...], list[Event]] = {}
    for e in events:
        tally = e.count if e.what != "support" else None  # every tally, one support count
        groups.setdefault((e.candidate, e.what, e.round, tally), []).append(e)
    out = []
    for group in groups.values():
        top = max(group, key=lambda e: (e.confidence >= FLOOR, e.count is not None, e.count or 0))
        frac = next((e.fraction for e in group if e.fraction is not None), None)
        of = top.of or next(
            (e.of for e in group if e.of is not None and (top.count or 0) <= e.of), None
        )
        if (frac is not None and top.fraction is None) or (of is not None and top.of is None):
            top = dataclasses.replace(
                top, fraction=top.fraction or frac, of=of, rule=top.rule + "+merged"
            )
        out.append(top)
    return out


def _appointments(events: list[Event]) -> list[Event]:
    groups: dict[str | None, list[Event]] = {}
    for e in events:
        groups.setdefault(e.candidate, []).append(e)
    out = []
    for group in groups.values():
        top = max(
            group,
            key=lambda e: (e.confidence >= FLOOR, e.date is not None, e.takes_office is not None),
        )
        takes = next((e.takes_office for e in group if e.takes_office), None)
        if top.takes_office is None and takes is not None:
            top = dataclasses.replace(top, takes_office=takes, rule=top.rule + "+merged")
        out.append(top)
    return out
