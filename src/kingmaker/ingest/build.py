"""From raw text and metadata to an ``Article``: normalise, cut, date-check, hash.

Every reader ends here, so every format gets the same rules: the text is normalised and
cut at ``max_chars``; an impossible or future date drops the article; no date is a note.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from kingmaker.ingest.dates import DateError, check_not_future
from kingmaker.ingest.problems import Problem
from kingmaker.ingest.text import article_id, cut, normalise_text
from kingmaker.records import Article

MAX_CHARS = 1_000_000
"""Characters kept of one article (a long feature is ~30,000); the rest is cut."""
MAX_BYTES = 64 * 1024 * 1024
"""Bytes read of one document (a file, a JSONL line, standard input); larger is skipped."""

Item = Article | Problem


@dataclass(frozen=True)
class ReadOptions:
    """How readers treat what they read.

    Attributes:
        default_date: Date for articles that carry none (and for every plain text file).
        today: Dates after it are refused; defaults to the current day.
        max_chars: Characters kept of one article's text; more is cut, with a note.
        max_bytes: Bytes read of one document; a larger one is skipped.
    """

    default_date: dt.date | None = None
    today: dt.date = field(default_factory=dt.date.today)
    max_chars: int = MAX_CHARS
    max_bytes: int = MAX_BYTES


@dataclass(frozen=True)
class Draft:
    """What a reader found for one article, before normalising and checking."""

    text: str
    path: str
    line: int | None = None
    date: dt.date | None = None
    date_basis: str = ""
    url: str | None = None
    file: str | None = None
    title: str | None = None
    publisher: str | None = None


def build_article(draft: Draft, options: ReadOptions) -> Iterator[Item]:
    """Yield the article (and notes about it), or the problem that drops it."""
    text = normalise_text(draft.text)
    if not text:
        yield Problem(draft.path, draft.line, "no text (empty or only whitespace); skipped")
        return
    if len(text) > options.max_chars:
        yield Problem(
            draft.path,
            draft.line,
            f"text is {len(text):,} characters; kept the first {options.max_chars:,}",
            skipped=False,
        )
        text = cut(text, options.max_chars)
    day, basis = draft.date, draft.date_basis
    if day is None and options.default_date is not None:
        day, basis = options.default_date, "default date given at ingest"
    if day is not None:
        try:
            check_not_future(day, options.today)
        except DateError as exc:
            yield Problem(draft.path, draft.line, f"{exc}; skipped")
            return
    else:
        basis = basis or "no date given or found"
        yield Problem(
            draft.path,
            draft.line,
            "no date given or found; read without one (give a default date to set it)",
            skipped=False,
        )
    yield Article(
        id=article_id(text),
        text=text,
        date=day,
        date_basis=basis,
        url=_clean(draft.url),
        file=draft.file if draft.file is not None else draft.path,
        title=_clean(draft.title),
        publisher=_clean(draft.publisher),
    )


def _clean(value: str | None) -> str | None:
    """A one-line metadata value, or None when blank."""
    if value is None:
        return None
    value = " ".join(normalise_text(value).split())
    return value or None
