"""The backtest report: score tables for the days the winner is named and the days before,
a calibration table, a chart per race with the decision marked, and a reliability diagram
(Markdown and HTML; the HTML embeds its images, so it works offline)."""

from __future__ import annotations

import base64
import html
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kingmaker.backtest.replay import LAST_DAYS, METHODS, Phase, Replay
from kingmaker.errors import ChartError

METRICS = (
    ("brier", "Brier (lower is better)"),
    ("log", "log score (higher is better)"),
    ("relative_log", "relative log score"),
    ("rank", "winner's rank"),
)
MEAN_ROW = "mean over races"

EXPLAIN = (
    "Named days (the headline): days on which the eventual winner was already a named "
    "candidate, scored on the winner. Before named: days on which the winner had not been "
    "named, so the only right outcome was 'the field'; they show how much room a forecast "
    "left for a newcomer, not whether it picked the winner. "
    f"1st, last {LAST_DAYS} d: share of the named days in the last {LAST_DAYS} days before "
    "the decision on which the winner ranked first (ties shared). Ranks average over ties. "
    "The mean over races counts each race once, however long it ran."
)


def table_rows(replays: Sequence[Replay]) -> list[dict[str, Any]]:
    """One row per race, then the mean over races (each race weighs the same).

    Keys: ``race``, ``winner``, ``days``, ``days_named``, ``days_unnamed``, ``days_late``
    (named days in the last 30), ``<phase>.<method>.<metric>`` for phase ``named`` (the
    headline) and ``unnamed`` (before the winner is named), and ``<method>.first_late``.
    A race without days of a phase has NaN there; the mean skips it.
    """
    rows: list[dict[str, Any]] = []
    for rp in replays:
        row: dict[str, Any] = {
            "race": rp.race.id,
            "winner": rp.race.resolution.winner if rp.race.resolution else None,
            "days": len(rp.days),
            "days_named": len(rp.phase_days("named")),
            "days_unnamed": len(rp.phase_days("unnamed")),
            "days_late": rp.late_days(),
        }
        for phase in ("named", "unnamed"):
            for metric, _ in METRICS:
                for m in METHODS:
                    row[f"{phase}.{m}.{metric}"] = rp.mean(m, metric, phase)
        for m in METHODS:
            row[f"{m}.first_late"] = rp.first_late(m)
        rows.append(row)
    if rows:
        mean: dict[str, Any] = {"race": MEAN_ROW, "winner": ""}
        for key in rows[0]:
            if key.startswith("days"):
                mean[key] = sum(int(r[key]) for r in rows)
            elif "." in key:
                vals = [float(r[key]) for r in rows if not math.isnan(float(r[key]))]
                mean[key] = sum(vals) / len(vals) if vals else float("nan")
        rows.append(mean)
    return rows


def calibration(
    replays: Sequence[Replay], bins: int = 10, phase: Phase = "named"
) -> list[dict[str, Any]]:
    """Binned forecast probability against observed frequency, per method.

    Every outcome of every day of ``phase`` in every race is one forecast; it falls in the
    bin of its probability and is a hit when it is the outcome that won. Each row: ``lo``,
    ``hi`` and per method ``<m>.n`` (forecasts in the bin), ``<m>.forecast`` (their mean
    probability) and ``<m>.observed`` (share of hits); NaN where a bin is empty.
    """
    sums = {m: [[0.0, 0.0, 0] for _ in range(bins)] for m in METHODS}
    for rp in replays:
        for d in rp.phase_days(phase):
            for m in METHODS:
                for k, p in d.probs[m].items():
                    cell = sums[m][min(int(p * bins), bins - 1)]
                    cell[0] += p
                    cell[1] += 1.0 if k == d.winner else 0.0
                    cell[2] += 1
    rows: list[dict[str, Any]] = []
    for b in range(bins):
        row: dict[str, Any] = {"lo": b / bins, "hi": (b + 1) / bins}
        for m in METHODS:
            total, hits, n = sums[m][b]
            row[f"{m}.n"] = int(n)
            row[f"{m}.forecast"] = total / n if n else float("nan")
            row[f"{m}.observed"] = hits / n if n else float("nan")
        rows.append(row)
    return rows


