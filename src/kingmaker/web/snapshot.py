"""``kingmaker snapshot``: a race page saved as a folder of static files that opens offline.

The folder holds ``index.html`` (the race page as of a day: the forecast, the chart, the
stance matrix and every evidence item with its source), the page's own style sheet and
script, plotly.js, and the forecast and evidence as CSV. The chart's data and each
outcome's "what moved it" are written into the page, so it fetches nothing: it opens from
a file, or from any static web host as it is.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

from kingmaker.errors import InvalidRequestError
from kingmaker.report.export import evidence_rows, forecast_rows, to_csv
from kingmaker.service import Kingmaker
from kingmaker.web.app import PLOTLY_JS
from kingmaker.web.limits import Cache
from kingmaker.web.pages import race_context, templates
from kingmaker.web.settings import WebSettings
from kingmaker.web.views import Views

HERE = Path(__file__).parent
ASSETS = ("style.css", "app.js", "favicon.svg")  # from the package's static folder


class SnapshotError(InvalidRequestError):
    """The snapshot's folder cannot be used (not empty, a file, cannot be written)."""


def check_folder(folder: Path, *, force: bool = False) -> None:
    """Refuse a folder that holds anything (unless ``force``) or that is a file."""
    if folder.exists() and not folder.is_dir():
        raise SnapshotError(f"{folder} is a file; give a folder for the snapshot")
    if not force and folder.is_dir() and any(folder.iterdir()):
        raise SnapshotError(
            f"{folder} is not empty; choose an empty or new folder, or pass --force to "
            "write the snapshot's files into it"
        )


def build_snapshot(
    km: Kingmaker, race_id: str, as_of: dt.date | None = None, settings: WebSettings | None = None
) -> dict[str, str]:
    """The snapshot's text files by name (the page and its CSV files), computed whole before
    anything is written."""
    views = Views(km=km, settings=settings or WebSettings(), cache=Cache())
    fc = views.forecast(race_id, as_of)
    day = fc.as_of
    items, total = views.evidence(race_id, as_of=day)
    context = race_context(views, race_id, day, items, total)
    data: dict[str, Any] = {
        "timeline": views.timeline(race_id),
        "movers": {o.id: views.movers(race_id, o.id, day) for o in fc.outcomes},
    }
    page = templates.env.get_template("race.html").render(
        **context,
        writable=False,
        writer=False,
        reviewer=None,
        csrf="",
        csrf_field="",
        path="",
        today=dt.date.today().isoformat(),
        static="",
        snapshot=True,
        snapshot_data=data,
        plotly_src="plotly.min.js",
        csv={"forecast": "forecast.csv", "evidence": "evidence.csv"},
    )
    race = km.race(race_id)
    return {
        "index.html": page,
        "forecast.csv": to_csv(forecast_rows(fc)),
        "evidence.csv": to_csv(evidence_rows(km.evidence(race_id, as_of=day), race)),
    }


def write_snapshot(
    km: Kingmaker,
    race_id: str,
    folder: Path | str,
    *,
    as_of: dt.date | None = None,
    force: bool = False,
    settings: WebSettings | None = None,
) -> list[Path]:
    """Save the race page as of ``as_of`` (default: the page's day) into ``folder``.

    Returns:
        The files written.

    Raises:
        SnapshotError: the folder is not empty (without ``force``), is a file, or cannot
            be written.
    """
    out = Path(folder)
    check_folder(out, force=force)
    files = build_snapshot(km, race_id, as_of, settings)
    written = []
    try:
        out.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            (out / name).write_text(text, encoding="utf-8")
            written.append(out / name)
        for name in ASSETS:
            written.append(Path(shutil.copyfile(HERE / "static" / name, out / name)))
        written.append(Path(shutil.copyfile(PLOTLY_JS, out / "plotly.min.js")))
    except OSError as exc:
        raise SnapshotError(f"cannot write the snapshot to {out}: {exc.strerror}") from None
    return written
