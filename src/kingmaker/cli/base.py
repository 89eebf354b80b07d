"""What every command module shares: the one Typer ``app``, global state, error handling.

A command module registers itself by decorating its functions on this app::

    from kingmaker.cli.base import app, handle_errors

    @app.command()
    @handle_errors
    def watch(...) -> None: ...

and ``kingmaker.cli.app`` imports it once (one ``import kingmaker.cli.watch`` line).
Errors from kingmaker become one line on stderr and exit code 1 (``--debug`` re-raises).
"""

from __future__ import annotations

import contextlib
import functools
import json
import sys
from collections.abc import Callable, Iterator
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from kingmaker.errors import KingmakerError, StoreError
from kingmaker.service import Kingmaker

app = typer.Typer(
    help="Who will the council pick for the post, and who decides it?",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

F = TypeVar("F", bound=Callable[..., Any])


class _State:
    db: str | None = None
    debug: bool = False


STATE = _State()

RaceArg = Annotated[str, typer.Argument(help="Race id, e.g. nato-sg-2024 (see `kingmaker races`).")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]
RacesArg = Annotated[list[str] | None, typer.Argument(help="Race ids (default with --all).")]
AllOpt = Annotated[bool, typer.Option("--all", help="Every resolved race in the store.")]
SeedOpt = Annotated[int, typer.Option(help="Random seed; the same seed gives the same numbers.")]


# The library names parameters in its messages; the command line says its flags instead.
FLAGS = {
    "as_of": "--as-of",
    "candidate": "--candidate",
    "default_race": "--race",
    "every": "--every",
    "jobs": "--jobs",
    "member": "--member",
    "preset": "--preset",
    "report": "--report",
    "samples": "--samples",
    "scheduler": "--scheduler",
    "seed": "--seed",
}


def handle_errors(fn: F) -> F:
    """Turn KingmakerError into a one-line message and exit code 1 (unless --debug)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except KingmakerError as exc:
            if STATE.debug:
                raise
            typer.echo(f"error: {exc.message_for(FLAGS)}", err=True)
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


def open_kingmaker() -> Kingmaker:
    return Kingmaker.open(STATE.db, on_unsaved=_unsaved)


def _unsaved(count: int, exc: StoreError) -> None:
    """A forecast the store cannot take is still shown; one line says it was not saved."""
    runs = "the forecast was" if count == 1 else f"{count:,} forecasts were"
    typer.echo(f"warning: {runs} not saved ({exc})", err=True)


def print_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


@contextlib.contextmanager
def progress(total: int, label: str) -> Iterator[Callable[[], None]]:
    with Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=True,
        disable=not sys.stderr.isatty(),
        console=Console(stderr=True),
    ) as bar:
        task = bar.add_task(label, total=total)
        yield lambda: bar.advance(task)
