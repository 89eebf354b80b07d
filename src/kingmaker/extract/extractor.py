"""The Extractor: one Race in, a reusable reader of its articles out.

``Extractor(race, mode="auto")`` builds the gazetteer and the pre-filter, and gets the
cached spaCy pipeline (model if verified, else the blank fallback). ``extract(article)``
runs the pre-filter, parses only the sentences that name the race, applies the rules
and reconciles the sentence events into the article's events.
"""

from __future__ import annotations

import bisect
import logging
from collections.abc import Callable, Iterable, Iterator
from typing import Literal

from spacy.language import Language
from spacy.tokens import Doc

from kingmaker.errors import ExtractionError
from kingmaker.extract.backers import backer_line_events
from kingmaker.extract.candidacy import candidacy_events, named_events
from kingmaker.extract.consolidate import consolidate
from kingmaker.extract.contests import contest_candidacies
from kingmaker.extract.context import ArticleContext, SentenceView
from kingmaker.extract.counts import count_events
from kingmaker.extract.events import Event, Mode
from kingmaker.extract.gazetteer import Gazetteer, build_gazetteer
from kingmaker.extract.groups import group_events
from kingmaker.extract.lists import list_events, listed_line_events, sequel_events
from kingmaker.extract.mentions import sentence_mentions
from kingmaker.extract.nominees import (
    contest_events,
    described_nominee_events,
    nominated_events,
    nominee_events,
    of_nominee_events,
    official_events,
    pronoun_nominee_events,
)
from kingmaker.extract.office import appointment_events, vacancy_events
from kingmaker.extract.pipeline import get_pipeline, model_available
from kingmaker.extract.prefilter import Hit, Prefilter, recased, select
from kingmaker.extract.roles import add_role_entities, role_hits
from kingmaker.extract.stance import stance_events
from kingmaker.extract.tallies import tally_events
from kingmaker.records import Article, Race

log = logging.getLogger(__name__)
_RECENT = 400
RULES = (
    stance_events,
    nominee_events,
    described_nominee_events,
    of_nominee_events,
    nominated_events,
    official_events,
    pronoun_nominee_events,
    contest_events,
    candidacy_events,
    contest_candidacies,
    count_events,
    tally_events,
    vacancy_events,
    appointment_events,
    backer_line_events,
)


