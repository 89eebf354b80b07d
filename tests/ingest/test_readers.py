"""Each reader on small files: seed, text, JSONL, JSON, HTML, RSS, Atom, folders, globs, stdin."""

from __future__ import annotations

import codecs
import datetime as dt
import io
import json
import sys
from pathlib import Path

import pytest

from kingmaker.ingest import Problem, detect_format, read_paths
from kingmaker.ingest.text import article_id
from kingmaker.records import Article

from .conftest import TODAY, write

D = dt.date.fromisoformat

SEED = " date 2023-11-16 Estonian Prime Minister Kaja Kallas has expressed interest in the post."
RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Example Wire</title><link>https://example.org</link>
<item><title>Rutte backed by Germany</title><link>https://example.org/a1</link>
<pubDate>Thu, 22 Feb 2024 23:30:00 -0500</pubDate>
<description>&lt;p&gt;Germany backed Mark Rutte.&lt;/p&gt;&lt;p&gt;More.&lt;/p&gt;
</description></item>
<item><title>Undated</title><link>https://example.org/a2</link>
<description>Iohannis enters the race.</description></item>
</channel></rss>
"""
ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom News</title><id>urn:x</id>
<updated>2024-06-26T12:00:00Z</updated>
<entry><title>Rutte appointed</title><link href="https://example.org/b1"/><id>urn:b1</id>
<published>2024-06-26T09:00:00Z</published><updated>2024-06-27T09:00:00Z</updated>
<summary>Short summary.</summary>
<content type="html">&lt;p&gt;NATO allies appointed Mark Rutte on Wednesday.&lt;/p&gt;
</content></entry>
<entry><title>Plain</title><link href="https://example.org/b2"/><id>urn:b2</id>
<updated>2024-06-27T09:00:00Z</updated><summary>Rutte takes office on 1 October.</summary></entry>
</feed>
"""
PAGE = """<!doctype html><html><head><title>Rutte named NATO chief - Example News</title>
<meta property="article:published_time" content="2024-06-26T10:00:00Z">
<link rel="canonical" href="https://example.org/rutte-named">
<meta property="og:site_name" content="Example News"></head>
<body><nav>Home | World | Sport | Weather</nav>
<article><h1>Rutte named NATO chief</h1>
<p>NATO allies on Wednesday appointed outgoing Dutch Prime Minister Mark Rutte as the
alliance\u2019s next secretary general, ending a months-long race.</p>
<p>He takes over from Jens Stoltenberg on October 1.</p></article>
<footer>Copyright 2024 Example News. All rights reserved.</footer></body></html>
"""


def articles(items: list[Article | Problem]) -> list[Article]:
    return [i for i in items if isinstance(i, Article)]


def problems(items: list[Article | Problem]) -> list[str]:
    return [str(i) for i in items if isinstance(i, Problem)]


def read(*paths: str | Path, **kw: object) -> list[Article | Problem]:
    return list(read_paths([str(p) for p in paths], today=TODAY, **kw))  # type: ignore[arg-type]


def test_seed_format(tmp_path: Path) -> None:
    path = write(tmp_path / "seed.txt", SEED)
    (a,) = articles(read(path))
    assert a.date == D("2023-11-16")
    assert a.date_basis == "date line at the top of the file"
    assert a.text.startswith("Estonian Prime Minister Kaja Kallas")
    assert a.id == article_id(a.text)
    assert a.file == str(path)


def test_the_real_seed() -> None:
    seed = Path(__file__).resolve().parents[2] / (
        "src/kingmaker/data/races/nato-sg-2024/articles/seed-2023-11-16.txt"
    )
    (a,) = articles(read(seed))
    assert (a.date, a.text[:24]) == (D("2023-11-16"), "Estonian Prime Minister ")
    assert a.text.endswith("first female prime minister.")


@pytest.mark.parametrize(
    ("content", "default", "day", "basis"),
    [
        ("Rutte said yes.", "2024-01-05", "2024-01-05", "default date given at ingest"),
        ("12 March 2024 - Iohannis said.", "2024-01-05", "2024-01-05", "default date"),
        ("12 March 2024 - Iohannis said.", None, "2024-03-12", "date at the start of the text"),
        ("Rutte said yes.", None, None, "no date given or found"),
    ],
)
def test_plain_text_dates(
    tmp_path: Path, content: str, default: str | None, day: str | None, basis: str
) -> None:
    path = write(tmp_path / "a.txt", content)
    items = read(path, default_date=D(default) if default else None)
    (a,) = articles(items)
    assert a.date == (D(day) if day else None)
    assert a.date_basis.startswith(basis)
    assert a.text == content  # a leading date stays part of the text
    if day is None:
        assert problems(items) == [
            f"{path}: no date given or found; read without one (give a default date to set it)"
        ]


