"""The ``serve`` command: the dashboard and JSON API over the store."""

from __future__ import annotations

import socket
from typing import Annotated

import typer

from kingmaker.cli.base import (
    STATE,
    app,
    handle_errors,
)
from kingmaker.cli.parse import UsageError
from kingmaker.errors import WebError
from kingmaker.service import MAX_SAMPLES, REVIEW_THRESHOLD, Kingmaker, open_store


@app.command()
@handle_errors
def serve(
    host: Annotated[
        str, typer.Option(help="Address to listen on; other machines reach it only if you say so.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    write_token: Annotated[
        str | None,
        typer.Option(
            help="Token that unlocks ingest and review (16+ characters); without it the "
            "server is read-only.",
            envvar="KINGMAKER_WRITE_TOKEN",
            show_envvar=True,
        ),
    ] = None,
    review_threshold: Annotated[
        float,
        typer.Option(
            min=0.0, max=1.0, help="Machine items below this confidence wait for a person."
        ),
    ] = REVIEW_THRESHOLD,
    samples: Annotated[
        int, typer.Option(help="Monte Carlo samples per forecast (100 to 5,000,000).")
    ] = 20_000,
    max_upload_mib: Annotated[
        float, typer.Option(min=0.01, help="Largest article accepted, in MiB.")
    ] = 2.0,
    trusted_proxy: Annotated[
        list[str] | None,
        typer.Option(
            help="Address or network (10.0.0.0/24) of a reverse proxy in front of the server "
            "whose X-Forwarded-For/-Proto are believed; repeat for several. Without it "
            "those headers are ignored.",
            metavar="ADDRESS",
        ),
    ] = None,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            help="Server processes sharing the port, each with its own store connections "
            "and cache; more than 1 needs PostgreSQL or a SQLite file on a local disk.",
        ),
    ] = 1,
    pool_size: Annotated[
        int,
        typer.Option(
            min=1,
            help="Most PostgreSQL connections per process (one per request answered at "
            "once); mind the server's max_connections: workers x pool size.",
        ),
    ] = 4,
) -> None:
    """Serve the dashboard and JSON API (http://127.0.0.1:8000/, API docs at /api/docs)."""
    from kingmaker.web import WebSettings
    from kingmaker.web import serve as run_server
    from kingmaker.web.workers import WorkerConfig, check_store, serve_workers

    if not 100 <= samples <= MAX_SAMPLES:
        raise UsageError(f"--samples must be between 100 and {MAX_SAMPLES:,}, got {samples:,}")
    settings = WebSettings(
        write_token=write_token or None,
        host=host,
        port=port,
        samples=samples,
        max_upload=int(max_upload_mib * 2**20),
        trusted_proxies=tuple(trusted_proxy or ()),
    )
    _check_port(host, port)
    # opened here also with workers: the schema is checked and migrated once, before they start
    km = Kingmaker(open_store(STATE.db, pool_size=pool_size), review_threshold=review_threshold)
    try:
        warning = check_store(km.store, workers) if workers > 1 else None
        mode = "read-write (log in with the token)" if settings.writable else "read-only"
        processes = f", {workers} workers" if workers > 1 else ""
        typer.echo(
            f"kingmaker serving {km.store!r} on http://{host}:{port}/ ({mode}{processes}); "
            "Ctrl-C stops"
        )
        if not settings.local_only:
            typer.echo(f"warning: {host} is reachable from other machines", err=True)
        if warning:
            typer.echo(warning, err=True)
        if workers == 1:
            run_server(km, settings)
            return
        km.close()  # each worker opens its own
        config = WorkerConfig(STATE.db, pool_size, review_threshold, settings)
        serve_workers(config, workers)
    finally:
        km.close()


def _check_port(host: str, port: int) -> None:
    """Refuse to start when the address cannot be listened on (a port in use), before
    saying that the server runs."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
        try:
            sock.bind((host, port))
        except OSError as exc:
            why = exc.strerror or str(exc)
            raise WebError(
                f"cannot listen on {host}:{port} ({why}); stop what uses it or choose "
                "another --port or --host"
            ) from None
