"""The backtest report: a score table (Markdown and HTML), a chart per race with the
decision marked, and a reliability diagram; the HTML embeds its images (works offline)."""

from __future__ import annotations

import base64
import html
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kingmaker.backtest.replay import METHODS, Replay
from kingmaker.errors import ChartError

METRICS = (
    ("brier", "Brier (lower is better)"),
    ("log", "log score (higher is better)"),
    ("relative_log", "relative log score"),
    ("rank", "winner's rank"),
)


def table_rows(replays: Sequence[Replay]) -> list[dict[str, Any]]:
    """One row per race, then the mean over races: each method's mean of each metric."""
    rows: list[dict[str, Any]] = []
    for rp in replays:
        row: dict[str, Any] = {
            "race": rp.race.id,
            "days": len(rp.days),
            "winner": rp.race.resolution.winner if rp.race.resolution else None,
        }
        for metric, _ in METRICS:
            for m in METHODS:
                row[f"{m}.{metric}"] = rp.mean(m, metric)
        rows.append(row)
    if rows:
        mean: dict[str, Any] = {
            "race": "mean over races",
            "days": sum(len(r.days) for r in replays),
            "winner": "",
        }
        for key in rows[0]:
            if "." in key:
                vals = [float(r[key]) for r in rows if not math.isnan(float(r[key]))]
                mean[key] = sum(vals) / len(vals) if vals else float("nan")
        rows.append(mean)
    return rows


def markdown(rows: Sequence[dict[str, Any]]) -> str:
    """The score table in Markdown: per metric, kingmaker beside both baselines."""
    head = ["race", "days"] + [f"{m} {metric}" for metric, _ in METRICS[:2] for m in METHODS]
    head += [f"kingmaker {METRICS[2][0]}", "kingmaker rank"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        cells = [str(r["race"]), str(r["days"])]
        cells += [f"{float(r[f'{m}.{metric}']):.3f}" for metric, _ in METRICS[:2] for m in METHODS]
        cells += [
            f"{float(r['kingmaker.relative_log']):.1f}",
            f"{float(r['kingmaker.rank']):.2f}",
        ]
        lines.append("| " + " | ".join(cells) + " |")
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


def reliability(replays: Sequence[Replay], path: Path, bins: int = 10) -> None:
    """Calibration: mean forecast against observed frequency, per probability bin."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.5, 5.5), dpi=100)
    ax.plot([0, 1], [0, 1], color="grey", linestyle=":", label="perfect calibration")
    for m in METHODS:
        sums = [[0.0, 0.0, 0] for _ in range(bins)]
        for rp in replays:
            for d in rp.days:
                for k, p in d.probs[m].items():
                    b = min(int(p * bins), bins - 1)
                    sums[b][0] += p
                    sums[b][1] += 1.0 if k == d.winner else 0.0
                    sums[b][2] += 1
        pts = [(s[0] / s[2], s[1] / s[2]) for s in sums if s[2] > 0]
        ax.plot([x for x, _ in pts], [y for _, y in pts], marker="o", label=m)
    ax.set_xlabel("forecast probability")
    ax.set_ylabel("observed frequency")
    ax.set_title("Reliability of the daily forecasts")
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
        rows = table_rows(replays)
        md = markdown(rows)
        (out / "scores.md").write_text(md)
        images = []
        for rp in replays:
            if rp.days:
                p = out / f"{rp.race.id}.png"
                race_chart(rp, p)
                images.append(p)
        rel = out / "reliability.png"
        reliability(replays, rel)
        images.append(rel)
        (out / "index.html").write_text(_html(md, images, replays))
    except OSError as exc:
        raise ChartError(f"cannot write the report to {out}: {exc.strerror}") from None
    return out / "index.html"


def _html(md: str, images: Sequence[Path], replays: Sequence[Replay]) -> str:
    lines = [ln for ln in md.strip().splitlines() if not ln.startswith("|---")]
    cells = [[c.strip() for c in ln.strip("|").split("|")] for ln in lines]
    head = "".join(f"<th>{html.escape(c)}</th>" for c in cells[0])
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in cells[1:]
    )
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
        f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{warn}{figs}"
        "</body></html>"
    )


def check_dir(out: Path) -> None:
    """Raise ChartError early if ``out`` exists and is not a directory."""
    if out.exists() and not out.is_dir():
        raise ChartError(f"--report {out} is a file; give a folder")
