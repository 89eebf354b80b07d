"""``kingmaker`` commands: each parses options, calls the service, and prints a table or JSON.

Errors from kingmaker become one line on stderr and exit code 1 (``--debug`` re-raises).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import socket
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from kingmaker.backtest import replay_days
from kingmaker.backtest.fit import FitSettings, fit_params_file
from kingmaker.backtest.report import EXPLAIN, calibration, check_dir, table_rows, write_report
from kingmaker.cli import render
from kingmaker.cli.parse import UsageError, parse_date, parse_every
from kingmaker.engine.forecast import MAX_SAMPLES
from kingmaker.engine.params import load_params_file
from kingmaker.errors import IngestError, KingmakerError, ReviewError, StoreError, WebError
from kingmaker.extract.evaluate import evaluate_files
from kingmaker.newsdesk import Mode
from kingmaker.races import race_warnings
from kingmaker.records import changes_nothing
from kingmaker.report import write_timeline
from kingmaker.service import REVIEW_THRESHOLD, Kingmaker
from kingmaker.store import open_store

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


def handle_errors(fn: F) -> F:
    """Turn KingmakerError into a one-line message and exit code 1 (unless --debug)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except KingmakerError as exc:
            if STATE.debug:
                raise
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


def _open() -> Kingmaker:
    return Kingmaker.open(STATE.db, on_unsaved=_unsaved)


def _unsaved(count: int, exc: StoreError) -> None:
    """A forecast the store cannot take is still shown; one line says it was not saved."""
    runs = "the forecast was" if count == 1 else f"{count:,} forecasts were"
    typer.echo(f"warning: {runs} not saved ({exc})", err=True)


def _json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


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
) -> None:
    """Who will the council pick for the post, and who decides it?"""
    STATE.db = db
    STATE.debug = debug


@app.command()
@handle_errors
def races(as_json: JsonOpt = False) -> None:
    """List the races in the store (bundled races are added on first use)."""
    km = _open()
    rows = km.races()
    if as_json:
        _json([r.as_dict() for r in rows])
    else:
        render.console().print(render.races_table(rows))


@app.command()
@handle_errors
def show(race: RaceArg, as_json: JsonOpt = False) -> None:
    """Show a race: post, rule, members and candidates."""
    r = _open().race(race)
    if as_json:
        _json(r.model_dump(mode="json", exclude={"evidence"}))
    else:
        render.console().print(render.race_panel(r))


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
) -> None:
    """Forecast who will be chosen, the kingmakers, and the evidence behind the leader."""
    km = _open()
    fc = km.forecast(
        race, parse_date(as_of, "--as-of"), samples=samples, seed=seed, explain=explain
    )
    if as_json:
        _json(fc.model_dump(mode="json"))
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
    as_json: JsonOpt = False,
) -> None:
    """Forecast every few days and chart the probabilities over time."""
    km = _open()
    r = km.race(race)
    days = km.timeline_days(
        r, parse_date(start, "--from"), parse_date(end, "--to"), parse_every(every)
    )
    fcs = _with_progress(km, race, days, samples, seed)
    path = write_timeline(r, fcs, out)
    if as_json:
        _json(
            {
                "chart": str(path),
                "forecasts": [
                    {"as_of": f.as_of.isoformat(), **{o.id: o.probability for o in f.outcomes}}
                    for f in fcs
                ],
            }
        )
    else:
        typer.echo(f"wrote {path} ({len(fcs)} forecasts, {days[0]} .. {days[-1]})")


def _with_progress(
    km: Kingmaker, race: str, days: list[dt.date], samples: int, seed: int
) -> list[Any]:
    with _progress(len(days), f"forecasting {race}") as advance:
        _, fcs = km.timeline(
            race,
            days[0],
            days[-1],
            every=max(1, _step(days)),
            samples=samples,
            seed=seed,
            on_step=lambda _d: advance(),
        )
    return fcs


def _step(days: list[dt.date]) -> int:
    return (days[1] - days[0]).days if len(days) > 1 else 1


