"""Commands over a race's evidence: list it, and the review queue (accept, reject, edit)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from kingmaker.cli import render
from kingmaker.cli.base import (
    JsonOpt,
    RaceArg,
    app,
    handle_errors,
    open_kingmaker,
    print_json,
)
from kingmaker.cli.parse import UsageError, parse_date
from kingmaker.cli.render import CsvOpt, one_format, print_csv
from kingmaker.report.export import evidence_rows
from kingmaker.service import Kingmaker, check_edit


@app.command()
@handle_errors
def evidence(
    race: RaceArg,
    member: Annotated[str | None, typer.Option(help="Only this member id.")] = None,
    candidate: Annotated[str | None, typer.Option(help="Only this candidate id.")] = None,
    as_of: Annotated[str | None, typer.Option(help="Only evidence up to this day.")] = None,
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
) -> None:
    """List a race's evidence with its sources."""
    one_format(as_json, as_csv)
    km = open_kingmaker()
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
        print_json([e.model_dump(mode="json") for e in items])
    elif as_csv:
        print_csv(evidence_rows(items, r))
    else:
        render.console().print(
            render.evidence_table(items, f"Evidence for {race} ({len(items)})", r)
        )


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
    km = open_kingmaker()
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
        print_json({"done": done, "queue": [e.model_dump(mode="json") for e in queue]})
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
    """Refuse, before any decision is stored, an edit the newsdesk would refuse (one that
    changes nothing among them)."""
    check_edit(km.race(race), edit, changes, "cli-user")


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
