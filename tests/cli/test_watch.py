"""``kingmaker watch`` and ``kingmaker ingest URL`` against a local HTTP server: a new feed
item is ingested exactly once and alerted to a local webhook and the log; 304s, changed
feeds, failing feeds and webhooks, oversized pages. Never the internet."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import kingmaker.watch
from kingmaker.cli import app
from kingmaker.errors import StoreError
from kingmaker.ingest.fetch import Fetcher, FetchSettings
from kingmaker.service import Kingmaker
from kingmaker.store import MemoryStore, SQLiteStore
from kingmaker.watch import Watcher, WatchSettings
from localhttp import Document, Reply, Server, replies, serve

ROOT = Path(__file__).resolve().parents[2]
RIVERSIDE = ROOT / "tests" / "fixtures" / "races" / "committee-chair"
RACE = "riverside-chair-2024"
FAST = FetchSettings(timeout=0.5, max_seconds=5, retries=2, backoff=0.01, host_interval=0.0)
runner = CliRunner()

WITHDRAWN = (
    "Ada Okafor said on Saturday that she has withdrawn her candidacy for finance committee chair."
)
MEETING = "Ben Lindqvist spoke to the finance committee on Monday about the water budget."


def item(n: int, day: str, text: str) -> str:
    return (
        f"<item><title>Riverside {n}</title><link>https://riverside.example/{n}</link>"
        f"<guid>riverside-{n}</guid><pubDate>{day} 09:00:00 GMT</pubDate>"
        f"<description>{text}</description></item>"
    )


def rss(*items: str) -> bytes:
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Riverside Gazette</title>'
        + "".join(items)
        + "</channel></rss>"
    ).encode()


FEED_V1 = rss(item(1, "Sat, 10 Feb 2024", WITHDRAWN))
FEED_V2 = rss(item(2, "Mon, 12 Feb 2024", MEETING), item(1, "Sat, 10 Feb 2024", WITHDRAWN))


@pytest.fixture(autouse=True)
def fast_fetcher(monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands fetch with short timeouts and backoffs, and no pacing, against the
    local server."""
    monkeypatch.setattr(kingmaker.watch, "Fetcher", lambda: Fetcher(FAST))


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "km.db"
    res = runner.invoke(app, ["--db", str(path), "load", str(RIVERSIDE)])
    assert res.exit_code == 0, res.output
    return path


@pytest.fixture
def srv() -> Any:
    with serve() as server:
        server.routes["/hook"] = replies(Reply(204))
        yield server


def watch(db: Path, srv: Server, *args: str, log: Path | None = None) -> Any:
    extra = ["--log", str(log)] if log else []
    return runner.invoke(
        app,
        [
            "--db",
            str(db),
            "watch",
            *args,
            "--race",
            RACE,
            "--once",
            "--webhook",
            srv.url("/hook"),
            "--mode",
            "fallback",
            "--samples",
            "4000",
            *extra,
        ],
    )


def stop_after(n: int) -> tuple[list[Any], threading.Event, Any]:
    """The rounds seen, and a stop event set by the ``on_round`` callback after ``n``."""
    rounds: list[Any] = []
    stop = threading.Event()

    def on_round(r: Any) -> None:
        rounds.append(r)
        if len(rounds) == n:
            stop.set()

    return rounds, stop, on_round


def log_lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def article_count(db: Path) -> int:
    with SQLiteStore(db) as store:
        return store.article_count(RACE)


