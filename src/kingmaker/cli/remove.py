"""``kingmaker remove``: remove a race and everything stored for it, after asking."""

from __future__ import annotations

from typing import Annotated

import typer

from kingmaker.cli.base import RaceArg, app, handle_errors, open_kingmaker


@app.command()
@handle_errors
def remove(
    race: RaceArg,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Remove a race from the store with its evidence, review log, stored forecasts and
    article links; the articles no other race uses go too.

    Asks first (--yes does not). A store that cannot be written is refused before asking.
    A bundled race comes back, as shipped, the next time kingmaker opens the store.
    """
    km = open_kingmaker()
    plan = km.removal(race)
    if not yes:
        typer.confirm(
            f"Remove race {race} ({plan.name}) with its {plan.evidence:,} evidence items, "
            f"{plan.forecasts:,} stored forecasts and links to {plan.articles:,} articles "
            "(articles no other race uses go too)?",
            abort=True,
        )
    done = km.remove(race)
    kept = done.articles - done.articles_removed
    typer.echo(
        f"removed {race}: {done.evidence:,} evidence items, {done.forecasts:,} forecasts, "
        f"{done.articles_removed:,} articles"
        + (f" ({kept:,} kept: other races use them)" if kept else "")
    )
    if done.bundled:
        typer.echo(
            f"{race} is bundled with kingmaker, so it comes back, as shipped, the next time "
            "kingmaker opens this store"
        )
