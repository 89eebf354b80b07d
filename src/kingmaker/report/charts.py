"""Timeline charts of a race's probabilities: PNG with matplotlib, HTML with plotly.

The HTML file embeds plotly.js, so it opens offline with no request leaving the machine.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kingmaker.engine.result import Forecast
from kingmaker.errors import ChartError
from kingmaker.records import Race

MIN_SHARE = 0.02  # outcomes that never reach this share are left off the chart


def series(forecasts: Sequence[Forecast]) -> dict[str, tuple[str, list[float]]]:
    """Outcome id -> (label, probability on each day); rare outcomes are dropped."""
    ids: dict[str, str] = {}
    for f in forecasts:
        for o in f.outcomes:
            ids.setdefault(o.id, o.name)
    out = {}
    for oid, name in ids.items():
        ys = [f.probability(oid) for f in forecasts]
        if max(ys, default=0.0) >= MIN_SHARE:
            out[oid] = (name, ys)
    return out


def write_timeline(
    race: Race,
    forecasts: Sequence[Forecast],
    path: Path | str,
    notes: Sequence[tuple[dt.date, str]] = (),
) -> Path:
    """Write the probabilities over time to ``path`` (.png or .html).

    ``notes`` are extra dated marks (e.g. the days a reader cares about); the decision
    and the vacancy are marked whenever they fall in the charted span.

    Raises:
        ChartError: for another suffix, no forecasts, or a path that cannot be written.
    """
    out = Path(path)
    suffix = out.suffix.lower()
    if suffix not in (".png", ".html"):
        raise ChartError(f"cannot write '{out.name}': use a .png or .html file name")
    if not forecasts:
        raise ChartError("no forecasts to chart; chart a wider span of days")
    if not out.parent.exists():
        raise ChartError(f"cannot write {out}: folder {out.parent} does not exist")
    days = [f.as_of for f in forecasts]
    marks = _marks(race, days) + [(d, label) for d, label in notes if days[0] <= d <= days[-1]]
    try:
        if suffix == ".png":
            _png(race, days, series(forecasts), marks, out)
        else:
            _html(race, days, series(forecasts), marks, out)
    except OSError as exc:
        raise ChartError(f"cannot write {out}: {exc.strerror}") from None
    return out


def _marks(race: Race, days: Sequence[dt.date]) -> list[tuple[dt.date, str]]:
    marks = []
    if race.resolution is not None and days[0] <= race.resolution.date <= days[-1]:
        marks.append((race.resolution.date, "decision"))
    vac = race.post.vacancy_date
    if vac is not None and days[0] <= vac <= days[-1]:
        marks.append((vac, "vacancy"))
    return marks


def _png(
    race: Race,
    days: Sequence[dt.date],
    data: dict[str, tuple[str, list[float]]],
    marks: list[tuple[dt.date, str]],
    out: Path,
) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(10, 6.2), dpi=110)
    xs: Any = list(days)  # matplotlib plots dates; its stubs only admit floats
    for oid, (name, ys) in data.items():
        style = "--" if oid in ("field", "deadlock") else "-"
        ax.plot(xs, ys, style, label=name, linewidth=2 if style == "-" else 1.4)
    for i, (day, label) in enumerate(sorted(marks)):
        at: Any = day
        ax.axvline(at, color="grey", linestyle=":", linewidth=1)
        # Stagger the labels so that marks a few days apart stay readable.
        ax.annotate(
            label, (at, 1.0), xytext=(3, -12 - 11 * (i % 3)), textcoords="offset points", fontsize=8
        )
    ax.set_ylim(0, 1.02)
    ax.set_ylabel("probability of being chosen")
    ax.set_title(f"{race.name}: who will be chosen?")
    ax.grid(alpha=0.3)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=4, fontsize=8, frameon=False)
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(out)
    plt.close(fig)


def _html(
    race: Race,
    days: Sequence[dt.date],
    data: dict[str, tuple[str, list[float]]],
    marks: list[tuple[dt.date, str]],
    out: Path,
) -> None:
    import plotly.graph_objects as go

    fig = go.Figure()
    for oid, (name, ys) in data.items():
        dash = "dash" if oid in ("field", "deadlock") else "solid"
        fig.add_trace(
            go.Scatter(
                x=list(days),
                y=ys,
                name=name,
                mode="lines",
                line={"dash": dash},
                hovertemplate="%{x}: %{y:.1%}",
            )
        )
    for day, label in marks:
        fig.add_vline(x=day.isoformat(), line_dash="dot", line_color="grey")
        fig.add_annotation(x=day.isoformat(), y=1.0, text=label, showarrow=False, yshift=10)
    title = f"{race.name}: who will be chosen?"
    fig.update_layout(
        title=title,
        yaxis_tickformat=".0%",
        yaxis_range=[0, 1.02],
        template="plotly_white",
    )
    page = fig.to_html(include_plotlyjs=True, full_html=True)
    # plotly writes an empty <head>: the page's own title names the race (tabs, bookmarks)
    page = page.replace("<head>", f"<head><title>{html.escape(title)}</title>", 1)
    out.write_text(page, encoding="utf-8")
