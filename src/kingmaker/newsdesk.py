"""Reading the news into a race: ingest articles, extract evidence, review it.

The operations behind ``kingmaker ingest``, ``review`` and ``eval-extract`` (and the web
app's forms). An ingest is ``kingmaker.pipeline.run`` given a ``BatchReader``: the races'
extractors, in worker processes; the pipeline stores what they read, batch by batch.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import TypeAdapter, ValidationError

from kingmaker.errors import ConflictError, ReviewError, UnknownEvidenceError
from kingmaker.extract import Extractor, Report, evaluate, to_evidence
from kingmaker.extract.evaluate import load_gold_files
from kingmaker.extract.evidence import evidence_events
from kingmaker.ingest import Document, IngestReport, Matched
from kingmaker.ingest.archive import FILES_PER_PARTITION, ArchiveReader
from kingmaker.ingest.problems import Problem
from kingmaker.parallel import Workers, cached
from kingmaker.pipeline import BATCH_SIZE, run
from kingmaker.records import Article, Evidence, Race, changes_nothing, check_evidence_refs
from kingmaker.store import Store

Mode = Literal["auto", "model", "fallback"]
_EVIDENCE: TypeAdapter[Evidence] = TypeAdapter(Evidence)


@dataclass
class NewsReport:
    """What an ingest with extraction did."""

    ingest: IngestReport
    mode: str
    evidence: dict[str, int] = field(default_factory=dict)  # race id -> new evidence items
    # race id -> ids of every item extracted in this run (new or already stored)
    items: dict[str, list[str]] = field(default_factory=dict)
    articles: list[str] = field(default_factory=list)  # ids of articles stored or linked
    copies_skipped: int = 0  # near copies whose evidence was not counted again
    undated: int = 0  # articles without a date: stored, no evidence

    def render(self) -> str:
        """One paragraph for a person."""
        added = ", ".join(f"{n} for {r}" for r, n in sorted(self.evidence.items())) or "none"
        text = f"{self.ingest.render()} Extracted evidence ({self.mode} mode): {added}."
        if self.copies_skipped:
            text += f" {self.copies_skipped} near copies were not read again."
        if self.undated:
            text += f" {self.undated} articles had no date, so no evidence: pass --date."
        return text


class BatchReader:
    """The pipeline's extractor (``kingmaker.pipeline.BatchExtractor``): reads articles
    for races with each race's ``Extractor``, in ``workers``, in chunks (the items come
    back in the order asked: the same as one process). The mode is settled per race on
    first use (auto: the model if verified); ``mode`` is the last one settled."""

    def __init__(self, races: Sequence[Race], mode: Mode, workers: Workers) -> None:
        self.mode: str = mode
        self._requested = mode
        self._races = {r.id: r for r in races}
        self._extractors: dict[str, Extractor] = {}
        self._workers = workers
        # what a worker needs to read an article for a race: the race without its evidence
        self._shared = workers.share({r.id: r.model_copy(update={"evidence": []}) for r in races})

    @property
    def concurrent(self) -> bool:
        """Whether the workers read in other processes (or on a cluster)."""
        return not self._workers.serial

    def start(self, todo: Sequence[tuple[Article, str]]) -> Callable[[], list[list[Evidence]]]:
        """Start reading each ``(article, race id)``; what it returns waits for the items."""
        tasks: list[tuple[Article, str, str]] = []  # (article, race id, extraction mode)
        for article, rid in todo:
            ex = self._extractors.get(rid) or self._extractors.setdefault(
                rid,
                Extractor(self._races[rid], mode=self._requested),
            )
            self.mode = ex.mode
            tasks.append((article, rid, ex.mode))
        found: Callable[[], list[list[Evidence]]] = self._workers.start(
            read_articles, tasks, self._shared
        )
        return found


def ingest_news(
    store: Store,
    races: Sequence[Race],
    paths: Sequence[str | Path | Document],
    *,
    race_id: str | None = None,
    default_date: dt.date | None = None,
    mode: Mode = "auto",
    progress: Callable[[int], None] | None = None,
    batch_size: int = BATCH_SIZE,
    jobs: int = 1,
    workers: Workers | None = None,
    items: Iterable[Article | Problem | Matched] | None = None,
) -> NewsReport:
    """Store new articles about ``races`` and the evidence extracted from each.

    The pipeline (``kingmaker.pipeline.run``) stores each batch of articles with their
    evidence and the marks that they were read for their races in one transaction, so a
    run stopped part way leaves each batch whole or absent; a stored article not marked
    read (stored by an ingest without extraction) is read again, and an article that
    gave no evidence is not read on every ingest. Machine items are stored as unreviewed
    (``pending``) with their confidence; forecasts use them above the review threshold.
    Near copies of earlier articles are stored, linked, and not read again.

    The articles of a batch are read (extracted) by ``workers`` (default: ``jobs``
    processes on this machine, 0 for every core), in chunks, while the next batch is
    read: the same evidence as one process. ``items`` are articles read already
    (``kingmaker.pipeline.run``), as by ``backfill``.
    """
    own = Workers(jobs) if workers is None else None
    with own or contextlib.nullcontext():
        workers = workers or own
        assert workers is not None
        reader = BatchReader(races, mode, workers)
        done = run(
            store,
            list(paths),
            races=list(races),
            race_id=race_id,
            default_date=default_date,
            extractor=reader,
            progress=progress,
            batch_size=batch_size,
            items=items,
        )
        # the same fields: evidence, items, articles, copies_skipped, undated
        return NewsReport(ingest=done.report, mode=reader.mode, **vars(done.extracted))


def backfill(
    store: Store,
    races: Sequence[Race],
    paths: Sequence[str | Path],
    workers: Workers,
    *,
    race_id: str | None = None,
    default_date: dt.date | None = None,
    mode: Mode = "auto",
    progress: Callable[[int], None] | None = None,
    batch_size: int = BATCH_SIZE,
    files_per_partition: int = FILES_PER_PARTITION,
) -> NewsReport:
    """``ingest_news`` of a news archive (files, folders partitioned by date, globs) by a
    cluster's ``workers``: they read, de-duplicate and match the partitions
    (``kingmaker.ingest.archive``) and extract each batch's evidence; this process
    finds near copies and stores articles and evidence in batches. The store ends as
    one process's ``ingest_news`` of the same inputs leaves it.
    """
    tracked = [r for r in races if race_id is None or r.id == race_id]
    reader = ArchiveReader(
        workers,
        paths,
        tracked,
        default_date=default_date,
        files_per_partition=files_per_partition,
    )
    out = ingest_news(
        store,
        races,
        [],
        race_id=race_id,
        default_date=default_date,
        mode=mode,
        progress=progress,
        batch_size=batch_size,
        workers=workers,
        items=reader,
    )
    out.ingest = dataclasses.replace(out.ingest, files=reader.files)
    return out


def read_articles(races: Any, todo: Sequence[tuple[Article, str, str]]) -> list[list[Evidence]]:
    """The evidence items of each ``(article, race id, mode)``: a task of ``Workers``
    (``races`` is the shared map of race ids to races; a worker keeps its extractors)."""

    def build() -> dict[tuple[str, str], Extractor]:
        return {}

    extractors = cached(races.key, build)
    out = []
    for article, rid, mode in todo:
        race = races.value[rid]
        ex = extractors.get((rid, mode)) or extractors.setdefault(
            (rid, mode),
            Extractor(race, mode=mode),  # type: ignore[arg-type]
        )
        events = evidence_events(ex.extract(article))
        out.append([to_evidence(e, article, race, threshold=0.0) for e in events])
    return out


def review_queue(race: Race, threshold: float) -> list[Any]:
    """Unreviewed machine items below the threshold, oldest first: what needs a person."""
    return sorted(
        (e for e in race.evidence if e.review == "pending" and e.confidence < threshold),
        key=lambda e: (e.date, e.id),
    )


def decide(
    store: Store,
    race: Race,
    evidence_id: str,
    decision: Literal["accepted", "rejected"],
    reviewer: str,
) -> None:
    """Accept or reject one item; the store records who decided and when (a decision the
    item has already is not recorded again). A corrected item cannot be accepted again:
    its correction stands in for it."""
    item = _find(race, evidence_id)
    if item.review == decision:
        return  # decided so already: nothing to record
    latest = correction_of(race, evidence_id)
    if decision == "accepted" and latest is not None:
        raise ReviewError(
            f"{evidence_id} was corrected as {latest}, which counts in its place; "
            f"accept or edit {latest} instead"
        )
    store.set_review(race.id, evidence_id, decision, reviewer)


def corrections(race: Race) -> dict[str, str]:
    """Item id -> id of its latest correction (``<id>.r1``, ...), for corrected items."""
    found: dict[str, tuple[int, str]] = {}
    for e in race.evidence:
        m = _CORRECTION.fullmatch(e.id)
        if m and (m.group(1) not in found or found[m.group(1)][0] < int(m.group(2))):
            found[m.group(1)] = (int(m.group(2)), e.id)
    return {base: copy for base, (_, copy) in found.items()}


def correction_of(race: Race, evidence_id: str) -> str | None:
    """The id of the latest correction of an item, or None."""
    return corrections(race).get(evidence_id)


_CORRECTION = re.compile(r"(.+)\.r(\d+)")


def check_edit(race: Race, evidence_id: str, changes: dict[str, Any], reviewer: str) -> Any:
    """The correction ``edit`` would store, or the ``ReviewError`` it would raise; nothing
    is stored (front ends ask first, to refuse before doing anything else a request asks).

    Refused: an unknown item or field, an item corrected already, changes that make no
    valid evidence, and an edit that changes nothing (it would store an identical copy
    and reject the original).
    """
    old = _find(race, evidence_id)
    data = old.model_dump(mode="json")
    if not changes:
        raise ReviewError(f"the edit of {evidence_id} names no field to change; nothing stored")
    unknown = set(changes) - set(data) - {"kind"}
    if unknown:
        raise ReviewError(
            f"cannot edit {', '.join(repr(k) for k in sorted(unknown))} of {evidence_id}: "
            f"a {old.kind} has {', '.join(sorted(data))}"
        )
    latest = correction_of(race, evidence_id)
    if latest and old.review == "rejected":
        raise ReviewError(f"{evidence_id} was corrected already as {latest}; edit {latest} instead")
    if latest:
        raise ReviewError(
            f"{evidence_id} has a correction ({latest}) but is not rejected; reject "
            f"{evidence_id}, or edit {latest}"
        )
    if changes_nothing(old, changes):
        shown = ", ".join(f"{k}={v!r}" for k, v in changes.items())[:200]
        raise ReviewError(
            f"{evidence_id} already has {shown}: the edit changes nothing; nothing stored"
        )
    data.update(changes)
    data.update(
        id=f"{evidence_id}.r1",
        producer=f"reviewed:{reviewer}",
        review="accepted",
        note=f"corrected by {reviewer} from {evidence_id}" + (f"; {old.note}" if old.note else ""),
    )
    try:
        new = _EVIDENCE.validate_python(data)
        members = {m.id for b in race.bodies for m in b.members}
        check_evidence_refs(new, members, {c.id for c in race.candidates})
    except ValidationError as exc:
        err = exc.errors()[0]
        where = str(err["loc"][-1]) if err["loc"] else "item"
        raise ReviewError(
            f"edit of {evidence_id} is not valid evidence: {where}: {err['msg']}"
        ) from None
    except ValueError as exc:
        first = str(exc).splitlines()[0]
        raise ReviewError(f"edit of {evidence_id} is not valid evidence: {first}") from None
    return new


def edit(store: Store, race: Race, evidence_id: str, changes: dict[str, Any], reviewer: str) -> Any:
    """Correct an item: the original is rejected and a reviewed copy ``<id>.r1`` with
    ``changes`` (e.g. ``stance=oppose``) is stored in its place, citing the original.

    An item is corrected once: to correct again, edit the copy. What ``check_edit``
    refuses, an edit that changes nothing among it, stores nothing. The copy is stored
    before the original is rejected, so a failure in between never leaves neither in
    force.
    """
    new = check_edit(race, evidence_id, changes, reviewer)
    # the copy first: a failure between the two steps leaves the original in force,
    # never neither of them
    try:
        store.add_evidence(race.id, [new])
    except ConflictError:  # another reviewer corrected it since `race` was read
        raise ConflictError(
            f"{evidence_id} was corrected meanwhile by someone else, as {new.id}; reload "
            f"and edit {new.id} if it needs more"
        ) from None
    store.set_review(race.id, evidence_id, "rejected", reviewer)
    return new


def eval_extract(
    articles: Path, gold: Path, race: Race, *, mode: Mode = "auto", threshold: float = 0.5
) -> Report:
    """Precision, recall and F1 of the extractor on annotated articles."""
    arts, gold_rows = load_gold_files(articles, gold)
    return evaluate(arts, gold_rows, race, Extractor(race, mode=mode), threshold=threshold)


def _find(race: Race, evidence_id: str) -> Any:
    for e in race.evidence:
        if e.id == evidence_id:
            return e
    raise UnknownEvidenceError(
        f"no evidence '{evidence_id}' in race {race.id}; see `kingmaker review "
        f"{race.id}` or `kingmaker evidence {race.id}`"
    )
