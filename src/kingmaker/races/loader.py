"""Read a race directory (``race.toml`` + ``evidence.jsonl``) into a validated Race.

All-or-nothing: the first problem raises RaceFileError naming the file, the line or
field, what was found and what to do; nothing is returned half-loaded.

Format 2 rows that say several things at once are expanded here into what the model
reads (docs/race-format.md): a group stance into one stance per member of the group
seated that day, a proposal into 'not-proposed' for the candidates passed over and
backing from the proposing members. Derived items carry ``derived_from``.
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
from kingmaker.records import (
    FORMAT,
    CandidacyEvidence,
    Evidence,
    ProposalEvidence,
    Race,
    StanceEvidence,
    TooDeepError,
    candidates_named,
    check_body_refs,
    check_evidence_refs,
    load_json,
    load_toml,
    quoted_date,
)
from kingmaker.rules.library import TwoStage

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
        data = load_toml(toml_text)
    except tomllib.TOMLDecodeError as exc:
        raise RaceFileError(f"{toml_name}: not valid TOML: {exc}; fix the syntax there") from None
    except TooDeepError as exc:
        raise RaceFileError(f"{toml_name}: {exc}") from None
    if "evidence" in data:
        raise RaceFileError(f"{toml_name}: put evidence in {EVIDENCE_FILE}, not in the race file")
    version = data.get("format", 1)
    if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT:
        raise RaceFileError(
            f"{toml_name}: format {version} is newer than this kingmaker reads (1 to {FORMAT}); "
            "upgrade kingmaker"
        )
    try:
        race = Race.model_validate({**data, "evidence": []})
    except ValidationError as exc:
        raise RaceFileError(f"{toml_name}: {describe_validation(exc, data)}") from None
    quoted = quoted_date(Race, data)
    if quoted:
        raise RaceFileError(
            f"{toml_name}: {quoted}: a date must be a TOML date (2024-01-02, no quotes), "
            "not a quoted string"
        )
    evidence = list(parse_evidence(evidence_text, name=ev_name, today=today, race=race))
    evidence += _proposal_items(race, evidence, ev_name)
    members = {m.id for b in race.bodies for m in b.members}
    cands = {c.id for c in race.candidates}
    bodies = {b.id for b in race.bodies}
    groups = {g for b in race.bodies for m in b.members for g in m.all_groups}  # once a race
    seen: dict[str, int] = {}
    for line_no, ev in evidence:
        try:
            check_evidence_refs(ev, members, cands)
            check_body_refs(ev, bodies, groups)
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
    text: str,
    *,
    name: str = EVIDENCE_FILE,
    today: dt.date | None = None,
    race: Race | None = None,
) -> Iterable[tuple[int, Any]]:
    """Yield (line number, evidence) for each non-blank, non-comment JSONL line; a group
    stance row (``group`` and no ``member``) yields one stance per member of ``race`` in
    that group and seated on the row's date.

    Raises:
        RaceFileError: naming the line, for bad JSON, an invalid row, a future date, or a
            group stance that names no seated member (or comes without ``race``).
    """
    limit = today or dt.date.today()
    out: list[tuple[int, Any]] = []
    for line_no, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("//"):
            continue
        try:
            row = load_json(stripped)
        except json.JSONDecodeError as exc:
            raise RaceFileError(
                f"{name} line {line_no}: not valid JSON ({exc.msg}); fix that line"
            ) from None
        except TooDeepError as exc:
            raise RaceFileError(f"{name} line {line_no}: {exc}") from None
        if not isinstance(row, dict):
            raise RaceFileError(
                f"{name} line {line_no}: expected a JSON object, got {type(row).__name__}"
            )
        rows = _group_rows(row, race, f"{name} line {line_no}")
        for one in rows:
            try:
                ev = _EVIDENCE.validate_python(one)
            except ValidationError as exc:
                raise RaceFileError(
                    f"{name} line {line_no}: {describe_validation(exc, one)}"
                ) from None
            if ev.date > limit:
                raise RaceFileError(
                    f"{name} line {line_no}: date {ev.date} is in the future (today is "
                    f"{limit}); fix the date"
                )
            out.append((line_no, ev))
    return out


def _group_rows(row: dict[str, Any], race: Race | None, where: str) -> list[dict[str, Any]]:
    """A group stance row as one row per member of the group seated that day; any other
    row as it is."""
    if row.get("kind") != "stance" or "group" not in row or "member" in row:
        return [row]
    group, day = row["group"], row.get("date")
    if race is None:
        raise RaceFileError(f"{where}: a group stance needs the race file to expand it")
    try:
        on = dt.date.fromisoformat(str(day))
    except ValueError:
        return [row]  # validation names the bad date
    seated = [m for b in race.bodies for m in b.active_members(on) if group in m.groups_on(on)]
    if not seated:
        known = {g for b in race.bodies for m in b.members for g in m.all_groups}
        hint = (
            f"no member is in group '{group}' and seated on {on}; check the date and the "
            "members' groups"
            if group in known
            else f"group '{group}' is not in any member's groups; add it there"
        )
        raise RaceFileError(f"{where}: {hint}")
    base = str(row.get("id", ""))
    return [{**row, "id": f"{base}.{m.id}", "member": m.id, "derived_from": base} for m in seated]


def _proposal_items(
    race: Race, evidence: list[tuple[int, Any]], where: str
) -> list[tuple[int, Any]]:
    """What each proposal implies, as items the model reads: the proposed candidate stands
    (declared: a nominee is in the running whatever was said before), the other candidates
    named by then are 'not-proposed', and every seated member of the proposing body not
    listed in ``against`` backs the proposed candidate."""
    out: list[tuple[int, Any]] = []
    for line_no, p in evidence:
        if not isinstance(p, ProposalEvidence):
            continue
        body_id = p.body or (race.rule.propose.body if isinstance(race.rule, TwoStage) else None)
        body = next((b for b in race.bodies if b.id == body_id), race.bodies[0])
        common = {
            "date": p.date,
            "source": p.source,
            "quote": p.quote,
            "producer": p.producer,
            "confidence": p.confidence,
            "review": p.review,
            "note": p.note,
            "derived_from": p.id,
        }
        named = {c for _, e in evidence if e.date <= p.date for c in candidates_named(e)}
        try:
            out.append(
                (
                    line_no,
                    CandidacyEvidence(
                        id=f"{p.id}.declared",
                        kind="candidacy",
                        candidate=p.candidate,
                        status="declared",
                        **common,
                    ),
                )
            )
            out += [
                (
                    line_no,
                    CandidacyEvidence(
                        id=f"{p.id}.not-proposed.{cid}",
                        kind="candidacy",
                        candidate=cid,
                        status="withdrawn",
                        reason="not-proposed",
                        **common,
                    ),
                )
                for cid in sorted(named - {p.candidate})
            ]
            out += [
                (
                    line_no,
                    StanceEvidence(
                        id=f"{p.id}.{m.id}",
                        kind="stance",
                        member=m.id,
                        candidate=p.candidate,
                        stance="support",
                        **common,
                    ),
                )
                for m in body.active_members(p.date)
                if m.id not in p.against
            ]
        except ValidationError as exc:
            raise RaceFileError(
                f"{where} line {line_no}: {describe_validation(exc, {})}; shorten the id"
            ) from None
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
    "": "'candidacy', 'stance', 'count', 'vacancy', 'appointment', 'ballot', 'poll', "
    "'meeting', 'proposal'",
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
            parts[-1:] = [f"{parts[-1] if parts else ''}[{_shown(ident or key)}]"]
            continue
        if isinstance(node, dict) and node.get("kind") == key and tag_seen is not node:
            tag_seen = node
            continue  # the union's tag (e.g. 'stance', 'consensus'), not a field
        parts.append(_shown(key))
        node = node.get(key) if isinstance(node, dict) else None
    return ".".join(parts)


def _shown(key: Any) -> str:
    """A key or id as a message shows it: as written, or quoted with its escapes where it
    holds a line break or another character a one-line message cannot show."""
    text = str(key)
    return text if text.isprintable() else repr(text)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise RaceFileError(f"{path}: not UTF-8 text; save it as UTF-8") from None
    except OSError as exc:
        raise RaceFileError(f"{path}: cannot read ({exc.strerror})") from None
