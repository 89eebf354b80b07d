"""The ``kingmaker`` command line: the app, its global options, and every command module.

Each command parses options, calls the service, and prints a table or JSON (see
``kingmaker.cli.base`` for how a command module registers). To add commands, write a module
under ``kingmaker/cli/`` and add one ``import kingmaker.cli.NAME`` line below.
"""

from __future__ import annotations

from typing import Annotated

import typer

# Importing a command module registers its commands on `app` (one line per module).
import kingmaker.cli.backfill
import kingmaker.cli.backtest
import kingmaker.cli.evidence
import kingmaker.cli.exports
import kingmaker.cli.forecasts
import kingmaker.cli.ingest
import kingmaker.cli.new
import kingmaker.cli.races
import kingmaker.cli.remove
import kingmaker.cli.serve
import kingmaker.cli.watch  # noqa: F401
from kingmaker import __version__
from kingmaker.cli.base import STATE, app

__all__ = ["app", "main"]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kingmaker {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    db: Annotated[
        str | None,
        typer.Option(
            help="Database file or URL (postgresql://user@host/db for a shared server); "
            "default: $KINGMAKER_DB or ~/.local/share/kingmaker/kingmaker.db.",
            envvar="KINGMAKER_DB",
        ),
    ] = None,
    debug: Annotated[bool, typer.Option(help="Show tracebacks for errors.")] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Print the version and exit.", is_eager=True, callback=_version
        ),
    ] = False,
) -> None:
    """Who will the council pick for the post, and who decides it?"""
    STATE.db = db
    STATE.debug = debug


def main() -> None:
    """Entry point of the ``kingmaker`` script."""
    app()
