"""The JSON API under ``/api``: everything the pages show and do, one call each.

Routes only parse, call ``Views`` or the service, and shape the answer; errors are the
one JSON shape of ``security.problem_body``. Writes need the write token (see
``security``). A write sent by an HTML form is answered with a redirect to ``next``
instead of JSON, so the same route serves scripts and pages.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Mapping
from functools import partial
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from kingmaker.records import Article, TooDeepError, iso_day, load_json
from kingmaker.report.export import evidence_rows, forecast_rows, to_csv
from kingmaker.service import DateError, Document, leading_date, read_paths
from kingmaker.web.security import (
    HTTPProblem,
    Writer,
    mib,
    read_form,
    require_writer,
    safe_path,
)
from kingmaker.web.settings import UPLOAD_SUFFIXES, WebSettings
from kingmaker.web.views import Views, item_json

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$"
ARTICLE_PATTERN = r"^[0-9a-f]{64}$"

RaceId = Annotated[str, Path(pattern=ID_PATTERN, description="Race id, e.g. nato-sg-2024.")]
MemberId = Annotated[str, Path(pattern=ID_PATTERN, description="Member id, e.g. HUN.")]
ItemId = Annotated[str, Path(pattern=ID_PATTERN, description="Evidence item id.")]
OutcomeId = Annotated[str, Path(pattern=ID_PATTERN, description="Candidate id, field, deadlock.")]
ArticleId = Annotated[str, Path(pattern=ARTICLE_PATTERN, description="sha256 of the text.")]


def _query_day(value: Any) -> dt.date | None:
    """A query's day: YYYY-MM-DD only (no time of day); empty (a cleared date picker): the
    default."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            return iso_day(value)
    raise PydanticCustomError("date_format", "not a date as YYYY-MM-DD")


AsOf = Annotated[
    dt.date | None,
    BeforeValidator(_query_day),
    Query(description="Evidence cut-off day (YYYY-MM-DD); default: now."),
]
MemberQ = Annotated[str | None, Query(pattern=ID_PATTERN, description="Only this member.")]
CandidateQ = Annotated[str | None, Query(pattern=ID_PATTERN, description="Only this candidate.")]
ReviewQ = Annotated[
    Literal["accepted", "pending", "rejected"] | None, Query(description="Only this state.")
]

router = APIRouter(prefix="/api", tags=["api"])


def views(request: Request) -> Views:
    """The app's ``Views`` (dependency)."""
    found: Views = request.app.state.views
    return found


ViewsDep = Annotated[Views, Depends(views)]
WriterDep = Annotated[Writer, Depends(require_writer)]


@router.get("/health", summary="Liveness, store schema and whether writing is on")
def health(v: ViewsDep) -> dict[str, Any]:
    return {
        "ok": True,
        "schema": v.km.store.schema_version(),
        "writable": v.settings.writable,
        "cache": {"hits": v.cache.hits, "misses": v.cache.misses},
    }


@router.get("/races", summary="Every race with its current leader and latest evidence day")
def races(v: ViewsDep) -> list[dict[str, Any]]:
    return v.races()


@router.get("/races/{race_id}", summary="A race's definition: post, rule, bodies, candidates")
def race(race_id: RaceId, v: ViewsDep) -> dict[str, Any]:
    return v.race(race_id)


@router.get("/races/{race_id}/forecast", summary="The forecast as of a day, with kingmakers")
def forecast(race_id: RaceId, v: ViewsDep, as_of: AsOf = None) -> dict[str, Any]:
    return v.forecast_json(race_id, as_of)


