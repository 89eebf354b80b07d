"""The web app: pages and JSON API over one ``Kingmaker``, and the server that runs it.

``create_app`` wires the routers, the guards of ``security``, the error handlers (one JSON
shape under ``/api``, an error page elsewhere) and the static files, all served by the
app itself: plotly.js comes from the installed plotly package, so nothing is fetched
from a CDN. ``serve`` runs it with uvicorn, which believes no forwarded headers: the app
itself reads them, and only from the proxies the settings name.
"""

from __future__ import annotations

import gc
import logging
import re
from pathlib import Path
from typing import Any

import plotly
import swagger_ui
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import ClientDisconnect
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from kingmaker import __version__
from kingmaker.errors import KingmakerError
from kingmaker.service import Kingmaker
from kingmaker.web import api, pages
from kingmaker.web.limits import AskerMiddleware, Cache, ComputeLimiter, bound_heap
from kingmaker.web.security import (
    FORM_OVERHEAD,
    BodyLimitMiddleware,
    HTTPProblem,
    LocalHostMiddleware,
    LoginThrottle,
    SessionMiddleware,
    SessionStore,
    came_from,
    client_address,
    local_names,
    problem_body,
    security_headers,
)
from kingmaker.web.settings import WebSettings
from kingmaker.web.views import Views

HERE = Path(__file__).parent
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
SWAGGER = Path(swagger_ui.__file__).parent / "static"  # Swagger UI 5 (reads OpenAPI 3.1)
log = logging.getLogger("kingmaker.web")


def create_app(
    km: Kingmaker,
    settings: WebSettings | None = None,
    *,
    sessions: SessionStore | None = None,
    login_throttle: LoginThrottle | None = None,
) -> FastAPI:
    """The ASGI app serving ``km``'s store.

    Args:
        km: The service the routes call; the app does not close it.
        settings: Who may write, limits, sample sizes (default: read-only, localhost).
        sessions: The logged-in sessions (default: the app's own); several workers
            share one (``kingmaker.web.workers``).
        login_throttle: The count of wrong tokens (default: the app's own), idem.
    """
    settings = settings or WebSettings()
    app = FastAPI(
        title="kingmaker",
        version=__version__,
        description=(
            "Who will the council pick for the post, and who decides it? Forecasts, "
            "evidence and review of selection races. Reads are open; writes need the "
            "write token as `Authorization: Bearer <token>`."
        ),
        docs_url=None,  # FastAPI's page loads Swagger UI from a CDN; ours is served here
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.settings = settings
    app.state.compute_limiter = limiter = ComputeLimiter(
        settings.compute_rate, settings.compute_burst
    )
    cache = Cache(settings.cache_size, settings.compute_parallel, before_compute=limiter.charge)
    app.state.views = Views(km=km, settings=settings, cache=cache)
    # ``is None``, not ``or``: an empty table (len 0) is false but must be kept
    app.state.login_throttle = LoginThrottle() if login_throttle is None else login_throttle
    app.state.sessions = sessions = SessionStore() if sessions is None else sessions
    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.get("/vendor/plotly.min.js", include_in_schema=False)
    def plotly_js() -> FileResponse:
        return FileResponse(
            PLOTLY_JS,
            media_type="text/javascript",
            headers={"cache-control": "public, max-age=86400"},
        )

    app.mount("/vendor/swagger", StaticFiles(directory=SWAGGER), name="swagger")

    @app.get("/api/docs", include_in_schema=False)
    def api_docs(request: Request) -> Response:
        return pages.render(request, "api-docs.html")

    _errors(app)
    app.add_middleware(GZipMiddleware, minimum_size=2048)
    app.add_middleware(
        BodyLimitMiddleware, limit=settings.max_upload + FORM_OVERHEAD, shown=settings.max_upload
    )
    if settings.local_only:  # no DNS rebinding: a local server answers local names only
        app.add_middleware(LocalHostMiddleware, names=local_names(settings), port=settings.port)
    app.add_middleware(AskerMiddleware)
    app.add_middleware(SessionMiddleware, settings=settings, sessions=sessions)  # headers on all
    if settings.trusted_proxies:  # outermost: the client and scheme the rest see
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=list(settings.trusted_proxies))
    return app