@app.command()
@handle_errors
def evidence(
    race: RaceArg,
    member: Annotated[str | None, typer.Option(help="Only this member id.")] = None,
    candidate: Annotated[str | None, typer.Option(help="Only this candidate id.")] = None,
    as_of: Annotated[str | None, typer.Option(help="Only evidence up to this day.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """List a race's evidence with its sources."""
    km = _open()
    r = km.race(race)
    if member is not None and member not in {m.id for b in r.bodies for m in b.members}:
        raise UsageError(
            f"--member '{member}' is not a member of {race}; see `kingmaker show {race}`"
        )
    if candidate is not None and candidate not in {c.id for c in r.candidates}:
        raise UsageError(
            f"--candidate '{candidate}' is not a candidate of {race}; see `kingmaker show {race}`"
        )
    items = km.evidence(
        race, member=member, candidate=candidate, as_of=parse_date(as_of, "--as-of")
    )
    if as_json:
        _json([e.model_dump(mode="json") for e in items])
    else:
        render.console().print(
            render.evidence_table(items, f"Evidence for {race} ({len(items)})", r)
        )


@app.command()
@handle_errors
def history(race: RaceArg, as_json: JsonOpt = False) -> None:
    """List the stored forecast runs of a race (each can be re-run with `kingmaker rerun`)."""
    runs = _open().history(race)
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
        _json(rows)
    else:
        render.console().print(render.history_table(race, rows))


@app.command()
@handle_errors
def rerun(run_id: Annotated[int, typer.Argument(help="Run id from `kingmaker history`.")]) -> None:
    """Reproduce a stored forecast run and say whether the numbers are identical."""
    res = _open().rerun(run_id)
    if res.identical:
        typer.echo(
            f"run {run_id} reproduced exactly ({res.again.race_id} as of "
            f"{res.again.as_of}, seed {res.again.seed}, {res.again.samples:,} samples)"
        )
        return
    for old, new in zip(res.stored.outcomes, res.again.outcomes, strict=False):
        if old != new:
            typer.echo(f"{old.id}: stored {old.probability:.4f}, now {new.probability:.4f}")
    raise typer.Exit(1)


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
    as_json: JsonOpt = False,
    days: Annotated[
        bool,
        typer.Option(
            "--days", help="JSON with every day's probabilities and scores (implies --json)."
        ),
    ] = False,
) -> None:
    """Replay resolved races day by day and score the forecasts against baselines.

    The headline scores are the days on which the eventual winner was already named; days
    before that (when only "the field" could be right) are scored apart.
    """
    _need_races(races, all_races, "to backtest")
    if report is not None:
        check_dir(report)
    km = _open()
    chosen = km.resolved(races or [])
    p = load_params_file(params).values if params else None
    step = parse_every(every)
    total = sum(len(replay_days(r, step)) for r in chosen)
    with _progress(total, "replaying") as advance:
        replays = km.backtest(
            [r.id for r in chosen],
            params=p,
            every=step,
            samples=samples,
            seed=seed,
            on_day=lambda _r, _d: advance(),
        )
    rows = table_rows(replays)
    calib = calibration(replays)
    if report is not None:
        write_report(replays, report)
    warnings = [w for rp in replays for w in rp.warnings]
    if as_json or days:
        out: dict[str, Any] = {
            "explain": EXPLAIN,
            "rows": rows,
            "calibration": calib,
            "warnings": warnings,
        }
        if days:
            out["days"] = {rp.race.id: [d.as_dict() for d in rp.days] for rp in replays}
        _json(out)
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
    metric: Annotated[
        str, typer.Option(help="Score to optimise: log (likelihood) or brier (minimised).")
    ] = "log",
    jobs: Annotated[int, typer.Option(help="Processes scoring races in parallel.", min=1)] = 1,
) -> None:
    """Fit the model's free parameters on resolved races (mean daily score per race)."""
    _need_races(races, all_races, "to fit on")
    if evaluations < 1:
        raise UsageError(f"--evaluations must be 1 or more, got {evaluations}")
    if metric not in ("brier", "log"):
        raise UsageError(f"--metric must be brier or log, not {metric!r}")
    km = _open()
    chosen = [km.usable(r) for r in km.resolved(races or [])]
    settings = FitSettings(
        every=parse_every(every),
        samples=samples,
        max_evaluations=evaluations,
        metric=metric,
        jobs=jobs,
    )
    pf = fit_params_file(
        chosen,
        settings,
        loo=loo,
        on_step=lambda what, i, v: typer.echo(f"{what} #{i}: {v:.4f}", err=True),
    )
    out.write_text(pf.model_dump_json(indent=2) + "\n")
    typer.echo(
        f"wrote {out}: objective ({pf.objective}) {pf.in_sample_objective:.3f} in sample on "
        f"{len(pf.fitted_on)} races"
    )
    if loo:
        render.console().print(render.loo_table(pf.leave_one_out))


def _need_races(races: list[str] | None, all_races: bool, purpose: str) -> None:
    if not races and not all_races:
        raise UsageError(f"name races {purpose}, or pass --all")


@contextlib.contextmanager
def _progress(total: int, label: str) -> Iterator[Callable[[], None]]:
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


ModeOpt = Annotated[
    str, typer.Option(help="Extraction: auto (spaCy model if verified), model or fallback.")
]


@app.command()
@handle_errors
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files, folders, globs, or - for stdin.")],
    race: Annotated[str | None, typer.Option(help="Only articles about this race.")] = None,
    date: Annotated[str | None, typer.Option(help="Date for articles that carry none.")] = None,
    mode: ModeOpt = "auto",
    as_json: JsonOpt = False,
) -> None:
    """Read dated articles, store them, and extract sourced evidence for tracked races.

    Inputs that cannot be read are reported and skipped; when no article at all could be
    read, the command fails (exit 1)."""
    km = _open()
    day = parse_date(date, "--date")
    with Progress(
        TextColumn("ingesting"),
        BarColumn(),
        TextColumn("{task.completed:,} read"),
        TextColumn("{task.fields[rate]:,.0f} articles/s"),
        TimeElapsedColumn(),
        transient=True,
        disable=not sys.stderr.isatty(),
        console=Console(stderr=True),
    ) as bar:
        task = bar.add_task("ingest", total=None, rate=0.0)
        start = time.perf_counter()

        def progress(n: int) -> None:
            bar.update(task, completed=n, rate=n / max(time.perf_counter() - start, 1e-9))

        rep = km.ingest(paths, race_id=race, default_date=day, mode=_mode(mode), progress=progress)
    if as_json:
        r = rep.ingest
        _json(
            {
                "read": r.read,
                "new": r.new,
                "exact_duplicates": r.exact_duplicates,
                "near_duplicates": r.near_duplicates,
                "off_topic": r.off_topic,
                "skipped": r.skipped,
                "problems": [str(p) for p in r.problems],
                "articles_per_second": r.articles_per_second,
                "mode": rep.mode,
                "evidence": rep.evidence,
                "copies_skipped": rep.copies_skipped,
                "undated": rep.undated,
            }
        )
    else:
        typer.echo(rep.render())
        for p in rep.ingest.problems:
            typer.echo(f"  {p}", err=True)
    if rep.ingest.read == 0:
        raise IngestError("no article could be read from the input; nothing was stored")


