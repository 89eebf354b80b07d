"""The extraction event: one fact read from one sentence, with where and how it was read.

An ``Event`` is what the extractor emits before anything is stored: the kind and its
fields (ids from the race), the sentence with its character span in the article, the
rule that fired, the extractor name, version and mode, and a confidence.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Literal

EventKind = Literal["candidacy", "stance", "count", "vacancy", "appointment"]
Mode = Literal["model", "fallback"]
KINDS: tuple[EventKind, ...] = (
    "stance",
    "candidacy",
    "count",
    "vacancy",
    "appointment",
)

COMPONENTS: dict[str, tuple[str, int]] = {
    "stance": ("stance-patterns", 1),
    "candidacy": ("candidacy-patterns", 1),
    "count": ("count-patterns", 2),
    "vacancy": ("office-patterns", 1),
    "appointment": ("office-patterns", 1),
}


@dataclass(frozen=True, slots=True)
class Event:
    """One fact read from one sentence of an article.

    Only the fields of its ``kind`` are set: candidacy (candidate, status); stance
    (member, candidate, stance, lifted); count (candidate, what, count, of, round,
    fraction, qualifier; ``what`` is support, oppose, encourage, discourage, no opinion,
    votes, against or abstain); vacancy (incumbent, ends); appointment (candidate, date,
    takes_office).
    Dates are ISO strings, ``YYYY-MM`` where only the month is known.
    """

    kind: EventKind
    sentence: str
    span: tuple[int, int]
    rule: str
    extractor: str
    version: int
    mode: Mode
    confidence: float
    candidate: str | None = None
    member: str | None = None
    status: str | None = None
    stance: str | None = None
    lifted: bool = False
    count: int | None = None
    of: int | None = None
    fraction: float | None = None
    qualifier: str | None = None
    what: str | None = None
    round: str | None = None
    incumbent: str | None = None
    ends: str | None = None
    date: str | None = None
    takes_office: str | None = None

    @property
    def producer(self) -> str:
        """``name@version:mode``, as stored with evidence."""
        return f"{self.extractor}@{self.version}:{self.mode}"

    def key(self) -> tuple[str | int | bool | None, ...]:
        """What evaluation matches on: the kind and its identifying fields."""
        if self.kind == "stance":
            return (self.kind, self.member, self.candidate, self.stance, self.lifted)
        if self.kind == "candidacy":
            return (self.kind, self.candidate, self.status)
        if self.kind == "count":
            return (self.kind, self.candidate, self.what, self.count)
        if self.kind == "appointment":
            return (self.kind, self.candidate)
        return (self.kind, self.incumbent)

    def content(self) -> dict[str, object]:
        """The fact without provenance (kind and the fields of that kind that are set)."""
        skip = {"sentence", "span", "rule", "extractor", "version", "mode", "confidence"}
        out: dict[str, object] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if f.name in skip or value is None or (f.name == "lifted" and self.kind != "stance"):
                continue
            out[f.name] = value
        return out

    def describe(self) -> str:
        """A short human line, e.g. ``stance HUN -> rutte oppose``."""
        c = self.content()
        c.pop("kind")
        body = " ".join(f"{k}={v}" for k, v in c.items())
        return f"{self.kind} {body} ({self.confidence:.2f}, {self.rule})"
