"""Fetching over HTTP against a local server: conditional requests, retries with backoff,
timeouts, size limits, the User-Agent and the per-host pacing. Never the internet."""

from __future__ import annotations

import pytest

from kingmaker.errors import IngestError
from kingmaker.ingest.fetch import Fetcher, FetchSettings, HostPacer, check_url, is_url
from localhttp import Document, Reply, replies, serve

FAST = FetchSettings(timeout=0.5, max_seconds=5, retries=2, backoff=0.01, host_interval=0.0)


def fetcher(settings: FetchSettings = FAST) -> tuple[Fetcher, list[float]]:
    """A fetcher whose waits are recorded, not slept."""
    slept: list[float] = []
    return Fetcher(settings, sleep=slept.append), slept


def test_a_second_fetch_with_the_validators_is_a_304() -> None:
    with serve() as srv:
        srv.routes["/feed"] = Document(b"<rss/>", "application/rss+xml")
        f, _ = fetcher()
        first = f.get(srv.url("/feed"))
        assert (first.status, first.data, first.error) == (200, b"<rss/>", None)
        assert first.etag == '"v0"' and first.last_modified is not None
        again = f.get(srv.url("/feed"), etag=first.etag, last_modified=first.last_modified)
        assert again.not_modified and again.data is None and again.error is None
        sent = srv.hits("/feed")[1].headers
        assert sent["if-none-match"] == '"v0"'
        assert sent["if-modified-since"] == first.last_modified
        assert sent["user-agent"].startswith("kingmaker/")
        assert "if-none-match" not in srv.hits("/feed")[0].headers
        # Last-Modified alone is enough for a server without ETags
        alone = f.get(srv.url("/feed"), last_modified=first.last_modified)
        assert alone.not_modified
        f.close()


def test_a_500_is_retried_with_backoff_until_it_passes() -> None:
    with serve() as srv:
        srv.routes["/flaky"] = replies(Reply(500), Reply(503), Reply(200, b"at last"))
        f, slept = fetcher()
        got = f.get(srv.url("/flaky"))
        assert (got.status, got.data, got.attempts) == (200, b"at last", 3)
        assert slept == [0.01, 0.02]  # doubled before each retry


def test_a_server_that_keeps_failing_is_one_line_after_the_retries() -> None:
    with serve() as srv:
        srv.routes["/down"] = replies(Reply(500))
        f, slept = fetcher()
        got = f.get(srv.url("/down"))
        assert got.data is None and got.status == 500 and got.attempts == 3
        assert got.error == "HTTP 500 Internal Server Error after 3 tries"
        assert len(srv.hits("/down")) == 3 and len(slept) == 2


def test_a_client_error_is_not_retried() -> None:
    with serve() as srv:
        f, slept = fetcher()
        got = f.get(srv.url("/missing"))
        assert (got.status, got.attempts, got.error) == (404, 1, "HTTP 404 Not Found")
        assert slept == []


def test_retry_after_is_honoured_up_to_the_cap() -> None:
    with serve() as srv:
        srv.routes["/busy"] = replies(
            Reply(429, headers={"Retry-After": "3"}),
            Reply(429, headers={"Retry-After": "9999"}),
            Reply(200, b"ok"),
        )
        f, slept = fetcher(FetchSettings(backoff=0.01, max_backoff=5, host_interval=0))
        assert f.get(srv.url("/busy")).data == b"ok"
        assert slept == [3.0, 5.0]


def test_a_slow_server_times_out_and_is_retried() -> None:
    with serve() as srv:
        srv.routes["/slow"] = replies(Reply(200, b"late", delay=1.5))
        f, _ = fetcher(FetchSettings(timeout=0.2, retries=1, backoff=0.01, host_interval=0))
        got = f.get(srv.url("/slow"))
        assert got.data is None and got.status is None and got.attempts == 2
        assert got.error == "timed out (no answer within 0.2 s) after 2 tries"


@pytest.mark.parametrize("stream", [False, True], ids=["declared", "streamed"])
def test_an_oversized_body_is_refused_without_reading_it_all(stream: bool) -> None:
    with serve() as srv:
        srv.routes["/big"] = replies(Reply(200, b"x" * 4_000_000, stream=stream))
        f, slept = fetcher(FetchSettings(max_bytes=100_000, host_interval=0))
        got = f.get(srv.url("/big"))
        assert got.data is None and got.attempts == 1 and slept == []
        assert got.error == "over the 0.0953674 MiB limit; not read further"


def test_a_json_post_reaches_the_webhook() -> None:
    with serve() as srv:
        srv.routes["/hook"] = replies(Reply(500), Reply(204))
        f, _ = fetcher()
        sent = f.post_json(srv.url("/hook"), {"race": "r", "moves": [1]})
        assert sent.error is None and sent.status == 204 and sent.attempts == 2
        (last, *_) = reversed(srv.hits("/hook", "POST"))
        assert last.json() == {"race": "r", "moves": [1]}
        assert last.headers["content-type"] == "application/json"


def test_no_server_is_one_line_after_the_retries() -> None:
    with serve() as srv:
        url = srv.url("/gone")
    f, _ = fetcher()
    got = f.get(url)  # the server is stopped: the connection is refused
    assert got.data is None and got.attempts == 3
    assert got.error is not None and got.error.startswith("no answer (")
    assert "\n" not in got.error


def test_requests_to_one_host_are_paced() -> None:
    now = [100.0]
    slept: list[float] = []

    def sleep(s: float) -> None:
        slept.append(s)
        now[0] += s

    pacer = HostPacer(2.0, clock=lambda: now[0], sleep=sleep)
    assert pacer.wait("http://a.example/1") == 0
    assert pacer.wait("http://A.example/2") == 2.0  # same host, whatever the case
    assert pacer.wait("http://b.example/1") == 0  # another host goes at once
    now[0] += 5
    assert pacer.wait("http://a.example/3") == 0
    assert slept == [2.0]


def test_only_http_urls_with_a_host_are_fetched() -> None:
    assert is_url("HTTPS://example.org/feed") and not is_url("feed.xml")
    for bad in ("ftp://example.org/feed", "http://", "https:///path", "file:///etc/passwd"):
        with pytest.raises(IngestError, match="not an http:// or https:// URL"):
            check_url(bad)
    f, _ = fetcher()
    got = f.get("ftp://example.org/feed")
    assert got.attempts == 0 and got.error is not None
