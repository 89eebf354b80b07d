"""CSV exports of the tables people copy into spreadsheets: forecast, timeline, evidence,
stance matrix, backtest days and the race list.

The command line (``--csv``) and the dashboard's downloads write the same rows with the
same columns, so a file from either opens the same way. Probabilities are fractions
(0.8163, not 81.6%), days are YYYY-MM-DD, and every cell is plain text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from kingmaker.engine import Forecast
from kingmaker.engine.forecast import summarize
from kingmaker.records import Race
from kingmaker.report.matrix import StanceMatrix

if TYPE_CHECKING:
    from kingmaker.backtest import Replay

Rows = tuple[list[str], list[list[Any]]]
"""A table: its header and its rows."""

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def to_csv(table: Rows) -> str:
    """The table as CSV text (a header line, then one line per row).

    Text cells that a spreadsheet would run as a formula (starting with =, +, -, @) get a
    leading apostrophe, so that a quote taken from an article cannot run in Excel.
    """
    head, rows = table
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(head)
    writer.writerows([_cell(v) for v in row] for row in rows)
    return out.getvalue()


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def forecast_rows(fc: Forecast) -> Rows:
    """One row per outcome: its probability and the simulation's standard error."""
    head = ["race", "as_of", "outcome", "name", "kind", "status", "probability", "se"]
    rows = [
        [fc.race_id, fc.as_of.isoformat(), o.id, o.name, o.kind, o.status, o.probability, o.se]
        for o in fc.outcomes
    ]
    return head, rows


def timeline_rows(forecasts: Sequence[Forecast]) -> Rows:
    """One row per day, one column per outcome (its probability that day)."""
    ids: dict[str, None] = {}
    for f in forecasts:
        ids.update(dict.fromkeys(o.id for o in f.outcomes))
    rows = [[f.as_of.isoformat(), *(f.probability(i) for i in ids)] for f in forecasts]
    return ["as_of", *ids], rows


EVIDENCE_FIELDS = ("member", "candidate", "stance", "status", "count")


def evidence_rows(items: Iterable[Any], race: Race | None = None) -> Rows:
    """One row per evidence item: what it says, its source, its review state."""
    head = [
        "date",
        "id",
        "kind",
        "summary",
        *EVIDENCE_FIELDS,
        "confidence",
        "review",
        "producer",
        "source",
        "quote",
        "note",
    ]
    rows = [
        [
            e.date.isoformat(),
            e.id,
            e.kind,
            summarize(e, race),
            *(getattr(e, f, None) for f in EVIDENCE_FIELDS),
            e.confidence,
            e.review,
            e.producer,
            e.source.label,
            e.quote,
            e.note,
        ]
        for e in items
    ]
    return head, rows


def matrix_rows(m: StanceMatrix) -> Rows:
    """One row per member and candidate with a stance on record."""
    members = dict(m.members)
    candidates = dict(m.candidates)
    head = [
        "member",
        "member_name",
        "candidate",
        "candidate_name",
        "stance",
        "lifted",
        "date",
        "reports",
        "evidence_id",
        "quote",
        "source",
    ]
    rows = [
        [
            c.member,
            members.get(c.member, c.member),
            c.candidate,
            candidates.get(c.candidate, c.candidate),
            c.stance,
            c.lifted,
            c.date.isoformat(),
            c.reports,
            c.evidence_id,
            c.quote,
            c.source,
        ]
        for c in m.cells.values()
    ]
    return head, rows


def backtest_day_rows(replays: Iterable[Replay]) -> Rows:
    """One row per race, day, method and outcome: the probability, and the method's scores
    of that day (repeated on each of its outcomes)."""
    head = [
        "race",
        "as_of",
        "winner",
        "named",
        "days_left",
        "method",
        "outcome",
        "probability",
        "brier",
        "log",
        "rank",
    ]
    rows = []
    for rp in replays:
        for d in rp.days:
            for method, probs in d.probs.items():
                s = d.scores[method]
                for outcome, p in probs.items():
                    rows.append(
                        [
                            rp.race.id,
                            d.as_of.isoformat(),
                            d.winner,
                            d.named,
                            d.days_left,
                            method,
                            outcome,
                            p,
                            s.brier,
                            s.log,
                            s.rank,
                        ]
                    )
    return head, rows


def dict_rows(items: Sequence[dict[str, Any]]) -> Rows:
    """Rows of JSON-ready dicts with the same keys (the race list, the history)."""
    head = list(items[0]) if items else []
    return head, [[row.get(k) for k in head] for row in items]