def test_jsonl(tmp_path: Path) -> None:
    rows = [
        {
            "id": "n001",
            "url": "https://example.org/1",
            "date": "2023-10-28",
            "date_basis": "byline",
            "text": "Rutte does not rule out NATO post.",
            "title": "Rutte",
            "publisher": "Example",
            "extra": "ignored",
        },
        {"url": "https://example.org/2", "date": None, "text": "Kallas  wants\u00a0the job."},
        {"url": "https://example.org/3", "date": "2024-06-26", "html": PAGE},
    ]
    path = write(tmp_path / "news.jsonl", "\n".join(json.dumps(r) for r in rows) + "\n\n")
    items = read(path)
    a, b, c = articles(items)
    assert (a.file, a.url, a.date, a.date_basis) == (
        f"{path}#n001",
        "https://example.org/1",
        D("2023-10-28"),
        "byline",
    )
    assert (a.title, a.publisher) == ("Rutte", "Example")
    assert (b.text, b.date, b.file) == ("Kallas wants the job.", None, f"{path}:2")
    assert c.url == "https://example.org/3"  # the row's URL wins over the page's
    assert c.text.startswith("Rutte named NATO chief\nNATO allies on Wednesday appointed")
    assert (c.title, c.date_basis) == ("Rutte named NATO chief", "'date' field")
    assert problems(items) == [
        f"{path}:2: no date given or found; read without one (give a default date to set it)"
    ]


def test_jsonl_in_utf16_with_a_bom(tmp_path: Path) -> None:
    line = json.dumps({"text": "Orbán backs Rutte.", "date": "2024-06-18"}, ensure_ascii=False)
    path = write(tmp_path / "u16.jsonl", codecs.BOM_UTF16_LE + (line + "\n").encode("utf-16-le"))
    (a,) = articles(read(path))
    assert a.text == "Orbán backs Rutte."


def test_json_array(tmp_path: Path) -> None:
    rows = [{"text": "One about Rutte.", "date": "2024-01-01"}, {"text": "Two."}, 5]
    path = write(tmp_path / "news.json", json.dumps(rows))
    items = read(path)
    assert [a.file for a in articles(items)] == [f"{path}#1", f"{path}#2"]
    assert f"{path}: item 3: a JSON number, not an object with 'text'; skipped" in problems(items)


def test_html_page(tmp_path: Path) -> None:
    path = write(tmp_path / "page.html", PAGE)
    (a,) = articles(read(path))
    # The headline opens the text, as in the JSONL news set.
    assert a.text.startswith("Rutte named NATO chief\nNATO allies on Wednesday appointed")
    assert "alliance's next secretary general" in a.text  # curly apostrophe normalised
    assert "Home | World" not in a.text and "Copyright" not in a.text
    assert (a.date, a.date_basis) == (D("2024-06-26"), "HTML metadata (htmldate)")
    assert (a.url, a.title, a.publisher) == (
        "https://example.org/rutte-named",
        "Rutte named NATO chief",
        "Example News",
    )


def test_rss(tmp_path: Path) -> None:
    path = write(tmp_path / "wire.rss", RSS)
    items = read(path)
    a, b = articles(items)
    assert a.text == "Germany backed Mark Rutte.\n\nMore."
    assert (a.url, a.title, a.publisher) == (
        "https://example.org/a1",
        "Rutte backed by Germany",
        "Example Wire",
    )
    assert a.date == D("2024-02-23")  # 23:30 at UTC-5 is the 23rd in UTC
    assert a.date_basis == "feed entry 'published' (UTC)"
    assert (b.date, b.file) == (None, f"{path}#2")


def test_atom_prefers_content_and_published(tmp_path: Path) -> None:
    path = write(tmp_path / "news.xml", ATOM)
    a, b = articles(read(path))
    assert a.text == "NATO allies appointed Mark Rutte on Wednesday."
    assert (a.date, a.publisher, a.url) == (D("2024-06-26"), "Atom News", "https://example.org/b1")
    assert (b.text, b.date, b.date_basis) == (
        "Rutte takes office on 1 October.",
        D("2024-06-27"),
        "feed entry 'updated' (UTC)",
    )