def _mode(value: str) -> Mode:
    if value not in ("auto", "model", "fallback"):
        raise UsageError(f"--mode must be auto, model or fallback, got '{value}'")
    return value  # type: ignore[return-value]


@app.command()
@handle_errors
def review(
    race: RaceArg,
    accept: Annotated[list[str] | None, typer.Option(help="Accept this item (repeatable).")] = None,
    reject: Annotated[list[str] | None, typer.Option(help="Reject this item (repeatable).")] = None,
    edit: Annotated[str | None, typer.Option(help="Correct this item with --set.")] = None,
    set_: Annotated[
        list[str] | None, typer.Option("--set", help="field=value for --edit, e.g. stance=oppose.")
    ] = None,
    by: Annotated[str, typer.Option(help="Who decides (stored with the decision).")] = "cli-user",
    threshold: Annotated[
        float | None,
        typer.Option(
            help="List unreviewed items below this confidence (default: the review threshold)."
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """The review queue: unreviewed machine items below the threshold; accept, reject or
    correct them (forecasts use reviewed items and unreviewed ones above the threshold)."""
    if threshold is not None and not 0 <= threshold <= 1:  # nan fails this too
        raise UsageError(f"--threshold must be between 0 and 1, got {threshold}")
    changes = dict(_field(kv) for kv in set_ or [])
    if edit is not None and not changes:
        raise UsageError("--edit needs at least one --set field=value")
    km = _open()
    if edit is not None:
        _check_changes(km, race, edit, changes)
    done = []
    for eid in accept or []:
        km.decide(race, eid, "accepted", by)
        done.append(f"accepted {eid}")
    for eid in reject or []:
        km.decide(race, eid, "rejected", by)
        done.append(f"rejected {eid}")
    if edit is not None:
        new = km.edit(race, edit, changes, by)
        done.append(f"replaced {edit} by {new.id}")
    elif set_:
        raise UsageError("--set needs --edit ID")
    queue = km.review_queue(race, threshold)
    if as_json:
        _json({"done": done, "queue": [e.model_dump(mode="json") for e in queue]})
        return
    for line in done:
        typer.echo(line)
    r = km.race(race)
    render.console().print(
        render.evidence_table(
            queue,
            f"Review queue for {race}: {len(queue)} unreviewed items below "
            f"{km.review_threshold if threshold is None else threshold:.2f}",
            r,
        )
    )


def _check_changes(km: Kingmaker, race: str, edit: str, changes: dict[str, Any]) -> None:
    """Refuse, before any decision is stored, an edit that would store an identical copy."""
    old = next((e for e in km.race(race).evidence if e.id == edit), None)
    if old is not None and changes_nothing(old, changes):
        fields = ", ".join(f"{k}={v}" for k, v in changes.items())
        raise ReviewError(f"{edit} already has {fields}: the edit changes nothing; nothing stored")


def _field(kv: str) -> tuple[str, Any]:
    if "=" not in kv:
        raise UsageError(f"--set must look like field=value, got '{kv}'")
    key, value = kv.split("=", 1)
    low = value.lower()
    parsed: Any = {"true": True, "false": False, "null": None}.get(low, value)
    if isinstance(parsed, str):
        try:
            parsed = float(value) if "." in value else int(value)
        except ValueError:
            parsed = value
    return key.strip(), parsed


@app.command(name="eval-extract")
@handle_errors
def eval_extract_cmd(
    articles: Annotated[
        Path | None, typer.Option(help="Articles JSONL (id, url, date, text, race).")
    ] = None,
    gold: Annotated[Path | None, typer.Option(help="Gold JSONL (id, events).")] = None,
    corpus: Annotated[
        list[Path] | None,
        typer.Option(help="A directory with articles.jsonl and gold.jsonl; repeat to pool."),
    ] = None,
    race: Annotated[
        str | None,
        typer.Option(help="Race of the articles whose row names none (default: each row's race)."),
    ] = None,
    keep_group_past: Annotated[
        bool, typer.Option(help="Also score stances of blocs and stances framed as over.")
    ] = False,
    mode: ModeOpt = "auto",
    details: Annotated[bool, typer.Option(help="List every miss and false alarm.")] = True,
    as_json: JsonOpt = False,
) -> None:
    """Precision, recall and F1 of the extractor per event type against gold annotations,
    per race and pooled."""
    if (articles is None) != (gold is None):
        raise UsageError("--articles and --gold go together")
    files = [(d / "articles.jsonl", d / "gold.jsonl") for d in corpus or []]
    if articles is not None and gold is not None:
        files.insert(0, (articles, gold))
    if not files:
        raise UsageError("give --articles and --gold, or --corpus DIR")
    km = _open()
    rep = evaluate_files(
        files, km.race, mode=_mode(mode), default_race=race, keep_all=keep_group_past
    )
    if as_json:
        _json(rep.as_dict())
        return
    typer.echo(rep.render(details=details))


@app.command()
@handle_errors
def load(path: Annotated[Path, typer.Argument(help="Race directory with race.toml.")]) -> None:
    """Validate a race directory (race.toml + evidence.jsonl) and add it to the store.

    What loads but may not mean what was meant is printed as warnings, one line each.
    """
    race, added = _open().load(path)
    typer.echo(f"loaded {race.id}: {len(race.candidates)} candidates, {added} new evidence items")
    for w in race_warnings(race):
        typer.echo(f"warning: {w}", err=True)


@app.command()
@handle_errors
def demo(
    out: Annotated[Path, typer.Option(help="Folder for the charts.")] = Path("kingmaker-demo"),
    samples: Annotated[int, typer.Option(help="Monte Carlo samples.")] = 20_000,
    seed: SeedOpt = 0,
) -> None:
    """The main job: the bundled NATO 2023-24 race, forecast at its turning points, charted;
    then the live UN Secretary-General 2026 race as of its latest evidence."""
    km = _open()
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


@app.command()
@handle_errors
def serve(
    host: Annotated[
        str, typer.Option(help="Address to listen on; other machines reach it only if you say so.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    write_token: Annotated[
        str | None,
        typer.Option(
            help="Token that unlocks ingest and review (16+ characters); without it the "
            "server is read-only.",
            envvar="KINGMAKER_WRITE_TOKEN",
            show_envvar=True,
        ),
    ] = None,
    review_threshold: Annotated[
        float,
        typer.Option(
            min=0.0, max=1.0, help="Machine items below this confidence wait for a person."
        ),
    ] = REVIEW_THRESHOLD,
    samples: Annotated[
        int, typer.Option(help="Monte Carlo samples per forecast (100 to 5,000,000).")
    ] = 20_000,
    max_upload_mib: Annotated[
        float, typer.Option(min=0.01, help="Largest article accepted, in MiB.")
    ] = 2.0,
    trusted_proxy: Annotated[
        list[str] | None,
        typer.Option(
            help="Address or network (10.0.0.0/24) of a reverse proxy in front of the server "
            "whose X-Forwarded-For/-Proto are believed; repeat for several. Without it "
            "those headers are ignored.",
            metavar="ADDRESS",
        ),
    ] = None,
) -> None:
    """Serve the dashboard and JSON API (http://127.0.0.1:8000/, API docs at /api/docs)."""
    from kingmaker.web import WebSettings
    from kingmaker.web import serve as run_server

    if not 100 <= samples <= MAX_SAMPLES:
        raise UsageError(f"--samples must be between 100 and {MAX_SAMPLES:,}, got {samples:,}")
    settings = WebSettings(
        write_token=write_token or None,
        host=host,
        port=port,
        samples=samples,
        max_upload=int(max_upload_mib * 2**20),
        trusted_proxies=tuple(trusted_proxy or ()),
    )
    _check_port(host, port)
    km = Kingmaker(open_store(STATE.db), review_threshold=review_threshold)
    mode = "read-write (log in with the token)" if settings.writable else "read-only"
    typer.echo(f"kingmaker serving {km.store!r} on http://{host}:{port}/ ({mode}); Ctrl-C stops")
    if not settings.local_only:
        typer.echo(f"warning: {host} is reachable from other machines", err=True)
    try:
        run_server(km, settings)
    finally:
        km.close()


def _check_port(host: str, port: int) -> None:
    """Refuse to start when the address cannot be listened on (a port in use), before
    saying that the server runs."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
        try:
            sock.bind((host, port))
        except OSError as exc:
            why = exc.strerror or str(exc)
            raise WebError(
                f"cannot listen on {host}:{port} ({why}); stop what uses it or choose "
                "another --port or --host"
            ) from None


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


def main() -> None:
    """Entry point of the ``kingmaker`` script."""
    app()
