"""The HTML pages: race list, race page, review desk, article view, login.

Each page renders what ``Views`` returns (the same data as the JSON API) with Jinja2
templates that escape every value. Scripts on the pages call the API for the chart and
the "what moved this" panel; writes are plain forms that post to the API.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from kingmaker.service import MAX_CHARS
from kingmaker.web.api import ArticleId, AsOf, MemberId, RaceId, ViewsDep, _next
from kingmaker.web.security import (
    CSRF_FIELD,
    HTTPProblem,
    Session,
    check_csrf,
    check_token,
    clean_name,
    client_address,
    csrf_token,
    new_session,
    session_of,
    set_session,
)
from kingmaker.web.views import Views, link

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")
router = APIRouter(include_in_schema=False)
PAGE_ITEMS = 100  # evidence items shown on a race page before "show all"


def pct(p: float) -> str:
    """A probability as a percentage for people: 0.4567 -> '45.7%'."""
    return f"{100 * p:.1f}%"


def pts(d: float) -> str:
    """A difference of probabilities in percentage points: 0.029 -> '2.9 pts'."""
    return f"{100 * abs(d):.1f} pts"


templates.env.filters["pct"] = pct
templates.env.filters["pts"] = pts
STATIC = "/static/"
PLOTLY_SRC = "/vendor/plotly.min.js"


def render(request: Request, name: str, code: int = 200, **context: Any) -> HTMLResponse:
    """A page, with the session's login state and CSRF token in its context."""
    settings = request.app.state.settings
    session = session_of(request)
    return templates.TemplateResponse(
        request,
        name,
        {
            "writable": settings.writable,
            "writer": session.writer,
            "reviewer": session.name,
            "csrf": csrf_token(settings, session),
            "csrf_field": CSRF_FIELD,
            "path": request.url.path,
            "today": dt.date.today().isoformat(),
            "static": STATIC,
            "snapshot": False,
            "plotly_src": PLOTLY_SRC,
            **context,
        },
        status_code=code,
    )


@router.get("/", response_class=HTMLResponse)
def index(request: Request, v: ViewsDep) -> HTMLResponse:
    return render(request, "index.html", races=v.races())


@router.get("/races/{race_id}", response_class=HTMLResponse)
def race_page(
    request: Request, race_id: RaceId, v: ViewsDep, as_of: AsOf = None, all: bool = False
) -> HTMLResponse:
    day = dt.date.fromisoformat(v.forecast_json(race_id, as_of)["as_of"])
    items, total = v.evidence(race_id, as_of=day, limit=None if all else PAGE_ITEMS)
    context = race_context(v, race_id, day, items, total)
    api = f"/api/races/{race_id}"
    on = f"?as_of={context['as_of']}"
    csv = {"forecast": f"{api}/forecast.csv{on}", "evidence": f"{api}/evidence.csv{on}"}
    return render(request, "race.html", **context, csv=csv)


def race_context(
    v: Views, race_id: str, as_of: dt.date | None, items: list[dict[str, Any]], total: int
) -> dict[str, Any]:
    """What the race page shows as of a day (the server's page and the snapshot alike)."""
    info = v.race(race_id)
    fc = v.forecast_json(race_id, as_of)
    day = dt.date.fromisoformat(fc["as_of"])
    return {
        "race": info,
        "fc": fc,
        "head": v.headline(race_id, day),
        "matrix": _matrix_rows(v.matrix(race_id, day)),
        "items": items,
        "total": total,
        "as_of": fc["as_of"],
        "chart_every": v.settings.timeline_every,
        "chart_samples": v.settings.timeline_samples,
    }


