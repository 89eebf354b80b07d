"""Where articles come from: files, directories (recursively), glob patterns and standard input.

``read_paths`` walks them lazily, one open file at a time, so a directory of 100,000
articles is read as a stream; it yields articles and problems in a stable order.
"""

from __future__ import annotations

import datetime as dt
import glob
import io
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kingmaker.ingest.build import MAX_CHARS, Item, ReadOptions
from kingmaker.ingest.formats import SUFFIXES
from kingmaker.ingest.problems import Problem
from kingmaker.ingest.readers import read_document
from kingmaker.ingest.warc import SUFFIXES as WARC_SUFFIXES

STDIN = "-"
_GLOB_CHARS = frozenset("*?[")


@dataclass(frozen=True)
class Document:
    """A document held in memory (an upload, a pasted text): its name and its bytes.

    ``name`` is how problems and ``Article.file`` name it, e.g. ``upload:report.html``;
    the format is detected from the bytes (and the name's suffix), as for a file.
    """

    name: str
    data: bytes


def read_paths(
    paths: Iterable[str | Path | Document] | str | Path | Document,
    *,
    default_date: dt.date | None = None,
    today: dt.date | None = None,
    max_chars: int = MAX_CHARS,
    on_file: Callable[[str], None] | None = None,
) -> Iterator[Item]:
    """Read articles from files, directories, glob patterns, ``"-"`` (standard input) and
    in-memory ``Document`` objects.

    Directories are walked recursively in name order; hidden files and folders are
    passed over, and so are files whose suffix is not a known format (each with a
    problem). A named file is read whatever its suffix: its content decides.

    Args:
        paths: What to read, in order.
        default_date: Date for articles that carry none, and for every plain text file.
        today: Dates after it are refused (default: the current day).
        max_chars: Characters kept of one article's text.
        on_file: Called with each file's name as it is opened.

    Yields:
        ``Article`` records and ``Problem`` records, as they are read.
    """
    if isinstance(paths, str | Path | Document):
        paths = [paths]
    options = ReadOptions(
        default_date=default_date, today=today or dt.date.today(), max_chars=max_chars
    )
    for raw in paths:
        if isinstance(raw, Document):
            if on_file is not None:
                on_file(raw.name)
            yield from read_document(raw.name, io.BytesIO(raw.data), options)
            continue
        for name, problem in _expand(str(raw)):
            if problem is not None:
                yield problem
                continue
            if on_file is not None:
                on_file(name)
            yield from _read_one(name, options)


def expand_paths(raw: str) -> Iterator[tuple[str, Problem | None]]:
    """Each file one argument names (a file, a folder walked as ``read_paths`` walks it, a
    glob), in reading order, or the problem with it."""
    return _expand(raw)


def _expand(raw: str) -> Iterator[tuple[str, Problem | None]]:
    """Each file named by one argument, or the problem with it."""
    if raw == STDIN:
        yield STDIN, None
        return
    if os.path.isdir(raw):
        yield from _walk(raw)
        return
    if os.path.lexists(raw):
        yield raw, None
        return
    if _GLOB_CHARS & set(raw):
        matches = sorted(glob.iglob(raw, recursive=True))
        if not matches:
            yield raw, Problem(raw, None, "no files match this pattern")
        for match in matches:
            if os.path.isdir(match):
                yield from _walk(match)
            else:
                yield match, None
        return
    yield raw, Problem(raw, None, "no such file or directory; skipped")


def _walk(root: str) -> Iterator[tuple[str, Problem | None]]:
    """Files under ``root`` in name order, skipping hidden ones and unknown suffixes."""
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = os.path.join(folder, name)
            suffix = os.path.splitext(name)[1].lower()
            if suffix and suffix not in SUFFIXES and not name.lower().endswith(WARC_SUFFIXES):
                yield (
                    path,
                    Problem(path, None, f"'{suffix}' is not a format kingmaker reads; skipped"),
                )
            else:
                yield path, None


def _read_one(name: str, options: ReadOptions) -> Iterator[Item]:
    """The articles and problems of one file (or of standard input)."""
    if name == STDIN:
        label = "<stdin>"
        buffer = getattr(sys.stdin, "buffer", None)
        if buffer is None:  # a text stream put in place of stdin, e.g. by a test
            buffer = io.BytesIO(sys.stdin.read().encode("utf-8"))
        yield from read_document(label, buffer, options)
        return
    try:
        stream = open(name, "rb")  # noqa: SIM115 - closed below, after the lazy read
    except IsADirectoryError:
        yield Problem(name, None, "is a directory; skipped")
        return
    except OSError as exc:
        yield Problem(name, None, f"cannot read ({exc.strerror or exc}); skipped")
        return
    with stream:
        try:
            yield from read_document(name, stream, options)
        except OSError as exc:
            yield Problem(name, None, f"cannot read ({exc.strerror or exc}); skipped")
