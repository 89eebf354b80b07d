"""Commands over resolved races: replay and score them (backtest), fit the parameters."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kingmaker.cli import render
from kingmaker.cli.backfill import JobsOpt, SchedulerOpt
from kingmaker.cli.base import (
    AllOpt,
    JsonOpt,
    RacesArg,
    SeedOpt,
    app,
    handle_errors,
    open_kingmaker,
    print_json,
    progress,
)
from kingmaker.cli.parse import UsageError, parse_every
from kingmaker.cli.render import one_format, print_csv
from kingmaker.report.export import backtest_day_rows
from kingmaker.service import (
    EXPLAIN,
    FitSettings,
    calibration,
    check_dir,
    fit_params_file,
    load_params_file,
    replay_days,
    table_rows,
    write_report,
)

if TYPE_CHECKING:
    from kingmaker.service import ParamsFile


@app.command()
@handle_errors
def backtest(
    races: RacesArg = None,
    all_races: AllOpt = False,
    report: Annotated[
        Path | None, typer.Option(help="Folder for the report (HTML, PNG, MD).")
    ] = None,
    every: Annotated[str, typer.Option(help="Days between replayed forecasts: 1d, 7d...")] = "1d",
    samples: Annotated[int, typer.Option(help="Monte Carlo samples per day.")] = 2_000,
    seed: SeedOpt = 0,
    params: Annotated[
        Path | None, typer.Option(help="Parameter file (default: bundled fit).")
    ] = None,
    jobs: JobsOpt = 1,
    scheduler: SchedulerOpt = None,
    as_json: JsonOpt = False,
    days: Annotated[
        bool,
        typer.Option(
            "--days", help="JSON with every day's probabilities and scores (implies --json)."
        ),
    ] = False,
    as_csv: Annotated[
        bool,
        typer.Option(
            "--csv", help="CSV of every day's probabilities and scores, one row per outcome."
        ),
    ] = False,
) -> None:
    """Replay resolved races day by day and score the forecasts against baselines.

    The headline scores are the days on which the eventual winner was already named; days
    before that (when only "the field" could be right) are scored apart.
    """
    _need_races(races, all_races, "to backtest")
    one_format(as_json or days, as_csv)
    if report is not None:
        check_dir(report)
    km = open_kingmaker()
    chosen = km.resolved(races or [])
    p = load_params_file(params).values if params else None
    step = parse_every(every)
    total = sum(len(replay_days(r, step)) for r in chosen)
    with progress(total, "replaying") as advance:
        replays = km.backtest(
            [r.id for r in chosen],
            params=p,
            every=step,
            samples=samples,
            seed=seed,
            on_day=lambda _r, _d: advance(),
            jobs=jobs,
            scheduler=scheduler,
        )
    rows = table_rows(replays)
    calib = calibration(replays)
    if report is not None:
        write_report(replays, report)
    warnings = [w for rp in replays for w in rp.warnings]
    if as_csv:
        print_csv(backtest_day_rows(replays))
        for w in warnings:
            typer.echo(f"warning: {w}", err=True)
        return
    if as_json or days:
        out: dict[str, Any] = {
            "explain": EXPLAIN,
            "rows": rows,
            "calibration": calib,
            "warnings": warnings,
        }
        if days:
            out["days"] = {rp.race.id: [d.as_dict() for d in rp.days] for rp in replays}
        print_json(out)
        return
    con = render.console()
    for table in render.backtest_tables(rows):
        con.print(table)
    con.print(render.calibration_table(calib))
    con.print(EXPLAIN, highlight=False)
    for w in warnings:
        typer.echo(f"warning: {w}", err=True)
    if report is not None:
        typer.echo(f"wrote {report / 'index.html'}, {report / 'scores.md'} and charts")


@app.command(name="fit")
@handle_errors
def fit_cmd(
    races: RacesArg = None,
    all_races: AllOpt = False,
    out: Annotated[Path, typer.Option(help="Parameter file to write (JSON).")] = Path(
        "kingmaker-params.json"
    ),
    loo: Annotated[bool, typer.Option(help="Also refit without each race and score it.")] = False,
    every: Annotated[str, typer.Option(help="Days between replayed forecasts.")] = "7d",
    samples: Annotated[int, typer.Option(help="Monte Carlo samples per day.")] = 1_000,
    evaluations: Annotated[int, typer.Option(help="Most objective evaluations per fit.")] = 60,
    scan: Annotated[
        int,
        typer.Option(
            help="Points tried over each parameter's range before the compass search "
            "(counted in --evaluations); 0 or 1: no scan.",
            min=0,
        ),
    ] = 5,
    metric: Annotated[
        str, typer.Option(help="Score to optimise: log (likelihood) or brier (minimised).")
    ] = "log",
    jobs: Annotated[
        int, typer.Option(help="Processes scoring races and folds in parallel.", min=1)
    ] = 1,
    scheduler: SchedulerOpt = None,
    folds: Annotated[
        Path | None,
        typer.Option(
            help="With --loo: folder for each race's parameter file fitted without it "
            "(RACE.json), to replay it as the leave-one-out table scored it."
        ),
    ] = None,
) -> None:
    """Fit the model's free parameters on resolved races (mean daily score per race)."""
    _need_races(races, all_races, "to fit on")
    if folds is not None and not loo:
        raise UsageError("--folds needs --loo (the folds are the leave-one-out fits)")
    if folds is not None and folds.exists() and not folds.is_dir():
        raise UsageError(f"--folds {folds} is a file; give a folder")
    if evaluations < 1:
        raise UsageError(f"--evaluations must be 1 or more, got {evaluations}")
    if metric not in ("brier", "log"):
        raise UsageError(f"--metric must be brier or log, not {metric!r}")
    km = open_kingmaker()
    chosen = [km.usable(r) for r in km.resolved(races or [])]
    settings = FitSettings(
        every=parse_every(every),
        samples=samples,
        max_evaluations=evaluations,
        metric=metric,
        jobs=jobs,
        scheduler=scheduler,
        scan=scan,
    )
    fold_files: dict[str, ParamsFile] = {}
    pf = fit_params_file(
        chosen,
        settings,
        loo=loo,
        on_step=lambda what, i, v: typer.echo(f"{what} #{i}: {v:.4f}", err=True),
        folds=fold_files,
    )
    out.write_text(pf.model_dump_json(indent=2) + "\n")
    if folds is not None:
        folds.mkdir(parents=True, exist_ok=True)
        for race_id, fold in fold_files.items():
            (folds / f"{race_id}.json").write_text(fold.model_dump_json(indent=2) + "\n")
        typer.echo(f"wrote {len(fold_files)} fold parameter files to {folds}")
    typer.echo(
        f"wrote {out}: objective ({pf.objective}) {pf.in_sample_objective:.3f} in sample on "
        f"{len(pf.fitted_on)} races"
    )
    if loo:
        render.console().print(render.loo_table(pf.leave_one_out))


def _need_races(races: list[str] | None, all_races: bool, purpose: str) -> None:
    if not races and not all_races:
        raise UsageError(f"name races {purpose}, or pass --all")
