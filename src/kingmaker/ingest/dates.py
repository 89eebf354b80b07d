"""Publication dates for ingest: parse a given value, find one at the start of a text, check it.

A missing date is allowed; an impossible one (2023-02-30) or one after today is a
``DateError``, which a reader turns into a problem for that article.
"""

from __future__ import annotations

import datetime as dt
import re

MONTHS: dict[str, int] = {
    name: n
    for n, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][0-9:.]+(?:Z|[+-]\d\d:?\d\d)?)?")
_LEADING = re.compile(
    r"""\A\s*(?:(?:published|posted|updated|dated?)\s*:?\s*)?
    (?:
        (?P<y0>\d{4})-(?P<m0>\d{1,2})-(?P<d0>\d{1,2})
      | (?P<d1>\d{1,2})(?:st|nd|rd|th)?\.?\s+(?P<m1>[a-z]{3,9})\.?,?\s+(?P<y1>\d{4})
      | (?P<m2>[a-z]{3,9})\.?\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{4})
      | (?P<d3>\d{1,2})\.(?P<m3>\d{1,2})\.(?P<y3>\d{4})
    )(?![\d-])""",
    re.IGNORECASE | re.VERBOSE,
)


class DateError(ValueError):
    """A date that is malformed, impossible, or after today; the message says which."""


def make_date(year: int, month: int, day: int, shown: str) -> dt.date:
    """The date, or a ``DateError`` quoting ``shown`` when no such day exists."""
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise DateError(f"impossible date '{shown}' ({exc})") from None


def parse_date_value(value: object) -> dt.date | None:
    """A date given as data (a JSON field): ``YYYY-MM-DD`` or an ISO date-time.

    Returns:
        The day, or None for null or an empty string.

    Raises:
        DateError: for anything else, or a day that does not exist.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        raise DateError(f"date must be a 'YYYY-MM-DD' string, got {value!r}")
    match = _ISO.fullmatch(value.strip())
    if match is None:
        raise DateError(f"date {value!r} is not YYYY-MM-DD")
    year, month, day = (int(g) for g in match.groups())
    return make_date(year, month, day, value.strip())


def leading_date(text: str) -> dt.date | None:
    """A date written at the very start of a text ('2023-11-16', '16 November 2023', ...).

    Only unambiguous forms count: ISO, day-month-year and month-day-year with the month
    spelled out, and day.month.year with dots.

    Raises:
        DateError: when the start reads as a date that does not exist.
    """
    m = _LEADING.match(text[:80])
    if m is None:
        return None
    g = m.groupdict()
    shown = m.group(0).strip()
    if g["y0"]:
        return make_date(int(g["y0"]), int(g["m0"]), int(g["d0"]), shown)
    if g["y3"]:
        return make_date(int(g["y3"]), int(g["m3"]), int(g["d3"]), shown)
    day, month, year = (g["d1"], g["m1"], g["y1"]) if g["y1"] else (g["d2"], g["m2"], g["y2"])
    number = MONTHS.get(month.lower())
    if number is None:
        return None
    return make_date(int(year), number, int(day), shown)


def check_not_future(day: dt.date, today: dt.date) -> None:
    """Raise ``DateError`` for a publication day after ``today``."""
    if day > today:
        raise DateError(f"date {day.isoformat()} is after today ({today.isoformat()})")
