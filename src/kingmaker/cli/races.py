"""Commands about the races themselves: list them, show one, load one from a folder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kingmaker.cli import render
from kingmaker.cli.base import (
    JsonOpt,
    RaceArg,
    app,
    handle_errors,
    open_kingmaker,
    print_json,
)
from kingmaker.cli.render import CsvOpt, one_format, print_csv
from kingmaker.report.export import dict_rows
from kingmaker.service import race_warnings


@app.command()
@handle_errors
def races(as_json: JsonOpt = False, as_csv: CsvOpt = False) -> None:
    """List the races in the store (bundled races are added on first use)."""
    one_format(as_json, as_csv)
    km = open_kingmaker()
    rows = km.races()
    if as_json:
        print_json([r.as_dict() for r in rows])
    elif as_csv:
        print_csv(dict_rows([r.as_dict() for r in rows]))
    else:
        render.console().print(render.races_table(rows))


@app.command()
@handle_errors
def show(race: RaceArg, as_json: JsonOpt = False) -> None:
    """Show a race: post, rule, members and candidates."""
    r = open_kingmaker().race(race)
    if as_json:
        print_json(r.model_dump(mode="json", exclude={"evidence"}))
    else:
        render.console().print(render.race_panel(r))


@app.command()
@handle_errors
def load(path: Annotated[Path, typer.Argument(help="Race directory with race.toml.")]) -> None:
    """Validate a race directory (race.toml + evidence.jsonl) and add it to the store.

    What loads but may not mean what was meant is printed as warnings, one line each.
    """
    km = open_kingmaker()
    race, added = km.load(path)
    line = f"loaded {race.id}: {len(race.candidates)} candidates, {added} new evidence items"
    stored = len(race.evidence) - added
    if stored > 0:  # say why, so that '0 new' does not read as '0 loaded'
        why = (
            ": the bundled races are stored when a store is first opened"
            if km.is_bundled(race.id)
            else ""
        )
        line += f" ({stored} already in the store{why})"
    typer.echo(line)
    for w in race_warnings(race):
        typer.echo(f"warning: {w}", err=True)
