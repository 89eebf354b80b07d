"""The one exception tree of kingmaker; every error a user can cause is one of these.

    KingmakerError
    ├── RaceFileError     a race or evidence file is malformed or inconsistent
    ├── RuleError         a decision rule is misconfigured or can never be satisfied
    ├── UnknownRaceError  a race id that is not in the store or the bundle
    ├── StoreError        the database cannot be opened, read, written or migrated
    ├── IngestError       articles cannot be ingested as asked (no race to match, bad options)
    ├── ExtractionError   the extractor cannot run as asked, or an event is not valid evidence
    ├── ReviewError       a review decision names an unknown item or an impossible edit
    ├── ForecastError     a forecast was asked for with impossible settings
    ├── BacktestError     a race cannot be backtested (no resolution, inconsistent tallies)
    ├── ChartError        a chart cannot be written where it was asked for
    └── WebError          the web server cannot start as asked (a bad setting)

Messages are one line and say what to fix; front ends print them without a traceback.
"""

from __future__ import annotations


class KingmakerError(Exception):
    """Root of every error kingmaker raises on purpose."""


class RaceFileError(KingmakerError):
    """A race file or an evidence file is malformed, or refers to unknown ids."""


class RuleError(KingmakerError):
    """A decision rule is misconfigured, or no set of members could ever satisfy it."""


class UnknownRaceError(KingmakerError):
    """The race id is neither stored nor bundled."""


class StoreError(KingmakerError):
    """The store cannot be opened, read, written or migrated."""


class ConflictError(StoreError):
    """A write clashes with what is stored: an id already used for other content, often
    by a write made meanwhile by someone else."""


class IngestError(KingmakerError):
    """Articles cannot be ingested as asked: no stored race to match, or bad options.

    A bad input file is not an error: it is reported as a problem and the rest is read.
    """


class ExtractionError(KingmakerError):
    """The extractor cannot run as asked (e.g. ``mode="model"`` without a usable model)."""


class ReviewError(KingmakerError):
    """A review decision names an unknown evidence item or an impossible edit."""


class ForecastError(KingmakerError):
    """A forecast was requested with impossible settings (samples, dates)."""


class ChartError(KingmakerError):
    """A chart cannot be written (unknown format, unwritable path)."""


class BacktestError(KingmakerError):
    """A race cannot be backtested: no resolution, or tallies that cannot be right."""


class WebError(KingmakerError):
    """The web server cannot start as asked, e.g. a write token that is too short."""
