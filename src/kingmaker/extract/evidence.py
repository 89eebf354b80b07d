"""Turn an extracted event into an evidence item of the race (records.py kinds).

Counts map onto the evidence kinds the engine reads: a ``support`` count is a ``count``
item; a candidate's ``votes`` in a ballot is a ``ballot`` item with that one tally; a
straw poll's ``encourage`` (with the ``discourage`` and ``no opinion`` of the same
candidate and round, merged by ``evidence_events``) is a ``poll`` item. Other tallies
(oppose, against, abstain alone) have no evidence kind and are left to the reviewer.

The id is deterministic: ``x-`` + 12 hex characters of a hash of the article id and the
event's content, so re-extracting the same article gives the same ids. Machine items
are unreviewed: ``pending`` when at or above the caller's confidence threshold,
``rejected`` (kept, but left out of forecasts) below it. A candidacy read only from a
candidate being named (``candidacy.named``, a base-rate guess of "declared") is stored as
a mention.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json

from pydantic import TypeAdapter

from kingmaker.errors import ExtractionError
from kingmaker.extract.candidacy import NAMED
from kingmaker.extract.events import Event
from kingmaker.records import Article, Evidence, Race, check_evidence_refs

_EVIDENCE: TypeAdapter[Evidence] = TypeAdapter(Evidence)


def evidence_id(event: Event, article: Article) -> str:
    """``x-`` + 12 hex characters of sha256(article id + event content)."""
    blob = json.dumps({"article": article.id, **event.content()}, sort_keys=True, default=str)
    return "x-" + hashlib.sha256(blob.encode()).hexdigest()[:12]


def storable(event: Event) -> bool:
    """Whether ``event`` maps onto an evidence kind (see the module docstring)."""
    if event.kind != "count":
        return True
    return event.candidate is not None and (
        event.what == "support"
        or (event.what == "votes" and event.count is not None)
        or (event.what == "encourage" and event.count is not None)
    )


def evidence_events(events: list[Event]) -> list[Event]:
    """The events that become evidence: storable ones, a straw poll's three numbers in one."""
    polls = {
        (e.candidate, e.round, e.what): e.count
        for e in events
        if e.kind == "count" and e.what in ("discourage", "no opinion")
    }
    out = []
    for e in events:
        if not storable(e):
            continue
        if e.kind == "count" and e.what == "encourage":
            extra = (polls.get((e.candidate, e.round, "discourage")) or 0,
                     polls.get((e.candidate, e.round, "no opinion")) or 0)  # fmt: skip
            e = dataclasses.replace(e, qualifier=f"poll {extra[0]} {extra[1]}")
        out.append(e)
    return out


def to_evidence(event: Event, article: Article, race: Race, *, threshold: float) -> Evidence:
    """The evidence item for ``event`` read from ``article``.

    Args:
        event: an event from ``Extractor.extract(article)``.
        article: the article it was read from (gives the source and the date).
        race: the race whose ids the event uses (checked).
        threshold: confidence below which the item is marked ``rejected``.

    Raises:
        ExtractionError: when the article has no date, or the event names ids unknown to
            the race.
    """
    if article.date is None:
        raise ExtractionError(f"article {article.id[:12]} has no date; evidence needs one")
    base: dict[str, object] = {
        "id": evidence_id(event, article),
        "kind": _kind(event),
        "date": article.date,
        "source": article.source,
        "quote": event.sentence,
        "span": event.span,
        "producer": event.producer,
        "confidence": event.confidence,
        "review": "pending" if event.confidence >= threshold else "rejected",
        "note": f"rule {event.rule}",
    }
    base.update(_fields(event))
    try:
        item = _EVIDENCE.validate_python(base)
        members = {m.id for b in race.bodies for m in b.members}
        check_evidence_refs(item, members, {c.id for c in race.candidates})
    except ValueError as exc:
        raise ExtractionError(f"event {event.describe()} is not valid evidence: {exc}") from exc
    return item


def _fields(e: Event) -> dict[str, object]:
    if e.kind == "stance":
        return {
            "member": e.member,
            "candidate": e.candidate,
            "stance": e.stance,
            "lifted": e.lifted,
        }
    if e.kind == "candidacy":
        # a name alone (``candidacy.named``) is stored as a mention: it never raises a
        # candidate's standing, nor brings back one who withdrew
        status = "mentioned" if e.rule == NAMED else e.status
        return {"candidate": e.candidate, "status": status}
    if e.kind == "count" and e.what == "votes":
        return {"round": _round(e.round), "tallies": {e.candidate: e.count}}
    if e.kind == "count" and e.what == "encourage":
        against, none = (int(x) for x in (e.qualifier or "poll 0 0").split()[1:3])
        return {"round": _round(e.round), "candidate": e.candidate, "encourage": e.count,
                "discourage": against, "no_opinion": none}  # fmt: skip
    if e.kind == "count":
        return {"candidate": e.candidate, "count": e.count, "of": e.of, "fraction": e.fraction,
                "qualifier": e.qualifier}  # fmt: skip
    if e.kind == "appointment":
        return {"candidate": e.candidate, "takes_office": _day(e.takes_office)}
    return {"incumbent": e.incumbent, "ends": _day(e.ends)}


def _kind(e: Event) -> str:
    if e.kind == "count" and e.what == "votes":
        return "ballot"
    if e.kind == "count" and e.what == "encourage":
        return "poll"
    return e.kind


def _round(value: str | None) -> int:
    """A ballot or poll number; a label that is not a number (a tie-break) reads as 1."""
    return int(value) if value and value.isdecimal() and int(value) > 0 else 1


def _day(value: str | None) -> dt.date | None:
    """An ISO date; a month alone reads as its first day (the note keeps the precision)."""
    if value is None:
        return None
    return dt.date.fromisoformat(value if len(value) == 10 else value + "-01")