KINDS = {
    400: "invalid",
    404: "not_found",
    405: "method",
    409: "conflict",
    413: "size",
    415: "type",
    422: "invalid",
    500: "internal",
    503: "store",
}


def _errors(app: FastAPI) -> None:
    """One JSON shape for every API error, and an error page for the rest."""

    def answer(request: Request, status: int, message: str, kind: str) -> Response:
        if request.url.path.startswith("/api") and not api.wants_page(request):
            return JSONResponse(problem_body(status, message, kind), status_code=status)
        return pages.render(
            request,
            "error.html",
            status,
            status=status,
            message=message,
            kind=kind,
            back=came_from(request),
        )

    @app.exception_handler(HTTPProblem)
    async def on_problem(request: Request, exc: HTTPProblem) -> Response:
        return answer(request, exc.status, exc.message, exc.kind)

    @app.exception_handler(KingmakerError)
    async def on_kingmaker(request: Request, exc: KingmakerError) -> Response:
        status = exc.status  # each class of the error tree says its status
        message = _private(request, str(exc))
        if status == 503:  # the driver's reason may name hosts and paths: the log has it
            log.warning("store error on %s: %s", request.url.path, exc)
            message = re.sub(r"\s*\(.*\)", "", message, flags=re.S).split(" (")[0]
        return answer(request, status, message, KINDS.get(status, "invalid"))

    @app.exception_handler(RequestValidationError)
    async def on_invalid(request: Request, exc: RequestValidationError) -> Response:
        first: dict[str, Any] = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("path", "query"))
        given = first.get("input")
        shown = repr(given[:40]) if isinstance(given, str) else None
        if first.get("loc", ("",))[0] == "path":
            name = where.removesuffix("_id").replace("_", " ") or "page"
            return answer(request, 404, f"no {name} {shown or ''}".strip(), "not_found")
        kind = str(first.get("type", ""))
        if "date" in kind and shown is not None:
            message = f"{where}: {shown} is not a date; use YYYY-MM-DD"
        elif kind == "string_pattern_mismatch" and shown is not None:
            message = f"{where}: {shown} is not an id (letters, digits, '_', '.', '-')"
        else:
            message = f"{where or 'request'}: {first.get('msg', 'invalid')}"
        return answer(request, 422, message, "invalid")

    @app.exception_handler(StarletteHTTPException)
    async def on_http(request: Request, exc: StarletteHTTPException) -> Response:
        message = "not found" if exc.status_code == 404 else str(exc.detail)
        return answer(request, exc.status_code, message, KINDS.get(exc.status_code, "error"))

    @app.exception_handler(ClientDisconnect)
    async def on_gone(request: Request, exc: ClientDisconnect) -> Response:
        log.warning(
            "client %s went away during %s %s; nothing was stored from it",
            client_address(request),
            request.method,
            request.url.path,
        )
        return Response(status_code=400)  # nobody is left to read it

    @app.exception_handler(Exception)
    async def on_crash(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s", request.url.path)
        message = "internal error; the server log has the details"
        response = answer(request, 500, message, "internal")
        for name, value in security_headers(request.scope):  # sent from outside the
            response.headers[name.decode()] = value.decode()  # middleware that adds them
        return response


def _private(request: Request, message: str) -> str:
    """``message`` without the store's file path or server address: those are the
    server's business, not the visitor's (the log keeps the whole message)."""
    label = str(getattr(request.app.state.views.km.store, "_label", ""))
    if not label:
        return message
    message = re.sub(rf"\s+(in|of) {re.escape(label)}", "", message)
    return message.replace(label, "the store")


def serve(km: Kingmaker, settings: WebSettings) -> None:
    """Run the app with uvicorn until interrupted."""
    import uvicorn

    bound_heap()  # before uvicorn starts its threads
    km.warm_up()
    app = create_app(km, settings)
    gc.collect()
    gc.freeze()  # what start-up loaded stays put: fewer and shorter collections later
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_level="warning",
        server_header=False,
        proxy_headers=False,  # uvicorn would believe X-Forwarded-For from localhost
    )