def test_watch_once_ingests_a_new_item_exactly_once_and_alerts(
    db: Path, srv: Server, tmp_path: Path
) -> None:
    feed = Document(FEED_V1, "application/rss+xml")
    srv.routes["/feed"] = feed
    log = tmp_path / "watch.jsonl"
    url = srv.url("/feed")

    first = watch(db, srv, url, log=log)
    assert first.exit_code == 0, first.output
    said = f"{url}: 1 articles read, 1 new, 0 already stored, 0 about no tracked race; "
    assert f"{said}new evidence: 1 for {RACE}" in first.stdout
    assert f"{RACE}: Ada Okafor " in first.stdout and "pts" in first.stdout
    (post,) = srv.hits("/hook", "POST")
    alert = post.json()
    assert alert["event"] == "forecast-moved" and alert["race"] == RACE
    assert alert["sources"] == [url] and alert["more_evidence"] == 0
    (new,) = alert["new_evidence"]
    assert new["kind"] == "candidacy" and new["date"] == "2024-02-10"
    assert new["source"] == "https://riverside.example/1" and new["quote"] == WITHDRAWN
    assert "  new candidacy of 2024-02-10: https://riverside.example/1" in first.stdout
    okafor = next(m for m in alert["moves"] if m["outcome"] == "okafor")
    assert okafor["after"] == 0 and okafor["change"] <= -0.5
    assert all(abs(m["change"]) >= 0.05 for m in alert["moves"])
    assert [line["event"] for line in log_lines(log)] == ["forecast-moved", "round"]
    assert article_count(db) == 1

    # The second run: the server answers the conditional request with 304.
    second = watch(db, srv, url, log=log)
    assert second.exit_code == 0, second.output
    assert f"{url}: not modified (304)" in second.stdout
    assert srv.hits("/feed")[-1].headers["if-none-match"] == '"v0"'
    assert len(srv.hits("/hook", "POST")) == 1  # no new alert
    assert article_count(db) == 1
    assert log_lines(log)[-1]["fetched"] == {url: "not-modified"}

    # The feed changes: only its new item is new; the known one is a repeat.
    feed.change(FEED_V2)
    third = watch(db, srv, url, log=log)
    assert third.exit_code == 0, third.output
    assert f"{url}: 2 articles read, 1 new, 1 already stored" in third.stdout
    assert article_count(db) == 2
    with SQLiteStore(db) as store:
        rec = store.get_fetch(url)
    assert rec is not None and rec.etag == '"v1"' and rec.fetches == 3 and rec.status == 200
    assert rec.changed_at is not None and rec.changed_at <= rec.fetched_at


def test_a_server_without_validators_fetches_nothing_new_the_second_time(
    db: Path, srv: Server
) -> None:
    srv.routes["/feed"] = Document(FEED_V1, "application/rss+xml", conditional=False)
    url = srv.url("/feed")
    assert watch(db, srv, url).exit_code == 0
    again = watch(db, srv, url, "--json")
    assert again.exit_code == 0, again.output
    (source,) = json.loads(again.stdout)["sources"]
    assert (source["url"], source["state"], source["status"]) == (url, "unchanged", 200)
    assert json.loads(again.stdout)["alerts"] == []
    assert "if-none-match" not in srv.hits("/feed")[-1].headers
    assert len(srv.hits("/hook", "POST")) == 1 and article_count(db) == 1


def test_a_failing_feed_and_webhook_are_retried_reported_and_not_fatal(
    db: Path, srv: Server, tmp_path: Path
) -> None:
    srv.routes["/down"] = replies(Reply(500))
    srv.routes["/flaky"] = replies(Reply(503), Reply(200, FEED_V1))
    srv.routes["/hook"] = replies(Reply(502))
    log = tmp_path / "watch.jsonl"
    res = watch(db, srv, srv.url("/down"), srv.url("/flaky"), log=log)
    assert res.exit_code == 0, res.output
    assert f"{srv.url('/down')}: failed: HTTP 500 Internal Server Error after 3 tries" in res.stdout
    assert f"{srv.url('/flaky')}: 1 articles read, 1 new" in res.stdout
    assert len(srv.hits("/down")) == 3 and len(srv.hits("/flaky")) == 2
    assert len(srv.hits("/hook", "POST")) == 3  # tried, and retried twice
    assert "warning: webhook-failed" in res.stderr
    events = [line["event"] for line in log_lines(log)]
    assert events == ["fetch-failed", "forecast-moved", "webhook-failed", "round"]
    assert article_count(db) == 1
    # The failed feed is tried again from scratch next time (no validators kept).
    srv.routes["/down"] = Document(FEED_V1, "application/rss+xml")
    again = watch(db, srv, srv.url("/down"))
    assert "if-none-match" not in srv.hits("/down")[-1].headers
    assert f"{srv.url('/down')}: 1 articles read, 0 new, 1 already stored" in again.stdout


def test_the_loop_retries_an_alert_the_webhook_refused(db: Path, srv: Server) -> None:
    srv.routes["/feed"] = Document(FEED_V1, "application/rss+xml")
    srv.routes["/hook"] = replies(Reply(500), Reply(500), Reply(500), Reply(200))
    rounds, stop, on_round = stop_after(2)

    with SQLiteStore(db) as store:
        km = Kingmaker(store)
        settings = WatchSettings(
            race_id=RACE, mode="fallback", samples=4000, webhook=srv.url("/hook")
        )
        watcher = Watcher(km, [srv.url("/feed")], settings, fetcher=Fetcher(FAST))
        assert watcher.run(0.05, on_round=on_round, stop=stop) == 2
        watcher.close()
    assert [s.state for r in rounds for s in r.sources] == ["new", "not-modified"]
    assert len(rounds[0].alerts) == 1 and rounds[1].alerts == []
    assert watcher.pending == []
    posts = srv.hits("/hook", "POST")
    assert len(posts) == 4 and posts[-1].json() == posts[0].json()  # sent in the 2nd round


