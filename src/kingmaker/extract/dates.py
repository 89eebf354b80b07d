"""Dates in news text, read relative to the article's date.

"October 1, 2024", "1 October", "Oct. 1", "on Wednesday", "next October", "in October
2024": each becomes an ISO date (``YYYY-MM-DD``) or month (``YYYY-MM``). A bare month
is the first such month on or after the article's month; a weekday is the latest such
day on or before the article's date.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}  # fmt: skip
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MON = (
    r"(?P<mon>january|february|march|april|may|june|july|august|september|october|november"
    r"|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"
)
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+(?P<year>(?:19|20)\d\d))?\b"
_REL = (
    r"(?P<rel>next|last|this|early|late|mid|end of|start of|the end of|the start of|in|by|until"
    r"|from)?"
)
_PATTERNS = [
    re.compile(rf"\b{_MON}\s+{_DAY}{_YEAR}", re.I),
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MON}{_YEAR}", re.I),
    re.compile(rf"\b{_REL}\s*{_MON}{_YEAR}", re.I),
    re.compile(r"\b(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I),
]


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date phrase: where it is (characters in the sentence) and what it means."""

    start: int
    end: int
    value: str
    precision: str


def find_dates(text: str, day: dt.date | None, *, future: bool = False) -> list[DateMention]:
    """Every date phrase in ``text``, resolved against the article day.

    Args:
        text: a sentence.
        day: the article's date (phrases without a year need it).
        future: read a year-less month as the next one on or after the article's month
            (for terms ending); otherwise as the nearest one.
    """
    out: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for n, rx in enumerate(_PATTERNS):
        for m in rx.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            value = _resolve(m, n, day, future)
            if value is None:
                continue
            taken.append((m.start(), m.end()))
            out.append(DateMention(m.start(), m.end(), value, _precision(n, value)))
    return sorted(out, key=lambda d: d.start)


def _precision(n: int, value: str) -> str:
    return "weekday" if n == 3 else "day" if len(value) == 10 else "month"


def _resolve(m: re.Match[str], n: int, day: dt.date | None, future: bool) -> str | None:
    g = m.groupdict()
    if n == 3:
        if day is None:
            return None
        back = (day.weekday() - WEEKDAYS.index(g["wd"].lower())) % 7
        return (day - dt.timedelta(days=back)).isoformat()
    mon_word = g["mon"].lower().rstrip(".")
    if mon_word == "may" and n == 2 and not g.get("year") and not g.get("rel"):
        return None
    month = MONTHS[mon_word]
    year = (
        int(g["year"])
        if g.get("year")
        else _year_for(month, day, (g.get("rel") or "").lower(), future)
    )
    if year is None:
        return None
    if n in (0, 1):
        try:
            return dt.date(year, month, int(g["day"])).isoformat()
        except ValueError:
            return None
    return f"{year:04d}-{month:02d}"


def _year_for(month: int, day: dt.date | None, rel: str, future: bool) -> int | None:
    if day is None:
        return None
    if rel == "last":
        return day.year if month < day.month else day.year - 1
    if rel == "next" and month <= day.month:
        return day.year + 1
    if future or rel in ("next", "until", "by"):
        return day.year if month >= day.month else day.year + 1
    gap = month - day.month
    return day.year + (1 if gap < -6 else -1 if gap > 6 else 0)


def month_of(value: str | None) -> tuple[int, int] | None:
    """(year, month) of an ISO date or month string."""
    if not value:
        return None
    return int(value[:4]), int(value[5:7])
