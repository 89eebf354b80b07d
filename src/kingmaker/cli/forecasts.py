"""Commands that forecast: one day, a charted timeline, stored runs and re-runs, the demo."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import typer

from kingmaker.cli import render
from kingmaker.cli.backfill import JobsOpt
from kingmaker.cli.base import (
    JsonOpt,
    RaceArg,
    SeedOpt,
    app,
    handle_errors,
    open_kingmaker,
    print_json,
    progress,
)
from kingmaker.cli.parse import parse_date, parse_every
from kingmaker.cli.render import CsvOpt, one_format, print_csv
from kingmaker.report import write_timeline
from kingmaker.report.export import dict_rows, forecast_rows, timeline_rows
from kingmaker.service import Kingmaker


@app.command()
@handle_errors
def forecast(
    race: RaceArg,
    as_of: Annotated[
        str | None,
        typer.Option(
            help="Use only evidence dated on or before this "
            "day (YYYY-MM-DD); default: decision day or today."
        ),
    ] = None,
    samples: Annotated[int, typer.Option(help="Monte Carlo samples.")] = 20_000,
    seed: SeedOpt = 0,
    explain: Annotated[bool, typer.Option(help="Measure each evidence item's effect.")] = True,
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
) -> None:
    """Forecast who will be chosen, the kingmakers, and the evidence behind the leader."""
    one_format(as_json, as_csv)
    km = open_kingmaker()
    fc = km.forecast(
        race, parse_date(as_of, "--as-of"), samples=samples, seed=seed, explain=explain
    )
    if as_json:
        print_json(fc.model_dump(mode="json"))
    elif as_csv:
        print_csv(forecast_rows(fc))
    else:
        render.console().print(render.forecast_view(fc, km.race(race)))


@app.command()
@handle_errors
def timeline(
    race: RaceArg,
    out: Annotated[Path, typer.Option("--out", help="Chart file: .png or .html (self-contained).")],
    start: Annotated[str | None, typer.Option("--from", help="First day (YYYY-MM-DD).")] = None,
    end: Annotated[str | None, typer.Option("--to", help="Last day (YYYY-MM-DD).")] = None,
    every: Annotated[str, typer.Option(help="Interval between forecasts: 7d, 2w, 1m.")] = "7d",
    samples: Annotated[int, typer.Option(help="Monte Carlo samples per day.")] = 10_000,
    seed: SeedOpt = 0,
    jobs: JobsOpt = 1,
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
) -> None:
    """Forecast every few days and chart the probabilities over time."""
    one_format(as_json, as_csv)
    km = open_kingmaker()
    r = km.race(race)
    days = km.timeline_days(
        r, parse_date(start, "--from"), parse_date(end, "--to"), parse_every(every)
    )
    fcs = _with_progress(km, race, days, samples, seed, jobs)
    path = write_timeline(r, fcs, out)
    if as_json:
        print_json(
            {
                "chart": str(path),
                "forecasts": [
                    {"as_of": f.as_of.isoformat(), **{o.id: o.probability for o in f.outcomes}}
                    for f in fcs
                ],
            }
        )
    elif as_csv:
        print_csv(timeline_rows(fcs))
    else:
        typer.echo(f"wrote {path} ({len(fcs)} forecasts, {days[0]} .. {days[-1]})")


def _with_progress(
    km: Kingmaker, race: str, days: list[dt.date], samples: int, seed: int, jobs: int = 1
) -> list[Any]:
    with progress(len(days), f"forecasting {race}") as advance:
        _, fcs = km.timeline(
            race,
            days[0],
            days[-1],
            every=max(1, _step(days)),
            samples=samples,
            seed=seed,
            on_step=lambda _d: advance(),
            jobs=jobs,
        )
    return fcs


def _step(days: list[dt.date]) -> int:
    return (days[1] - days[0]).days if len(days) > 1 else 1


@app.command()
@handle_errors
def history(race: RaceArg, as_json: JsonOpt = False, as_csv: CsvOpt = False) -> None:
    """List the stored forecast runs of a race (each can be re-run with `kingmaker rerun`)."""
    one_format(as_json, as_csv)
    runs = open_kingmaker().history(race)
    rows = [
        {
            "id": r.id,
            "created_at": r.created_at.isoformat(timespec="seconds"),
            "as_of": r.as_of.isoformat(),
            "model": r.model,
            "samples": r.samples,
            "seed": r.seed,
            "leader": max(r.result["outcomes"], key=lambda o: o["probability"])["id"],
        }
        for r in runs
    ]
    if as_json:
        print_json(rows)
    elif as_csv:
        print_csv(dict_rows(rows))
    else:
        render.console().print(render.history_table(race, rows))


@app.command()
@handle_errors
def rerun(run_id: Annotated[int, typer.Argument(help="Run id from `kingmaker history`.")]) -> None:
    """Reproduce a stored forecast run and say whether the numbers are identical.

    Exit code 1 when they are not, with what that means: most often the race was changed
    since the run (its file loaded again with other members, candidates, rule or post).
    """
    res = open_kingmaker().rerun(run_id)
    if res.identical:
        typer.echo(
            f"run {run_id} reproduced exactly ({res.again.race_id} as of "
            f"{res.again.as_of}, seed {res.again.seed}, {res.again.samples:,} samples)"
        )
        if res.explain():
            typer.echo(res.explain())
        return
    typer.echo(f"run {run_id} did not reproduce: {res.explain()}")
    for old, new in zip(res.stored.outcomes, res.again.outcomes, strict=False):
        if old != new:
            typer.echo(f"  {old.id}: stored {old.probability:.4f}, now {new.probability:.4f}")
    raise typer.Exit(1)


@app.command()
@handle_errors
def demo(
    out: Annotated[Path, typer.Option(help="Folder for the charts.")] = Path("kingmaker-demo"),
    samples: Annotated[int, typer.Option(help="Monte Carlo samples.")] = 20_000,
    seed: SeedOpt = 0,
) -> None:
    """The main job: the bundled NATO 2023-24 race, forecast at its turning points, charted;
    then the live UN Secretary-General 2026 race as of its latest evidence."""
    km = open_kingmaker()
    race = "nato-sg-2024"
    r = km.race(race)
    con = render.console()
    for day in DEMO_DAYS:
        fc = km.forecast(race, day, samples=samples, seed=seed)
        con.print(render.forecast_view(fc, r))
        con.print()
    out.mkdir(parents=True, exist_ok=True)
    days = km.timeline_days(r, dt.date(2023, 10, 28), None, 7)
    fcs = _with_progress(km, race, days, 10_000, seed)
    for suffix in ("png", "html"):
        path = write_timeline(r, fcs, out / f"{race}-timeline.{suffix}", notes=DEMO_NOTES)
        con.print(f"wrote {path}")
    live = km.race(DEMO_LIVE)
    day = km.latest_evidence_day(live)
    con.print()
    con.print(f"The race under way: {live.name}, as of its latest evidence ({day})")
    con.print(render.forecast_view(km.forecast(DEMO_LIVE, day, samples=samples, seed=seed), live))


DEMO_LIVE = "un-sg-2026"
DEMO_DAYS = (
    dt.date(2023, 11, 16),  # the user's article: Kallas interested, Rutte leading
    dt.date(2024, 2, 22),  # the US, UK, France and Germany back Rutte
    dt.date(2024, 4, 29),  # Hungary, Turkey, Slovakia and Romania's Iohannis still in the way
    dt.date(2024, 6, 20),  # the last holdouts fold; Iohannis withdraws
)


DEMO_NOTES = tuple(
    zip(
        DEMO_DAYS, ("article", "big four back Rutte", "holdouts", "last holdouts fold"), strict=True
    )
)