@pytest.mark.parametrize(
    ("name", "head", "fmt"),
    [
        ("a.txt", b" date 2023-11-16 text", "seed"),
        ("a.txt", b"date night in Brussels", "text"),
        ("a.txt", b"<html><body>", "text"),  # the suffix decides for text
        ("a.html", b"<?xml version='1.0'?><rss version='2.0'>", "feed"),
        ("a.xml", b"<!DOCTYPE html><html>", "html"),
        ("a.jsonl", b"junk", "jsonl"),
        ("a.json", b"{}", "json"),
        ("<stdin>", b'  {"text": 1}', "jsonl"),
        ("<stdin>", b"[{}]", "json"),
        ("<stdin>", b"<feed xmlns='http://www.w3.org/2005/Atom'>", "feed"),
        ("<stdin>", b"<p>Hi</p>", "html"),
        ("noext", b"\xef\xbb\xbf date 2024-01-01 x", "seed"),
        ("noext", b"Just words.", "text"),
        ("a.UNKNOWN", "<rss>".encode("utf-16"), "feed"),
    ],
)
def test_detect_format(name: str, head: bytes, fmt: str) -> None:
    assert detect_format(name, head) == fmt


def test_directory_is_walked_recursively_in_order(tmp_path: Path) -> None:
    write(tmp_path / "b" / "2.txt", "Second Rutte story.")
    write(tmp_path / "a.txt", "First Rutte story.")
    write(tmp_path / "b" / "c" / "3.jsonl", json.dumps({"text": "Third."}) + "\n")
    write(tmp_path / ".hidden" / "x.txt", "Hidden.")
    write(tmp_path / ".notes.txt", "Hidden too.")
    write(tmp_path / "README", "No suffix: read as text.")
    write(tmp_path / "photo.jpg", b"\xff\xd8\xff\xe0")
    opened: list[str] = []
    items = read(tmp_path, default_date=D("2024-01-01"), on_file=opened.append)
    assert [a.text for a in articles(items)] == [
        "No suffix: read as text.",
        "First Rutte story.",
        "Second Rutte story.",
        "Third.",
    ]
    assert problems(items) == [
        f"{tmp_path / 'photo.jpg'}: '.jpg' is not a format kingmaker reads; skipped"
    ]
    assert len(opened) == 4


def test_glob(tmp_path: Path) -> None:
    for n in range(3):
        write(tmp_path / f"s{n}.txt", f"Story {n}.")
    write(tmp_path / "deep" / "s9.txt", "Deep story.")
    items = read(tmp_path / "s*.txt", tmp_path / "**" / "s9.txt", default_date=D("2024-01-01"))
    assert [a.text for a in articles(items)] == ["Story 0.", "Story 1.", "Story 2.", "Deep story."]
    assert read(tmp_path / "*.nothing") == [
        Problem(str(tmp_path / "*.nothing"), None, "no files match this pattern")
    ]


@pytest.mark.parametrize("binary", [True, False], ids=["bytes-stdin", "text-stdin"])
def test_stdin(monkeypatch: pytest.MonkeyPatch, binary: bool) -> None:
    lines = [json.dumps({"text": f"Rutte story {n}.", "date": "2024-02-22"}) for n in range(3)]
    data = "\n".join(lines) + "\n"
    if binary:
        fake = io.TextIOWrapper(io.BytesIO(data.encode("utf-8")), encoding="utf-8")
    else:
        fake = io.StringIO(data)  # type: ignore[assignment]
    monkeypatch.setattr(sys, "stdin", fake)
    got = articles(read("-"))
    assert [a.text for a in got] == [f"Rutte story {n}." for n in range(3)]
    assert [a.file for a in got] == ["<stdin>:1", "<stdin>:2", "<stdin>:3"]


def test_stdin_seed_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(SEED))
    (a,) = articles(read("-"))
    assert (a.date, a.file) == (D("2023-11-16"), "<stdin>")


def test_a_directory_is_read_lazily(tmp_path: Path) -> None:
    for n in range(200):
        write(tmp_path / f"{n:04d}.txt", f"Story number {n}.")
    opened: list[str] = []
    stream = read_paths([tmp_path], default_date=D("2024-01-01"), on_file=opened.append)
    first = next(stream)
    assert isinstance(first, Article) and first.text == "Story number 0."
    assert len(opened) == 1  # one file open at a time, the rest not yet touched
    assert sum(1 for _ in stream) == 199


def test_json_lines_saved_as_json_are_read_as_lines(tmp_path: Path) -> None:
    rows = [{"text": f"Rutte story {n}.", "date": "2024-01-01"} for n in range(2)]
    path = write(tmp_path / "news.json", "\n".join(json.dumps(r) for r in rows))
    assert [a.file for a in articles(read(path))] == [f"{path}:1", f"{path}:2"]
