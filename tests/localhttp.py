"""A local HTTP server for the fetch and watch tests: 127.0.0.1, a free port, routes set
by the test, every request recorded. Nothing here reaches the internet."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Request:
    """One request the server received."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Reply:
    """What a route answers: a status, headers, a body (sent in ``chunks`` pieces with no
    Content-Length when ``stream``), after ``delay`` seconds."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    stream: bool = False


Route = Callable[[Request], Reply]


class Server:
    """Routes by path; ``requests`` lists what came, in order."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Request] = []
        self._httpd: ThreadingHTTPServer | None = None

    def url(self, path: str) -> str:
        assert self._httpd is not None
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}{path}"

    def hits(self, path: str, method: str = "GET") -> list[Request]:
        return [r for r in self.requests if r.path == path and r.method == method]

    def answer(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Reply:
        req = Request(method, path, headers, body)
        self.requests.append(req)
        route = self.routes.get(path)
        return route(req) if route else Reply(404, b"not here")


class _Handler(BaseHTTPRequestHandler):
    server_version = "localhttp/1"
    owner: Server

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        reply = self.owner.answer(
            self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body
        )
        if reply.delay:
            time.sleep(reply.delay)
        with suppress(OSError):  # the client may hang up (a size limit, a timeout)
            self.send_response(reply.status)
            for key, value in reply.headers.items():
                self.send_header(key, value)
            if not reply.stream:
                self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            if reply.status == 304 or self.command == "HEAD":
                return
            if reply.stream:
                for start in range(0, len(reply.body), 65536):
                    self.wfile.write(reply.body[start : start + 65536])
            else:
                self.wfile.write(reply.body)

    do_GET = _serve
    do_POST = _serve

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve() -> Iterator[Server]:
    """A running server on 127.0.0.1 (port chosen by the system), stopped afterwards."""
    server = Server()
    handler = type("Handler", (_Handler,), {"owner": server})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    server._httpd = httpd
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


def replies(*answers: Reply) -> Route:
    """A route giving these replies in turn, then the last one again and again."""
    queue = list(answers)

    def route(_req: Request) -> Reply:
        return queue.pop(0) if len(queue) > 1 else queue[0]

    return route


class Document:
    """A document that changes when the test says, served with an ETag and Last-Modified
    and answering a conditional request for the current version with 304 (unless
    ``conditional`` is off: then always 200, as some servers do)."""

    def __init__(self, body: bytes, content_type: str, *, conditional: bool = True) -> None:
        self.content_type = content_type
        self.conditional = conditional
        self.version = 0
        self.body = body

    def change(self, body: bytes) -> None:
        self.version += 1
        self.body = body

    def __call__(self, req: Request) -> Reply:
        etag = f'"v{self.version}"'
        modified = f"Mon, 0{self.version + 1} Jun 2026 10:00:00 GMT"
        if self.conditional and (
            req.headers.get("if-none-match") == etag
            or (
                "if-none-match" not in req.headers
                and req.headers.get("if-modified-since") == modified
            )
        ):
            return Reply(304, headers={"ETag": etag})
        headers = {"Content-Type": self.content_type}
        if self.conditional:
            headers.update({"ETag": etag, "Last-Modified": modified})
        return Reply(200, self.body, headers)
