"""News archives read on a cluster's workers: the inputs cut into partitions of files, each
read, de-duplicated and matched to races by a worker.

A partition is a run of files of one folder, in reading order (a tree partitioned by
date, ``2024/03/01/*.html``, gives a partition per day; a folder of JSONL or WARC files,
one per few files), so the partitions' articles, put back in order, are the articles
``read_paths`` reads from the same inputs, problems included. A worker drops the repeats
within its partition and the articles about no tracked race (keeping only their ids, for
the counts), so what comes back is what the store may keep.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kingmaker.errors import IngestError
from kingmaker.ingest.build import MAX_CHARS
from kingmaker.ingest.matching import Matched, RaceMatcher
from kingmaker.ingest.problems import Problem
from kingmaker.ingest.sources import STDIN, expand_paths, read_paths
from kingmaker.parallel import Workers, cached
from kingmaker.records import Race

FILES_PER_PARTITION = 64


@dataclass(frozen=True)
class Partition:
    """What a worker made of one partition: its articles (as ``Matched``) and problems,
    in reading order, and how many files it opened."""

    items: list[Problem | Matched]
    files: int


def check_archive(paths: Iterable[str | Path]) -> list[str | Path]:
    """``paths`` as a list, checked to name no standard input (a cluster cannot read it).

    Raises:
        IngestError: ``-`` is among them.
    """
    out = list(paths)
    if any(str(p) == STDIN for p in out):
        raise IngestError("standard input cannot be read by a cluster; save it to a file")
    return out


def partitions(
    paths: Iterable[str | Path], *, files_per_partition: int = FILES_PER_PARTITION
) -> list[list[str] | Problem]:
    """The files named by ``paths`` (files, folders, globs) in reading order, in runs of at
    most ``files_per_partition`` files of one folder, with the problems met listing them
    in their places.

    Raises:
        IngestError: standard input is named (a cluster cannot read it), or
            ``files_per_partition`` is below 1.
    """
    if files_per_partition < 1:
        raise IngestError(f"files_per_partition must be at least 1, got {files_per_partition}")
    paths = check_archive(paths)
    out: list[list[str] | Problem] = []
    run: list[str] = []
    for raw in paths:
        for name, problem in expand_paths(str(raw)):
            if problem is not None:
                if run:
                    out.append(run)
                    run = []
                out.append(problem)
                continue
            if run and (
                len(run) >= files_per_partition or os.path.dirname(run[-1]) != os.path.dirname(name)
            ):
                out.append(run)
                run = []
            run.append(name)
    if run:
        out.append(run)
    return out


def read_partitions(shared: Any, parts: Sequence[list[str]]) -> list[Partition]:
    """Read each partition's files, drop its repeats and match its articles to the races:
    a task of ``Workers`` (``shared.value``: races, default date, today, max chars)."""
    races, default_date, today, max_chars = shared.value
    matcher = cached(shared.key, lambda: RaceMatcher(races))
    out = []
    for files in parts:
        opened = 0
        items: list[Problem | Matched] = []
        seen: set[str] = set()

        def count(_: str) -> None:
            nonlocal opened
            opened += 1

        for item in read_paths(
            files, default_date=default_date, today=today, max_chars=max_chars, on_file=count
        ):
            if isinstance(item, Problem):
                items.append(item)
            elif item.id in seen:
                items.append(Matched(item.id))  # a repeat: counted, not sent again
            else:
                seen.add(item.id)
                hits = tuple(matcher.match(item.text, item.date))
                items.append(Matched(item.id, hits, item if hits else None))
        out.append(Partition(items, opened))
    return out


class ArchiveReader:
    """The articles of ``paths`` read by ``workers``, in reading order; ``files`` counts
    the files opened so far."""

    def __init__(
        self,
        workers: Workers,
        paths: Iterable[str | Path],
        races: Sequence[Race],
        *,
        default_date: dt.date | None = None,
        today: dt.date | None = None,
        max_chars: int = MAX_CHARS,
        files_per_partition: int = FILES_PER_PARTITION,
    ) -> None:
        self.parts = partitions(paths, files_per_partition=files_per_partition)
        slim = [r.model_copy(update={"evidence": []}) for r in races]
        self._shared = workers.share((slim, default_date, today or dt.date.today(), max_chars))
        self._workers = workers
        self.files = 0

    def __iter__(self) -> Iterator[Problem | Matched]:
        groups = [[p] for p in self.parts if not isinstance(p, Problem)]
        done = self._workers.imap(read_partitions, groups, self._shared)
        for part in self.parts:
            if isinstance(part, Problem):
                yield part
                continue
            (result,) = next(done)
            self.files += result.files
            yield from result.items
