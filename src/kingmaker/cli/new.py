"""``kingmaker new``: write a race directory from a body preset and a rule template."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kingmaker.cli.base import app, handle_errors
from kingmaker.cli.parse import parse_date
from kingmaker.service import (
    TEMPLATES,
    preset_names,
    race_counts,
    scaffold_race,
    write_scaffold,
)

_HELP = (
    "Write a new race directory (race.toml and evidence.jsonl) from a body preset and a rule "
    "template; it loads with `kingmaker load` as written.\n\n"
    f"Presets (sourced data, see docs/race-format.md): {', '.join(preset_names())}.\n\n"
    "Rule templates: "
    + "; ".join(f"{t.name} ({t.summary})" for t in TEMPLATES.values())
    + ".\n\nExample: kingmaker new un-sg-2026 --preset unsc-2026 --preset un-general-assembly "
    "--rule two-stage --post 'Secretary-General of the United Nations'"
)


@app.command(help=_HELP)
@handle_errors
def new(
    race_id: Annotated[str, typer.Argument(help="Id of the new race, e.g. un-sg-2026.")],
    preset: Annotated[
        list[str],
        typer.Option(
            help="Body preset; give it twice for two-stage (the proposing body first).",
        ),
    ],
    rule: Annotated[
        str | None,
        typer.Option(help="Rule template (default: the preset's usual rule; two-stage for two)."),
    ] = None,
    post: Annotated[
        str | None, typer.Option(help="The office to fill, e.g. 'Secretary-General of NATO'.")
    ] = None,
    candidate: Annotated[
        list[str] | None,
        typer.Option(help="A candidate's full name; repeat for each (default: a placeholder)."),
    ] = None,
    opened: Annotated[
        str | None, typer.Option(help="First day tracked, YYYY-MM-DD (default: today).")
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="Folder to write into (default: ./RACE_ID).")
    ] = None,
) -> None:
    text, race = scaffold_race(
        race_id,
        preset,
        rule,
        post=post,
        candidates=candidate or (),
        opened=parse_date(opened, "--opened"),
    )
    folder = out or Path(race_id)
    write_scaffold(folder, text)
    typer.echo(f"wrote {folder}: {race_counts(race)}")
    typer.echo(f"next: fill in the post and candidates, then `kingmaker load {folder}`")
