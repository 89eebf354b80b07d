"""Turn an extracted event into an evidence item of the race (records.py kinds).

The id is deterministic: ``x-`` + 12 hex characters of a hash of the article id and the
event's content, so re-extracting the same article gives the same ids. Machine items
are unreviewed: ``pending`` when at or above the caller's confidence threshold,
``rejected`` (kept, but left out of forecasts) below it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from pydantic import TypeAdapter

from kingmaker.errors import ExtractionError
from kingmaker.extract.events import Event
from kingmaker.records import Article, Evidence, Race, check_evidence_refs

_EVIDENCE: TypeAdapter[Evidence] = TypeAdapter(Evidence)


def evidence_id(event: Event, article: Article) -> str:
    """``x-`` + 12 hex characters of sha256(article id + event content)."""
    blob = json.dumps({"article": article.id, **event.content()}, sort_keys=True, default=str)
    return "x-" + hashlib.sha256(blob.encode()).hexdigest()[:12]


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
        "kind": "count" if event.kind == "support_count" else event.kind,
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
        return {"candidate": e.candidate, "status": e.status}
    if e.kind == "support_count":
        return {"candidate": e.candidate, "count": e.count, "of": e.of, "fraction": e.fraction,
                "qualifier": e.qualifier}  # fmt: skip
    if e.kind == "appointment":
        return {"candidate": e.candidate, "takes_office": _day(e.takes_office)}
    return {"incumbent": e.incumbent, "ends": _day(e.ends)}


def _day(value: str | None) -> dt.date | None:
    """An ISO date; a month alone reads as its first day (the note keeps the precision)."""
    if value is None:
        return None
    return dt.date.fromisoformat(value if len(value) == 10 else value + "-01")
