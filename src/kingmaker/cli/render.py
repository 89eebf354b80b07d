"""Rich tables for the CLI: races, a race's make-up, forecasts, evidence, backtests, the
stance matrix; and the same tables as CSV (``--csv``)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Annotated, Any

import typer
from rich.box import SIMPLE
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from kingmaker.cli.parse import UsageError
from kingmaker.records import Race
from kingmaker.report.export import Rows, to_csv
from kingmaker.report.matrix import StanceMatrix
from kingmaker.service import (
    LAST_DAYS,
    MEAN_ROW,
    Forecast,
    RaceSummary,
    calibration_cells,
    first_cells,
    score_cells,
)


def pct(p: float) -> str:
    """0.4567 -> '45.7%'."""
    return f"{100 * p:.1f}%"


def races_table(rows: Sequence[RaceSummary]) -> Table:
    """The race list."""
    t = Table(title="Races", title_justify="left")
    for col in ("race", "post", "rule", "members", "candidates", "evidence", "span", "winner"):
        t.add_column(
            col,
            justify="right" if col in ("members", "candidates", "evidence") else "left",
            no_wrap=col == "race",  # the id people type: never cut or wrapped
            min_width=max((len(r.id) for r in rows), default=4) if col == "race" else None,
        )
    for r in rows:
        span = f"{r.first} .. {r.last}" if r.first else "-"
        t.add_row(
            r.id,
            r.post,
            r.rule,
            str(r.members),
            str(r.candidates),
            str(r.evidence),
            span,
            r.winner or "-",
        )
    return t


def race_panel(race: Race) -> Group:
    """What a race is: post, rule, body, candidates."""
    p = race.post
    head = Text()
    head.append(f"{race.name}\n", style="bold")
    if race.description:
        head.append(f"{race.description}\n")
    head.append(
        f"Post: {p.name}; incumbent {p.incumbent or '-'}; vacancy {p.vacancy_date or '-'}; "
        f"on deadlock: {p.on_deadlock}\n"
    )
    for d in p.duties:
        head.append(f"  - {d}\n")
    head.append(f"Rule: {race.rule.name}: {race.rule.describe()}\n")
    if race.resolution:
        r = race.resolution
        head.append(f"Resolution: {r.winner or 'deadlock'} on {r.date} ({r.source})\n")
    bodies = Table(title="Members", title_justify="left")
    for col in ("id", "name", "weight", "veto", "groups", "seated", "leaders"):
        bodies.add_column(col)
    for b in race.bodies:
        for m in b.members:
            seated = f"{m.joined or '...'} .. {m.left or 'now'}"
            leaders = ", ".join(ld.name for ld in m.leaders[:3])
            bodies.add_row(
                m.id,
                m.name,
                f"{m.weight:g}",
                "yes" if m.veto else "",
                ", ".join(m.groups),
                seated,
                leaders,
            )
    cands = Table(title="Candidates", title_justify="left")
    for col in ("id", "name", "home", "aliases"):
        cands.add_column(col)
    for c in race.candidates:
        cands.add_row(c.id, c.name, c.home or "-", ", ".join(c.aliases))
    return Group(head, bodies, cands)


def forecast_view(fc: Forecast, race: Race) -> Group:
    """Probabilities with errors, the kingmakers, and the evidence behind the leader."""
    head = Text()
    head.append(f"{race.name}", style="bold")
    unrev = f" ({fc.unreviewed_used} unreviewed)" if fc.unreviewed_used else ""
    if fc.evidence_through and fc.evidence_through < fc.as_of:
        unrev += f" to {fc.evidence_through}"
    head.append(
        f" as of {fc.as_of}: {fc.rule}, {fc.members} members, "
        f"{fc.evidence_used} evidence items{unrev}, {fc.samples:,} samples, seed {fc.seed}, "
        f"parameters {fc.params_name}" + (" (decided)" if fc.decided else "")
    )
    t = Table(title="Who will be chosen", title_justify="left")
    t.add_column("outcome")
    t.add_column("status")
    t.add_column("probability", justify="right")
    t.add_column("± s.e. (pts)", justify="right")
    for o in fc.outcomes:
        t.add_row(o.name, o.status or "", pct(o.probability), f"{100 * o.se:.1f}")
    note = Text(f"Deadlock means: {race.post.on_deadlock}.", style="dim")
    parts: list[Any] = [head, t, note]
    if fc.kingmakers:
        lead = fc.front_runner
        k = Table(
            title=f"Kingmakers for {lead.name} ({pct(lead.probability)})", title_justify="left"
        )
        for col in ("member", "stance", "P(accepts)", "if accepts", "if blocks", "swing"):
            k.add_column(col, justify="left" if col in ("member", "stance") else "right")
        for km in fc.kingmakers:
            k.add_row(
                f"{km.name} ({km.member})",
                km.stance,
                pct(km.p_accept),
                pct(km.if_accepts),
                pct(km.if_blocks),
                f"{100 * km.swing:.1f} pts",
            )
        parts.append(k)
    lead_id = fc.front_runner.id
    contribs = fc.explanations.get(lead_id, ())
    if contribs:
        e = Table(title=f"Evidence that moved {fc.front_runner.name} most", title_justify="left")
        for col in ("date", "evidence", "effect", "source"):
            e.add_column(col, justify="right" if col == "effect" else "left", overflow="fold")
        for c in contribs:
            what = c.summary + (f'\n"{c.quote}"' if c.quote else "")
            n = len(c.evidence_ids)
            reports = f" ({n} reports)" if n > 1 else ""
            when = str(c.first) if c.first == c.last else f"{c.first}..{c.last}"
            src = c.sources[0] + (f"\n+{len(c.sources) - 1} more" if len(c.sources) > 1 else "")
            e.add_row(when, what + reports, f"{100 * c.delta:+.1f} pts", src)
        parts.append(e)
    return Group(*parts)


_SHORT = {"kingmaker": "km", "uniform": "unif.", "endorsements": "end."}


def backtest_tables(rows: Sequence[dict[str, Any]]) -> list[Table]:
    """Named days (the headline), then days before the winner was named (when any race
    has them): kingmaker beside both baselines on the same days, one row per race."""
    heads = [f"{x}\n{_SHORT[m]}" for x in ("Brier", "log") for m in _SHORT] + ["rank\nkm"]
    named = Table(
        title="Backtest, days the winner is named (headline)", title_justify="left", box=SIMPLE
    )
    for col in ("race", "days", *heads, *(f"1st\n{LAST_DAYS}d\n{_SHORT[m]}" for m in _SHORT)):
        named.add_column(col, justify="left" if col == "race" else "right", no_wrap=True)
    before = Table(
        title="Backtest, days before the winner is named (scored on the field)",
        title_justify="left",
        box=SIMPLE,
    )
    for col in ("race", "days", *heads):
        before.add_column(col, justify="left" if col == "race" else "right", no_wrap=True)
    for r in rows:
        style = "bold" if r["race"] == MEAN_ROW else None
        named.add_row(
            str(r["race"]),
            str(r["days_named"]),
            *score_cells(r, "named"),
            *(f"{c}%" if c != "-" else c for c in first_cells(r)),
            style=style,
        )
        if r["days_unnamed"]:
            before.add_row(
                str(r["race"]), str(r["days_unnamed"]), *score_cells(r, "unnamed"), style=style
            )
    return [named, before] if before.row_count else [named]


def calibration_table(calib: Sequence[dict[str, Any]]) -> Table:
    """Binned forecast probability against observed frequency, per method."""
    head, body = calibration_cells(calib)
    t = Table(
        title="Calibration over every race and outcome, named days",
        title_justify="left",
        box=SIMPLE,
    )
    for col in head:
        m, _, x = col.rpartition(" ")
        t.add_column(f"{_SHORT.get(m, m)}\n{x}" if m else col, justify="right")
    for row in body:
        t.add_row(*row)
    return t


def loo_table(loo: dict[str, dict[str, float]]) -> Table:
    """Leave-one-race-out scores: each race under values fitted without it."""
    t = Table(
        title="Leave one race out: each race scored with values fitted on the others",
        title_justify="left",
    )
    t.add_column("race")
    for label in ("Brier km", "Brier unif.", "Brier endors.", "log km", "log unif.", "log endors."):
        t.add_column(label, justify="right")
    rows = dict(loo)
    if rows:
        keys = next(iter(rows.values())).keys()
        rows["mean over races"] = {k: sum(r[k] for r in loo.values()) / len(loo) for k in keys}
    for race_id, r in rows.items():
        t.add_row(
            race_id,
            *(
                f"{r[f'{m}.{x}']:.3f}"
                for x in ("brier", "log")
                for m in ("kingmaker", "uniform", "endorsements")
            ),
        )
    return t


def history_table(race_id: str, rows: Sequence[dict[str, Any]]) -> Table:
    """Stored forecast runs."""
    t = Table(title=f"Forecast runs of {race_id} ({len(rows)})", title_justify="left")
    for col in ("id", "created_at", "as_of", "model", "samples", "seed", "leader"):
        t.add_column(col, justify="right" if col in ("id", "samples", "seed") else "left")
    for r in rows:
        t.add_row(
            *(
                f"{r[c]:,}" if c == "samples" else str(r[c])
                for c in ("id", "created_at", "as_of", "model", "samples", "seed", "leader")
            )
        )
    return t


def evidence_table(items: Sequence[Any], title: str, race: Race | None = None) -> Table:
    """Evidence rows: date, id, what (with the sentence that states it, for an item read
    from an article; else the curator's note), confidence, review, source."""
    t = Table(title=title, title_justify="left")
    for col in ("date", "id", "evidence", "conf.", "review", "source"):
        t.add_column(col, overflow="fold")
    for e in items:
        said = f' - "{e.quote}"' if e.quote else (f" - {e.note}" if e.note else "")
        what = e.describe(race) + said
        t.add_row(str(e.date), e.id, what, f"{e.confidence:.2f}", e.review, e.source.label)
    return t


def matrix_table(m: StanceMatrix) -> Table:
    """Members by candidates: S, O or N for each latest stance (with a ring for an
    objection lifted), blank where none is on record."""
    known = {c for _, c in m.cells}
    cands = [(i, n) for i, n in m.candidates if i in known] or list(m.candidates)
    t = Table(
        title=f"Stances in {m.race_id} as of {m.as_of} ({len(m.cells)} pairs; "
        "S support, O oppose, N neutral, ↺ objection lifted)",
        title_justify="left",
    )
    t.add_column("member", no_wrap=True)
    for _, name in cands:
        t.add_column(name, justify="center")
    for mid, name in m.members:
        row = []
        for cid, _ in cands:
            cell = m.cell(mid, cid)
            mark = "" if cell is None else cell.stance[0].upper() + ("↺" if cell.lifted else "")
            row.append(mark)
        t.add_row(f"{name} ({mid})", *row)
    return t


CsvOpt = Annotated[
    bool, typer.Option("--csv", help="Print CSV instead of tables (for spreadsheets).")
]


def print_csv(table: Rows) -> None:
    """Print a table (``kingmaker.report.export`` rows) as CSV on stdout."""
    typer.echo(to_csv(table), nl=False)


def one_format(as_json: bool, as_csv: bool) -> None:
    """Refuse --json with --csv: one output at a time."""
    if as_json and as_csv:
        raise UsageError("choose --json or --csv, not both")


def console() -> Console:
    """Console for tables: the terminal's width, $COLUMNS, or 140 when piped (so that
    source URLs stay readable)."""
    fixed = Console().is_terminal or "COLUMNS" in os.environ
    return Console(width=None if fixed else 140)
