"""What the pages and the JSON API show, as JSON-ready dicts built from the service.

Both front doors (``api.py`` and ``pages.py``) call these functions, so a page shows
exactly what the API returns. Forecasts and timelines are cached by the race's
fingerprint (a version the store replaces with every change to the race, its evidence or
a review), so a cached answer is never stale: any ingest, review or edit, from this
server or another, changes it.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlsplit

from kingmaker.records import Article, Candidate, Member, Race
from kingmaker.report.charts import series
from kingmaker.service import Forecast, Kingmaker, corrections
from kingmaker.web.limits import Cache
from kingmaker.web.security import HTTPProblem
from kingmaker.web.settings import WebSettings

T = TypeVar("T")
SAFE_SCHEMES = ("http", "https")
WEEK = 7  # days: the race page says what moved since this many days before its day


@dataclass
class Views:
    """The dashboard's reads over one ``Kingmaker``, with their cache."""

    km: Kingmaker
    settings: WebSettings
    cache: Cache

    def _day(self, race: Race, as_of: dt.date | None) -> dt.date:
        return as_of or self.km.default_day(race)

    def _cached(self, race_id: str, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        """``compute()`` cached under ``key`` and the race's fingerprint; kept only when
        the fingerprint did not change while it ran (a write in between would make the
        answer belong to neither state)."""
        before = self.km.fingerprint(race_id)
        return self.cache.get(
            (*key, before), compute, keep=lambda: self.km.fingerprint(race_id) == before
        )

    def forecast(
        self, race_id: str, as_of: dt.date | None = None, *, explain: bool = True
    ) -> Forecast:
        """The page's forecast (cached; not saved to the run history)."""
        race = self.km.race(race_id)
        day = self._day(race, as_of)
        key = ("forecast", race_id, day, explain, self.settings.samples)
        return self._cached(
            race_id,
            key,
            lambda: self.km.forecast(
                race_id, day, samples=self.settings.samples, explain=explain, save=False
            ),
        )

    def races(self) -> list[dict[str, Any]]:
        """Every race with its current leader and the date of its latest evidence."""
        out = []
        for summary in self.km.races():
            fc = self.forecast(summary.id, explain=False)
            lead = fc.front_runner
            decided = fc.decided or self.km.is_decided(self.km.race(summary.id), fc.as_of)
            if decided and summary.winner:  # the winner, though another led on the day
                lead = next((o for o in fc.outcomes if o.id == summary.winner), lead)
            out.append(
                {
                    **summary.as_dict(),
                    "as_of": fc.as_of.isoformat(),
                    "decided": decided,
                    "leader": {"id": lead.id, "name": lead.name, "probability": lead.probability},
                }
            )
        return out

    def headline(self, race_id: str, as_of: dt.date | None = None) -> dict[str, Any]:
        """What a reader wants first: the leader and its probability (or the winner, once
        decided), and which outcomes moved since a week before and why."""
        race = self.km.race(race_id)
        day = self._day(race, as_of)
        fc = self.forecast(race_id, day)
        lead = fc.front_runner
        decided = fc.decided or self.km.is_decided(race, day)
        winner = race.resolution.winner if decided and race.resolution else None
        if winner is not None:
            lead = next((o for o in fc.outcomes if o.id == winner), lead)
        start = day - dt.timedelta(days=WEEK)
        since = None
        if start >= race.opened:
            before = self.forecast(race_id, start, explain=False)
            since = {
                "from": start.isoformat(),
                "moves": [
                    {
                        "outcome": m.outcome,
                        "name": m.name,
                        "before": m.before,
                        "after": m.after,
                        "delta": m.delta,
                        "reasons": [
                            {
                                "summary": c.summary,
                                "first": c.first.isoformat(),
                                "last": c.last.isoformat(),
                                "delta": c.delta,
                            }
                            for c in m.reasons
                        ],
                    }
                    for m in self.km.moves(fc, before)
                ],
            }
        return {
            "as_of": fc.as_of.isoformat(),
            "decided": decided,
            "decided_on": race.resolution.date.isoformat() if decided and race.resolution else None,
            "leader": {"id": lead.id, "name": lead.name, "probability": lead.probability},
            "since": since,
        }

    def race(self, race_id: str) -> dict[str, Any]:
        """The race definition for people: post, rule, bodies, candidates, resolution."""
        race = self.km.race(race_id)
        return {
            "id": race.id,
            "name": race.name,
            "description": race.description,
            "opened": race.opened.isoformat(),
            "post": race.post.name,
            "rule": race.rule.name,
            "rule_text": race.rule.describe(),
            "bodies": [
                {"id": b.id, "name": b.name, "members": [m.id for m in b.members]}
                for b in race.bodies
            ],
            "candidates": [{"id": c.id, "name": c.name, "home": c.home} for c in race.candidates],
            "resolution": race.resolution.model_dump(mode="json") if race.resolution else None,
            "default_day": self.km.default_day(race).isoformat(),
            "evidence": len(race.evidence),
        }

    def forecast_json(self, race_id: str, as_of: dt.date | None = None) -> dict[str, Any]:
        """The forecast as JSON, with the outcomes' 95% intervals spelled out (cached; the
        dict is shared, so callers must not change it)."""
        race = self.km.race(race_id)
        day = self._day(race, as_of)
        key = ("forecast_json", race_id, day, self.settings.samples)

        def compute() -> dict[str, Any]:
            fc = self.forecast(race_id, day)
            data = fc.model_dump(mode="json")
            # whom the kingmakers' figures are about: the most likely named candidate
            data["front_runner"] = {"id": fc.front_runner.id, "name": fc.front_runner.name}
            for o in data["outcomes"]:
                o["low"] = max(0.0, o["probability"] - 1.96 * o["se"])
                o["high"] = min(1.0, o["probability"] + 1.96 * o["se"])
            return data

        return self._cached(race_id, key, compute)

    def movers(self, race_id: str, outcome: str, as_of: dt.date | None = None) -> dict[str, Any]:
        """The statements that moved one outcome's probability most, with their sources."""
        fc = self.forecast(race_id, as_of)
        known = {o.id: o for o in fc.outcomes}
        if outcome not in known:
            raise HTTPProblem(
                404,
                f"no outcome '{outcome}' in the forecast of {race_id}; it has: {', '.join(known)}",
                "not_found",
            )
        return {
            "race_id": race_id,
            "as_of": fc.as_of.isoformat(),
            "outcome": known[outcome].model_dump(mode="json"),
            "movers": [
                {**c.model_dump(mode="json"), "links": [link(s) for s in c.sources]}
                for c in fc.explanations.get(outcome, ())
            ],
        }

    def timeline(self, race_id: str, until: dt.date | None = None) -> dict[str, Any]:
        """Probabilities every ``timeline_every`` days across the race, for the chart."""
        race = self.km.race(race_id)
        end = until or self.km.default_day(race)
        s = self.settings
        key = ("timeline", race_id, end, s.timeline_every, s.timeline_samples)

        def compute() -> dict[str, Any]:
            usable, fcs = self.km.timeline(
                race_id, end=end, every=s.timeline_every, samples=s.timeline_samples, save=False
            )
            marks = turning_points(usable)
            return {
                "race_id": race_id,
                "days": [f.as_of.isoformat() for f in fcs],
                "series": [
                    {"id": oid, "name": name, "probability": ys}
                    for oid, (name, ys) in series(fcs).items()
                ],
                "samples": s.timeline_samples,
                "marks": marks,
            }

        return self._cached(race_id, key, compute)

    def matrix(self, race_id: str, as_of: dt.date | None = None) -> dict[str, Any]:
        """The stance matrix as JSON (see ``report.matrix``)."""
        return self.km.matrix(race_id, as_of).as_dict()

    def evidence(
        self,
        race_id: str,
        *,
        as_of: dt.date | None = None,
        member: str | None = None,
        candidate: str | None = None,
        review: str | None = None,
        limit: int | None = None,
    ) -> tuple[list[dict[str, Any]], int]:
        """Evidence items as JSON, newest first, each with a summary and a safe link: the
        first ``limit`` of them (all when None), and how many there are in all."""
        race = self.km.race(race_id)
        items = self.evidence_items(race_id, as_of=as_of, member=member, candidate=candidate)
        if review is not None:
            items = [e for e in items if e.review == review]
        newest = list(reversed(items))[:limit]
        return self._items_json(race, newest), len(items)

    def evidence_items(
        self,
        race_id: str,
        *,
        as_of: dt.date | None = None,
        member: str | None = None,
        candidate: str | None = None,
    ) -> list[Any]:
        """Evidence items (the records), oldest first; unknown ids are 404 problems."""
        race = self.km.race(race_id)
        if member is not None:
            known_member(race, member)
        if candidate is not None:
            known_candidate(race, candidate)
        return list(self.km.evidence(race_id, member=member, candidate=candidate, as_of=as_of))

    def member(self, race_id: str, member_id: str, as_of: dt.date | None = None) -> dict[str, Any]:
        """One member: who it is, its latest stance on each candidate, whether it is a
        kingmaker on the day, and the evidence that names it, newest first."""
        race = self.km.race(race_id)
        found = known_member(race, member_id)
        fc = self.forecast_json(race_id, as_of)
        day = dt.date.fromisoformat(fc["as_of"])
        cells = [
            {**c, "candidate_name": race.candidate(c["candidate"]).name}
            for c in self.matrix(race_id, day)["cells"]
            if c["member"] == member_id
        ]
        items, _ = self.evidence(race_id, as_of=day, member=member_id)
        return {
            "race_id": race_id,
            "as_of": fc["as_of"],
            "member": found.model_dump(mode="json"),
            "stances": cells,
            "kingmaker": next((k for k in fc["kingmakers"] if k["member"] == member_id), None),
            "front_runner": max(
                (o for o in fc["outcomes"] if o["kind"] == "candidate"),
                key=lambda o: o["probability"],
                default=None,
            ),
            "evidence": items,
        }

    def review_queue(self, race_id: str) -> list[dict[str, Any]]:
        """Machine items below the review threshold, waiting for a person."""
        race = self.km.race(race_id)
        return self._items_json(race, self.km.review_queue(race_id))

    def item(self, race_id: str, evidence_id: str) -> dict[str, Any]:
        """One item with its review log."""
        race = self.km.race(race_id)
        found, log = self.km.item(race_id, evidence_id)
        return {
            **self._items_json(race, [found])[0],
            "reviews": [r.model_dump(mode="json") for r in log],
        }

    def _items_json(self, race: Race, items: list[Any]) -> list[dict[str, Any]]:
        """Items as JSON; each names its article only when the article is stored for the
        race (items from curated files may cite an article nobody ingested)."""
        cited = {e.source.content_hash for e in items if e.source.content_hash}
        stored = self.km.stored_articles(race.id, cited) if cited else set()
        fixes = corrections(race)
        return [item_json(e, race, self.km.review_threshold, stored, fixes) for e in items]

    def article(self, race_id: str, article_id: str) -> dict[str, Any]:
        """An article, its text cut into plain and highlighted pieces, and its items."""
        race = self.km.race(race_id)
        article, items = self.km.article(article_id, race_id)
        return {
            "article": article_json(article),
            "pieces": highlight(article.text, items),
            "items": self._items_json(race, items),
        }


def known_member(race: Race, member_id: str) -> Member:
    """The race's member with this id, or a 404 problem naming the members."""
    try:
        return race.member(member_id)
    except KeyError:
        ids = [m.id for b in race.bodies for m in b.members]
        raise HTTPProblem(
            404,
            f"no member '{member_id}' in race {race.id}; {_did_you_mean(member_id, ids)}",
            "not_found",
        ) from None


def known_candidate(race: Race, candidate_id: str) -> Candidate:
    """The race's candidate with this id, or a 404 problem naming the candidates."""
    try:
        return race.candidate(candidate_id)
    except KeyError:
        ids = [c.id for c in race.candidates]
        raise HTTPProblem(
            404,
            f"no candidate '{candidate_id}' in race {race.id}; {_did_you_mean(candidate_id, ids)}",
            "not_found",
        ) from None


def _did_you_mean(given: str, ids: list[str]) -> str:
    """``did you mean X?`` when an id differs only in case, else the ids there are."""
    same = [i for i in ids if i.lower() == given.lower()]
    return f"did you mean {same[0]}?" if same else f"there are: {', '.join(ids)}"


def turning_points(race: Race) -> list[dict[str, Any]]:
    """Days worth marking on the chart: the first report of the vacancy and of the
    appointment, and of each candidate's withdrawal, the one that stuck (a candidate
    reported withdrawn, then declared again, is marked at the withdrawal after that)."""
    items = sorted(race.evidence, key=lambda e: (e.date, e.id))
    out: dict[tuple[str, str], Any] = {}
    for e in items:
        if e.kind in ("vacancy", "appointment"):
            out.setdefault((e.kind, ""), e)
        elif e.kind == "candidacy":
            key = ("withdrawn", e.candidate)
            if e.status == "declared":
                out.pop(key, None)  # back in the race: an earlier withdrawal did not stick
            elif e.status == "withdrawn":
                out.setdefault(key, e)
    marks = []
    for e in sorted(out.values(), key=lambda e: (e.date, e.id)):
        label = e.describe(race)
        if e.kind == "vacancy":  # marked when reported, which may be long before
            label = f"{e.incumbent} to leave" + (f" ({e.ends})" if e.ends else "")
        marks.append({"date": e.date.isoformat(), "label": label, "kind": e.kind})
    return marks


def link(source: str) -> dict[str, Any]:
    """A source for display: ``href`` only for http(s) URLs, never ``javascript:`` and co."""
    if "://" not in source:
        return {"text": source, "href": None}
    try:
        parts = urlsplit(source)
        host = parts.hostname
    except ValueError:  # "http://[oops" and other malformed URLs are shown, not linked
        return {"text": source, "href": None}
    ok = parts.scheme.lower() in SAFE_SCHEMES and bool(host)
    return {"text": source, "href": source if ok else None}


def item_json(
    e: Any,
    race: Race,
    threshold: float,
    stored: Collection[str] = (),
    corrections: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """An evidence item as JSON, with its summary, source link, whether forecasts use it,
    ``article`` (the id of its article when that is among ``stored``, else None) and
    ``corrected_by`` (its latest correction in ``corrections``, else None)."""
    data: dict[str, Any] = e.model_dump(mode="json")
    data["article"] = e.source.content_hash if e.source.content_hash in stored else None
    data["corrected_by"] = (corrections or {}).get(e.id)
    data["summary"] = e.describe(race)
    data["link"] = link(e.source.label)
    data["used"] = e.review == "accepted" or (e.review == "pending" and e.confidence >= threshold)
    data["machine"] = not e.producer.startswith(("curated:", "reviewed:"))
    return data


def article_json(a: Article) -> dict[str, Any]:
    """An article's metadata and text."""
    data = a.model_dump(mode="json")
    data["link"] = link(a.url) if a.url else None
    return data


def highlight(text: str, items: list[Any]) -> list[dict[str, Any]]:
    """``text`` cut at the items' spans: pieces ``{"text", "items"}``, where ``items``
    lists the ids of the evidence stated in that piece (empty for plain text)."""
    bounds = {0, len(text)}
    spans = []
    for e in items:
        if e.span is not None and 0 <= e.span[0] < e.span[1] <= len(text):
            spans.append((e.span[0], e.span[1], e.id))
            bounds.update(e.span)
    cuts = sorted(bounds)
    pieces = []
    for a, b in itertools.pairwise(cuts):
        ids = [i for s, t, i in spans if s <= a and b <= t]
        pieces.append({"text": text[a:b], "items": ids})
    return pieces
