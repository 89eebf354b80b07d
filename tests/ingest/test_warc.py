"""WARC archives: each HTML response (or resource) is an article, gzipped or not, with its
page's URL and date (or the crawl date); other records are passed over; a damaged file
is a problem, not an error; a folder walk reads ``.warc.gz`` files."""

from __future__ import annotations

import datetime as dt
import gzip
from pathlib import Path

from kingmaker.ingest import Problem, read_paths
from kingmaker.records import Article

TEXT = (
    "Dutch Prime Minister Mark Rutte won the backing of Turkey for the post of NATO "
    "Secretary-General on Friday, leaving Romania's Klaus Iohannis as his only rival. "
    "Diplomats in Brussels said the alliance could name him within weeks. "
)


def page(title: str, date: str | None = None) -> bytes:
    meta = f'<meta property="article:published_time" content="{date}">' if date else ""
    body = "".join(f"<p>{TEXT} ({title}, paragraph {n})</p>" for n in range(3))
    return (
        f"<html><head><title>{title}</title>{meta}</head><body><article><h1>{title}</h1>"
        f"{body}</article></body></html>"
    ).encode()


def record(kind: str, uri: str, block: bytes, content_type: str, date: str) -> bytes:
    head = (
        f"WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: {date}\r\n"
        f"Content-Type: {content_type}\r\nContent-Length: {len(block)}\r\n\r\n"
    ).encode()
    return head + block + b"\r\n\r\n"


def http(body: bytes, status: str = "200 OK", extra: str = "") -> bytes:
    return (
        f"HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\n{extra}\r\n"
    ).encode() + body


def chunked(body: bytes) -> bytes:
    half = len(body) // 2
    parts = [body[:half], body[half:]]
    return b"".join(f"{len(p):x}\r\n".encode() + p + b"\r\n" for p in parts) + b"0\r\n\r\n"


def records() -> list[bytes]:
    app = "application/http; msgtype=response"
    return [
        record("warcinfo", "", b"software: test\r\n", "application/warc-fields", "2024-03-22"),
        record(
            "request",
            "https://a.example/1",
            b"GET /1 HTTP/1.1\r\n\r\n",
            "application/http; msgtype=request",
            "2024-03-22T10:00:00Z",
        ),
        record(
            "response",
            "https://a.example/1",
            http(page("One", "2024-03-21")),
            app,
            "2024-03-22T10:00:00Z",
        ),
        record(
            "response",
            "https://a.example/2",
            http(
                chunked(page("Two")),
                extra="Transfer-Encoding: chunked\r\n",
            ),
            app,
            "2024-03-23T08:00:00Z",
        ),
        record(
            "response",
            "https://a.example/3",
            http(gzip.compress(page("Three")), extra="Content-Encoding: gzip\r\n"),
            app,
            "2024-03-24T08:00:00Z",
        ),
        record(
            "response",
            "https://a.example/old",
            http(b"", "301 Moved Permanently", "Location: /1\r\n"),
            app,
            "2024-03-24T08:00:00Z",
        ),
        record(
            "resource",
            "https://a.example/4",
            page("Four", "2024-03-20"),
            "text/html",
            "2024-03-25T08:00:00Z",
        ),
        record(
            "resource",
            "https://a.example/logo.png",
            b"\x89PNG....",
            "image/png",
            "2024-03-25T08:00:00Z",
        ),
    ]


def read(path: Path | str) -> tuple[list[Article], list[Problem]]:
    items = list(read_paths([path], today=dt.date(2026, 11, 28)))
    return [i for i in items if isinstance(i, Article)], [
        i for i in items if isinstance(i, Problem)
    ]


def test_plain_and_gzipped_warc_give_the_same_articles(tmp_path: Path) -> None:
    plain = tmp_path / "crawl.warc"
    plain.write_bytes(b"".join(records()))
    packed = tmp_path / "sub" / "crawl-00001.warc.gz"
    packed.parent.mkdir()
    packed.write_bytes(b"".join(gzip.compress(r) for r in records()))  # a member a record
    arts, problems = read(plain)
    assert problems == []
    assert [a.url for a in arts] == [f"https://a.example/{n}" for n in (1, 2, 3, 4)]
    assert [a.date for a in arts] == [
        dt.date(2024, 3, 21),  # the page's own date
        dt.date(2024, 3, 23),  # none in the page: the crawl date
        dt.date(2024, 3, 24),
        dt.date(2024, 3, 20),
    ]
    assert all("Rutte" in a.text for a in arts)
    walked, problems = read(tmp_path / "sub")  # a folder walk reads .warc.gz
    assert problems == []
    assert [(a.id, a.url, a.date) for a in walked] == [(a.id, a.url, a.date) for a in arts]


def test_a_damaged_warc_keeps_what_came_before(tmp_path: Path) -> None:
    path = tmp_path / "broken.warc"
    good = records()[2]
    path.write_bytes(good + b"garbage that is no record\r\n" + good)
    arts, problems = read(path)
    assert len(arts) == 1
    assert len(problems) == 1 and "not a WARC record" in str(problems[0])
    truncated = tmp_path / "cut.warc.gz"
    truncated.write_bytes(gzip.compress(good)[:-20])
    arts, problems = read(truncated)
    assert arts == [] and len(problems) == 1 and "damaged WARC" in str(problems[0])
