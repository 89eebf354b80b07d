"""Parse command-line values (dates, intervals) with one-line errors that say what to fix."""

from __future__ import annotations

import datetime as dt
import re

from kingmaker.errors import UsageError
from kingmaker.records import iso_day

__all__ = ["UsageError", "parse_date", "parse_every"]


def parse_date(value: str | None, option: str) -> dt.date | None:
    """``YYYY-MM-DD`` -> date; None stays None."""
    if value is None:
        return None
    try:
        return iso_day(value)
    except ValueError:
        raise UsageError(f"{option} must be a date as YYYY-MM-DD, got '{value}'") from None


def parse_every(value: str) -> int:
    """An interval like '7d', '2w', '1m' (30 days) or '5' -> days."""
    m = re.fullmatch(r"\s*(\d+)\s*([dwm]?)\s*", value.lower())
    if not m or int(m.group(1)) < 1:
        raise UsageError(
            f"--every must look like 7d, 2w or 1m (a positive interval), got '{value}'"
        )
    n = int(m.group(1))
    return n * {"": 1, "d": 1, "w": 7, "m": 30}[m.group(2)]
