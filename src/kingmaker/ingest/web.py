"""HTML pages (main text and date via trafilatura) and RSS/Atom feeds (via feedparser).

Both parse only the bytes they are given: nothing is ever fetched. The libraries are
imported on first use, so the rest of kingmaker does not pay for them.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from kingmaker.ingest.build import Draft, Item, ReadOptions, build_article
from kingmaker.ingest.dates import DateError, make_date, parse_date_value
from kingmaker.ingest.problems import Problem
from kingmaker.ingest.text import html_to_text

_PAGE_TAG = re.compile(rb"<(?:html|body)[\s>]", re.IGNORECASE)


@dataclass(frozen=True)
class Page:
    """What trafilatura found in an HTML page."""

    text: str
    title: str | None
    date: dt.date | None
    url: str | None
    publisher: str | None


def extract_page(data: bytes, options: ReadOptions) -> Page | None:
    """The main text and metadata of an HTML page, or None when it has no article text.

    The date comes from the page's markup only (meta tags, ``<time>``, the URL), not
    from guesses in the running text, and never after ``options.today``. A fragment
    without ``<html>`` or ``<body>`` (a JSONL row's ``html``) is wrapped in a page first.

    Raises:
        ImportError: when trafilatura is not installed.
    """
    import trafilatura
    from trafilatura.settings import use_config

    if not _PAGE_TAG.search(data[:4096]):
        data = b"<html><body><div>" + data + b"</div></body></html>"
    config = use_config()
    config.set("DEFAULT", "MAX_FILE_SIZE", str(max(options.max_bytes, 1)))
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "1")
    try:
        doc = trafilatura.bare_extraction(
            data,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            config=config,
            date_extraction_params={
                "extensive_search": False,
                "original_date": True,
                "max_date": options.today.isoformat(),
            },
        )
    except Exception:  # a parser failing deep inside lxml is "no text", not a crash
        return None
    if doc is None or isinstance(doc, dict):
        return None
    text = doc.text or ""
    if not text.strip():
        return None
    try:
        day = parse_date_value(doc.date)
    except DateError:
        day = None
    return Page(text=text, title=doc.title, date=day, url=doc.url, publisher=doc.sitename or None)


def read_html(name: str, data: bytes, options: ReadOptions) -> Iterator[Item]:
    """An HTML page: one article with its main text, title, canonical URL and date."""
    try:
        page = extract_page(data, options)
    except ImportError:
        yield Problem(name, None, "cannot read HTML: install trafilatura; skipped")
        return
    if page is None:
        yield Problem(name, None, "no article text found in the HTML; skipped")
        return
    basis = "HTML metadata (htmldate)" if page.date else ""
    yield from build_article(
        Draft(
            text=page.text,
            path=name,
            date=page.date,
            date_basis=basis,
            url=page.url,
            title=page.title,
            publisher=page.publisher,
        ),
        options,
    )


def read_feed(name: str, data: bytes, options: ReadOptions) -> Iterator[Item]:
    """An RSS or Atom feed: each entry's content (or summary) is an article.

    Problems name the entry by its number in the feed (1 = first).
    """
    try:
        import feedparser  # type: ignore[import-untyped]
    except ImportError:
        yield Problem(name, None, "cannot read feeds: install feedparser; skipped")
        return
    try:
        parsed = feedparser.parse(io.BytesIO(data), resolve_relative_uris=False)
    except Exception as exc:  # feedparser's sax fallbacks can still raise on odd bytes
        yield Problem(name, None, f"not a readable RSS/Atom feed ({exc}); skipped")
        return
    entries = parsed.get("entries") or []
    if not entries:
        why = parsed.get("bozo_exception") if parsed.get("bozo") else None
        detail = f" ({_one_line(str(why))})" if why else ""
        yield Problem(name, None, f"no entries in the feed{detail}; skipped")
        return
    publisher = _text(parsed.get("feed", {}).get("title"))
    for n, entry in enumerate(entries, start=1):
        yield from _entry(name, n, entry, publisher, options)


def _entry(
    name: str, n: int, entry: Mapping[str, Any], publisher: str | None, options: ReadOptions
) -> Iterator[Item]:
    title = _text(entry.get("title"))
    label = f"entry {n}" + (f" ('{title[:60]}')" if title else "")
    bodies = [c for c in entry.get("content") or [] if _text(c.get("value"))]
    body = bodies[0] if bodies else None
    raw = _text(body.get("value") if body else entry.get("summary"))
    if raw is None:
        yield Problem(name, n, f"{label} has no content or summary; skipped")
        return
    kind = (body.get("type") if body else None) or "text/html"
    text = raw if kind == "text/plain" else html_to_text(raw)
    try:
        day, basis = _entry_date(entry)
    except DateError as exc:
        yield Problem(name, n, f"{label}: {exc}; skipped")
        return
    yield from build_article(
        Draft(
            text=text,
            path=name,
            line=n,
            date=day,
            date_basis=basis,
            url=_text(entry.get("link")),
            file=f"{name}#{n}",
            title=title,
            publisher=publisher,
        ),
        options,
    )


def _entry_date(entry: Mapping[str, Any]) -> tuple[dt.date | None, str]:
    """The entry's published (else updated) day, in UTC as feedparser gives it."""
    for key in ("published", "updated", "created"):
        raw = entry.get(key)
        if not raw:
            continue
        parsed = entry.get(f"{key}_parsed")
        if not isinstance(parsed, time.struct_time):
            raise DateError(f"unreadable or impossible {key} date '{_one_line(str(raw))}'")
        day = make_date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday, str(raw))
        return day, f"feed entry '{key}' (UTC)"
    return None, ""


def _text(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _one_line(text: str) -> str:
    return " ".join(text.split())[:120]
