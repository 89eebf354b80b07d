"""``kingmaker watch``: follow feeds and pages, ingest what is new, alert when a forecast moves.

The work is ``kingmaker.watch.Watcher``; this parses options and prints each round.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import typer

from kingmaker.cli.base import JsonOpt, app, handle_errors, open_kingmaker, print_json
from kingmaker.cli.ingest import ModeOpt, _mode
from kingmaker.cli.parse import UsageError
from kingmaker.service import MAX_SAMPLES, THRESHOLD, Round, Watcher, WatchSettings, check_url

MIN_INTERVAL = 60
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_interval(value: str) -> int:
    """'90s', '15m', '2h' or '1d' -> seconds (at least a minute)."""
    m = re.fullmatch(r"\s*(\d+)\s*([smhd])\s*", value.lower())
    seconds = int(m.group(1)) * _UNITS[m.group(2)] if m else 0
    if seconds < MIN_INTERVAL:
        raise UsageError(
            f"--interval must look like 15m, 2h or 1d and be at least 1m, got '{value}'"
        )
    return seconds


@app.command()
@handle_errors
def watch(
    urls: Annotated[
        list[str], typer.Argument(help="RSS/Atom feeds or article pages (http:// or https://).")
    ],
    race: Annotated[str | None, typer.Option(help="Only articles about this race.")] = None,
    once: Annotated[
        bool, typer.Option("--once", help="One round, then exit (for cron or a systemd timer).")
    ] = False,
    interval: Annotated[str, typer.Option(help="Time between rounds: 15m, 2h, 1d.")] = "15m",
    threshold: Annotated[
        float,
        typer.Option(help="Report outcomes whose probability moved this much (0.05 = 5 pts)."),
    ] = THRESHOLD,
    webhook: Annotated[
        str | None, typer.Option(help="POST each alert here as JSON.", metavar="URL")
    ] = None,
    log: Annotated[
        Path | None,
        typer.Option(
            help="Append alerts, failures and a line per round to this file (JSON lines)."
        ),
    ] = None,
    samples: Annotated[int, typer.Option(help="Monte Carlo samples per forecast.")] = 20_000,
    mode: ModeOpt = "auto",
    as_json: JsonOpt = False,
) -> None:
    """Follow feeds and pages: ingest new articles, re-forecast, report what moved.

    Every outcome whose probability moved by at least the threshold, in the races the new
    articles concern, is printed, POSTed to the webhook and logged. Each URL is fetched
    with the ETag and Last-Modified of the body read before, so an unchanged feed costs
    one 304; articles already stored are never read again. A feed or webhook that fails
    is retried, reported on stderr and in the log, and never stops the watch. Ctrl-C
    stops it."""
    if not 0 < threshold <= 1:  # nan fails this too
        raise UsageError(f"--threshold must be above 0 and at most 1, got {threshold}")
    if not 100 <= samples <= MAX_SAMPLES:
        raise UsageError(f"--samples must be between 100 and {MAX_SAMPLES:,}, got {samples:,}")
    seconds = parse_interval(interval)
    for url in (*urls, *([webhook] if webhook else [])):
        check_url(url)  # before the store is opened (or made)
    if log is not None:
        _check_log(log)
    settings = WatchSettings(
        race_id=race,
        threshold=threshold,
        samples=samples,
        mode=_mode(mode),
        webhook=webhook,
        log=log,
    )
    km = open_kingmaker()
    watcher = Watcher(km, urls, settings)
    if not once:
        every = f"{seconds // 60} min" if seconds % 60 == 0 else f"{seconds} s"
        typer.echo(f"watching {len(watcher.urls)} URLs every {every}; Ctrl-C stops", err=True)
    try:
        watcher.run(seconds, once=once, on_round=lambda r: _show(r, as_json))
    except KeyboardInterrupt:
        typer.echo("stopped", err=True)
    finally:
        watcher.close()
        km.close()


def _check_log(path: Path) -> None:
    """Refuse, before any fetch, a log file that cannot be appended to."""
    try:
        with path.open("a", encoding="utf-8"):
            pass
    except OSError as exc:
        raise UsageError(
            f"--log {path} cannot be written ({exc.strerror or exc}); name another file"
        ) from None


def _show(result: Round, as_json: bool) -> None:
    if as_json:
        print_json(result.as_dict())
    else:
        for source in result.sources:
            typer.echo(source.render())
        for alert in result.alerts:
            typer.echo(alert.render())
        if not result.alerts:
            typer.echo("no outcome moved by the threshold")
    for problem in result.problems:
        typer.echo(f"warning: {problem}", err=True)
    for source in result.sources:
        for line in source.problems:
            typer.echo(f"  {line}", err=True)