def _matrix_rows(m: dict[str, Any]) -> dict[str, Any]:
    """The matrix as rows of cells (None where no stance is known), for the template; each
    cell names its candidate and links its source when it is an http(s) URL."""
    names = {c["id"]: c["name"] for c in m["candidates"]}
    cells = {
        (c["member"], c["candidate"]): {
            **c,
            "candidate_name": names.get(c["candidate"], c["candidate"]),
            "link": link(c["source"]),
        }
        for c in m["cells"]
    }
    known = {c["candidate"] for c in m["cells"]}
    cands = [c for c in m["candidates"] if c["id"] in known] or m["candidates"]
    rows = [
        {"member": mem, "cells": [cells.get((mem["id"], c["id"])) for c in cands]}
        for mem in m["members"]
    ]
    return {"candidates": cands, "rows": rows, "known": len(m["cells"])}


@router.get("/races/{race_id}/members/{member_id}", response_class=HTMLResponse)
def member_page(
    request: Request, race_id: RaceId, member_id: MemberId, v: ViewsDep, as_of: AsOf = None
) -> HTMLResponse:
    data = v.member(race_id, member_id, as_of)
    return render(request, "member.html", race=v.race(race_id), **data, items=data["evidence"])


@router.get("/races/{race_id}/review", response_class=HTMLResponse)
def review_page(
    request: Request, race_id: RaceId, v: ViewsDep, notice: str | None = None
) -> HTMLResponse:
    notices = {
        "nothing-new": "Nothing new was stored: the article was stored already.",
        "off-topic": "Nothing was stored: the text does not name this race's post or candidates.",
    }
    return render(
        request,
        "review.html",
        race=v.race(race_id),
        queue=v.review_queue(race_id),
        threshold=v.km.review_threshold,
        notice=notices.get(notice or ""),
        max_mib=v.settings.max_upload / 2**20,
    )


Count = Annotated[int | None, Query(ge=0, le=10**9, include_in_schema=False)]  # after ingest


@router.get("/races/{race_id}/articles/{article_id}", response_class=HTMLResponse)
def article_page(
    request: Request,
    race_id: RaceId,
    article_id: ArticleId,
    v: ViewsDep,
    read: Count = None,
    new: Count = None,
    added: Count = None,
    skipped: Count = None,
    noted: Count = None,
) -> HTMLResponse:
    data = v.article(race_id, article_id)
    race = v.km.race(race_id)
    dated = data["article"].get("date")
    # the forecast on the article's day, kept within the race (an article may predate it)
    day = v.km.default_day(race)
    if dated:
        day = min(max(dt.date.fromisoformat(dated), race.opened), day)
    fc = v.forecast_json(race_id, day)
    ingest = None
    if read is not None:
        ingest = {
            "read": read,
            "new": new or 0,
            "added": added or 0,
            "skipped": skipped or 0,
            "noted": noted or 0,
        }
    return render(
        request,
        "article.html",
        race=v.race(race_id),
        fc=fc,
        ingest=ingest,
        max_chars=MAX_CHARS,
        **data,
    )


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/") -> HTMLResponse:
    return render(request, "login.html", next=_next({"next": next}, "/"), error=None)


@router.post("/login")
def login(
    request: Request,
    token: str = Form(""),
    name: str = Form(""),
    csrf_token_: str = Form("", alias=CSRF_FIELD),
    next: str = Form("/"),
) -> Response:
    settings = request.app.state.settings
    session = session_of(request)
    check_csrf(settings, session, csrf_token_)
    if not settings.writable:
        raise HTTPProblem(403, "this server is read-only; nobody can log in to write", "read_only")
    throttle = request.app.state.login_throttle
    if not throttle.verify(client_address(request), lambda: check_token(settings, token)):
        return render(
            request, "login.html", 401, next=_next({"next": next}, "/"), error="Wrong token."
        )
    fresh = new_session().sid  # a new id at login: no session fixation
    set_session(request, Session(sid=fresh, writer=True, name=clean_name(name)))
    return RedirectResponse(_next({"next": next}, "/"), status_code=303)


@router.post("/logout")
def logout(request: Request, csrf_token_: str = Form("", alias=CSRF_FIELD)) -> Response:
    settings = request.app.state.settings
    session = session_of(request)
    check_csrf(settings, session, csrf_token_)
    set_session(request, Session(sid=session.sid))
    return RedirectResponse("/", status_code=303)
