"""Commands that read articles: ingest them as evidence, score the extractor against gold."""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from kingmaker.cli.backfill import JobsOpt
from kingmaker.cli.base import (
    JsonOpt,
    app,
    handle_errors,
    open_kingmaker,
    print_json,
)
from kingmaker.cli.parse import UsageError, parse_date
from kingmaker.errors import IngestError
from kingmaker.service import Mode, NewsReport, evaluate_files, ingest_sources

ModeOpt = Annotated[
    str, typer.Option(help="Extraction: auto (spaCy model if verified), model or fallback.")
]


@app.command()
@handle_errors
def ingest(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Files, folders, globs, http(s) URLs of a page or feed, or - for stdin."
        ),
    ],
    race: Annotated[str | None, typer.Option(help="Only articles about this race.")] = None,
    date: Annotated[str | None, typer.Option(help="Date for articles that carry none.")] = None,
    mode: ModeOpt = "auto",
    jobs: JobsOpt = 1,
    as_json: JsonOpt = False,
) -> None:
    """Read dated articles, store them, and extract sourced evidence for tracked races.

    Inputs that cannot be read are reported and skipped; when no article at all could be
    read, the command fails (exit 1)."""
    km = open_kingmaker()
    day = parse_date(date, "--date")
    with reading_bar() as progress:
        rep = ingest_sources(
            km,
            paths,
            race_id=race,
            default_date=day,
            mode=_mode(mode),
            progress=progress,
            jobs=jobs,
        )
    show_report(rep, as_json)


@contextlib.contextmanager
def reading_bar() -> Iterator[Callable[[int], None]]:
    """A progress bar of the articles read and the rate (on a terminal), told by the
    callback it yields."""
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

        yield progress


def show_report(rep: NewsReport, as_json: bool) -> None:
    """Print what an ingest did (JSON or a paragraph); fail when it read no article."""
    if as_json:
        r = rep.ingest
        print_json(
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
        for p in rep.ingest.problems if rep.ingest.read else ():  # else: the one error line
            typer.echo(f"  {p}", err=True)
    if rep.ingest.read == 0:
        problems = [str(p).removesuffix("; skipped") for p in rep.ingest.problems]
        why = f": {problems[0]}" if problems else ""
        why += f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise IngestError(f"no article could be read from the input; nothing was stored{why}")


def _mode(value: str) -> Mode:
    if value not in ("auto", "model", "fallback"):
        raise UsageError(f"--mode must be auto, model or fallback, got '{value}'")
    return value  # type: ignore[return-value]


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
    km = open_kingmaker()
    rep = evaluate_files(
        files, km.race, mode=_mode(mode), default_race=race, keep_all=keep_group_past
    )
    if as_json:
        print_json(rep.as_dict())
        return
    typer.echo(rep.render(details=details))
