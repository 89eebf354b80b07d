"""Following live races: fetch feeds and pages, ingest what is new, re-forecast, alert.

``Watcher.round`` does one pass: each URL is fetched conditionally (the ETag and
Last-Modified of the body read before, kept in the store's fetch records); a body not
read before goes through the ingest pipeline with extraction (articles already stored
are repeats, never read again); every race whose evidence changed is forecast before and
after; each outcome that moved by at least the threshold is in an ``Alert``, written as
a JSON line to the log and POSTed as JSON to the webhook. A feed, a forecast or a webhook
that fails is retried and reported, never fatal: the round goes on. ``Watcher.run``
repeats rounds at an interval. ``ingest_sources`` is ``Kingmaker.ingest`` that also
takes URLs (``kingmaker ingest URL``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from kingmaker.engine import forecast
from kingmaker.errors import KingmakerError
from kingmaker.ingest import Document, Problem
from kingmaker.ingest.fetch import Fetched, Fetcher, check_url, is_url
from kingmaker.newsdesk import Mode, NewsReport
from kingmaker.records import Evidence, Race
from kingmaker.service import Kingmaker
from kingmaker.store import FetchRecord, Store

THRESHOLD = 0.05
MAX_PENDING = 100
"""Alerts kept for a webhook that keeps failing (the oldest are dropped past it)."""
MAX_ITEMS = 20
"""New evidence items an alert lists (it counts the rest)."""

State = Literal["new", "not-modified", "unchanged", "failed"]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def record_fetch(store: Store, got: Fetched, *, read: bool) -> FetchRecord:
    """Record a fetch of ``got.url``: the answer's validators and digest when ``read``
    (its body was ingested, or was the body read before), else the earlier ones kept."""
    old = store.get_fetch(got.url)
    now = _now()
    keep = old if old is not None and not read else None
    changed = read and got.data is not None and (old is None or old.sha256 != got.sha256)
    rec = FetchRecord(
        url=got.url,
        etag=got.etag if read else (keep.etag if keep else None),
        last_modified=got.last_modified if read else (keep.last_modified if keep else None),
        sha256=got.sha256 if read and got.data is not None else (old.sha256 if old else None),
        status=got.status,
        error=got.error,
        fetched_at=now,
        changed_at=now if changed else (old.changed_at if old else None),
        fetches=(old.fetches if old else 0) + 1,
    )
    if got.not_modified and old is not None:  # a 304 may omit the validators
        rec = rec.model_copy(
            update={
                "etag": got.etag or old.etag,
                "last_modified": got.last_modified or old.last_modified,
                "sha256": old.sha256,
            }
        )
    store.put_fetch(rec)
    return rec


def fetch_inputs(
    paths: Sequence[str | Path | Document], store: Store, fetcher: Fetcher
) -> tuple[list[str | Path | Document], list[Problem]]:
    """The inputs with each http(s) URL replaced by what it served (a ``Document``
    named by the URL), and a problem for each URL that could not be fetched."""
    out: list[str | Path | Document] = []
    problems: list[Problem] = []
    for raw in paths:
        if not (isinstance(raw, str) and is_url(raw)):
            out.append(raw)
            continue
        got = fetcher.get(raw)
        if got.data is None:
            problems.append(Problem(raw, None, f"{got.error or 'nothing read'}; skipped"))
            record_fetch(store, got, read=False)
            continue
        out.append(Document(name=got.url, data=got.data))
        record_fetch(store, got, read=True)
    return out, problems


def ingest_sources(
    km: Kingmaker,
    paths: Sequence[str | Path | Document],
    *,
    fetcher: Fetcher | None = None,
    **options: Any,
) -> NewsReport:
    """``Kingmaker.ingest`` over files, folders, globs, ``-`` and http(s) URLs (a page or
    a feed, fetched once); a URL that cannot be fetched is a problem of the report.

    Args:
        km: Where the articles go.
        paths: What to read.
        fetcher: The HTTP client (default: one with kingmaker's settings, closed after).
        options: As ``Kingmaker.ingest`` takes them (race_id, default_date, mode, progress).
    """
    own = fetcher is None
    client = Fetcher() if fetcher is None else fetcher
    try:
        inputs, problems = fetch_inputs(paths, km.store, client)
    finally:
        if own:
            client.close()
    report = km.ingest(inputs, **options)
    if problems:
        report.ingest = dataclasses.replace(
            report.ingest, problems=(*problems, *report.ingest.problems)
        )
    return report


@dataclass(frozen=True)
class Move:
    """One outcome of a race whose probability moved."""

    outcome: str
    name: str
    before: float
    after: float

    @property
    def change(self) -> float:
        """after - before."""
        return self.after - self.before

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {
            "outcome": self.outcome,
            "name": self.name,
            "before": round(self.before, 4),
            "after": round(self.after, 4),
            "change": round(self.change, 4),
        }


@dataclass(frozen=True)
class Alert:
    """The outcomes of one race that moved by at least the threshold in one round."""

    race: str
    race_name: str
    as_of: dt.date
    threshold: float
    moves: tuple[Move, ...]
    new_evidence: tuple[Evidence, ...]
    sources: tuple[str, ...]
    at: dt.datetime

    def as_dict(self) -> dict[str, Any]:
        """The JSON an alert is logged and posted as."""
        return {
            "event": "forecast-moved",
            "race": self.race,
            "race_name": self.race_name,
            "as_of": self.as_of.isoformat(),
            "threshold": self.threshold,
            "moves": [m.as_dict() for m in self.moves],
            "new_evidence": [_item(e) for e in self.new_evidence[:MAX_ITEMS]],
            "more_evidence": max(0, len(self.new_evidence) - MAX_ITEMS),
            "sources": list(self.sources),
            "at": self.at.isoformat(timespec="seconds"),
        }

    def render(self) -> str:
        """One line per move, then one per new evidence item (the first few), for a person."""
        lines = [
            f"{self.race}: {m.name} {m.before:.1%} -> {m.after:.1%} "
            f"({m.change * 100:+.1f} pts, as of {self.as_of})"
            for m in self.moves
        ]
        lines += [f"  new {e.kind} of {e.date}: {e.source.label}" for e in self.new_evidence[:3]]
        if len(self.new_evidence) > 3:
            lines.append(f"  and {len(self.new_evidence) - 3} more new evidence items")
        return "\n".join(lines)


def _item(e: Evidence) -> dict[str, Any]:
    """What an alert says of one new evidence item."""
    return {
        "id": e.id,
        "kind": e.kind,
        "date": e.date.isoformat(),
        "source": e.source.label,
        "quote": e.quote,
        "confidence": e.confidence,
    }


@dataclass
class Source:
    """What one URL gave in one round."""

    url: str
    state: State
    status: int | None = None
    error: str | None = None
    read: int = 0
    new_articles: int = 0
    repeats: int = 0
    off_topic: int = 0
    evidence: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return dict(self.__dict__)

    def render(self) -> str:
        """One line for a person."""
        if self.state == "failed":
            return f"{self.url}: failed: {self.error}"
        if self.state == "not-modified":
            return f"{self.url}: not modified (304)"
        if self.state == "unchanged":
            return f"{self.url}: unchanged since the last fetch"
        found = ", ".join(f"{n} for {r}" for r, n in sorted(self.evidence.items())) or "none"
        return (
            f"{self.url}: {self.read} articles read, {self.new_articles} new, "
            f"{self.repeats} already stored, {self.off_topic} about no tracked race; "
            f"new evidence: {found}"
        )


@dataclass
class Round:
    """One pass over the URLs."""

    started: dt.datetime
    sources: list[Source] = field(default_factory=list)
    alerts: list[Alert] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # forecasts, webhook, log

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {
            "started": self.started.isoformat(timespec="seconds"),
            "sources": [s.as_dict() for s in self.sources],
            "alerts": [a.as_dict() for a in self.alerts],
            "problems": list(self.problems),
        }


@dataclass(frozen=True)
class WatchSettings:
    """What a watcher watches for and where it reports.

    Attributes:
        race_id: Only articles about this race (default: every stored race).
        threshold: Least move of an outcome's probability that is reported (0.05 = 5 pts).
        samples: Monte Carlo samples of each forecast.
        seed: Seed of the forecasts before and after (the same, so that only the
            evidence moves them).
        mode: Extraction mode.
        webhook: URL that each alert is POSTed to as JSON.
        log: File each alert and each failure is appended to as one JSON line.
    """

    race_id: str | None = None
    threshold: float = THRESHOLD
    samples: int = 20_000
    seed: int = 0
    mode: Mode = "auto"
    webhook: str | None = None
    log: Path | None = None


class Watcher:
    """Watches URLs for a Kingmaker store; see the module docstring."""

    def __init__(
        self,
        km: Kingmaker,
        urls: Iterable[str],
        settings: WatchSettings | None = None,
        *,
        fetcher: Fetcher | None = None,
    ) -> None:
        self.km = km
        self.urls = [check_url(u) for u in urls]
        self.settings = settings or WatchSettings()
        if self.settings.webhook is not None:
            check_url(self.settings.webhook)
        if self.settings.race_id is not None:
            km.race(self.settings.race_id)  # an unknown race is refused at once
        self.fetcher = fetcher or Fetcher()
        self.pending: list[dict[str, Any]] = []  # alerts the webhook has not taken yet

    def close(self) -> None:
        """Close the HTTP client."""
        self.fetcher.close()

    def round(self) -> Round:
        """Fetch every URL once, ingest what is new, re-forecast, alert."""
        out = Round(started=_now())
        scope = self._scope()
        before = {rid: (self.km.fingerprint(rid), self.km.race(rid)) for rid in scope}
        for url in self.urls:
            out.sources.append(self._source(url))
        for source in out.sources:
            if source.state == "failed":
                self._log({"event": "fetch-failed", "url": source.url, "error": source.error}, out)
        urls = tuple(s.url for s in out.sources if s.state == "new")
        for rid, (fingerprint, old) in before.items():
            if self.km.fingerprint(rid) != fingerprint:
                alert = self._compare(old, urls, out)
                if alert is not None:
                    out.alerts.append(alert)
                    self._log(alert.as_dict(), out)
        self._post(out)
        self._log(
            {
                "event": "round",
                "started": out.started.isoformat(timespec="seconds"),
                "fetched": {s.url: s.state for s in out.sources},
                "alerts": len(out.alerts),
            },
            out,
        )
        return out

    def run(
        self,
        interval: float,
        *,
        once: bool = False,
        on_round: Callable[[Round], None] | None = None,
        stop: threading.Event | None = None,
    ) -> int:
        """Rounds every ``interval`` seconds (one when ``once``) until ``stop`` is set;
        the number of rounds done."""
        stop = stop or threading.Event()
        done = 0
        while not stop.is_set():
            started = dt.datetime.now(dt.UTC)
            try:
                result = self.round()
            except KingmakerError as exc:  # the store cannot be read: try again next round
                if once:
                    raise
                result = Round(started=started)
                self._log({"event": "round-failed", "error": str(exc)}, result)
            done += 1
            if on_round is not None:
                on_round(result)
            if once:
                break
            spent = (dt.datetime.now(dt.UTC) - started).total_seconds()
            stop.wait(max(0.0, interval - spent))
        return done

    def _scope(self) -> list[str]:
        rid = self.settings.race_id
        return [rid] if rid is not None else self.km.store.race_ids()

    def _source(self, url: str) -> Source:
        store = self.km.store
        old = store.get_fetch(url)
        known = old is not None and old.sha256 is not None
        got = self.fetcher.get(
            url,
            etag=old.etag if known and old else None,
            last_modified=old.last_modified if known and old else None,
        )
        if got.not_modified:
            record_fetch(store, got, read=True)
            return Source(url, "not-modified", status=got.status)
        if got.data is None:
            record_fetch(store, got, read=False)
            return Source(url, "failed", status=got.status, error=got.error)
        if old is not None and got.sha256 == old.sha256:
            record_fetch(store, got, read=True)
            return Source(url, "unchanged", status=got.status)
        s = self.settings
        try:
            rep = self.km.ingest(
                [Document(name=url, data=got.data)], race_id=s.race_id, mode=s.mode
            )
        except KingmakerError as exc:  # the store refused: nothing recorded as read
            failed = dataclasses.replace(got, data=None, error=f"cannot ingest ({exc})")
            record_fetch(store, failed, read=False)
            return Source(url, "failed", status=got.status, error=failed.error)
        record_fetch(store, got, read=True)
        return Source(
            url,
            "new",
            status=got.status,
            read=rep.ingest.read,
            new_articles=rep.ingest.new,
            repeats=rep.ingest.exact_duplicates,
            off_topic=rep.ingest.off_topic,
            evidence=dict(rep.evidence),
            problems=[str(p) for p in rep.ingest.problems if p.skipped],
        )

    def _compare(self, old: Race, urls: tuple[str, ...], out: Round) -> Alert | None:
        """Forecast the race before and after the round; the alert, if anything moved
        by at least the threshold."""
        s = self.settings
        new = self.km.race(old.id)
        day = self.km.default_day(new)
        try:
            fc_old = forecast(
                self.km.usable(old), day, samples=s.samples, seed=s.seed, explain=False
            )
            fc_new = self.km.forecast(old.id, day, samples=s.samples, seed=s.seed, explain=False)
        except KingmakerError as exc:
            self._log({"event": "forecast-failed", "race": old.id, "error": str(exc)}, out)
            return None
        was = {o.id: o for o in fc_old.outcomes}
        moves = []
        for o in fc_new.outcomes:
            p0 = was[o.id].probability if o.id in was else 0.0
            if abs(o.probability - p0) >= s.threshold - 1e-12:
                moves.append(Move(o.id, o.name, p0, o.probability))
        if not moves:
            return None
        moves.sort(key=lambda m: -abs(m.change))
        known = {e.id for e in old.evidence}
        return Alert(
            race=old.id,
            race_name=new.name,
            as_of=day,
            threshold=s.threshold,
            moves=tuple(moves),
            new_evidence=tuple(e for e in new.evidence if e.id not in known),
            sources=urls,
            at=_now(),
        )

    def _post(self, out: Round) -> None:
        """POST this round's alerts, and those the webhook did not take before."""
        hook = self.settings.webhook
        if hook is None:
            return
        queue = [*self.pending, *(a.as_dict() for a in out.alerts)]
        self.pending = []
        for n, payload in enumerate(queue):
            sent = self.fetcher.post_json(hook, payload)
            if sent.error is None:
                continue
            self.pending = queue[n:][-MAX_PENDING:]
            self._log(
                {
                    "event": "webhook-failed",
                    "webhook": hook,
                    "error": sent.error,
                    "pending": len(self.pending),
                },
                out,
            )
            return

    def _log(self, line: dict[str, Any], out: Round) -> None:
        """Append one JSON line to the log; failures and alerts also go to the round."""
        event = line.get("event", "")
        if event.endswith("-failed"):
            what = line.get("url") or line.get("race") or line.get("webhook")
            out.problems.append(f"{event}: " + (f"{what}: " if what else "") + str(line["error"]))
        path = self.settings.log
        if path is None:
            return
        stamped = {"at": _now().isoformat(timespec="seconds"), **line}
        try:
            with path.open("a", encoding="utf-8") as f:
                f.write(json.dumps(stamped, ensure_ascii=False) + "\n")
        except OSError as exc:
            out.problems.append(f"log-failed: {path}: {exc.strerror or exc}")
