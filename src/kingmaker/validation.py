"""pydantic models that refuse bad input with an error of kingmaker's tree.

A record (``kingmaker.records``) or parameter set built from Python with bad values
raises, as before, a pydantic ``ValidationError`` (so ``except ValidationError`` and
``exc.errors()`` still work), but one that is also a ``KingmakerError``: an
``InvalidRecordError`` (a ``RaceFileError``) or an ``InvalidParamsError`` (a
``ForecastError``), 422 on the web, whose message is one line naming the field at fault:
``Race: bodies.0.members.1.weight: Input should be greater than 0 (and 1 more)``.

A model opts in by deriving from ``Checked`` and naming its error class in ``invalid``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Self

from pydantic import BaseModel, ValidationError

from kingmaker.errors import ForecastError, KingmakerError, RaceFileError


class CheckedValidationError(ValidationError, KingmakerError):
    """A pydantic ``ValidationError`` in kingmaker's tree, with a one-line message."""

    param: str | None = None

    def __str__(self) -> str:
        errors = self.errors(include_url=False)
        if not errors:
            return f"{self.title}: invalid"
        first = errors[0]
        where = ".".join(str(p) for p in first["loc"])
        msg = str(first["msg"]).removeprefix("Value error, ")
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        return f"{self.title}: {where + ': ' if where else ''}{msg}{more}"

    def message_for(self, names: Mapping[str, str]) -> str:
        """The one-line message (it names fields, never a front end's flags)."""
        return str(self)


class InvalidRecordError(CheckedValidationError, RaceFileError):
    """A record (race, body, member, evidence...) built with bad values."""


class InvalidParamsError(CheckedValidationError, ForecastError):
    """Model parameters given bad values."""


def checked(exc: ValidationError, error: type[CheckedValidationError]) -> CheckedValidationError:
    """``exc`` as an ``error``: the same errors, and ``param`` the top field at fault."""
    details: list[Any] = exc.errors(include_url=False)
    wrapped = error.from_exception_data(exc.title, details)
    locs = [d["loc"] for d in details if d["loc"]]
    wrapped.param = str(locs[0][0]) if locs else None
    return wrapped


class Checked(BaseModel):
    """A model whose constructor and ``model_validate`` raise its ``invalid`` error class
    on bad input."""

    invalid: ClassVar[type[CheckedValidationError]] = InvalidRecordError

    def __init__(self, /, **data: Any) -> None:
        try:
            super().__init__(**data)
        except CheckedValidationError:
            raise
        except ValidationError as exc:
            raise checked(exc, self.invalid) from None

    @classmethod
    def model_validate(cls, obj: Any, **options: Any) -> Self:
        """``BaseModel.model_validate``, raising ``invalid`` on bad input."""
        try:
            return super().model_validate(obj, **options)
        except CheckedValidationError:
            raise
        except ValidationError as exc:
            raise checked(exc, cls.invalid) from None
