"""Read a race directory (``race.toml`` + ``evidence.jsonl``) into a validated Race.

All-or-nothing: the first problem raises RaceFileError naming the file, the line or
field, what was found and what to do; nothing is returned half-loaded.
"""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from kingmaker.errors import RaceFileError
from kingmaker.records import Evidence, Race, check_body_refs, check_evidence_refs

RACE_FILE = "race.toml"
EVIDENCE_FILE = "evidence.jsonl"
_EVIDENCE = TypeAdapter(Evidence)


def load_race_dir(path: Path | str, *, today: dt.date | None = None) -> Race:
    """Load ``path/race.toml`` and, if present, ``path/evidence.jsonl``.

    Args:
        path: a race directory, or a ``race.toml`` file whose directory holds the evidence.
        today: evidence dated after this day is refused (default: the real today).

    Raises:
        RaceFileError: on any missing file, syntax error, invalid field or unknown id.
    """
    p = Path(path)
    toml_path = p if p.is_file() else p / RACE_FILE
    if not toml_path.is_file():
        raise RaceFileError(
            f"{toml_path}: no race file here; create {RACE_FILE} (see docs/race-format.md)"
        )
    ev_path = toml_path.parent / EVIDENCE_FILE
    text = _read_text(toml_path)
    ev_text = _read_text(ev_path) if ev_path.is_file() else ""
    return parse_race(text, ev_text, toml_name=str(toml_path), ev_name=str(ev_path), today=today)


def parse_race(
    toml_text: str,
    evidence_text: str = "",
    *,
    toml_name: str = RACE_FILE,
    ev_name: str = EVIDENCE_FILE,
    today: dt.date | None = None,
) -> Race:
    """Parse race TOML and evidence JSONL texts into a validated Race.

    Raises:
        RaceFileError: naming ``toml_name`` or ``ev_name`` and the field or line at fault.
    """
    try:
        data = tomllib.loads(toml_text)
    except tomllib.TOMLDecodeError as exc:
        raise RaceFileError(f"{toml_name}: not valid TOML: {exc}; fix the syntax there") from None
    if "evidence" in data:
        raise RaceFileError(f"{toml_name}: put evidence in {EVIDENCE_FILE}, not in the race file")
    evidence = list(parse_evidence(evidence_text, name=ev_name, today=today))
    try:
        race = Race.model_validate({**data, "evidence": []})
    except ValidationError as exc:
        raise RaceFileError(f"{toml_name}: {describe_validation(exc, data)}") from None
    members = {m.id for b in race.bodies for m in b.members}
    cands = {c.id for c in race.candidates}
    seen: dict[str, int] = {}
    for line_no, ev in evidence:
        try:
            check_evidence_refs(ev, members, cands)
            check_body_refs(
                ev,
                {b.id for b in race.bodies},
                {g for b in race.bodies for m in b.members for g in m.groups},
            )
        except ValueError as exc:
            raise RaceFileError(f"{ev_name} line {line_no}: {exc}") from None
        if ev.id in seen:
            raise RaceFileError(
                f"{ev_name} line {line_no}: evidence id '{ev.id}' already used on line "
                f"{seen[ev.id]}; give each row its own id"
            )
        seen[ev.id] = line_no
    return race.model_copy(update={"evidence": tuple(ev for _, ev in evidence)})


def parse_evidence(
    text: str, *, name: str = EVIDENCE_FILE, today: dt.date | None = None
) -> Iterable[tuple[int, Any]]:
    """Yield (line number, evidence) for each non-blank, non-comment JSONL line.

    Raises:
        RaceFileError: naming the line, for bad JSON, an invalid row or a future date.
    """
    limit = today or dt.date.today()
    out: list[tuple[int, Any]] = []
    for line_no, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("//"):
            continue
        try:
            row = json.loads(stripped)
        except json.JSONDecodeError as exc:
            raise RaceFileError(
                f"{name} line {line_no}: not valid JSON ({exc.msg}); fix that line"
            ) from None
        if not isinstance(row, dict):
            raise RaceFileError(
                f"{name} line {line_no}: expected a JSON object, got {type(row).__name__}"
            )
        try:
            ev = _EVIDENCE.validate_python(row)
        except ValidationError as exc:
            raise RaceFileError(f"{name} line {line_no}: {describe_validation(exc, row)}") from None
        if ev.date > limit:
            raise RaceFileError(
                f"{name} line {line_no}: date {ev.date} is in the future (today is {limit}); "
                "fix the date"
            )
        out.append((line_no, ev))
    return out


def describe_validation(exc: ValidationError, data: Any) -> str:
    """One line for the first validation error: where, what was wrong, what was found."""
    err = exc.errors()[0]
    where = _locate(err["loc"], data)
    msg = err["msg"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    found = ""
    if err["type"] not in ("missing", "value_error") and "input" in err:
        shown = repr(err["input"])
        found = f", got {shown[:60]}"
    if err["type"] == "extra_forbidden":
        msg = "unknown key; remove it or check its spelling (see docs/race-format.md)"
        found = ""
    if err["type"] == "missing":
        msg = "required field is missing; add it"
    if err["type"] in ("union_tag_invalid", "union_tag_not_found"):
        ctx = err.get("ctx", {})
        where_key = str(err["loc"][-1]) if err["loc"] else ""
        expected = ctx.get("expected_tags") or _KINDS.get(where_key, "")
        got = f"kind '{ctx['tag']}' is unknown" if "tag" in ctx else "'kind' is missing"
        msg, found = f"{got}; use one of: {expected.replace(chr(39), '')}", ""
    if (
        err["type"]
        not in ("missing", "extra_forbidden", "union_tag_invalid", "union_tag_not_found")
        and "; " not in msg
    ):
        found += "; fix this value (see docs/race-format.md)"
    return f"{where}: {msg}{found}" if where else f"{msg}{found}"


_KINDS = {
    "rule": "'consensus', 'threshold-veto', 'supermajority', 'majority', 'double-majority', "
    "'two-stage'",
    "": "'candidacy', 'stance', 'count', 'vacancy', 'appointment', 'ballot', 'poll'",
}


def _locate(loc: tuple[Any, ...], data: Any) -> str:
    """Render a pydantic location, naming list items by their id where they have one."""
    parts: list[str] = []
    node = data
    tag_seen: Any = None
    for key in loc:
        if isinstance(key, int) and isinstance(node, list) and key < len(node):
            node = node[key]
            ident = node.get("id") if isinstance(node, dict) else None
            parts[-1:] = [f"{parts[-1] if parts else ''}[{ident or key}]"]
            continue
        if isinstance(node, dict) and node.get("kind") == key and tag_seen is not node:
            tag_seen = node
            continue  # the union's tag (e.g. 'stance', 'consensus'), not a field
        parts.append(str(key))
        node = node.get(key) if isinstance(node, dict) else None
    return ".".join(parts)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise RaceFileError(f"{path}: not UTF-8 text; save it as UTF-8") from None
    except OSError as exc:
        raise RaceFileError(f"{path}: cannot read ({exc.strerror})") from None
