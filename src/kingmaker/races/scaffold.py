"""Write a new race directory from body presets and a rule template (``kingmaker new``).

The race file written loads as it is: the bodies and the rule come from the presets, the
parts only its author can know (the post's details, the candidates) are valid
placeholders with comments saying what to put there, and ``evidence.jsonl`` holds one
comment line. The text is checked with the race loader before anything is written, and
nothing is written when either file already exists.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from kingmaker.errors import RaceFileError
from kingmaker.races.loader import EVIDENCE_FILE, RACE_FILE, parse_race
from kingmaker.races.presets import Preset, body_members, load_preset, template_rule
from kingmaker.records import Id, Race

_RACE_ID: TypeAdapter[str] = TypeAdapter(Id)

EVIDENCE_HEADER = (
    "// One JSON object per line: a dated, sourced observation (docs/race-format.md, "
    "evidence.jsonl). Lines starting with // are comments.\n"
)


def scaffold_race(
    race_id: str,
    preset_names: Sequence[str],
    rule: str | None = None,
    *,
    post: str | None = None,
    candidates: Sequence[str] = (),
    opened: dt.date | None = None,
) -> tuple[str, Race]:
    """The ``race.toml`` text of a new race, and the race it loads as.

    Args:
        race_id: The race's id.
        preset_names: One body preset, or two (proposing, confirming) for ``two-stage``.
        rule: A rule template (``kingmaker.races.presets.TEMPLATES``); default: the
            preset's usual rule, or ``two-stage`` for two presets.
        post: The office's name; default: a placeholder naming the body.
        candidates: Full names of the candidates known so far; none: one placeholder.
        opened: First day tracked (default: today).

    Raises:
        RaceFileError: a bad race id, an unknown preset or template, a template the body
            cannot decide by, or two presets naming the same body.
    """
    try:
        _RACE_ID.validate_python(race_id)
    except ValidationError:
        raise RaceFileError(
            f"'{race_id}' is not a race id; use letters, digits, '-', '_' and '.' (e.g. un-sg-2026)"
        ) from None
    if not preset_names or len(preset_names) > 2:
        raise RaceFileError(
            "give one preset, or two (proposing, confirming) for two-stage", param="preset"
        )
    presets = [load_preset(n) for n in preset_names]
    if len(presets) == 2 and presets[0].body.id == presets[1].body.id:
        raise RaceFileError(f"both presets describe the body '{presets[0].body.id}'; give two")
    name = rule or ("two-stage" if len(presets) == 2 else presets[0].rule)
    rule_table = template_rule(name, presets)
    day = opened or dt.date.today()
    office = post or f"Post chosen by the {presets[0].body.name}"
    text = _render(race_id, presets, name, rule_table, office, list(candidates), day)
    return text, parse_race(text, toml_name=RACE_FILE)  # what is written must load


def write_scaffold(out: Path, text: str) -> list[Path]:
    """Write ``race.toml`` (``text``) and ``evidence.jsonl`` into ``out``, created if needed.

    Returns:
        The paths written.

    Raises:
        RaceFileError: when either file exists, or the folder cannot be written; nothing
            is left behind.
    """
    paths = [out / RACE_FILE, out / EVIDENCE_FILE]
    for p in paths:
        if p.exists():
            raise RaceFileError(f"{p} already exists; choose another output folder or move it away")
    created = not out.exists()
    written: list[Path] = []
    try:
        out.mkdir(parents=True, exist_ok=True)
        for path, content in zip(paths, (text, EVIDENCE_HEADER), strict=True):
            with path.open("x", encoding="utf-8") as f:
                written.append(path)
                f.write(content)
    except OSError as exc:
        for path in written:
            path.unlink(missing_ok=True)
        if created and out.is_dir() and not any(out.iterdir()):
            out.rmdir()
        raise RaceFileError(f"cannot write {out} ({exc.strerror or exc})") from None
    return paths


def _render(
    race_id: str,
    presets: list[Preset],
    template: str,
    rule: dict[str, Any],
    post: str,
    candidates: list[str],
    opened: dt.date,
) -> str:
    sources = list(dict.fromkeys(s for p in presets for s in p.sources))
    lines = [
        f"# Written by `kingmaker new` from the preset{'s' if len(presets) > 1 else ''} "
        f"{' and '.join(p.id for p in presets)} and the rule template {template}.",
        "# Fill in the post and the candidates, then add evidence to evidence.jsonl as the race",
        "# goes on; `kingmaker load` checks and stores it (docs/race-format.md).",
        "format = 2",
        f"id = {_value(race_id)}",
        f"name = {_value(f'{post} ({opened.year})')}",
        'description = ""  # one paragraph on what is decided, and how',
        f"opened = {opened.isoformat()}  # the first day tracked",
        f"sources = {_value(sources)}",
        "",
        "[post]",
        f"name = {_value(post)}",
        'aliases = []  # how the news names the post, e.g. ["UN chief"]',
        '# incumbent = "who holds it now"',
        "# vacancy_date = YYYY-MM-DD (the day it falls vacant)",
        'on_deadlock = "incumbent extended or acting head"',
        "",
        *_rule_lines(rule),
    ]
    seen: set[str] = set()
    for preset in presets:
        members = body_members(preset)
        if seen & {m["id"] for m in members}:  # ids are unique across a race's bodies
            members = body_members(preset, suffix=f"-{preset.body.id.upper()}")
        seen |= {m["id"] for m in members}
        lines += _body_lines(preset, members)
    lines += _candidate_lines(candidates)
    return "\n".join(lines) + "\n"


def _rule_lines(rule: dict[str, Any]) -> list[str]:
    lines = ["[rule]"]
    stages = {k: v for k, v in rule.items() if isinstance(v, dict)}
    lines += [f"{k} = {_value(v)}" for k, v in rule.items() if k not in stages]
    for key, stage in stages.items():
        lines += ["", f"[rule.{key}]", *(f"{k} = {_value(v)}" for k, v in stage.items())]
    return [*lines, ""]


def _body_lines(preset: Preset, members: list[dict[str, Any]]) -> list[str]:
    lines = [
        "[[bodies]]",
        f"# From the preset {preset.id}: {preset.description}",
        *([f"# weight = {preset.weights}"] if preset.weights else []),
        f"# Sources: {', '.join(preset.sources)}",
        f"id = {_value(preset.body.id)}",
        f"name = {_value(preset.body.name)}",
        "",
    ]
    for m in members:
        lines += [
            "[[bodies.members]]",
            *(f"# {m[k]}" for k in ("_note", "_source") if k in m),
            *(f"{k} = {_value(v)}" for k, v in m.items() if not k.startswith("_")),
            "",
        ]
    return lines


def _candidate_lines(names: list[str]) -> list[str]:
    lines = [
        "# Candidates: one [[candidates]] table per person who may be chosen (home = the member",
        "# id of their country, if it sits in a body). Evidence naming them puts them in a",
        "# forecast (docs/race-format.md, candidacy rows).",
    ]
    if not names:
        return [
            *lines,
            "# The format needs at least one; replace this placeholder when the first is known.",
            "[[candidates]]",
            'id = "candidate-1"',
            'name = "First candidate"',
        ]
    used: set[str] = set()
    for full in names:
        name = " ".join(full.split())
        if not name:
            raise RaceFileError(
                "a candidate name is empty; give the person's full name", param="candidate"
            )
        base = _slug(name.split()[-1]) or "candidate"
        cid, n = base, 2
        while cid in used:
            cid, n = f"{base}-{n}", n + 1
        used.add(cid)
        aliases = [name.split()[-1]] if len(name.split()) > 1 else []
        lines += ["[[candidates]]", f"id = {_value(cid)}", f"name = {_value(name)}"]
        lines += [f"aliases = {_value(aliases)}", ""] if aliases else [""]
    return lines


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:64]


def _value(v: Any) -> str:
    """A TOML value: strings as JSON strings (valid TOML basic strings), numbers, booleans,
    dates, and flat lists of those."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, int | float):
        return repr(v)
    if isinstance(v, list | tuple):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    return json.dumps(str(v), ensure_ascii=False)


def race_counts(race: Race) -> str:
    """One line on what a scaffolded race holds, for the command's report."""
    bodies = ", ".join(f"{b.name} ({len(b.members)} members)" for b in race.bodies)
    return f"{bodies}; rule {race.rule.name}; {len(race.candidates)} candidate(s)"