def _f(value: Any, fmt: str) -> str:
    v = float(value)
    return "-" if math.isnan(v) else format(v, fmt)


def score_cells(row: dict[str, Any], phase: str) -> list[str]:
    """Brier and log score of each method, then kingmaker's rank, for one phase of a row."""
    cells = [
        _f(row[f"{phase}.{m}.{metric}"], ".3f") for metric in ("brier", "log") for m in METHODS
    ]
    return [*cells, _f(row[f"{phase}.kingmaker.rank"], ".2f")]


def first_cells(row: dict[str, Any]) -> list[str]:
    """Each method's share of late named days with the winner first, as a percentage."""
    return [_f(100 * float(row[f"{m}.first_late"]), ".0f") for m in METHODS]


SCORE_HEAD = [f"{metric} {m}" for metric in ("Brier", "log") for m in METHODS] + ["rank kingmaker"]


def markdown(rows: Sequence[dict[str, Any]], calib: Sequence[dict[str, Any]] = ()) -> str:
    """The report in Markdown: named days (headline), days before the winner was named,
    and the calibration table."""
    named_head = ["race", "days", *SCORE_HEAD] + [f"1st last {LAST_DAYS} d {m}" for m in METHODS]
    parts = [
        "## Days the winner is named (headline)\n",
        _md_table(
            named_head,
            [
                [str(r["race"]), str(r["days_named"]), *score_cells(r, "named"), *first_cells(r)]
                for r in rows
            ],
        ),
        "\n## Days before the winner is named (scored on the field)\n",
        _md_table(
            ["race", "days", *SCORE_HEAD],
            [[str(r["race"]), str(r["days_unnamed"]), *score_cells(r, "unnamed")] for r in rows],
        ),
    ]
    if calib:
        parts += [
            "\n## Calibration (named days, every race and outcome)\n",
            _md_table(*calibration_cells(calib)),
        ]
    parts.append(f"\n{EXPLAIN}\n")
    return "\n".join(parts)


def calibration_cells(calib: Sequence[dict[str, Any]]) -> tuple[list[str], list[list[str]]]:
    """Header and cells of the calibration table: per bin, each method's count, mean
    forecast and observed frequency."""
    head = ["forecast"] + [f"{m} {x}" for m in METHODS for x in ("n", "mean", "observed")]
    body = [
        [f"{r['lo']:.1f}-{r['hi']:.1f}"]
        + [
            cell
            for m in METHODS
            for cell in (
                str(r[f"{m}.n"]),
                _f(r[f"{m}.forecast"], ".3f"),
                _f(r[f"{m}.observed"], ".3f"),
            )
        ]
        for r in calib
    ]
    return head, body


def _md_table(head: Sequence[str], body: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(row) + " |" for row in body]
    return "\n".join(lines) + "\n"


