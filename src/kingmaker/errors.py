"""The one exception tree of kingmaker; every error a user can cause is one of these.

    KingmakerError                 500  root: every error raised on purpose
    ├── InvalidRequestError        422  asked for something that cannot be done as asked
    │   ├── UsageError                  a value is malformed (a date, an interval, an option)
    │   ├── RaceFileError               a race or evidence file (or record) is malformed
    │   ├── RuleError                   a decision rule is misconfigured or unsatisfiable
    │   ├── IngestError                 articles cannot be ingested as asked
    │   ├── ExtractionError             the extractor cannot run as asked, or bad evidence
    │   ├── ReviewError                 an impossible review decision or edit
    │   ├── ForecastError               a forecast with impossible settings
    │   ├── BacktestError               a race cannot be backtested
    │   ├── ChartError                  a chart cannot be written where it was asked for
    │   └── WebError                    the web server cannot start as asked
    ├── NotFoundError (a KeyError) 404  an id names nothing there
    │   ├── UnknownRaceError            a race id that is not in the store or the bundle
    │   ├── UnknownMemberError          a member id that is not in the race
    │   ├── UnknownCandidateError       a candidate id that is not in the race
    │   ├── UnknownEvidenceError        an evidence id that is not in the race (a ReviewError)
    │   └── MissingError                a stored item that is not there (a StoreError too)
    └── StoreError                 503  the database cannot be opened, read, written or migrated
        └── ConflictError          409  a write clashes with what was stored meanwhile

``status`` on each class is the HTTP status a web front end answers with. ``param``, when
set, names the parameter at fault as the library calls it (``seed``, ``as_of``); messages
name parameters, never a front end's flags or fields, and ``message_for`` lets a front end
put its own name in (``--seed``). A front end may add errors of its own to the tree (the
web's ``HTTPProblem``, whose status is set per error); ``kingmaker.validation`` adds
``InvalidRecordError`` (a ``RaceFileError``) and ``InvalidParamsError`` (a ``ForecastError``),
raised by records and models built from Python with bad values, which are pydantic
``ValidationError`` too. Messages are one line and say what
to fix; front ends print them without a traceback.
"""

from __future__ import annotations

import re
from collections.abc import Mapping


class KingmakerError(Exception):
    """Root of every error kingmaker raises on purpose."""

    status: int = 500

    def __init__(self, *args: object, param: str | None = None) -> None:
        super().__init__(*args)
        self.param = param

    def message_for(self, names: Mapping[str, str]) -> str:
        """The message with the parameter at fault called by a front end's name for it
        (``{"seed": "--seed"}``); the plain message when it names none of ``names``."""
        text = BaseException.__str__(self)
        name = names.get(self.param or "")
        if not name:
            return text
        return re.sub(rf"(?<![\w-]){re.escape(self.param or '')}(?![\w-])", name, text, count=1)


class InvalidRequestError(KingmakerError):
    """Something was asked that cannot be done as asked; the message says what to fix."""

    status = 422


class UsageError(InvalidRequestError):
    """A value given by a person is malformed (a date, an interval, an option)."""


class RaceFileError(InvalidRequestError):
    """A race file, an evidence file or a record is malformed, or refers to unknown ids."""


class RuleError(InvalidRequestError):
    """A decision rule is misconfigured, or no set of members could ever satisfy it."""


class IngestError(InvalidRequestError):
    """Articles cannot be ingested as asked: no stored race to match, or bad options.

    A bad input file is not an error: it is reported as a problem and the rest is read.
    """


class ExtractionError(InvalidRequestError):
    """The extractor cannot run as asked (e.g. ``mode="model"`` without a usable model)."""


class ReviewError(InvalidRequestError):
    """A review decision or an edit that cannot be made (e.g. an edit changing nothing)."""


class ForecastError(InvalidRequestError):
    """A forecast was requested with impossible settings (samples, dates)."""


class BacktestError(InvalidRequestError):
    """A race cannot be backtested: no resolution, or tallies that cannot be right."""


class ChartError(InvalidRequestError):
    """A chart cannot be written (unknown format, unwritable path)."""


class WebError(InvalidRequestError):
    """The web server cannot start as asked, e.g. a write token that is too short."""


class NotFoundError(KingmakerError, KeyError):
    """An id names nothing there. Also a ``KeyError``, as a lookup by id always was; its
    message is shown as written (no quotes)."""

    status = 404

    def __str__(self) -> str:
        return BaseException.__str__(self)


class UnknownRaceError(NotFoundError):
    """The race id is neither stored nor bundled."""


class UnknownMemberError(NotFoundError):
    """The member id is not a member of the race."""


class UnknownCandidateError(NotFoundError):
    """The candidate id is not a candidate of the race."""


class UnknownEvidenceError(NotFoundError, ReviewError):
    """The evidence id is not in the race (a ``ReviewError`` too, as reviews name items)."""

    status = 404


class StoreError(KingmakerError):
    """The store cannot be opened, read, written or migrated."""

    status = 503


class ConflictError(StoreError):
    """A write clashes with what is stored: an id already used for other content, often
    by a write made meanwhile by someone else."""

    status = 409


class MissingError(NotFoundError, StoreError):
    """A stored item (an article, an evidence item, a forecast run) that is not there."""

    status = 404
