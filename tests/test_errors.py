"""The error tree: drawn as it is, a status on every class, lookups by id that fail as
NotFoundError (a KeyError too), parameters named so front ends can say their own names."""

from __future__ import annotations

import ast
import datetime as dt
import inspect
import re
from pathlib import Path

import pytest

import kingmaker.errors as errors
from conftest import candidacy, make_race, seeded_store
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


def test_library_errors_name_the_parameter_at_fault() -> None:
    km = Kingmaker(seeded_store())
    km.store.put_race(make_race(evidence=[candidacy("c1", "2024-01-02", "a")]))
    day = dt.date(2024, 3, 1)
    with pytest.raises(ForecastError) as info:
        km.forecast("test-race", day, seed=-1, samples=100, save=False)
    assert info.value.param == "seed" and info.value.status == 422
    assert info.value.message_for({"seed": "--seed"}).startswith("--seed must be 0 or more")
    with pytest.raises(ForecastError) as info:
        km.timeline("test-race", end=day, every=0, samples=100, save=False)
    assert info.value.param == "every"
    assert info.value.message_for({"every": "--every"}).startswith("--every must be at least")
    for lookup, param in ((km.race("test-race").member, "member"),
                          (km.race("test-race").candidate, "candidate")):  # fmt: skip
        with pytest.raises(NotFoundError) as found:
            lookup("zz")
        assert found.value.param == param
        assert found.value.message_for({param: f"--{param}"}).startswith(f"no --{param} 'zz'")


LIBRARY = Path(errors.__file__).parent
FLAG = re.compile(r"(?<![\w-])--[a-z][a-z-]+")


def strings_in(node: ast.AST) -> list[str]:
    """The literal text of the string constants and f-strings under ``node``."""
    return [
        n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    ]


def test_no_library_error_message_names_a_command_line_flag() -> None:
    """Front ends map parameters to their flags (message_for); the core never names one."""
    found = []
    for path in sorted(LIBRARY.rglob("*.py")):
        if {"cli", "web"} & set(path.relative_to(LIBRARY).parts):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Raise) and node.exc is not None:
                flags = [f for s in strings_in(node.exc) for f in FLAG.findall(s)]
                if flags:
                    found.append(f"{path.relative_to(LIBRARY)}:{node.lineno} {flags}")
    assert found == []