def race_chart(rp: Replay, path: Path) -> None:
    """Kingmaker's probabilities over the replayed days, baselines for the winner dashed."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    days = [d.as_of for d in rp.days]
    fig, ax = plt.subplots(figsize=(9, 4.5), dpi=100)
    ids: list[str] = []
    for d in rp.days:
        for k, p in d.probs["kingmaker"].items():
            if p >= 0.05 and k not in ids:
                ids.append(k)
    xs: Any = days
    for k in ids:
        ax.plot(xs, [d.probs["kingmaker"].get(k, 0.0) for d in rp.days], label=k, linewidth=1.8)
    winner = [d.winner for d in rp.days]
    for m, style in (("uniform", ":"), ("endorsements", "--")):
        ax.plot(
            xs,
            [d.probs[m].get(w, 0.0) for d, w in zip(rp.days, winner, strict=True)],
            style,
            color="black",
            linewidth=1,
            label=f"{m} baseline (winner)",
        )
    if rp.race.resolution is not None:
        at: Any = rp.race.resolution.date
        ax.axvline(at, color="grey", linestyle=":")
        ax.annotate(
            "decision",
            (at, 1.0),
            xytext=(3, -12),
            textcoords="offset points",
            fontsize=8,
        )
    ax.set_ylim(0, 1.02)
    ax.set_title(f"{rp.race.name}: forecasts before the decision")
    ax.legend(fontsize=7, frameon=False, loc="upper left")
    ax.grid(alpha=0.3)
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def reliability(calib: Sequence[dict[str, Any]], path: Path) -> None:
    """Calibration diagram: mean forecast against observed frequency, per probability bin."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.5, 5.5), dpi=100)
    ax.plot([0, 1], [0, 1], color="grey", linestyle=":", label="perfect calibration")
    for m in METHODS:
        pts = [(r[f"{m}.forecast"], r[f"{m}.observed"]) for r in calib if r[f"{m}.n"] > 0]
        ax.plot([x for x, _ in pts], [y for _, y in pts], marker="o", label=m)
    ax.set_xlabel("forecast probability")
    ax.set_ylabel("observed frequency")
    ax.set_title("Reliability of the daily forecasts (named days)")
    ax.legend(fontsize=8, frameon=False)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def write_report(replays: Sequence[Replay], out: Path) -> Path:
    """Write scores.md, one PNG per race, reliability.png and index.html into ``out``.

    Raises:
        ChartError: if ``out`` cannot be created or written.
    """
    try:
        out.mkdir(parents=True, exist_ok=True)
        calib = calibration(replays)
        md = markdown(table_rows(replays), calib)
        (out / "scores.md").write_text(md)
        images = []
        for rp in replays:
            if rp.days:
                p = out / f"{rp.race.id}.png"
                race_chart(rp, p)
                images.append(p)
        rel = out / "reliability.png"
        reliability(calib, rel)
        images.append(rel)
        (out / "index.html").write_text(_html(md, images, replays))
    except OSError as exc:
        raise ChartError(f"cannot write the report to {out}: {exc.strerror}") from None
    return out / "index.html"


def _md_to_html(md: str) -> str:
    """The report's own Markdown (headings, tables, paragraphs) as HTML."""
    out: list[str] = []
    rows: list[list[str]] = []

    def flush() -> None:
        if rows:
            head = "".join(f"<th>{html.escape(c)}</th>" for c in rows[0])
            body = "".join(
                "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>"
                for r in rows[1:]
            )
            out.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
            rows.clear()

    for line in md.splitlines():
        if line.startswith("|"):
            if not line.startswith("|---"):
                rows.append([c.strip() for c in line.strip().strip("|").split("|")])
            continue
        flush()
        if line.startswith("## "):
            out.append(f"<h2>{html.escape(line[3:])}</h2>")
        elif line.strip():
            out.append(f"<p>{html.escape(line)}</p>")
    flush()
    return "".join(out)


def _html(md: str, images: Sequence[Path], replays: Sequence[Replay]) -> str:
    warnings = [w for rp in replays for w in rp.warnings]
    warn = (
        (
            "<h2>Warnings</h2><ul>"
            + "".join(f"<li>{html.escape(w)}</li>" for w in warnings)
            + "</ul>"
        )
        if warnings
        else ""
    )
    figs = "".join(
        f'<figure><img alt="{html.escape(p.stem)}" src="data:image/png;base64,'
        f'{base64.b64encode(p.read_bytes()).decode()}"><figcaption>{html.escape(p.stem)}'
        "</figcaption></figure>"
        for p in images
    )
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>kingmaker backtest</title>"
        "<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto}table{border-collapse:"
        "collapse;font-size:13px}td,th{border:1px solid #ccc;padding:3px 6px;text-align:right}"
        "img{max-width:100%}</style></head><body><h1>kingmaker backtest</h1>"
        "<p>Daily forecasts before each decision, scored against the outcome, beside two "
        "baselines on the same days (uniform over named candidates and the field; share of "
        "public endorsements).</p>"
        f"{_md_to_html(md)}{warn}{figs}"
        "</body></html>"
    )


def check_dir(out: Path) -> None:
    """Raise ChartError early if ``out`` exists and is not a directory."""
    if out.exists() and not out.is_dir():
        raise ChartError(f"report folder {out} is a file; give a folder", param="report")
