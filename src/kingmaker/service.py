"""The central object front ends build: a store plus the operations users ask for.

The CLI and the web app call these methods and only format what they return; no domain
logic lives in a command or a route. What else of the core they use (types, limits, the
backtest report's tables) they import from here too (``FRONT_END_NAMES``), so that this
module is their one door to the core (tests/test_architecture.py).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from kingmaker.backtest import Replay, check_backtestable, replay
from kingmaker.engine import MODEL, Params, forecast
from kingmaker.engine import Forecast as Forecast
from kingmaker.engine.forecast import check_request
from kingmaker.engine.params import default_params
from kingmaker.engine.result import Contribution
from kingmaker.engine.timeline import days_between, forecast_series
from kingmaker.errors import ForecastError, MissingError, StoreError, UnknownEvidenceError
from kingmaker.ingest import Document as Document
from kingmaker.ingest.archive import check_archive
from kingmaker.lazy import attach
from kingmaker.newsdesk import Mode as Mode
from kingmaker.newsdesk import NewsReport as NewsReport
from kingmaker.newsdesk import backfill, decide, edit, ingest_news, review_queue
from kingmaker.parallel import LOCAL, Workers, check_jobs
from kingmaker.races import bundled_race_dirs, load_bundled, load_race_dir
from kingmaker.records import REVIEW_THRESHOLD as REVIEW_THRESHOLD
from kingmaker.records import Article, Race
from kingmaker.report.matrix import StanceMatrix, stance_matrix
from kingmaker.spread import forecast_days, replay_races
from kingmaker.store import ReviewEntry, Store, StoredForecast
from kingmaker.store import open_store as open_store
from kingmaker.store.base import race_version

if TYPE_CHECKING:
    from kingmaker.backtest import replay_days as replay_days
    from kingmaker.backtest.fit import FitSettings as FitSettings
    from kingmaker.backtest.fit import fit_params_file as fit_params_file
    from kingmaker.backtest.replay import LAST_DAYS as LAST_DAYS
    from kingmaker.backtest.report import EXPLAIN as EXPLAIN
    from kingmaker.backtest.report import MEAN_ROW as MEAN_ROW
    from kingmaker.backtest.report import calibration as calibration
    from kingmaker.backtest.report import calibration_cells as calibration_cells
    from kingmaker.backtest.report import check_dir as check_dir
    from kingmaker.backtest.report import first_cells as first_cells
    from kingmaker.backtest.report import score_cells as score_cells
    from kingmaker.backtest.report import table_rows as table_rows
    from kingmaker.backtest.report import write_report as write_report
    from kingmaker.engine.forecast import MAX_SAMPLES as MAX_SAMPLES
    from kingmaker.engine.params import ParamsFile as ParamsFile
    from kingmaker.engine.params import load_params_file as load_params_file
    from kingmaker.extract.evaluate import evaluate_files as evaluate_files
    from kingmaker.ingest import MAX_CHARS as MAX_CHARS
    from kingmaker.ingest import read_paths as read_paths
    from kingmaker.ingest.dates import DateError as DateError
    from kingmaker.ingest.dates import leading_date as leading_date
    from kingmaker.ingest.fetch import check_url as check_url
    from kingmaker.newsdesk import check_edit as check_edit
    from kingmaker.newsdesk import corrections as corrections
    from kingmaker.races import TEMPLATES as TEMPLATES
    from kingmaker.races import preset_names as preset_names
    from kingmaker.races import race_counts as race_counts
    from kingmaker.races import race_warnings as race_warnings
    from kingmaker.races import scaffold_race as scaffold_race
    from kingmaker.races import write_scaffold as write_scaffold
    from kingmaker.watch import THRESHOLD as THRESHOLD
    from kingmaker.watch import Round as Round
    from kingmaker.watch import Watcher as Watcher
    from kingmaker.watch import WatchSettings as WatchSettings
    from kingmaker.watch import ingest_sources as ingest_sources

# The rest of the core that the front ends use: they import it from here alone
# (tests/test_architecture.py), each name loaded on first use.
FRONT_END_NAMES = {
    "DateError": "kingmaker.ingest.dates",
    "EXPLAIN": "kingmaker.backtest.report",
    "FitSettings": "kingmaker.backtest.fit",
    "LAST_DAYS": "kingmaker.backtest.replay",
    "MAX_CHARS": "kingmaker.ingest",
    "MAX_SAMPLES": "kingmaker.engine.forecast",
    "MEAN_ROW": "kingmaker.backtest.report",
    "TEMPLATES": "kingmaker.races",
    "calibration": "kingmaker.backtest.report",
    "calibration_cells": "kingmaker.backtest.report",
    "check_dir": "kingmaker.backtest.report",
    "check_edit": "kingmaker.newsdesk",
    "corrections": "kingmaker.newsdesk",
    "evaluate_files": "kingmaker.extract.evaluate",
    "first_cells": "kingmaker.backtest.report",
    "fit_params_file": "kingmaker.backtest.fit",
    "leading_date": "kingmaker.ingest.dates",
    "load_params_file": "kingmaker.engine.params",
    "ParamsFile": "kingmaker.engine.params",
    "preset_names": "kingmaker.races",
    "race_counts": "kingmaker.races",
    "race_warnings": "kingmaker.races",
    "read_paths": "kingmaker.ingest",
    "replay_days": "kingmaker.backtest",
    "scaffold_race": "kingmaker.races",
    "score_cells": "kingmaker.backtest.report",
    "table_rows": "kingmaker.backtest.report",
    "write_report": "kingmaker.backtest.report",
    "write_scaffold": "kingmaker.races",
    "check_url": "kingmaker.ingest.fetch",
    "THRESHOLD": "kingmaker.watch",
    "Round": "kingmaker.watch",
    "Watcher": "kingmaker.watch",
    "WatchSettings": "kingmaker.watch",
    "ingest_sources": "kingmaker.watch",
}
__getattr__, __dir__ = attach(__name__, FRONT_END_NAMES)


Unsaved = Callable[[int, StoreError], None]
"""Told how many forecasts could not be saved, and why (full disk, read-only database)."""


@dataclass(frozen=True)
class Rerun:
    """A stored forecast and the same forecast run again, with the version of the race
    definition the run used (None for runs stored before versions were recorded) and the
    version it has now."""

    run_id: int
    stored: Forecast
    again: Forecast
    identical: bool
    version_then: str | None = None
    version_now: str | None = None

    @property
    def race_changed(self) -> bool | None:
        """Whether the race definition changed since the run; None when the run did not
        record its version."""
        if self.version_then is None:
            return None
        return self.version_then != self.version_now

    def explain(self) -> str:
        """What a rerun's outcome means, in plain words ('' when it reproduced the run and
        the race is as it was, or its version is unknown)."""
        race, run = self.stored.race_id, self.run_id
        then, now = (self.version_then or "")[:12], (self.version_now or "")[:12]
        versions = f"definition {then} then, {now} now"
        if self.identical:
            if not self.race_changed:
                return ""
            return (
                f"Race {race} has been changed since run {run} ({versions}), but not in a way "
                "that moves this forecast."
            )
        if self.race_changed is None:
            return (
                f"Run {run} was stored before runs recorded the version of their race, so "
                f"kingmaker cannot tell whether race {race} has been changed since. If its file "
                "was loaded again with other members, candidates, rule or post, different "
                "numbers are expected."
            )
        if self.race_changed:
            return (
                f"Race {race} has been changed since run {run} was made ({versions}): its "
                "file was loaded again with other members, candidates, rule or post. A rerun "
                "uses the race as it is now with the evidence the run used, so different "
                "numbers are expected and do not mean the run cannot be reproduced. To "
                "reproduce it exactly, load the race file as it was then into another "
                "database (--db) and rerun there."
            )
        return (
            f"Race {race} is the one run {run} used, with the same evidence, seed, samples and "
            "parameters, so the difference comes from kingmaker itself: its code or its "
            f"libraries changed without a new model version ({self.stored.model})."
        )


@dataclass(frozen=True)
class Removal:
    """What removing a race takes with it: its evidence, its stored forecasts, its links to
    articles, and (once removed) the articles no other race used."""

    race_id: str
    name: str
    evidence: int
    forecasts: int
    articles: int
    articles_removed: int = 0
    bundled: bool = False


@dataclass(frozen=True)
class Move:
    """How far one outcome's probability moved between two forecasts, and the statements
    reported in between that moved it most."""

    outcome: str
    name: str
    before: float
    after: float
    reasons: tuple[Contribution, ...]

    @property
    def delta(self) -> float:
        """After minus before."""
        return self.after - self.before


@dataclass(frozen=True)
class RaceSummary:
    """One line of the race list."""

    id: str
    name: str
    post: str
    rule: str
    members: int
    candidates: int
    evidence: int
    first: dt.date | None
    last: dt.date | None
    winner: str | None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {
            k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in self.__dict__.items()
        }


class Kingmaker:
    """Races, evidence and forecasts over one store.

    Args:
        store: an open store; bundled races missing from it are added on first use.
        on_unsaved: when given, a forecast or timeline whose runs cannot be saved (the
            store cannot be written) is still returned, and this is told how many runs
            were not saved and why; without it the ``StoreError`` is raised.
    """

    def __init__(
        self,
        store: Store,
        *,
        review_threshold: float = REVIEW_THRESHOLD,
        on_unsaved: Unsaved | None = None,
    ) -> None:
        self.store = store
        self.review_threshold = review_threshold
        self.on_unsaved = on_unsaved
        self._races: dict[str, tuple[str, Race]] = {}  # race id -> (fingerprint, race)
        self._review_lock = threading.Lock()  # decide/edit read the race, then write
        self._seed_bundled()

    @classmethod
    def open(cls, db: str | Path | None = None, *, on_unsaved: Unsaved | None = None) -> Kingmaker:
        """Open the store at ``db`` (default: $KINGMAKER_DB or the user data folder)."""
        return cls(open_store(db), on_unsaved=on_unsaved)

    def close(self) -> None:
        """Close the store."""
        self.store.close()

    def _seed_bundled(self) -> None:
        """Add the bundled races the store lacks. A store with races that cannot take a
        new one now (a full disk, a read-only file) still opens for the races it has;
        the rest are added on a later open. A new store that cannot take them fails."""
        for race_id in bundled_race_dirs():
            if not self.store.has_race(race_id):
                try:
                    self.store.put_race(load_bundled(race_id))
                except StoreError:
                    if not self.store.race_ids():
                        raise
                    return  # the others would fail alike

    @staticmethod
    def warm_up() -> None:
        """Prepare the simulation's compiled loops now (a second or two the first time on
        a machine, then loaded from the cache), so the first forecast does not wait: a
        server calls it at start-up."""
        from kingmaker.engine import kernels

        kernels.warm()

    def races(self) -> list[RaceSummary]:
        """Every stored race, by id."""
        return [self._summary(self.race(rid)) for rid in sorted(self.store.race_ids())]

    def race(self, race_id: str) -> Race:
        """One race with all its evidence (UnknownRaceError if absent).

        The race is read again only when the store's fingerprint of it has changed (races
        are immutable, so the copy kept is safe to share). A copy is kept only when the
        fingerprint is the same after the read as before, so a write landing in between
        cannot pair an old fingerprint with a newer race.
        """
        fingerprint = self.store.fingerprint(race_id)
        kept = self._races.get(race_id)
        if kept is not None and kept[0] == fingerprint:
            return kept[1]
        race = self.store.get_race(race_id)
        if self.store.fingerprint(race_id) == fingerprint:
            self._races[race_id] = (fingerprint, race)
        return race

    def usable(self, race: Race) -> Race:
        """The race with the evidence forecasts use: reviewed items (not rejected) and
        unreviewed ones whose confidence reaches the review threshold."""
        return race.usable(self.review_threshold)

    def load(self, path: Path | str) -> tuple[Race, int]:
        """Validate a race directory and store it; returns the race and new evidence count."""
        race = load_race_dir(path)
        added = self.store.put_race(race)
        return race, added

    @staticmethod
    def is_bundled(race_id: str) -> bool:
        """Whether the package ships a race with this id (stored when a store first opens)."""
        return race_id in bundled_race_dirs()

    def forecast(
        self,
        race_id: str,
        as_of: dt.date | None = None,
        *,
        samples: int = 20_000,
        seed: int = 0,
        params: Params | None = None,
        explain: bool = True,
        save: bool = True,
    ) -> Forecast:
        """Forecast a race as of a day (default: the decision day if resolved, else today),
        saved to the race's history when ``save`` (see ``on_unsaved`` when it cannot be)."""
        race = self.usable(self.race(race_id))
        day = as_of or self.default_day(race)
        fc = forecast(
            race, day, samples=samples, seed=seed, params=params, explain=explain,
            review_threshold=self.review_threshold,
        )  # fmt: skip
        if save:
            self._save([fc], race)
        return fc

    def timeline(
        self,
        race_id: str,
        start: dt.date | None = None,
        end: dt.date | None = None,
        *,
        every: int = 7,
        samples: int = 10_000,
        seed: int = 0,
        params: Params | None = None,
        on_step: Callable[[dt.date], None] | None = None,
        save: bool = True,
        jobs: int = 1,
    ) -> tuple[Race, list[Forecast]]:
        """Forecasts every ``every`` days from ``start`` to ``end`` (defaults: the race span),
        in ``jobs`` processes (0: every core; the same forecasts as one)."""
        race = self.usable(self.race(race_id))
        days = self.timeline_days(race, start, end, every)
        if check_jobs(jobs) > 1:
            with Workers(jobs) as workers:
                out = forecast_days(
                    workers, race, days, samples=samples, seed=seed, params=params,
                    on_step=on_step, review_threshold=self.review_threshold,
                )  # fmt: skip
        else:
            out = forecast_series(
                race, days, samples=samples, seed=seed, params=params, on_step=on_step,
                review_threshold=self.review_threshold,
            )  # fmt: skip
        if save:
            self._save(out, race)
        return race, out

    def timeline_days(
        self, race: Race, start: dt.date | None, end: dt.date | None, every: int
    ) -> list[dt.date]:
        """The days a timeline visits, defaults filled in."""
        first = start or min((e.date for e in race.evidence), default=race.opened)
        return days_between(max(first, race.opened), end or self.default_day(race), every)

    def evidence(
        self,
        race_id: str,
        *,
        member: str | None = None,
        candidate: str | None = None,
        as_of: dt.date | None = None,
    ) -> Sequence[Any]:
        """Evidence items of a race, filtered, oldest first.

        Raises:
            UnknownMemberError, UnknownCandidateError: ``member`` or ``candidate`` is not
                one of the race's.
        """
        race = self.race(race_id)
        if member is not None:
            race.member(member)
        if candidate is not None:
            race.candidate(candidate)
        items = (
            race.evidence_until(as_of)
            if as_of
            else tuple(sorted(race.evidence, key=lambda e: (e.date, e.id)))
        )
        if member is not None:
            items = tuple(e for e in items if getattr(e, "member", None) == member)
        if candidate is not None:
            items = tuple(e for e in items if getattr(e, "candidate", None) == candidate)
        return items

    def matrix(self, race_id: str, as_of: dt.date | None = None) -> StanceMatrix:
        """Each member's latest usable stance on each candidate as of a day (default: the
        forecast's default day)."""
        race = self.usable(self.race(race_id))
        day = as_of or self.default_day(race)
        check_request(race, day, samples=1)  # the same days as forecasts: none outside the race
        return stance_matrix(race, day)

    def item(self, race_id: str, evidence_id: str) -> tuple[Any, list[ReviewEntry]]:
        """One evidence item with its review log, oldest decision first.

        Raises:
            UnknownEvidenceError: no such item in the race (a ReviewError too).
        """
        race = self.race(race_id)
        found = next((e for e in race.evidence if e.id == evidence_id), None)
        if found is None:
            raise UnknownEvidenceError(f"no evidence '{evidence_id}' in race {race_id}")
        return found, self.store.reviews(race_id, evidence_id)

    def article(self, article_id: str, race_id: str | None = None) -> tuple[Article, list[Any]]:
        """A stored article and the evidence read from it (in ``race_id``, or in every race
        it concerns), in text order.

        Raises:
            MissingError: no such article (a StoreError too).
        """
        article = self.store.get_article(article_id)
        linked = self.store.article_races(article_id)
        if race_id is not None and race_id not in linked:
            self.race(race_id)  # an unknown race is named as such
            raise MissingError(f"no article '{article_id}' in race {race_id}")
        races = [race_id] if race_id else linked
        items = [
            e
            for rid in races
            for e in self.race(rid).evidence
            if e.source.content_hash == article_id
        ]
        return article, sorted(items, key=lambda e: (e.span or (0, 0), e.id))

    def stored_articles(self, race_id: str, article_ids: Iterable[str]) -> set[str]:
        """The ids among ``article_ids`` of articles stored and linked to the race."""
        return self.store.linked_articles(race_id, article_ids)

    def fingerprint(self, race_id: str) -> str:
        """A token of a race's state (the store's version of it): it changes whenever its
        definition or any item's content or review state changes, and never comes back
        (for caches)."""
        return self.store.fingerprint(race_id)

    def history(self, race_id: str) -> list[StoredForecast]:
        """Stored forecast runs of a race."""
        self.race(race_id)
        return self.store.forecasts(race_id)

    def rerun(self, run_id: int) -> Rerun:
        """Run a stored forecast again with its model, parameters, seed, samples and the
        exact evidence it used, and compare the outcomes and kingmakers.

        Raises:
            StoreError: no such run.
            ForecastError: the run was made by another model version.
        """
        stored = self.store.get_forecast(run_id)
        if stored.model != MODEL:
            raise ForecastError(
                f"run {run_id} was made by model {stored.model}; this kingmaker runs {MODEL}"
            )
        old = Forecast.model_validate(stored.result)
        race = self.race(stored.race_id)
        keep = set(old.evidence_ids)
        missing = keep - {e.id for e in race.evidence}
        if missing:
            raise ForecastError(
                f"run {run_id} used evidence no longer stored: {', '.join(sorted(missing)[:5])}"
            )
        # Items reviewed since the run (rejected, edited) count as they did then.
        subset = race.with_evidence(
            tuple(
                e.model_copy(update={"review": "accepted"}) for e in race.evidence if e.id in keep
            )
        )
        new = forecast(
            subset,
            stored.as_of,
            samples=stored.samples,
            seed=stored.seed,
            params=Params.model_validate(stored.params),
            explain=False,
        )
        same = old.outcomes == new.outcomes and old.kingmakers == new.kingmakers
        return Rerun(
            run_id=run_id,
            stored=old,
            again=new,
            identical=same,
            version_then=stored.race_version,
            version_now=race_version(race),
        )

    def removal(self, race_id: str) -> Removal:
        """What ``remove`` would take with it, after checking the store can be written.

        Raises:
            UnknownRaceError: no such race.
            StoreError: the store cannot be written (nothing could be removed).
        """
        race = self.race(race_id)
        self.store.check_writable()
        return Removal(
            race_id=race_id,
            name=race.name,
            evidence=len(race.evidence),
            forecasts=len(self.store.forecasts(race_id)),
            articles=self.store.article_count(race_id),
            bundled=race_id in bundled_race_dirs(),
        )

    def remove(self, race_id: str) -> Removal:
        """Remove a race with everything stored for it: evidence, review log, forecasts,
        article links, and the articles no other race uses. A bundled race comes back, as
        shipped, the next time a ``Kingmaker`` opens the store.

        Raises:
            UnknownRaceError: no such race.
            StoreError: the store cannot be written; nothing is removed.
        """
        before = self.removal(race_id)
        gone = self.store.delete_race(race_id, articles=True)
        self._races.pop(race_id, None)
        return dataclasses.replace(before, articles_removed=gone)

    def ingest(
        self,
        paths: Sequence[str | Path | Document],
        *,
        race_id: str | None = None,
        default_date: dt.date | None = None,
        mode: Mode = "auto",
        progress: Callable[[int], None] | None = None,
        jobs: int = 1,
    ) -> NewsReport:
        """Read articles into the store and extract evidence for the races they concern
        (in ``jobs`` processes, 0 for every core: the same evidence as one)."""
        races = [self.race(race_id)] if race_id else [self.race(r) for r in self.store.race_ids()]
        return ingest_news(
            self.store,
            races,
            paths,
            race_id=race_id,
            default_date=default_date,
            mode=mode,
            progress=progress,
            jobs=check_jobs(jobs),
        )

    def backfill(
        self,
        paths: Sequence[str | Path],
        *,
        scheduler: str | None = None,
        jobs: int = 0,
        race_id: str | None = None,
        default_date: dt.date | None = None,
        mode: Mode = "auto",
        progress: Callable[[int], None] | None = None,
    ) -> NewsReport:
        """``ingest`` of a news archive on a Dask cluster (``scheduler``: its address; None:
        a LocalCluster of ``jobs`` workers, 0 for every core): the same store as ``ingest``."""
        races = [self.race(race_id)] if race_id else [self.race(r) for r in self.store.race_ids()]
        paths = check_archive(paths)  # before starting a cluster
        with Workers(jobs, scheduler or LOCAL) as workers:
            return backfill(
                self.store,
                races,
                paths,
                workers,
                race_id=race_id,
                default_date=default_date,
                mode=mode,
                progress=progress,
            )

    def review_queue(self, race_id: str, threshold: float | None = None) -> list[Any]:
        """Unreviewed machine items below the threshold (default: the review threshold)."""
        return review_queue(
            self.race(race_id), self.review_threshold if threshold is None else threshold
        )

    def decide(
        self,
        race_id: str,
        evidence_id: str,
        decision: Literal["accepted", "rejected"],
        reviewer: str,
    ) -> None:
        """Accept or reject one evidence item (the store records who and when)."""
        with self._review_lock:
            decide(self.store, self.race(race_id), evidence_id, decision, reviewer)

    def edit(self, race_id: str, evidence_id: str, changes: dict[str, Any], reviewer: str) -> Any:
        """Correct one item: a reviewed copy replaces it. Reviews made through one
        ``Kingmaker`` run one at a time, so two reviewers correcting the same item get a
        correction and a clear refusal, never a half-done pair."""
        with self._review_lock:
            return edit(self.store, self.race(race_id), evidence_id, changes, reviewer)

    def resolved(self, race_ids: Sequence[str] = ()) -> list[Race]:
        """The named races, or every stored race with a resolution when none is named.

        Raises:
            BacktestError: a named race has no resolution.
        """
        if race_ids:
            races = [self.race(r) for r in race_ids]
            for r in races:
                check_backtestable(r)
            return races
        return [r for r in (self.race(i) for i in sorted(self.store.race_ids())) if r.resolution]

    def backtest(
        self,
        race_ids: Sequence[str] = (),
        *,
        params: Params | None = None,
        every: int = 1,
        samples: int = 2_000,
        seed: int = 0,
        on_day: Callable[[str, dt.date], None] | None = None,
        jobs: int = 1,
        scheduler: str | None = None,
    ) -> list[Replay]:
        """Replay resolved races day by day and score kingmaker beside the baselines (the
        days of all races in ``jobs`` processes, 0 for every core, or on the Dask cluster
        at ``scheduler``, ``"local"`` for a LocalCluster: the same replays as one)."""
        if check_jobs(jobs) > 1 or scheduler is not None:
            races = [self.usable(r) for r in self.resolved(race_ids)]
            with Workers(jobs, scheduler) as workers:
                return replay_races(
                    workers,
                    races,
                    params=params or default_params()[1],
                    every=every,
                    samples=samples,
                    seed=seed,
                    on_day=on_day,
                )
        out = []
        for race in self.resolved(race_ids):
            step = None if on_day is None else (lambda d, r=race.id: on_day(r, d))
            out.append(
                replay(
                    self.usable(race),
                    params=params or default_params()[1],
                    every=every,
                    samples=samples,
                    seed=seed,
                    on_day=step,
                )
            )
        return out

    @staticmethod
    def moves(
        now: Forecast, before: Forecast, *, threshold: float = 0.01, reasons: int = 2
    ) -> list[Move]:
        """The outcomes whose probability moved by at least ``threshold`` from ``before``
        (an earlier forecast of the race) to ``now``, the largest move first. Each comes with
        up to ``reasons`` statements from ``now``'s explanations that were reported after
        ``before``'s day and pushed the outcome the way it moved (none when no single new
        statement did: the model's drift with time, or many small reports)."""
        out = []
        for o in now.outcomes:
            was = before.probability(o.id)
            delta = o.probability - was
            if abs(delta) < threshold:
                continue
            why = tuple(
                c
                for c in now.explanations.get(o.id, ())
                if c.last > before.as_of and c.delta * delta > 0
            )[:reasons]
            out.append(Move(o.id, o.name, was, o.probability, why))
        return sorted(out, key=lambda m: -abs(m.delta))

    @staticmethod
    def is_decided(race: Race, day: dt.date) -> bool:
        """Whether the race was settled by ``day``: its resolution's day has come (a race
        settled by its first body counts, though no appointment is on record)."""
        return race.resolution is not None and day >= race.resolution.date

    @staticmethod
    def default_day(race: Race) -> dt.date:
        """The decision day for a resolved race, else today."""
        return race.resolution.date if race.resolution else dt.date.today()

    @staticmethod
    def latest_evidence_day(race: Race) -> dt.date:
        """The day of a race's latest evidence (for an open race: where the news stops),
        else its default day."""
        return max((e.date for e in race.evidence), default=Kingmaker.default_day(race))

    def _save(self, fcs: Sequence[Forecast], race: Race) -> None:
        """Save runs of ``race`` in order, with its version; at the first that cannot be
        saved, tell ``on_unsaved`` how many were not (and try no more), or raise when there
        is none."""
        version = race_version(race)
        for n, fc in enumerate(fcs):
            run = StoredForecast(
                race_id=fc.race_id,
                as_of=fc.as_of,
                seed=fc.seed,
                samples=fc.samples,
                model=fc.model,
                params=fc.params,
                result=fc.model_dump(mode="json"),
                created_at=dt.datetime.now(dt.UTC),
                race_version=version,
            )
            try:
                self.store.save_forecast(run)
            except StoreError as exc:
                if self.on_unsaved is None:
                    raise
                self.on_unsaved(len(fcs) - n, exc)
                return

    @staticmethod
    def _summary(race: Race) -> RaceSummary:
        dates = sorted(e.date for e in race.evidence)
        return RaceSummary(
            id=race.id,
            name=race.name,
            post=race.post.name,
            rule=race.rule.name,
            members=sum(len(b.members) for b in race.bodies),
            candidates=len(race.candidates),
            evidence=len(race.evidence),
            first=dates[0] if dates else None,
            last=dates[-1] if dates else None,
            winner=race.resolution.winner if race.resolution else None,
        )
