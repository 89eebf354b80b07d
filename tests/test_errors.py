"""The error tree: drawn as it is, a status on every class, lookups by id that fail as
NotFoundError (a KeyError too), parameters named so front ends can say their own names."""

from __future__ import annotations

import inspect
import re

import pytest

import kingmaker.errors as errors
from conftest import make_race
from kingmaker.errors import (
    ConflictError,
    ForecastError,
    InvalidRequestError,
    KingmakerError,
    MissingError,
    NotFoundError,
    ReviewError,
    StoreError,
    UnknownCandidateError,
    UnknownEvidenceError,
    UnknownMemberError,
)
from kingmaker.service import Kingmaker
from kingmaker.store import MemoryStore

CLASSES = {
    name: cls
    for name, cls in vars(errors).items()
    if inspect.isclass(cls) and issubclass(cls, KingmakerError)
}


def drawn_tree() -> dict[str, tuple[str | None, int | None]]:
    """Each class in the module docstring's drawing -> (its parent there, its status:
    the one drawn on its line, else its parent's)."""
    out: dict[str, tuple[str | None, int | None]] = {}
    stack: list[tuple[int, str]] = []
    for line in (errors.__doc__ or "").splitlines():
        m = re.match(r"^(\s*(?:[│ ]\s*)*(?:[├└]── )?)(\w+Error)\b.*?(\b\d{3}\b)?", line)
        if not m or not line.startswith("    "):
            continue
        depth = len(m.group(1))
        while stack and stack[-1][0] >= depth:
            stack.pop()
        parent = stack[-1][1] if stack else None
        status = re.search(r"\s(\d{3})\s", line)
        inherited = out[parent][1] if parent else None  # a class drawn without one has its parent's
        out[m.group(2)] = (parent, int(status.group(1)) if status else inherited)
        stack.append((depth, m.group(2)))
    return out


def test_the_drawing_shows_every_class_under_its_parent_with_its_status() -> None:
    tree = drawn_tree()
    assert set(tree) == set(CLASSES), "errors.py's drawing and its classes differ"
    for name, (parent, status) in tree.items():
        cls = CLASSES[name]
        if parent is None:
            assert cls is KingmakerError
        else:
            assert issubclass(cls, CLASSES[parent]), f"{name} is drawn under {parent}"
        assert cls.status == status, f"{name} is drawn with {status}, has {cls.status}"


def test_statuses() -> None:
    assert InvalidRequestError.status == ReviewError.status == ForecastError.status == 422
    assert StoreError.status == 503 and ConflictError.status == 409
    for cls in (NotFoundError, UnknownMemberError, UnknownEvidenceError, MissingError):
        assert cls.status == 404
    assert issubclass(MissingError, StoreError) and issubclass(UnknownEvidenceError, ReviewError)


def test_not_found_is_a_key_error_shown_without_quotes() -> None:
    exc = UnknownMemberError("no member 'XX' in race r")
    assert isinstance(exc, KeyError)
    assert str(exc) == "no member 'XX' in race r"


def test_message_for_puts_in_a_front_end_name() -> None:
    exc = ForecastError("seed must be 0 or more, got -1", param="seed")
    assert exc.message_for({"seed": "--seed"}) == "--seed must be 0 or more, got -1"
    assert exc.message_for({}) == str(exc)
    # only the word itself, not one it is part of
    other = ForecastError("seeds and seed-corn: seed must be set", param="seed")
    assert other.message_for({"seed": "--seed"}) == "seeds and seed-corn: --seed must be set"


def test_race_lookups_of_unknown_ids() -> None:
    race = make_race()
    with pytest.raises(UnknownMemberError, match="no member 'XX' in race test-race"):
        race.member("XX")
    with pytest.raises(KeyError):
        race.member("XX")
    with pytest.raises(UnknownCandidateError, match="no candidate 'zz'"):
        race.candidate("zz")


def test_the_service_refuses_unknown_ids() -> None:
    km = Kingmaker(MemoryStore())
    km.store.put_race(make_race())
    with pytest.raises(UnknownMemberError):
        km.evidence("test-race", member="XXX")
    with pytest.raises(UnknownCandidateError):
        km.evidence("test-race", candidate="zz")
    with pytest.raises(UnknownEvidenceError):
        km.decide("test-race", "no-such-item", "accepted", "tester")
    assert km.evidence("test-race", member="M0") == ()
