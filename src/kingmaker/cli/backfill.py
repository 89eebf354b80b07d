"""The ``backfill`` command: a news archive ingested on a Dask cluster; and the ``--jobs``
and ``--scheduler`` options that other commands share to use every core or a cluster."""

from __future__ import annotations

from typing import Annotated

import typer

from kingmaker.cli.base import JsonOpt, app, handle_errors, open_kingmaker
from kingmaker.cli.parse import parse_date

JobsOpt = Annotated[
    int,
    typer.Option(help="Processes on this machine (0: every core); same results as 1.", min=0),
]
SchedulerOpt = Annotated[
    str | None,
    typer.Option(
        help="Dask scheduler to run on (tcp://host:8786), or 'local' for a LocalCluster "
        "of --jobs workers; same results as one process."
    ),
]


@app.command()
@handle_errors
def backfill(
    paths: Annotated[
        list[str],
        typer.Argument(help="Files (JSONL, HTML, text...), folders (e.g. by date) or globs."),
    ],
    scheduler: Annotated[
        str | None,
        typer.Option(help="Dask scheduler (tcp://host:8786); default: a LocalCluster."),
    ] = None,
    jobs: Annotated[
        int, typer.Option(help="Workers of the LocalCluster (0: every core).", min=0)
    ] = 0,
    race: Annotated[str | None, typer.Option(help="Only articles about this race.")] = None,
    date: Annotated[str | None, typer.Option(help="Date for articles that carry none.")] = None,
    mode: Annotated[
        str, typer.Option(help="Extraction: auto (spaCy model if verified), model or fallback.")
    ] = "auto",
    as_json: JsonOpt = False,
) -> None:
    """Ingest a news archive on a Dask cluster: workers read, de-duplicate, match and
    extract; the store takes articles and evidence in batches, as `kingmaker ingest` of
    the same files would leave it."""
    from kingmaker.cli.ingest import _mode, reading_bar, show_report

    km = open_kingmaker()
    day = parse_date(date, "--date")
    with reading_bar() as progress:
        rep = km.backfill(
            paths,
            scheduler=scheduler,
            jobs=jobs,
            race_id=race,
            default_date=day,
            mode=_mode(mode),
            progress=progress,
        )
    show_report(rep, as_json)
