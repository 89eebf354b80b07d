"""Bad input: each case gives one one-line problem naming the file (and line), and the good
articles around it are still read."""

from __future__ import annotations

import codecs
import datetime as dt
import io
import json
from pathlib import Path

import pytest

from kingmaker.ingest import MAX_CHARS, Problem, ReadOptions, read_document, read_paths
from kingmaker.records import Article

from .conftest import TODAY, write

NO_DATE = "no date given or found; read without one (give a default date to set it)"
IMPOSSIBLE = "impossible date '2023-02-30' (day is out of range for month); skipped"

# (file name, content, expected problem lines with {p} for the path, articles read)
CASES: list[tuple[str, bytes | str, list[str], int]] = [
    ("empty.txt", b"", ["{p}: empty file; skipped"], 0),
    ("blank.txt", "  \n\t\n  ", ["{p}: no text (empty or only whitespace); skipped"], 0),
    ("nul.txt", b"Rutte\x00\x01\x02", ["{p}: binary data (NUL bytes), not text; skipped"], 0),
    (
        "report.txt",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3",
        ["{p}: a PDF document, not text; convert it to text, HTML or JSONL first; skipped"],
        0,
    ),
    (
        "noise.txt",
        bytes(range(1, 9)) * 50,
        ["{p}: binary data (control characters), not text; skipped"],
        0,
    ),
    (
        "cp1252.txt",
        "2024-03-05 Szijjártó: \u201cwe cannot support Rutte\u201d".encode("cp1252"),
        ["{p}: not UTF-8; read as cp1252 (Windows-1252, a superset of Latin-1)"],
        1,
    ),
    (
        "utf16.txt",
        codecs.BOM_UTF16_LE + "2024-03-05 Szijjártó spoke.".encode("utf-16-le"),
        [],
        1,
    ),
    (
        "empty.html",
        "<html><head><title>x</title><script>var a;</script></head><body></body></html>",
        ["{p}: no article text found in the HTML; skipped"],
        0,
    ),
    ("seed.txt", " date 2023-02-30 Rutte is favourite.", ["{p}:1: " + IMPOSSIBLE], 0),
    ("lead.txt", "2023-02-30: Rutte is favourite.", ["{p}:1: " + IMPOSSIBLE], 0),
    ("undated.txt", "Rutte is favourite.", ["{p}: " + NO_DATE], 1),
    (
        "lines.jsonl",
        "\n".join(
            [
                json.dumps({"text": "Good one about Rutte.", "date": "2024-01-02"}),
                "{not json",
                json.dumps({"url": "https://example.org/x", "date": "2024-01-02"}),
                json.dumps({"text": "", "date": "2024-01-02"}),
                json.dumps({"text": ["a", "b"]}),
                json.dumps([1, 2]),
                json.dumps({"text": "Rutte.", "date": "2023-02-30"}),
                json.dumps({"text": "Rutte.", "date": "2031-01-01"}),
                json.dumps({"text": "Rutte.", "date": "last Tuesday"}),
                json.dumps({"html": "<script>only()</script>"}),
                "",
                json.dumps({"text": "Good two about Kallas.", "date": "2024-01-03"}),
            ]
        ),
        [
            "{p}:2: not JSON (Expecting property name enclosed in double quotes at column 2); "
            "skipped",
            "{p}:3: no 'text' or 'html' field; skipped",
            "{p}:4: 'text' is empty; skipped",
            "{p}:5: 'text' must be a string, got a JSON array; skipped",
            "{p}:6: a JSON array, not an object with 'text'; skipped",
            "{p}:7: " + IMPOSSIBLE,
            "{p}:8: date 2031-01-01 is after today (2026-11-28); skipped",
            "{p}:9: date 'last Tuesday' is not YYYY-MM-DD; skipped",
            "{p}:10: no article text found in its 'html'; skipped",
        ],
        2,
    ),
    (
        "latin.jsonl",
        json.dumps({"text": "Orbán backs Rutte.", "date": "2024-06-18"}, ensure_ascii=False).encode(
            "latin-1"
        ),
        ["{p}:1: not UTF-8; this and later such lines read as cp1252"],
        1,
    ),
    (
        "broken.json",
        '{"text": "x",',
        [
            "{p}:1: not JSON (Expecting property name enclosed in "
            "double quotes at column 14); skipped"
        ],
        0,
    ),
    (
        "empty.rss",
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>',
        ["{p}: no entries in the feed; skipped"],
        0,
    ),
    (
        "bad.rss",
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        "<item><title>No body</title></item>"
        "<item><title>Bad</title><pubDate>Fri, 30 Feb 2024 10:00:00 GMT</pubDate>"
        "<description>Rutte.</description></item>"
        "<item><title>Good</title><pubDate>Fri, 01 Mar 2024 10:00:00 GMT</pubDate>"
        "<description>Rutte leads.</description></item></channel></rss>",
        [
            "{p}:1: entry 1 ('No body') has no content or summary; skipped",
            "{p}:2: entry 2 ('Bad'): unreadable or impossible published date "
            "'Fri, 30 Feb 2024 10:00:00 GMT'; skipped",
        ],
        1,
    ),
]