def _csv(text: str, filename: str) -> Response:
    """A CSV download (UTF-8 with a byte-order mark, so that spreadsheets read accents)."""
    return Response(
        "\ufeff" + text,
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/races/{race_id}/forecast.csv", summary="The forecast as CSV, one row per outcome")
def forecast_csv(race_id: RaceId, v: ViewsDep, as_of: AsOf = None) -> Response:
    fc = v.forecast(race_id, as_of)
    return _csv(to_csv(forecast_rows(fc)), f"{race_id}-forecast-{fc.as_of}.csv")


@router.get("/races/{race_id}/evidence.csv", summary="Evidence items as CSV, oldest first")
def evidence_csv(
    race_id: RaceId,
    v: ViewsDep,
    as_of: AsOf = None,
    member: MemberQ = None,
    candidate: CandidateQ = None,
) -> Response:
    items = v.evidence_items(race_id, as_of=as_of, member=member, candidate=candidate)
    race = v.km.race(race_id)
    day = f"-{as_of}" if as_of else ""
    return _csv(to_csv(evidence_rows(items, race)), f"{race_id}-evidence{day}.csv")


@router.get(
    "/races/{race_id}/forecast/{outcome}/movers",
    summary="The statements that moved one probability most",
)
def movers(race_id: RaceId, outcome: OutcomeId, v: ViewsDep, as_of: AsOf = None) -> dict[str, Any]:
    return v.movers(race_id, outcome, as_of)


@router.get("/races/{race_id}/timeline", summary="Probabilities over time, for the chart")
def timeline(race_id: RaceId, v: ViewsDep, until: AsOf = None) -> dict[str, Any]:
    return v.timeline(race_id, until)


@router.get("/races/{race_id}/matrix", summary="Members x candidates: latest stance")
def matrix(race_id: RaceId, v: ViewsDep, as_of: AsOf = None) -> dict[str, Any]:
    return v.matrix(race_id, as_of)


@router.get(
    "/races/{race_id}/members/{member_id}",
    summary="One member: latest stances, kingmaker standing, the evidence naming it",
)
def member(race_id: RaceId, member_id: MemberId, v: ViewsDep, as_of: AsOf = None) -> dict[str, Any]:
    return v.member(race_id, member_id, as_of)


@router.get("/races/{race_id}/evidence", summary="Evidence items, newest first")
def evidence(
    race_id: RaceId,
    v: ViewsDep,
    as_of: AsOf = None,
    member: MemberQ = None,
    candidate: CandidateQ = None,
    review: ReviewQ = None,
) -> list[dict[str, Any]]:
    items, _ = v.evidence(race_id, as_of=as_of, member=member, candidate=candidate, review=review)
    return items


@router.get("/races/{race_id}/evidence/{evidence_id}", summary="One item with its review log")
def item(race_id: RaceId, evidence_id: ItemId, v: ViewsDep) -> dict[str, Any]:
    return v.item(race_id, evidence_id)


@router.get("/races/{race_id}/review-queue", summary="Machine items below the review threshold")
def review_queue(race_id: RaceId, v: ViewsDep) -> list[dict[str, Any]]:
    return v.review_queue(race_id)


@router.get(
    "/races/{race_id}/articles/{article_id}",
    summary="An article with its extracted items and the sentences highlighted",
)
def article(race_id: RaceId, article_id: ArticleId, v: ViewsDep) -> dict[str, Any]:
    return v.article(race_id, article_id)


async def _fields(request: Request) -> dict[str, Any]:
    """The request's fields: a JSON object, or a form (urlencoded or multipart)."""
    kind = request.headers.get("content-type", "")
    if kind.startswith("application/json"):
        try:
            data = load_json(await request.body())
        except TooDeepError as exc:
            raise HTTPProblem(400, f"the body is {exc}", "invalid") from None
        except ValueError:
            raise HTTPProblem(400, "the body is not valid JSON", "invalid") from None
        if not isinstance(data, dict):
            raise HTTPProblem(400, "send a JSON object", "invalid")
        try:
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise HTTPProblem(
                400, "the body's text is not valid Unicode (a lone surrogate); fix it", "invalid"
            ) from None
        return data
    if "form" in kind:
        return dict((await read_form(request)).items())
    if not kind:
        return {}
    raise HTTPProblem(415, "send JSON or a form", "type")


def wants_page(request: Request) -> bool:
    """Whether a request is a browser's form post (answered with a redirect or a page)."""
    return "form" in request.headers.get("content-type", "") and "text/html" in request.headers.get(
        "accept", ""
    )


def _next(fields: dict[str, Any], default: str) -> str:
    """Where a form goes after a write: a path on this server only (no open redirect)."""
    return safe_path(str(fields.get("next") or default), default)


def _answer(request: Request, fields: dict[str, Any], data: Any, default: str) -> Response:
    if wants_page(request):
        return RedirectResponse(_next(fields, default), status_code=303)
    return JSONResponse(data)


def _text(fields: Mapping[str, Any], name: str) -> str:
    """A text field ('' when absent): a JSON body's number, list or object is refused, not
    stored as its Python spelling."""
    value = fields.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise HTTPProblem(422, f"'{name}' must be a string, got {type(value).__name__}", "invalid")
    return value


def _date(value: Any, name: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            return iso_day(value)
    raise HTTPProblem(422, f"'{name}' must be a date YYYY-MM-DD, got '{value}'", "invalid")


async def _document(fields: dict[str, Any], settings: WebSettings) -> Document:
    """The uploaded file, or the pasted text (with its title, URL and date), as a document."""
    upload = fields.get("file")
    text = _text(fields, "text")
    limit = settings.max_upload
    if isinstance(upload, UploadFile) and upload.filename:
        if text.strip():
            raise HTTPProblem(
                422, "paste a text or choose a file, not both: only one is read", "invalid"
            )
        name = upload.filename.replace("\\", "/").rsplit("/", 1)[-1][:100]
        if not name.lower().endswith(UPLOAD_SUFFIXES):
            raise HTTPProblem(
                415,
                f"'{name}' is not a kind of file kingmaker reads; upload "
                f"{', '.join(UPLOAD_SUFFIXES)}",
                "type",
            )
        data = await upload.read(limit + 1)
        if len(data) > limit:
            raise HTTPProblem(413, f"'{name}' is over the {mib(limit)} upload limit", "size")
        return Document(name=f"upload:{name}", data=data)
    if text.strip():
        if len(text.encode()) > limit:
            raise HTTPProblem(413, f"the text is over the {mib(limit)} upload limit", "size")
        row = {k: _text(fields, k) for k in ("title", "url", "publisher") if fields.get(k)}
        day = _date(fields.get("date"), "date")
        if day is not None:
            row["date"] = day.isoformat()
        else:  # as the command line reads a text file: a date at its very start
            try:
                found = leading_date(text.lstrip())
            except DateError as exc:
                raise HTTPProblem(422, f"the text starts with {exc}; fix it", "invalid") from None
            if found is not None:
                row["date"] = found.isoformat()
                row["date_basis"] = "date at the start of the text"
        row["text"] = text
        return Document(name="pasted", data=(json.dumps(row) + "\n").encode())
    raise HTTPProblem(422, "paste an article's text or choose a file to upload", "invalid")


def _articles(doc: Document, day: dt.date | None) -> list[Article]:
    """The articles of ``doc`` (nothing is stored), read once for the checks before and
    after the ingest."""
    return [a for a in read_paths([doc], default_date=day) if isinstance(a, Article)]


def _known(v: Views, race_id: str, articles: list[Article]) -> list[str]:
    """Ids of the articles stored for the race (what a repeated upload points to)."""
    found = [a.id for a in articles]
    stored = v.km.stored_articles(race_id, found)
    return [a for a in found if a in stored]


@router.post("/races/{race_id}/ingest", summary="Ingest one article (upload or pasted text)")
async def ingest(race_id: RaceId, request: Request, v: ViewsDep, who: WriterDep) -> Response:
    fields = await _fields(request)
    await run_in_threadpool(v.km.race, race_id)
    doc = await _document(fields, v.settings)
    mode = _text(fields, "mode") or "auto"
    if mode not in ("auto", "model", "fallback"):
        raise HTTPProblem(422, "mode must be auto, model or fallback", "invalid")
    day = _date(fields.get("date"), "date")
    # without the form's date the articles are read first, to refuse undated ones before
    # anything is stored; what is read is kept for the page of a known article
    articles = await run_in_threadpool(_articles, doc, day) if day is None else None
    undated = [a.file or doc.name for a in articles or () if a.date is None]
    if undated:
        n = len(undated)
        line = undated[0].removeprefix(f"{doc.name}:")
        at = f" (the first at line {line})" if line.isdigit() else ""
        has = "has" if n == 1 else "have"
        what = "the text has" if doc.name == "pasted" else f"{n} of the file's articles{at} {has}"
        raise HTTPProblem(
            422,
            f"{what} no date, and without a day no evidence can be read; give the date "
            "the article was published",
            "invalid",
        )
    # extraction takes a while on a long article: off the event loop, so reads go on
    report = await run_in_threadpool(
        partial(v.km.ingest, [doc], race_id=race_id, default_date=day, mode=mode)  # type: ignore[arg-type]
    )
    race = await run_in_threadpool(v.km.race, race_id)
    ids = set(report.items.get(race_id, []))
    data = {
        "summary": report.render(),
        "read": report.ingest.read,
        "new": report.ingest.new,
        "duplicates": report.ingest.exact_duplicates,
        "off_topic": report.ingest.off_topic,
        "problems": [str(p) for p in report.ingest.problems],
        "articles": report.articles,
        "added": report.evidence.get(race_id, 0),
        "items": [
            item_json(e, race, v.km.review_threshold, set(report.articles))
            for e in race.evidence
            if e.id in ids
        ],
        "by": who.name,
    }
    if report.ingest.read == 0 and report.ingest.problems:
        problem = str(report.ingest.problems[0]).removeprefix("upload:")
        raise HTTPProblem(422, problem.replace("; skipped", "; nothing was stored"), "invalid")
    if wants_page(request):
        shown = report.articles
        if not shown and report.ingest.exact_duplicates:  # a repeat: show the stored one
            if articles is None:
                articles = await run_in_threadpool(_articles, doc, day)
            shown = await run_in_threadpool(_known, v, race_id, articles)
        if shown:
            counts = f"read={report.ingest.read}&new={report.ingest.new}&added={data['added']}"
            skipped = sum(p.skipped for p in report.ingest.problems)
            noted = len(report.ingest.problems) - skipped  # read, with a note: cut, say
            counts += f"&skipped={skipped}" if skipped else ""
            counts += f"&noted={noted}" if noted else ""
            target = f"/races/{race_id}/articles/{shown[0]}?{counts}"
        else:
            why = "off-topic" if report.ingest.off_topic else "nothing-new"
            target = f"/races/{race_id}/review?notice={why}"
        return RedirectResponse(target, status_code=303)
    return JSONResponse(data)


@router.post(
    "/races/{race_id}/evidence/{evidence_id}/review",
    summary="Accept or reject one item (fields: decision=accept|reject)",
)
async def review(
    race_id: RaceId, evidence_id: ItemId, request: Request, v: ViewsDep, who: WriterDep
) -> Response:
    fields = await _fields(request)
    decision = {"accept": "accepted", "reject": "rejected"}.get(str(fields.get("decision")))
    if decision is None:
        raise HTTPProblem(422, "decision must be accept or reject", "invalid")
    await run_in_threadpool(v.km.decide, race_id, evidence_id, decision, who.name)  # type: ignore[arg-type]
    data = await run_in_threadpool(v.item, race_id, evidence_id)
    return _answer(request, fields, data, f"/races/{race_id}/review")


@router.post(
    "/races/{race_id}/evidence/{evidence_id}/edit",
    summary="Correct one item: a reviewed copy replaces it (fields: field, value or changes)",
)
async def edit(
    race_id: RaceId, evidence_id: ItemId, request: Request, v: ViewsDep, who: WriterDep
) -> Response:
    fields = await _fields(request)
    changes = fields.get("changes")
    if not isinstance(changes, dict):
        name, value = str(fields.get("field") or ""), fields.get("value")
        if not name or value in (None, ""):
            raise HTTPProblem(422, "give the field to correct and its new value", "invalid")
        changes = {name: value}
    # the newsdesk refuses an edit that changes nothing, as every other bad edit (422)
    new = await run_in_threadpool(v.km.edit, race_id, evidence_id, changes, who.name)
    data = await run_in_threadpool(v.item, race_id, new.id)
    return _answer(request, fields, data, f"/races/{race_id}/review")
