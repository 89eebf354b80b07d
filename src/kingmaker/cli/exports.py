"""Exports: the stance matrix (a table, JSON or CSV) and ``kingmaker snapshot`` (the race
page saved as static files that open offline).

CSV rows come from ``kingmaker.report.export``, the same rows the dashboard's downloads
hold; ``--csv`` on the other table commands uses ``render.print_csv`` too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kingmaker.cli import render
from kingmaker.cli.base import JsonOpt, RaceArg, app, handle_errors, open_kingmaker, print_json
from kingmaker.cli.parse import parse_date
from kingmaker.cli.render import CsvOpt, one_format, print_csv
from kingmaker.report.export import matrix_rows


@app.command()
@handle_errors
def matrix(
    race: RaceArg,
    as_of: Annotated[
        str | None, typer.Option(help="Stances reported up to this day (YYYY-MM-DD).")
    ] = None,
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
) -> None:
    """The stance matrix: each member's latest stated stance on each candidate."""
    one_format(as_json, as_csv)
    km = open_kingmaker()
    m = km.matrix(race, parse_date(as_of, "--as-of"))
    if as_json:
        print_json(m.as_dict())
    elif as_csv:
        print_csv(matrix_rows(m))
    else:
        render.console().print(render.matrix_table(m))


@app.command()
@handle_errors
def snapshot(
    race: RaceArg,
    folder: Annotated[Path, typer.Argument(help="Folder to write (new or empty).")],
    as_of: Annotated[
        str | None, typer.Option(help="The page as of this day (YYYY-MM-DD); default: now.")
    ] = None,
    samples: Annotated[
        int, typer.Option(help="Monte Carlo samples of the forecast (the chart's days: 4,000).")
    ] = 20_000,
    force: Annotated[
        bool, typer.Option("--force", help="Write into a folder that is not empty.")
    ] = False,
) -> None:
    """Save the race page as static files that open offline, in FOLDER.

    index.html holds the forecast, the chart, the stance matrix and the evidence with its
    sources; with its files beside it, it fetches nothing and can be published as it is."""
    from kingmaker.web import WebSettings
    from kingmaker.web.snapshot import check_folder, write_snapshot

    check_folder(folder, force=force)  # before any forecast is computed
    day = parse_date(as_of, "--as-of")
    km = open_kingmaker()
    files = write_snapshot(
        km, race, folder, as_of=day, force=force, settings=WebSettings(samples=samples)
    )
    size = sum(f.stat().st_size for f in files)
    more = f"{len(files) - 1} more files ({size / 2**20:.1f} MiB in all)"
    typer.echo(f"wrote {folder / 'index.html'} and {more}")