PAGE = (
    b"<html><head><title>Riverside chair</title>"
    b'<meta property="article:published_time" content="2024-02-10"></head><body><article>'
    b"<p>" + WITHDRAWN.encode() + b" The committee will now choose between the others.</p>"
    b"</article></body></html>"
)


def test_ingest_url_reads_a_page_and_a_feed(db: Path, srv: Server) -> None:
    srv.routes["/page"] = replies(Reply(200, PAGE, {"Content-Type": "text/html"}))
    srv.routes["/feed"] = Document(FEED_V2, "application/rss+xml")
    res = runner.invoke(
        app,
        ["--db", str(db), "ingest", srv.url("/page"), "--race", RACE, "--mode", "fallback"],
    )
    assert res.exit_code == 0, res.output
    assert "Read 1 article from 1 file" in res.stdout and "1 for riverside" in res.stdout
    res = runner.invoke(
        app,
        ["--db", str(db), "ingest", srv.url("/feed"), "--race", RACE, "--json"],
    )
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["read"] == 2
    with SQLiteStore(db) as store:
        assert store.get_fetch(srv.url("/page")) is not None


@pytest.mark.parametrize(
    ("reply", "why"),
    [
        (Reply(200, b"x" * 11 * 2**20, stream=True), "over the 10 MiB limit; not read further"),
        (Reply(404), "HTTP 404 Not Found"),
    ],
    ids=["oversized", "missing"],
)
def test_ingest_url_that_cannot_be_read_is_one_line(
    db: Path, srv: Server, reply: Reply, why: str
) -> None:
    srv.routes["/page"] = replies(reply)
    res = runner.invoke(app, ["--db", str(db), "ingest", srv.url("/page")])
    assert res.exit_code == 1
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and why in lines[0]
    assert srv.url("/page") in lines[0]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["https://x.example/f", "--interval", "10s"], "--interval must look like 15m"),
        (["https://x.example/f", "--interval", "soon"], "--interval must look like 15m"),
        (["https://x.example/f", "--threshold", "0"], "--threshold must be above 0"),
        (["https://x.example/f", "--threshold", "nan"], "--threshold must be above 0"),
        (["feed.xml"], "'feed.xml' is not an http:// or https:// URL"),
        (["https://x.example/f", "--webhook", "hook"], "'hook' is not an http"),
        (["https://x.example/f", "--race", "nope"], "no race 'nope'"),
        (["https://x.example/f", "--log", "/nonexistent/dir/log"], "--log /nonexistent/dir/log"),
    ],
)
def test_bad_options_are_one_line_before_any_fetch(
    tmp_path: Path, srv: Server, args: list[str], message: str
) -> None:
    args = [srv.url("/feed") if a == "https://x.example/f" else a for a in args]
    res = runner.invoke(app, ["--db", str(tmp_path / "km.db"), "watch", *args, "--once"])
    assert res.exit_code == 1
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], res.stderr
    assert srv.requests == []


class BusyOnce(MemoryStore):
    """A store whose first fetch-record read fails, as a locked database would."""

    failed = False

    def get_fetch(self, url: str) -> Any:
        if not self.failed:
            self.failed = True
            raise StoreError("the database is busy; try again")
        return super().get_fetch(url)


def test_a_round_the_store_refuses_does_not_stop_the_loop(srv: Server, tmp_path: Path) -> None:
    srv.routes["/feed"] = Document(FEED_V1, "application/rss+xml")
    km = Kingmaker(BusyOnce())
    km.load(RIVERSIDE)
    log = tmp_path / "watch.jsonl"
    settings = WatchSettings(race_id=RACE, mode="fallback", samples=4000, log=log)
    watcher = Watcher(km, [srv.url("/feed")], settings, fetcher=Fetcher(FAST))
    rounds, stop, on_round = stop_after(2)

    assert watcher.run(0.01, on_round=on_round, stop=stop) == 2
    assert rounds[0].problems == ["round-failed: the database is busy; try again"]
    assert [s.state for s in rounds[1].sources] == ["new"] and len(rounds[1].alerts) == 1
    assert [line["event"] for line in log_lines(log)][:2] == ["round-failed", "forecast-moved"]
    with pytest.raises(StoreError, match="busy"):  # one round alone says so, as an error
        km.store.failed = False  # type: ignore[attr-defined]
        watcher.run(0.01, once=True)