@pytest.mark.parametrize(("name", "content", "expected", "count"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_gives_one_line_problems(
    tmp_path: Path, name: str, content: bytes | str, expected: list[str], count: int
) -> None:
    path = write(tmp_path / name, content)
    items = list(read_paths([path], today=TODAY))
    found = [str(i) for i in items if isinstance(i, Problem)]
    assert found == [e.format(p=path) for e in expected]
    assert all("\n" not in line for line in found)
    assert sum(isinstance(i, Article) for i in items) == count


def test_good_articles_in_a_bad_batch_are_still_read(tmp_path: Path) -> None:
    for name, content, _, _ in CASES:
        write(tmp_path / name, content)
    write(tmp_path / "good.txt", "2024-02-22 Germany backs Rutte.")
    items = list(read_paths([tmp_path, tmp_path / "missing.txt"], today=TODAY))
    texts = {i.text for i in items if isinstance(i, Article)}
    assert {"Germany backs Rutte.", "Good one about Rutte.", "Good two about Kallas."} <= {
        t.removeprefix("2024-02-22 ") for t in texts
    }
    assert sum(isinstance(i, Article) for i in items) == sum(c[3] for c in CASES) + 1
    assert str(items[-1]) == f"{tmp_path / 'missing.txt'}: no such file or directory; skipped"


def test_a_10_mb_article_is_kept_cut_to_max_chars(tmp_path: Path) -> None:
    sentence = "Rutte met Erdogan in Istanbul to discuss the NATO post. "
    body = sentence * (10 * 1024 * 1024 // len(sentence))
    path = write(tmp_path / "huge.txt", "2024-04-26 " + body)
    items = list(read_paths([path], today=TODAY))
    (note,) = [i for i in items if isinstance(i, Problem)]
    (article,) = [i for i in items if isinstance(i, Article)]
    assert str(note) == (
        f"{path}: text is {len(body.strip()) + 11:,} characters; kept the first {MAX_CHARS:,}"
    )
    assert not note.skipped
    assert MAX_CHARS - 200 <= len(article.text) <= MAX_CHARS
    assert article.text.split()[-1] in sentence.split()  # cut at a space, not in a word


def test_a_document_over_the_byte_limit_is_skipped() -> None:
    options = ReadOptions(today=TODAY, max_bytes=1000)
    items = list(read_document("big.txt", io.BytesIO(b"Rutte. " * 200), options))
    assert [str(i) for i in items] == [
        "big.txt: over the 0.000953674 MiB limit for one document; skipped"
    ]


def test_a_jsonl_line_over_the_byte_limit_is_skipped_and_reading_goes_on() -> None:
    options = ReadOptions(today=TODAY, max_bytes=1000, default_date=dt.date(2024, 1, 1))
    lines = [
        json.dumps({"text": "Short Rutte."}),
        json.dumps({"text": "Rutte " * 1000}),
        json.dumps({"text": "After Rutte."}),
    ]
    items = list(read_document("a.jsonl", io.BytesIO("\n".join(lines).encode()), options))
    assert [str(i) if isinstance(i, Problem) else i.text for i in items] == [
        "Short Rutte.",
        "a.jsonl:2: line is over the 0.000953674 MiB limit; skipped",
        "After Rutte.",
    ]