class Extractor:
    """Reads a race's articles into events.

    Args:
        race: the race whose members, candidates and post are recognised.
        mode: ``"model"`` (spaCy model with dependency rules; raises ExtractionError if
            the model is missing or fails its sha256 check), ``"fallback"`` (blank
            pipeline with token patterns) or ``"auto"`` (model if usable, else fallback).
    """

    name = "race-patterns"
    version = 1

    def __init__(self, race: Race, mode: Literal["auto", "model", "fallback"] = "auto") -> None:
        self.race = race
        self.gazetteer: Gazetteer = build_gazetteer(race)
        self.prefilter = Prefilter(self.gazetteer)
        ok, why = model_available()
        if mode == "model" and not ok:
            raise ExtractionError(f"model mode unavailable: {why}; use mode='fallback' or 'auto'")
        if mode == "auto" and not ok:
            log.warning("spaCy model refused (%s); extracting in fallback mode", why)
        self.mode: Mode = "model" if mode == "model" or (mode == "auto" and ok) else "fallback"
        self.why = why
        self._nlp: Language | None = None

    @property
    def nlp(self) -> Language:
        """The spaCy pipeline (built on first use, cached per race and mode)."""
        if self._nlp is None:
            try:
                self._nlp = get_pipeline(self.gazetteer, self.mode)
            except (OSError, ValueError) as exc:
                raise ExtractionError(f"cannot load the {self.mode} pipeline: {exc}") from exc
        return self._nlp

    def extract(self, article: Article) -> list[Event]:
        """The article's events: one per fact, each with its sentence and span."""
        return next(self.extract_many([article]))[1]

    def extract_all(self, article: Article) -> list[Event]:
        """Every sentence-level event, before reconciling them per article."""
        hits, chunks = self.select(article)
        text = recased(article.text, hits)
        docs = list(self.nlp.pipe(text[s:e] for s, e in chunks))
        return self._read(article, hits, chunks, docs)

    def extract_many(
        self, articles: Iterable[Article], *, batch_size: int = 64
    ) -> Iterator[tuple[Article, list[Event]]]:
        """``(article, events)`` for each article, parsing sentences in batches across articles."""
        batch: list[Article] = []
        for a in articles:
            batch.append(a)
            if len(batch) == batch_size:
                yield from self._batch(batch)
                batch = []
        if batch:
            yield from self._batch(batch)

    def select(self, article: Article) -> tuple[list[Hit], list[tuple[int, int]]]:
        """The pre-filter alone: names found, and the sentence spans that go to spaCy."""
        hits = self.prefilter.hits(article.text)
        local = role_hits(article.text, hits)
        if local:
            hits = sorted([*hits, *local], key=lambda h: h.start)
        return hits, select(article.text, hits)

    def _batch(self, batch: list[Article]) -> Iterator[tuple[Article, list[Event]]]:
        prepared = [(a, *self.select(a)) for a in batch]
        texts = []
        for a, hits, chunks in prepared:
            text = recased(a.text, hits)
            texts += [text[s:e] for s, e in chunks]
        docs = iter(self.nlp.pipe(texts, batch_size=256))
        for a, hits, chunks in prepared:
            mine = [next(docs) for _ in chunks]
            yield a, consolidate(self._read(a, hits, chunks, mine), self.gazetteer, a.text)

    def _read(
        self, article: Article, hits: list[Hit], chunks: list[tuple[int, int]], docs: list[Doc]
    ) -> list[Event]:
        ctx = ArticleContext(
            self.gazetteer, article.date, self.mode, _earlier(self.gazetteer, hits), article.text
        )
        out: list[Event] = []
        views: list[SentenceView] = []
        local = [h for h in hits if h.local]
        for (start, _), doc in zip(chunks, docs, strict=True):
            if local:
                add_role_entities(doc, start, local)
            for sent in doc.sents:
                mentions = sentence_mentions(sent, self.gazetteer, article.date)
                if not mentions or not sent.text.strip():
                    continue
                v = SentenceView(sent, start + sent.start_char, sent.text, mentions, ctx)
                views.append(v)
                found = [e for rule in RULES for e in rule(v)]
                # a list declares only those the sentence gives no other candidacy
                said = {e.candidate: e.status for e in found if e.kind == "candidacy"}
                found += [
                    e
                    for e in [*list_events(v), *listed_line_events(v), *sequel_events(v)]
                    if e.candidate not in said
                    or (e.rule.endswith(".formal") and said[e.candidate] == "mentioned")
                ]
                out.extend(found)
        return out + group_events(views) + named_events(views)


def _earlier(gaz: Gazetteer, hits: list[Hit]) -> Callable[[int, str | None], str | None]:
    """Who an unresolved pronoun means at a character offset: the most-mentioned recent
    candidate (within about two sentences), else the last one named."""
    cands = [
        (h.start, p.candidate, p.gender)
        for h in hits
        if h.ref.kind == "person" and (p := gaz.people.get(h.ref.key)) is not None and p.candidate
    ]
    starts = [s for s, _, _ in cands]

    def earlier(pos: int, gender: str | None) -> str | None:
        k = bisect.bisect_left(starts, pos)
        seen = [(s, c) for s, c, g in cands[:k] if gender is None or g is None or g == gender]
        if not seen:
            return None
        recent = {c for s, c in seen if s >= pos - _RECENT}
        if not recent:
            return seen[-1][1]
        counts = {c: sum(1 for _, x in seen if x == c) for c in recent}
        last = {c: max(s for s, x in seen if x == c) for c in recent}
        return max(recent, key=lambda c: (counts[c], last[c]))

    return earlier
